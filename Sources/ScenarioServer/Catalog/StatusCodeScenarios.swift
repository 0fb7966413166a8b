/// Well-formed responses with status codes other than 200: each maps to its own device result
/// (304 no update, 401 -108 from 3.0.2, 403 -103, 404 -102, everything else -104).
enum StatusCodeScenarios {
    static let all: [Scenario] = [
        Scenario(name: "not-modified", summary: "304 Not Modified, no body") { _ in
            ResponseRecipe.respond(ResponseHead(statusLine: "HTTP/1.1 304 Not Modified", headerLines: ["Connection: close"]))
        },
        Scenario(name: "unauthorized", summary: "401 with WWW-Authenticate: Basic and a short text body") { _ in
            ResponseRecipe.page(
                status: 401, reason: "Unauthorized", text: "Authentication required.\n",
                extraHeaders: ["WWW-Authenticate: Basic realm=\"firmware\""])
        },
        Scenario(name: "forbidden", summary: "403 Forbidden with a short text body") { _ in
            ResponseRecipe.page(status: 403, reason: "Forbidden", text: "Forbidden.\n")
        },
        Scenario(name: "not-found", summary: "404 Not Found with a short text body") { _ in
            ResponseRecipe.page(status: 404, reason: "Not Found", text: "Not found.\n")
        },
        Scenario(name: "server-error", summary: "500 Internal Server Error with a short text body") { _ in
            ResponseRecipe.page(status: 500, reason: "Internal Server Error", text: "Internal server error.\n")
        },
        Scenario(name: "service-unavailable", summary: "503 Service Unavailable with Retry-After: 120 and a short text body") { _ in
            ResponseRecipe.page(
                status: 503, reason: "Service Unavailable", text: "Service unavailable, try again later.\n",
                extraHeaders: ["Retry-After: 120"])
        },
        Scenario(name: "created", summary: "201 Created with Content-Length and the image") { context in
            let image = context.bodies.image
            return ResponseRecipe.respond(.standard(status: 201, reason: "Created", contentLength: image.count), body: image)
        },
        Scenario(name: "partial", summary: "206 Partial Content with a Content-Range covering the whole image, and the image") { context in
            let image = context.bodies.image
            let head = ResponseHead.standard(
                status: 206, reason: "Partial Content", contentLength: image.count,
                extraHeaders: ["Content-Range: bytes 0-\(image.count - 1)/\(image.count)"])
            return ResponseRecipe.respond(head, body: image)
        },
        Scenario(
            name: "continue-then-ok",
            summary: "100 Continue, then a complete 200 image response on the same connection"
        ) { context in
            [.send("HTTP/1.1 100 Continue\r\n\r\n".wireBytes)] + ResponseRecipe.download(context.bodies.image)
        },
    ]
}
