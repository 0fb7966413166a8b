/// Header lines that are legal-looking but read differently by the device: a name with a space
/// before the colon is not `Content-Length` to it; cookies and keep-alive are ignored; a very
/// long line costs heap but no error.
enum HeaderSyntaxScenarios {
    static let all: [Scenario] = [
        Scenario(
            name: "header-space-name",
            summary: "200 with `Content-Length : <n>` (space before the colon), then the image"
        ) { context in
            let image = context.bodies.image
            let head = ResponseHead.standard(contentLength: nil, extraHeaders: ["Content-Length : \(image.count)"])
            return ResponseRecipe.respond(head, body: image)
        },
        Scenario(
            name: "cookies",
            summary: "200 image with Set-Cookie, Keep-Alive: timeout=5 and Connection: keep-alive (still closes after the body)"
        ) { context in
            let image = context.bodies.image
            let head = ResponseHead.standard(
                contentLength: image.count,
                extraHeaders: ["Set-Cookie: session=5e55i0n; Path=/; HttpOnly", "Keep-Alive: timeout=5"],
                connection: "keep-alive")
            return ResponseRecipe.respond(head, body: image)
        },
        Scenario(name: "long-header", summary: "200 image response with a 64 KiB X-Padding header line") { context in
            let padding = String(repeating: "a", count: 64 * 1024)
            return ResponseRecipe.download(context.bodies.image, extraHeaders: ["X-Padding: \(padding)"])
        },
    ]
}
