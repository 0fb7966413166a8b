/// Transfer-Encoding in the forms that matter: the device understands only the exact word
/// `chunked` (and then has no length: -101); any other value is -9; and it never de-chunks, so
/// chunked framing next to a Content-Length is read as the image itself.
enum TransferEncodingScenarios {
    static let all: [Scenario] = [
        Scenario(name: "chunked", summary: "200 with chunked body, no Content-Length") { _ in
            let head = ResponseHead.standard(contentLength: nil, extraHeaders: ["Transfer-Encoding: chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(ServedBodies.standardImage))
        },
        Scenario(
            name: "chunked-with-length",
            summary: "200 with Transfer-Encoding: chunked and a Content-Length of the unframed image; chunked body"
        ) { _ in
            let image = ServedBodies.standardImage
            let head = ResponseHead.standard(contentLength: image.count, extraHeaders: ["Transfer-Encoding: chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(image))
        },
        Scenario(name: "te-identity", summary: "200 with Transfer-Encoding: identity, Content-Length and the image") { _ in
            ResponseRecipe.download(extraHeaders: ["Transfer-Encoding: identity"])
        },
        Scenario(
            name: "te-gzip",
            summary: "200 with Transfer-Encoding: gzip, Content-Length and the image (not actually compressed)"
        ) { _ in
            ResponseRecipe.download(extraHeaders: ["Transfer-Encoding: gzip"])
        },
        Scenario(
            name: "te-gzip-chunked",
            summary: "200 with Transfer-Encoding: gzip, chunked and a chunked gzip of the image, no Content-Length"
        ) { _ in
            let head = ResponseHead.standard(contentLength: nil, extraHeaders: ["Transfer-Encoding: gzip, chunked"])
            return ResponseRecipe.respond(head, body: ChunkedFraming.frame(ServedBodies.gzippedStandardImage))
        },
    ]
}
