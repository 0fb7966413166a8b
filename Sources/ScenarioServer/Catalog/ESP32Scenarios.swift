/// Behaviours that matter to the ESP32 stacks: valid ESP32 images served in the ways ESP-IDF
/// and arduino-esp32 disagree on (chunked, close-delimited, a corrupt tail), and servers that
/// answer `HEAD` and `Range` well, badly or not at all (spec B5.5 and its partial-download edge
/// cases). Range-aware scenarios read the request; the others answer every method alike.
enum ESP32Scenarios {
    static let all: [Scenario] = [
        Scenario(name: "esp32-good", summary: "200 with a valid ESP32 app image (chip id 0, SHA-256 appended) and Content-Length") { context in
            rangeAware(context, image: context.bodies.esp32Image, honourRange: true)
        },
        Scenario(name: "esp32-chunked", summary: "200 with a valid ESP32 app image, chunked, no Content-Length") { context in
            ResponseRecipe.respond(.standard(contentLength: nil, extraHeaders: ["Transfer-Encoding: chunked"]), body: ChunkedFraming.frame(context.bodies.esp32Image))
        },
        Scenario(name: "esp32-close-delimited", summary: "200 with a valid ESP32 app image, no Content-Length and no chunking: the body ends at the FIN") { context in
            ResponseRecipe.respond(.standard(contentLength: nil), body: context.bodies.esp32Image)
        },
        Scenario(name: "esp32-corrupt-tail", summary: "200 with an ESP32 app image whose last 64 bytes are damaged (checksum and SHA-256 fail)") { context in
            ResponseRecipe.download(context.bodies.esp32CorruptTail)
        },
        Scenario(name: "esp32-truncated", summary: "200 with the full Content-Length of an ESP32 image, half the body, then close") { context in
            let image = context.bodies.esp32Image
            return [.send(ResponseHead.standard(contentLength: image.count).bytes), .send(Array(image.prefix(image.count / 2))), .close]
        },
        Scenario(name: "esp32-stall", summary: "200 with an ESP32 image's Content-Length, 100000 bytes, then silence until the lifetime cap") { context in
            let image = context.bodies.esp32Image
            return [.send(ResponseHead.standard(contentLength: image.count).bytes), .send(Array(image.prefix(100_000))), .holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
        // The redirect-<code> scenarios end at /good, an ESP8266 image: an ESP32 that follows
        // one would fail on the chip, not on the redirect (otaprobe demo on an ESP32 profile).
        // Kept alive, as nginx and Apache keep an HTTP/1.1 connection: ESP-IDF sends the next
        // request over it (same host and port), so it must be answered there.
        Scenario(name: "esp32-redirect-302", summary: "302 to http://127.0.0.1:<port>/esp32-good (absolute, same host), kept alive; a next request on the connection gets the ESP32 image") { context in
            let location = "\(context.origin)/esp32-good"
            let text = "<html><body>Moved to <a href=\"\(location)\">\(location)</a>.</body></html>\n".wireBytes
            let redirect = ResponseHead.standard(status: 302, reason: "Found", contentType: "text/html", contentLength: text.count,
                                                 extraHeaders: ["Location: \(location)"], connection: "keep-alive")
            let image = context.bodies.esp32Image
            return [.send(redirect.bytes), .send(text), .awaitRequest,
                    .send(ResponseHead.standard(contentLength: image.count).bytes), .send(image), .close]
        },
        Scenario(name: "esp32c3-image", summary: "200 with a valid ESP32-C3 app image (chip id 5)") { _ in
            ResponseRecipe.download(ESP32Bodies.c3App)
        },
        Scenario(name: "esp32-range-ignored", summary: "HEAD and GET answered with 200 and the whole ESP32 image; Range is ignored") { context in
            rangeAware(context, image: context.bodies.esp32Image, honourRange: false)
        },
        Scenario(name: "esp32-range-416", summary: "HEAD answered 200; any GET with Range answered 416; a GET without Range gets the image") { context in
            if context.request?.header("Range") != nil {
                return ResponseRecipe.page(status: 416, reason: "Range Not Satisfiable", text: "range not satisfiable\n", extraHeaders: ["Content-Range: bytes */\(context.bodies.esp32Image.count)"])
            }
            return rangeAware(context, image: context.bodies.esp32Image, honourRange: true)
        },
        Scenario(name: "esp32-head-no-length", summary: "HEAD answered 200 without Content-Length; GET honours Range") { context in
            if context.request?.method == "HEAD" {
                return [.send(ResponseHead.standard(contentLength: nil).bytes), .close]
            }
            return rangeAware(context, image: context.bodies.esp32Image, honourRange: true)
        },
        Scenario(name: "esp32-range-changes", summary: "Honours Range, but ranges after the first come from a different build (the file changed between requests)") { context in
            let start = context.request?.header("Range").flatMap(RangeRequest.parse)?.start ?? 0
            return rangeAware(context, image: start == 0 ? ESP32Bodies.app : ESP32Bodies.otherBuild, honourRange: true)
        },
        Scenario(
            name: "esp32-redirect-https-same-port",
            summary: "302 to https:// on this same host and port, kept alive; the next request on the same connection gets the ESP32 image over plain HTTP"
        ) { context in
            let location = "https://\(context.host):\(context.port)/esp32-good"
            let text = "<html><body>Moved to <a href=\"\(location)\">\(location)</a>.</body></html>\n".wireBytes
            let redirect = ResponseHead.standard(status: 302, reason: "Found", contentType: "text/html", contentLength: text.count,
                                                 extraHeaders: ["Location: \(location)"], connection: "keep-alive")
            let image = ESP32Bodies.app
            return [.send(redirect.bytes), .send(text), .awaitRequest,
                    .send(ResponseHead.standard(contentLength: image.count).bytes), .send(image), .close]
        },
    ]

    /// A static-file server: HEAD gets the head only; GET with `Range: bytes=a-b` gets 206 and
    /// `Content-Range` (when `honourRange`), otherwise 200 and the whole file.
    static func rangeAware(_ context: ScenarioContext, image: [UInt8], honourRange: Bool, extraHeaders: [String] = []) -> [ScriptStep] {
        let isHead = context.request?.method == "HEAD"
        if honourRange, let value = context.request?.header("Range"), let range = RangeRequest.parse(value), range.start < image.count {
            let end = min(range.end ?? image.count - 1, image.count - 1)
            let part = Array(image[range.start...end])
            let head = ResponseHead.standard(status: 206, reason: "Partial Content", contentLength: part.count,
                                             extraHeaders: ["Accept-Ranges: bytes", "Content-Range: bytes \(range.start)-\(end)/\(image.count)"] + extraHeaders)
            return isHead ? [.send(head.bytes), .close] : ResponseRecipe.respond(head, body: part)
        }
        let head = ResponseHead.standard(contentLength: image.count, extraHeaders: (honourRange ? ["Accept-Ranges: bytes"] : []) + extraHeaders)
        return isHead ? [.send(head.bytes), .close] : ResponseRecipe.respond(head, body: image)
    }
}

/// `bytes=a-b` or `bytes=a-`: the one form ESP-IDF sends.
enum RangeRequest {
    static func parse(_ value: String) -> (start: Int, end: Int?)? {
        guard value.hasPrefix("bytes=") else { return nil }
        let spec = value.dropFirst("bytes=".count).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2, let start = Int(spec[0]) else { return nil }
        if spec[1].isEmpty { return (start, nil) }
        guard let end = Int(spec[1]), end >= start else { return nil }
        return (start, end)
    }
}

/// The ESP32 bodies, built once.
public enum ESP32Bodies {
    public static let app: [UInt8] = ESP32ImageBuilder.app(chip: ESP32ImageBuilder.esp32)
    public static let otherBuild: [UInt8] = ESP32ImageBuilder.app(chip: ESP32ImageBuilder.esp32, version: "2.0.2", seed: 7)
    public static let c3App: [UInt8] = ESP32ImageBuilder.app(chip: ESP32ImageBuilder.esp32c3)
    public static let corruptTail: [UInt8] = {
        var image = app
        for index in (image.count - 64)..<image.count { image[index] ^= 0xA5 }
        return image
    }()
}
