/// Status lines the device parses its own way: it looks for a line starting exactly `HTTP/1.`
/// and reads the code with atol from offset 9, so a zero, missing, negative or misplaced code, a
/// different version spelling, a leading blank line or odd line endings each change the result.
/// Apart from the status line (or line endings), each is the standard image download.
enum StatusLineScenarios {
    static let all: [Scenario] = [
        withStatusLine("HTTP/1.1 0 Zero", name: "status-zero", summary: "`HTTP/1.1 0 Zero` status line, then headers and the image"),
        withStatusLine("HTTP/1.1 OK", name: "status-text", summary: "`HTTP/1.1 OK` status line (no number), then headers and the image"),
        withStatusLine("HTTP/1.1 -3 Negative", name: "status-negative", summary: "`HTTP/1.1 -3 Negative` status line, then headers and the image"),
        withStatusLine(
            "HTTP/1.1  200 OK", name: "status-double-space",
            summary: "`HTTP/1.1  200 OK` (two spaces before the code), then headers and the image"),
        withStatusLine("HTTP/2 200", name: "http2-status", summary: "`HTTP/2 200` status line, then Content-Length and the image"),
        withStatusLine("HTTP/1.0 200 OK", name: "http10-status", summary: "`HTTP/1.0 200 OK` status line, then Content-Length and the image"),
        withStatusLine("http/1.1 200 OK", name: "lowercase-status", summary: "`http/1.1 200 OK` (lower-case), then Content-Length and the image"),
        withStatusLine(
            " HTTP/1.1 200 OK", name: "leading-space-status",
            summary: "` HTTP/1.1 200 OK` (leading space), then Content-Length and the image"),
        withStatusLine("HTTP/1.1 200", name: "no-reason", summary: "`HTTP/1.1 200` with no reason phrase, then Content-Length and the image"),
        Scenario(name: "no-status", summary: "`HELLO THERE` and a blank line instead of an HTTP response, then close") { _ in
            [.send("HELLO THERE\r\n\r\n".wireBytes), .close]
        },
        Scenario(name: "leading-blank-line", summary: "an empty line (CRLF), then a normal 200 image response") { context in
            [.send("\r\n".wireBytes)] + ResponseRecipe.download(context.bodies.image)
        },
        Scenario(name: "lf-only", summary: "a normal 200 image response with bare LF line endings") { context in
            var head = ResponseHead.standard(contentLength: context.bodies.image.count)
            head.lineEnding = "\n"
            return ResponseRecipe.respond(head, body: context.bodies.image)
        },
        Scenario(
            name: "cr-only",
            summary: "200 status line and headers with bare CR line endings, no body, then 3 s of silence and close"
        ) { context in
            var head = ResponseHead.standard(contentLength: context.bodies.image.count)
            head.lineEnding = "\r"
            return [.send(head.bytes), .holdOpen(milliseconds: 3_000)]
        },
    ]

    private static func withStatusLine(_ statusLine: String, name: String, summary: String) -> Scenario {
        Scenario(name: name, summary: summary) { context in
            var head = ResponseHead.standard(contentLength: context.bodies.image.count)
            head.statusLine = statusLine
            return ResponseRecipe.respond(head, body: context.bodies.image)
        }
    }
}
