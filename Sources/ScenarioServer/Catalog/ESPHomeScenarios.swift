/// What ESPHome's `ota.http_request` meets that other updaters do not (spec esphome-and-tasmota.md
/// E4.1, E5.1, E10): the `md5_url` file it fetches before the image, served well and badly, and a
/// same-host redirect without a body, the one kind its undrained redirect loop survives.
enum ESPHomeScenarios {
    static let all: [Scenario] = [
        Scenario(name: "esphome-md5", summary: "200 with the md5sum line of the ESP32 image (\"<md5>  firmware.bin\"), for md5_url") { context in
            ResponseRecipe.page(status: 200, reason: "OK", text: md5sumLine(context.bodies.esp32Image))
        },
        Scenario(name: "esphome-md5-c3", summary: "200 with the md5sum line of the ESP32-C3 image served at /esp32c3-image, for md5_url") { _ in
            ResponseRecipe.page(status: 200, reason: "OK", text: md5sumLine(ESP32Bodies.c3App))
        },
        Scenario(name: "esphome-md5-chunked", summary: "200 with the ESP32 image's MD5, chunked (no Content-Length): ESPHome reads length 0") { context in
            let text = md5sumLine(context.bodies.esp32Image).wireBytes
            return ResponseRecipe.respond(.standard(contentType: "text/plain", contentLength: nil, extraHeaders: ["Transfer-Encoding: chunked"]), body: ChunkedFraming.frame(text))
        },
        Scenario(name: "esphome-md5-short", summary: "200 with a 16-character MD5 file (Content-Length 16)") { context in
            ResponseRecipe.page(status: 200, reason: "OK", text: String(md5Hex(context.bodies.esp32Image).prefix(16)))
        },
        Scenario(name: "esphome-md5-uppercase", summary: "200 with the ESP32 image's MD5 in upper-case hex") { context in
            ResponseRecipe.page(status: 200, reason: "OK", text: md5Hex(context.bodies.esp32Image).uppercased() + "\n")
        },
        // Kept alive, no body: ESPHome's redirect loop sends the next request over the same
        // connection without reading anything in between.
        Scenario(name: "esphome-redirect-empty", summary: "302 to /esp32-good with Content-Length: 0, kept alive; the next request on the connection gets the ESP32 image") { context in
            let redirect = ResponseHead.standard(status: 302, reason: "Found", contentType: nil, contentLength: 0,
                                                 extraHeaders: ["Location: \(context.origin)/esp32-good"], connection: "keep-alive")
            let image = context.bodies.esp32Image
            return [.send(redirect.bytes), .awaitRequest, .send(ResponseHead.standard(contentLength: image.count).bytes), .send(image), .close]
        },
        // Four and three same-host redirects on one kept-alive connection, as a server with
        // keep-alive answers them: ESPHome follows three (redirect_limit), so the first fails
        // with `Reach redirect limit` and the second gets the image.
        Scenario(name: "esphome-redirect-4", summary: "four 302s to /esphome-redirect-4?hop=N on one kept-alive connection (Content-Length: 0), then the ESP32 image") { context in
            hops(4, context)
        },
        Scenario(name: "esphome-redirect-3", summary: "three 302s to /esphome-redirect-3?hop=N on one kept-alive connection (Content-Length: 0), then the ESP32 image") { context in
            hops(3, context)
        },
        // The update component's manifest (spec E8): an ESP32-C3 build first, then the ESP32's
        // and the ESP8266's with paths relative to the manifest, version 2025.12.8.
        Scenario(name: "esphome-manifest", summary: "200 with an ESPHome manifest, version 2025.12.8: ESP32-C3 → /esp32c3-image, ESP32 → esp32-good, ESP8266 → good (relative), each with its MD5") { context in
            ResponseRecipe.page(status: 200, reason: "OK", text: manifest(context), contentType: "application/json")
        },
        Scenario(name: "esphome-manifest-chunked", summary: "the esphome-manifest JSON, chunked (no Content-Length): ESPHome on ESP-IDF allocates 0 bytes and gives up") { context in
            ResponseRecipe.respond(.standard(contentType: "application/json", contentLength: nil, extraHeaders: ["Transfer-Encoding: chunked"]),
                                   body: ChunkedFraming.frame(manifest(context).wireBytes))
        },
        // Two pieces with a pause between (spec E4.3, E8): ESPHome 2025.12 on the Arduino
        // framework reads the first, finds the socket buffer empty, and parses half a manifest.
        Scenario(name: "esphome-manifest-paused", summary: "the esphome-manifest JSON with Content-Length, its first 64 bytes, 300 ms of silence, then the rest") { context in
            let text = manifest(context).wireBytes
            let head = ResponseHead.standard(contentType: "application/json", contentLength: text.count)
            return [.send(head.bytes + text.prefix(64)), .pause(milliseconds: 300), .send(Array(text.dropFirst(64))), .close]
        },
    ]

    static func manifest(_ context: ScenarioContext) -> String {
        """
        {"name": "otaprobe demo", "version": "2025.12.8", "builds": [
          {"chipFamily": "ESP32-C3", "ota": {"path": "/esp32c3-image", "md5": "\(md5Hex(ESP32Bodies.c3App))"}},
          {"chipFamily": "ESP32", "ota": {"path": "esp32-good", "md5": "\(md5Hex(context.bodies.esp32Image))", "summary": "demo"}},
          {"chipFamily": "ESP8266", "ota": {"path": "good", "md5": "\(md5Hex(context.bodies.image))"}}
        ]}

        """
    }

    /// What `md5sum firmware.bin` prints: ESPHome reads only the first 32 characters.
    static func md5sumLine(_ image: [UInt8]) -> String { md5Hex(image) + "  firmware.bin\n" }

    /// `count` bodiless 302s, each answering the next request on the same connection, then the image.
    static func hops(_ count: Int, _ context: ScenarioContext) -> [ScriptStep] {
        var steps: [ScriptStep] = []
        for hop in 1...count {
            let redirect = ResponseHead.standard(status: 302, reason: "Found", contentType: nil, contentLength: 0,
                                                 extraHeaders: ["Location: \(context.origin)/esphome-redirect-\(count)?hop=\(hop)"], connection: "keep-alive")
            steps += [.send(redirect.bytes), .awaitRequest]
        }
        let image = context.bodies.esp32Image
        return steps + [.send(ResponseHead.standard(contentLength: image.count).bytes), .send(image), .close]
    }
}
