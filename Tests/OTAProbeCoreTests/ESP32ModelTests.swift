import ScenarioServer
import Testing
@testable import OTAProbeCore

/// arduino-esp32 HTTPUpdate and ESP-IDF esp_https_ota, from hand-built timelines
/// (spec esp32-arduino-and-esp-idf.md parts A, B and E).
@Suite struct ESP32ModelTests {
    static func arduino(_ name: String) -> ESP32ArduinoProfile {
        guard case .esp32Arduino(let p) = Profiles.device(name) else { preconditionFailure(name) }
        return p
    }
    static func idf(_ name: String) -> ESPIDFProfile {
        guard case .espIDF(let p) = Profiles.device(name) else { preconditionFailure(name) }
        return p
    }

    static func runArduino(_ name: String, _ timeline: Timeline, url: String = "http://h/fw.bin", identity: DeviceIdentity = DeviceIdentity()) -> ESP32HTTPUpdateModel {
        var model = ESP32HTTPUpdateModel(profile: arduino(name), identity: identity, settings: UpdaterSettings(url: url))
        timeline.play(&model)
        return model
    }

    static func runIDF(_ name: String, _ timeline: Timeline, url: String = "http://h/fw.bin", identity: DeviceIdentity = DeviceIdentity(),
                       configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPIDFOTAModel {
        var settings = UpdaterSettings(url: url)
        configure(&settings)
        var model = ESPIDFOTAModel(profile: idf(name), identity: identity, settings: settings)
        timeline.play(&model)
        return model
    }

    static let image = ESP32Bodies.app
    static func ok(_ body: [UInt8]) -> String { "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n" }

    // MARK: Requests (A1.2, B1.2, E)

    /// Identity typed in any case or spelling goes out as HTTPUpdate writes it: MACs `%02X:`
    /// (WiFiSTA.cpp / NetworkManager::macAddress()), the MD5 lower-case (MD5Builder `%02x`),
    /// the SHA-256 upper-case (HTTPUpdate::getSketchSHA256()).
    @Test func arduino32RequestBytes() {
        var identity = DeviceIdentity()
        identity.currentVersion = "1.0"
        identity.esp32.baseMAC = MACAddress(parsing: "24-6f-28-ab-cd-ec")!
        identity.esp32.staMAC = MACAddress(parsing: "246f28abcdEc")!
        identity.esp32.apMAC = MACAddress(parsing: "24:6f:28:Ab:cd:ed")!
        identity.esp32.sketchMD5 = HexDigest(hex: "4F6C0B5A9D3E8E21C7A2B1F0E9D8C7B6", byteCount: 16)
        identity.esp32.sketchSHA256 = HexDigest(hex: "9b1c3d5e7f90a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1", byteCount: 32)
        let url = try! DeviceURL.parse("http://example.com:8080/fw.bin", schemeCaseInsensitive: false).get()
        let bytes = ESP32ArduinoRequestBuilder(profile: Self.arduino("esp32-arduino-3.2"), identity: identity).request(for: url, authorization: nil)
        #expect(String(decoding: bytes, as: UTF8.self) == """
            GET /fw.bin HTTP/1.0\r\nHost: example.com:8080\r\nUser-Agent: ESP32-http-Update\r\nConnection: close\r\nCache-Control: no-cache\r\n\
            x-ESP32-BASE-MAC: 24:6F:28:AB:CD:EC\r\nx-ESP32-STA-MAC: 24:6F:28:AB:CD:EC\r\nx-ESP32-AP-MAC: 24:6F:28:AB:CD:ED\r\nx-ESP32-free-space: 1310720\r\n\
            x-ESP32-sketch-size: 1050000\r\nx-ESP32-sketch-md5: 4f6c0b5a9d3e8e21c7a2b1f0e9d8c7b6\r\n\
            x-ESP32-sketch-sha256: 9B1C3D5E7F90A2B4C6D8E0F1A3B5C7D9E1F3A5B7C9D1E3F5A7B9C1D3E5F7A9B1\r\n\
            x-ESP32-chip-size: 4194304\r\nx-ESP32-sdk-version: \(Self.arduino("esp32-arduino-3.2").identityDefaults.sdkVersion)\r\nx-ESP32-mode: sketch\r\nx-ESP32-version: 1.0\r\n\r\n
            """)
    }

    /// 1.0.6 sends the same formats (no BASE-MAC there) and leaves out an MD5 or SHA-256 the
    /// device could not compute (A1.0.6 HTTPUpdate.cpp:151-175, 198-201).
    @Test func arduino106FormatsIdentityAndDropsMissingDigests() {
        var identity = DeviceIdentity()
        identity.esp32.staMAC = MACAddress(parsing: "a4:cf:12:0b:1c:2d")!
        identity.esp32.apMAC = MACAddress(parsing: "A4-CF-12-0B-1C-2E")!
        identity.esp32.sketchMD5 = nil
        identity.esp32.sketchSHA256 = nil
        let url = try! DeviceURL.parse("http://example.com/fw.bin", schemeCaseInsensitive: false).get()
        let text = String(decoding: ESP32ArduinoRequestBuilder(profile: Self.arduino("esp32-arduino-1.0.6"), identity: identity).request(for: url, authorization: nil), as: UTF8.self)
        #expect(text.contains("\r\nx-ESP32-STA-MAC: A4:CF:12:0B:1C:2D\r\nx-ESP32-AP-MAC: A4:CF:12:0B:1C:2E\r\n"), "\(text)")
        #expect(!text.contains("sketch-md5") && !text.contains("sketch-sha256") && !text.contains("BASE-MAC"), "\(text)")
    }

    @Test func arduino106HasNoBaseMACAndDropsAnEmptyPath() {
        let url = try! DeviceURL.parse("http://example.com", schemeCaseInsensitive: false).get()
        let text = String(decoding: ESP32ArduinoRequestBuilder(profile: Self.arduino("esp32-arduino-1.0.6"), identity: DeviceIdentity()).request(for: url, authorization: nil), as: UTF8.self)
        #expect(text.hasPrefix("GET  HTTP/1.0\r\nHost: example.com\r\n"))
        #expect(!text.contains("x-ESP32-BASE-MAC"))
        let v3 = String(decoding: ESP32ArduinoRequestBuilder(profile: Self.arduino("esp32-arduino-3.2"), identity: DeviceIdentity()).request(for: url, authorization: nil), as: UTF8.self)
        #expect(v3.hasPrefix("GET / HTTP/1.0\r\n"))
    }

    @Test func idfRequestBytesPerVersion() {
        let url = try! DeviceURL.parse("http://h:8070/fw.bin?x=1#frag", schemeCaseInsensitive: true).get()
        let v54 = ESPIDFRequestBuilder(profile: Self.idf("esp-idf-5.4")).request(method: "GET", url: url, hostHeader: "h:8070", authorization: nil, range: nil)
        #expect(String(decoding: v54, as: UTF8.self) == "GET /fw.bin?x=1 HTTP/1.1\r\nUser-Agent: ESP32 HTTP Client/1.0\r\nHost: h:8070\r\n\r\n")
        let v51 = ESPIDFRequestBuilder(profile: Self.idf("esp-idf-5.1")).request(method: "HEAD", url: url, hostHeader: "h:8070", authorization: nil, range: nil)
        #expect(String(decoding: v51, as: UTF8.self) == "HEAD /fw.bin?x=1 HTTP/1.1\r\nUser-Agent: ESP32 HTTP Client/1.0\r\nHost: h:8070\r\nContent-Length: 0\r\n\r\n")
        let ranged = ESPIDFRequestBuilder(profile: Self.idf("esp-idf-4.4")).request(method: "GET", url: url, hostHeader: "h:8070", authorization: nil, range: "bytes=0-65535")
        #expect(String(decoding: ranged, as: UTF8.self).hasSuffix("Content-Length: 0\r\nRange: bytes=0-65535\r\n\r\n"))
    }

    // MARK: arduino-esp32 (A5)

    @Test func arduinoValidImageUpdates() {
        let model = Self.runArduino("esp32-arduino-3.2", .response(head: Self.ok(Self.image), body: Self.image))
        #expect(model.verdict?.result == .ok)
    }

    @Test func arduinoWrongChipIsRejectedOnlyAfterTheDownload() {
        let c3 = ESP32Bodies.c3App
        let model = Self.runArduino("esp32-arduino-3.2", .response(head: Self.ok(c3), body: c3))
        #expect(model.verdict?.code == 9)
        #expect(model.verdict?.message == "Update error: Could Not Activate The Firmware")
        #expect(model.exchanges.last?.body.bytesConsumedByDevice == c3.count)
    }

    @Test func arduinoPlainPeekDoesNotWait() {
        // The body starts 300 ms after the headers: peek() at +100 ms sees nothing → -106.
        let timeline = Timeline([.bytes(Array(Self.ok(Self.image).utf8), at: 1), .bytes(Self.image, at: 300), .close(at: 400)])
        let model = Self.runArduino("esp32-arduino-3.2", timeline)
        #expect(model.verdict?.code == -106)
        #expect(model.verdict?.deviceTimeMs == 101)
    }

    @Test func arduinoUnauthorizedIsWrongHTTPCodeAndChunkedIsMinus101() {
        #expect(Self.runArduino("esp32-arduino-3.2", .response("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")).verdict?.code == -104)
        #expect(Self.runArduino("esp32-arduino-2.0.17", .response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).verdict?.code == -101)
    }

    @Test func identityTransferEncodingSplitsAt2x() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 4\r\n\r\nabcd"
        #expect(Self.runArduino("esp32-arduino-1.0.6", .response(text)).verdict?.code == -9)
        #expect(Self.runArduino("esp32-arduino-2.0.17", .response(text)).verdict?.code == -106)
    }

    @Test func upperCaseMD5FailsBefore3x() {
        let md5 = md5Hex(Self.image).uppercased()
        let head = "HTTP/1.1 200 OK\r\nContent-Length: \(Self.image.count)\r\nx-MD5: \(md5)\r\n\r\n"
        #expect(Self.runArduino("esp32-arduino-2.0.17", .response(head: head, body: Self.image)).verdict?.code == 7)
        #expect(Self.runArduino("esp32-arduino-3.2", .response(head: head, body: Self.image)).verdict?.result == .ok)
    }

    @Test func arduinoTruncatedBodyWaitsThe300Retries() {
        let half = Array(Self.image.prefix(50_000))
        let model = Self.runArduino("esp32-arduino-3.2", .response(head: Self.ok(Self.image), body: half, at: 1, close: 5))
        #expect(model.verdict?.code == 6)
        // 300 reads × 8 s + 299 × 100 ms after the last byte.
        // The peek (+100 ms) starts the reads; then 300 reads × 8 s with 299 × 100 ms between.
        #expect(model.verdict?.deviceTimeMs == 101 + 300 * 8000 + 299 * 100)
    }

    // MARK: ESP-IDF (B5, E)

    @Test func htmlPageIsAChipIDMismatchOnS3() {
        var identity = DeviceIdentity()
        identity.esp32.chip = .esp32s3
        let page = Array(("<!DOCTYPE html><html>" + String(repeating: "x", count: 2000)).utf8)
        let model = Self.runIDF("esp-idf-5.4", .response(head: Self.ok(page), body: page), identity: identity)
        #expect(model.verdict?.result == .espError)
        #expect(model.verdict?.code == 0x10A && model.verdict?.name == "ESP_ERR_INVALID_VERSION")
        #expect(model.verdict?.message == "E (…) esp_https_ota: Mismatch chip id, expected 9, found 27757")
        #expect(model.verdict?.codeHex == "0x10A")
    }

    @Test func shortBodyFailsTheHeaderRead() {
        let body = Array(Self.image.prefix(500))
        #expect(Self.runIDF("esp-idf-5.4", .response(head: Self.ok(body), body: body)).verdict?.code == -1)
        // v4.4 only needs 289 bytes, then the truncated image fails at the end.
        let v44 = Self.runIDF("esp-idf-4.4", .response(head: Self.ok(body), body: body))
        #expect(v44.verdict?.code == 0x1503)
    }

    @Test func chunkedAndCloseDelimitedBodiesAreAccepted() {
        let framed = ChunkedFramingForTests.frame(Self.image)
        let chunked = Self.runIDF("esp-idf-5.4", .response(head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", body: framed, at: 1, close: 3))
        #expect(chunked.verdict?.result == .espOK)
        let closeDelimited = Timeline.response(head: "HTTP/1.1 200 OK\r\n\r\n", body: Self.image)
        #expect(Self.runIDF("esp-idf-5.1", closeDelimited).verdict?.result == .espOK)
        #expect(Self.runIDF("esp-idf-4.4", closeDelimited).verdict?.code == -1)
    }

    @Test func headerTimeoutCodePerVersion() {
        let silent = Timeline([])
        #expect(Self.runIDF("esp-idf-5.5", silent).verdict?.code == -0x7007)
        #expect(Self.runIDF("esp-idf-5.5", silent).verdict?.deviceTimeMs == 5000)
        #expect(Self.runIDF("esp-idf-5.4", silent).verdict?.code == -1)
        #expect(Self.runIDF("esp-idf-5.4", silent) { $0.advancedAPI = true }.verdict?.code == -0x7007)
        #expect(Self.runIDF("esp-idf-4.4", silent) { $0.advancedAPI = true }.verdict?.code == -1)
    }

    @Test func statusCodesPerVersion() {
        let notModified = Timeline.response("HTTP/1.1 304 Not Modified\r\n\r\n")
        #expect(Self.runIDF("esp-idf-5.5", notModified).verdict?.code == 0x7009)
        #expect(Self.runIDF("esp-idf-5.4", notModified).verdict?.code == -1)
        let range = Timeline.response("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n")
        #expect(Self.runIDF("esp-idf-5.5", range).verdict?.code == 0x700A)
        #expect(Self.runIDF("esp-idf-5.4", range).verdict?.message == "E (…) esp_https_ota: Client error (416)")
        let partial = Timeline.response(head: "HTTP/1.1 206 Partial Content\r\nContent-Length: \(Self.image.count)\r\n\r\n", body: Self.image)
        #expect(Self.runIDF("esp-idf-5.4", partial).verdict?.result == .espOK)
    }

    @Test func redirectsAreFollowedWithoutLimit() {
        // Kept alive: the device sends each hop over the same connection.
        let hop = [Timeline.Event.bytes(Array("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)]
        let model = Self.runIDF("esp-idf-5.4", Timeline(connections: Array(repeating: hop, count: 30)))
        #expect(model.verdict?.result == .deviceHangs)
        // The same request from the same state: sent once, replayed, then called a loop.
        #expect(model.verdict?.cause == .redirectLoop(cycle: ["http://h:80/again"]))
        #expect(model.exchanges.count == 1 + 1 + Limits.loopReplays)
        // 308 is followed too, and a port-only change keeps the old Host header (spec E).
        let moved = Timeline(connections: [
            [.bytes(Array("HTTP/1.1 308 Permanent Redirect\r\nLocation: http://h:81/fw.bin\r\n\r\n".utf8), at: 1), .close(at: 2)],
            [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)],
        ])
        let followed = Self.runIDF("esp-idf-5.4", moved)
        #expect(followed.verdict?.result == .espOK)
        #expect(String(decoding: followed.exchanges[1].request, as: UTF8.self).contains("Host: h\r\n"))
    }

    @Test func httpsDowngradeIsRefusedOn55() {
        let timeline = Timeline.response("HTTP/1.1 301 Moved\r\nLocation: http://h/fw.bin\r\nContent-Length: 0\r\n\r\n")
        #expect(Self.runIDF("esp-idf-5.5", timeline, url: "https://h/fw.bin").verdict?.code == 0x700D)
        #expect(Self.runIDF("esp-idf-5.5", Timeline.response("HTTP/1.1 302 Found\r\n\r\n")).verdict?.code == 0x102)
    }

    @Test func stalledBodyHangs() {
        let body = Array(Self.image.prefix(4096))
        let model = Self.runIDF("esp-idf-5.4", .response(head: Self.ok(Self.image), body: body, at: 1, close: nil))
        #expect(model.verdict?.result == .deviceHangs)
        #expect(model.verdict?.deviceTimeMs == 5001)
    }

    @Test func partialDownloadSendsHeadThenRanges() {
        let size = 65_536
        func range(_ start: Int, _ end: Int) -> [Timeline.Event] {
            let part = Array(Self.image[start...end])
            return [.bytes(Array("HTTP/1.1 206 Partial Content\r\nContent-Length: \(part.count)\r\n\r\n".utf8) + part, at: 1), .close(at: 2)]
        }
        let total = Self.image.count
        let timeline = Timeline(connections: [
            [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(total)\r\n\r\n".utf8), at: 1), .close(at: 2)],
            range(0, size - 1), range(size, 2 * size - 1), range(2 * size, 3 * size - 1), range(3 * size, total - 1),
        ])
        let model = Self.runIDF("esp-idf-5.4", timeline) { $0.partialDownload = true }
        #expect(model.verdict?.result == .espOK)
        let requests = model.exchanges.map { String(decoding: $0.request, as: UTF8.self) }
        #expect(requests.first?.hasPrefix("HEAD /fw.bin HTTP/1.1\r\n") == true)
        #expect(requests.dropFirst().map { $0.split(separator: "\r\n").last.map(String.init) ?? "" }
                == ["Range: bytes=0-65535", "Range: bytes=65536-131071", "Range: bytes=131072-196607", "Range: bytes=196608-"])
    }

    @Test func headWithoutLengthNeverSwitchesTheBootPartition() {
        let timeline = Timeline(connections: [
            [.bytes(Array("HTTP/1.1 200 OK\r\n\r\n".utf8), at: 1), .close(at: 2)],
            [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)],
        ])
        let model = Self.runIDF("esp-idf-5.4", timeline) { $0.partialDownload = true }
        #expect(model.verdict?.result == .espOK && model.verdict?.cause == .updatedWithoutBootSwitch)
        let advanced = Self.runIDF("esp-idf-5.4", timeline) { $0.partialDownload = true; $0.advancedAPI = true }
        #expect(advanced.verdict?.code == -1)
    }

    @Test func resumptionNeedsTheAdvancedAPI() {
        #expect(Self.runIDF("esp-idf-5.5", Timeline([])) { $0.resumeFrom = 4096 }.verdict?.code == 0x106)
    }
}

/// Chunked framing for the model tests (the scenario server's own framer is internal there).
enum ChunkedFramingForTests {
    static func frame(_ body: [UInt8], size: Int = 4096) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < body.count {
            let end = min(index + size, body.count)
            out += Array(String(end - index, radix: 16).utf8) + [13, 10] + body[index..<end] + [13, 10]
            index = end
        }
        return out + Array("0\r\n\r\n".utf8)
    }
}
