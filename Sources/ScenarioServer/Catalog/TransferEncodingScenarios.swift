/// Transfer-Encoding in the forms that matter: the device understands only the exact word
/// `chunked` (and then has no length: -101); any other value is -9; and it never de-chunks, so
/// chunked framing next to a Content-Length is read as the image itself.
enum TransferEncodingScenarios {
    static let all: [Scenario] = [
        Scenario(name: "chunked", summary: "200 with chunked body, no Content-Length") { context in
            let head = ResponseHead.standard(contentLength: nil, extraHeaders: ["Transfer-Encoding: chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(context.bodies.image))
        },
        Scenario(
            name: "chunked-with-length",
            summary: "200 with Transfer-Encoding: chunked and a Content-Length of the unframed image; chunked body"
        ) { context in
            let image = context.bodies.image
            let head = ResponseHead.standard(contentLength: image.count, extraHeaders: ["Transfer-Encoding: chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(image))
        },
        Scenario(name: "te-identity", summary: "200 with Transfer-Encoding: identity, Content-Length and the image") { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["Transfer-Encoding: identity"])
        },
        Scenario(
            name: "te-gzip",
            summary: "200 with Transfer-Encoding: gzip, Content-Length and the image (not actually compressed)"
        ) { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["Transfer-Encoding: gzip"])
        },
        Scenario(
            name: "te-gzip-chunked",
            summary: "200 with Transfer-Encoding: gzip, chunked and a chunked gzip of the image, no Content-Length"
        ) { context in
            let head = ResponseHead.standard(contentLength: nil, extraHeaders: ["Transfer-Encoding: gzip, chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(context.bodies.gzippedImage))
        },
    ]
}
