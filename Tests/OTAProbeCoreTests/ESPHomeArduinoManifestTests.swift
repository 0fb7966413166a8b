@testable import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESPHome's update entity (`update: platform: http_request`, spec E8) on the Arduino builds:
/// the manifest's GET through HTTPClient (E4, E4.3), the buffer of `(size_t) getSize()` bytes,
/// 2025.12's read loop that stops at the first empty socket buffer, 2026.6's idle-timeout loop
/// (E11), then the shared parse / chip family / version / path decision and the install.
@Suite struct ESPHomeArduinoManifestTests {
    static func esphome(_ name: String) -> ESPHomeProfile {
        guard case .esphome(let p) = Profiles.device(name) else { preconditionFailure(name) }
        return p
    }

    static let esp25 = esphome("esphome-2025.12-esp8266")
    static let esp26 = esphome("esphome-2026.6-esp8266")
    static let arduino32 = esphome("esphome-2025.12-esp32-arduino")

    static let firmware = image(size: 20_000)
    static let firmwareMD5 = md5Hex(firmware)
    static let app = ESP32Bodies.app
    static let appMD5 = md5Hex(app)
    static let source = "http://h/dir/manifest.json"

    /// An ESP Web Tools manifest with `ota` added: an ESP32 build first (a wrong md5, another
    /// path), then the ESP8266 one, then an ESP32-C3 one.
    static func manifest(version: String = "2025.12.8") -> String {
        #"{"name": "x", "version": "\#(version)", "builds": [{"chipFamily": "ESP32", "ota": {"path": "/esp32.bin", "md5": "\#(appMD5)"}}, {"chipFamily": "ESP8266", "ota": {"path": "fw.bin", "md5": "\#(firmwareMD5)"}}, {"chipFamily": "ESP32-C3", "ota": {"path": "c3/fw.bin", "md5": "\#(appMD5)"}}]}"#
    }

    static func json(_ text: String, status: String = "200 OK") -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 \(status)\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8), at: 1), .close(at: 2)]
    }

    static func served(_ body: [UInt8]) -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body, at: 1), .close(at: 2)]
    }

    static func run(_ profile: ESPHomeProfile, _ connections: [[Timeline.Event]], identity: DeviceIdentity = DeviceIdentity()) -> ESPHomeArduinoOTAModel {
        ESPHomeESP8266ModelTests.run(Timeline(connections: connections), url: source, md5: nil, identity: identity, profile: profile) { $0.manifest = true }
    }

    static func requests(_ model: ESPHomeArduinoOTAModel) -> [String] { model.exchanges.map { String(decoding: $0.request, as: UTF8.self) } }

    // MARK: A good manifest

    /// The ESP8266 build is chosen (`chipFamily` "ESP8266"), its relative path joined to the
    /// manifest's directory, its md5 handed to `do_ota_`: the image's GET follows and installs.
    @Test func esp8266ManifestInstallsTheESP8266Build() {
        let text = Self.manifest()
        let model = Self.run(Self.esp25, [Self.json(text), Self.served(Self.firmware)])
        #expect(model.verdict?.result == .esphomeOK)
        #expect(model.verdict?.code == 0)
        let requests = Self.requests(model)
        // The same http layer: HTTPClient's bytes, ESPHome's User-Agent, for both GETs.
        #expect(requests == [
            "GET /dir/manifest.json HTTP/1.1\r\nHost: h\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
            "GET /dir/fw.bin HTTP/1.1\r\nHost: h\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        ])
        #expect(model.verdict?.log.prefix(6) == [
            ESPHomeESP8266ModelTests.warning,
            "[D][http_request.arduino:141]: Content-Length: \(text.utf8.count)",
            "[I][http_request.ota:50]: Starting update",
            "[D][http_request.ota:97]: MD5 expected: \(Self.firmwareMD5)",
            "[I][http_request.ota:104]: Connecting to: http://h/dir/fw.bin",
            ESPHomeESP8266ModelTests.warning,
        ])
        #expect(model.verdict?.notes.contains { $0.contains("offers version 2025.12.8, the device runs 2025.12.7") } == true)
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == text.utf8.count)
    }

    /// ESP32 with the Arduino framework: the chip family comes from the device's variant, as on
    /// ESP-IDF (an ESP32-C3 takes the ESP32-C3 build, a plain ESP32 the ESP32 one).
    @Test func esp32ArduinoChoosesTheBuildOfItsVariant() {
        let plain = Self.run(Self.arduino32, [Self.json(Self.manifest()), Self.served(Self.app)])
        #expect(Self.requests(plain).last?.hasPrefix("GET /esp32.bin HTTP/1.1") == true)
        #expect(plain.verdict?.code == 0)
        var c3 = DeviceIdentity()
        c3.esp32.chip = ESP32Chip.named("esp32c3")!
        let other = Self.run(Self.arduino32, [Self.json(Self.manifest()), Self.served(Self.app)], identity: c3)
        #expect(Self.requests(other).last?.hasPrefix("GET /dir/c3/fw.bin HTTP/1.1") == true)
    }

    /// The running version (ESPHome's own, or `--current-version`) equal to the manifest's: no
    /// update, one GET only.
    @Test func sameVersionIsNoUpdate() {
        let same = Self.run(Self.esp25, [Self.json(Self.manifest(version: "2025.12.7"))])
        #expect(same.verdict?.result == .esphomeNoUpdate)
        #expect(same.exchanges.count == 1)
        // 2026.6 compares with its own version: 2025.12.7 is "available" there.
        #expect(Self.run(Self.esp26, [Self.json(Self.manifest(version: "2025.12.7")), Self.served(Self.firmware)]).verdict?.result == .esphomeOK)
        var identity = DeviceIdentity()
        identity.currentVersion = "2025.12.8"
        #expect(Self.run(Self.esp25, [Self.json(Self.manifest())], identity: identity).verdict?.result == .esphomeNoUpdate)
    }

    // MARK: Fetch and buffer

    /// A 404: perform() logs its own line and returns the container, update_task wants 200.
    @Test func notFoundFailsToFetch() {
        let model = Self.run(Self.esp25, [Self.json("nope", status: "404 Not Found")])
        #expect(model.verdict?.result == .esphomeUpdateFailed)
        #expect(model.verdict?.resultName == "Failed to fetch manifest")
        #expect(model.verdict?.cause == .esphomeManifestUnusable(.fetchFailed(404)))
        #expect(model.verdict?.log.suffix(3) == [
            "[E][http_request.arduino:124]: HTTP Request failed; URL: \(Self.source); Code: 404",
            "[D][http_request.arduino:141]: Content-Length: 4",
            "[E][http_request.update:56]: Failed to fetch manifest from \(Self.source)",
        ])
        // No answer at all: perform() returns nullptr.
        let refused = Self.run(Self.esp25, [])
        #expect(refused.verdict?.cause == .esphomeManifestUnusable(.fetchFailed(-1)))
        #expect(refused.verdict?.message == "[E][http_request.update:56]: Failed to fetch manifest from \(Self.source)")
    }

    /// A chunked manifest: `(size_t) getSize()` is 4294967295, no allocator gives that. 2026.6's
    /// decoder does not help: the buffer is still allocated from `content_length` first.
    @Test func chunkedManifestCannotBeAllocated() {
        let chunked: [[Timeline.Event]] = [[.bytes(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".utf8), at: 1)]]
        let old = Self.run(Self.esp25, chunked)
        #expect(old.verdict?.message == "[E][http_request.update:65]: Failed to allocate 4294967295 bytes for manifest")
        #expect(old.verdict?.resultName == "Failed to allocate memory for manifest")
        #expect(old.verdict?.cause == .esphomeManifestUnusable(.allocationFailed(bytes: 4_294_967_295)))
        #expect(old.verdict?.log.contains("[D][http_request.arduino:141]: Content-Length: -1") == true)
        let new = Self.run(Self.esp26, chunked)
        #expect(new.verdict?.message == "[E][http_request.update:?]: Failed to allocate 4294967295 bytes for manifest")
        // A length-less answer (close-delimited) is the same -1.
        let closeDelimited = Self.run(Self.esp25, [[.bytes(Array("HTTP/1.1 200 OK\r\n\r\n{}".utf8), at: 1), .close(at: 2)]])
        #expect(closeDelimited.verdict?.cause == .esphomeManifestUnusable(.allocationFailed(bytes: 4_294_967_295)))
        // Content-Length: 0: malloc(0) gives no block either (umm_malloc) [derived].
        let empty = Self.run(Self.esp25, [Self.json("")])
        #expect(empty.verdict?.message == "[E][http_request.update:65]: Failed to allocate 0 bytes for manifest")
    }

    // MARK: The read loop

    /// Served in two pieces with a pause between: 2025.12's read finds the buffer empty, the loop
    /// breaks, the half manifest is parsed; 2026.6 waits for the rest and installs.
    @Test func pausedManifestIsTruncatedOn2025ButNotOn2026() {
        let text = Array(Self.manifest().utf8)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.count)\r\n\r\n".utf8)
        let pieces: [Timeline.Event] = [.bytes(head + text.prefix(60), at: 1), .bytes(Array(text.dropFirst(60)), at: 400), .close(at: 401)]
        let old = Self.run(Self.esp25, [pieces, Self.served(Self.firmware)])
        #expect(old.verdict?.result == .esphomeUpdateFailed)
        #expect(old.verdict?.resultName == "Failed to parse manifest JSON")
        #expect(old.verdict?.log.suffix(2) == ["[E][json:59]: Parse error: IncompleteInput", "[E][http_request.update:134]: Failed to parse JSON from \(Self.source)"])
        #expect(old.verdict?.cause == .esphomeManifestUnusable(.cutShort(received: 60, expected: text.count, pauseMs: Self.esp25.arduino!.emptyBufferGapMs, error: "IncompleteInput")))
        #expect(old.exchanges.count == 1)
        let new = Self.run(Self.esp26, [pieces, Self.served(Self.firmware)])
        #expect(new.verdict?.result == .esphomeOK)
        #expect(new.exchanges.count == 2)
        // A gap within the loopback allowance does not end the 2025.12 loop.
        let short: [Timeline.Event] = [.bytes(head + text.prefix(60), at: 1), .bytes(Array(text.dropFirst(60)), at: 30), .close(at: 31)]
        #expect(Self.run(Self.esp25, [short, Self.served(Self.firmware)]).verdict?.result == .esphomeOK)
    }

    /// 2026.6: no data for the http timeout is `Timeout reading manifest`; a close before
    /// Content-Length is `Error reading manifest: -1`. 2025.12 parses what it had in both cases.
    @Test func stalledOrCutManifestOn2026FailsToRead() {
        let text = Array(Self.manifest().utf8)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.count)\r\n\r\n".utf8)
        let stall: [Timeline.Event] = [.bytes(head + text.prefix(60), at: 1)]
        let new = Self.run(Self.esp26, [stall])
        #expect(new.verdict?.resultName == "Failed to read manifest")
        #expect(new.verdict?.message == "[E][http_request.update:?]: Timeout reading manifest")
        #expect(new.verdict?.deviceTimeMs == 1 + Self.esp26.timeouts.timeoutMs)
        let cut: [Timeline.Event] = [.bytes(head + text.prefix(60), at: 1), .close(at: 5)]
        let closed = Self.run(Self.esp26, [cut])
        #expect(closed.verdict?.log.suffix(2) == ["[E][http_request.arduino:?]: Stream pointer vanished!", "[E][http_request.update:?]: Error reading manifest: -1"])
        #expect(closed.verdict?.cause == .esphomeManifestUnusable(.fetchFailed(-1)))
        let old = Self.run(Self.esp25, [stall])
        #expect(old.verdict?.resultName == "Failed to parse manifest JSON")
    }

    /// The decision is the shared one: a missing build for the variant, an invalid resolved URL.
    @Test func unusableManifestsUseTheSharedDecision() {
        let noBuild = Self.run(Self.esp25, [Self.json(#"{"name": "x", "version": "1", "builds": [{"chipFamily": "ESP32", "ota": {"path": "a", "md5": "b"}}]}"#)])
        #expect(noBuild.verdict?.cause == .esphomeManifestUnusable(.noBuild(variant: "ESP8266")))
        #expect(noBuild.verdict?.message == "[E][http_request.update:134]: Failed to parse JSON from \(Self.source)")
        let badPath = Self.run(Self.esp25, [Self.json(#"{"name": "x", "version": "1", "builds": [{"chipFamily": "ESP8266", "ota": {"path": "fw/http-bridge.bin", "md5": "b"}}]}"#)])
        #expect(badPath.verdict?.cause == .esphomeManifestUnusable(.urlInvalid("fw/http-bridge.bin")))
    }
}
