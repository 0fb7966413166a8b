import OTAProbe
import OTAProbeCore
@testable import ScenarioServer
import Testing

/// ESPHome 2025.12.7 on an ESP32 with the Arduino framework against the real scenario server,
/// through the real transport: the E10 rows of this stack (spec esphome-and-tasmota.md E3.3,
/// E4.3, E5, E7), each with the log line the device prints.
@Suite struct ESPHomeESP32ArduinoScenarioTests {
    static let name = "esphome-2025.12-esp32-arduino"
    static let imageMD5 = md5Hex(ESP32Bodies.app)

    func run(_ scenario: String, md5: String? = imageMD5, profile: String = name, configure: (inout UpdaterSettings) -> Void = { _ in }) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(scenario))
        settings.expectedMD5 = md5
        configure(&settings)
        return Probe(profile: Shared.device(profile), identity: DeviceIdentity(), settings: settings).run()
    }

    /// The body a scenario sends (its steps rendered, the head cut off), to know its MD5.
    static func servedBody(_ name: String) -> [UInt8] {
        guard let scenario = ScenarioCatalog.all.first(where: { $0.name == name }) else { return [] }
        let context = ScenarioContext(port: Shared.server.port, request: RecordedRequest(bytes: Array("GET /\(name) HTTP/1.1\r\n\r\n".utf8)), bodies: .builtIn)
        var sent: [UInt8] = []
        for step in scenario.respond(context) {
            if case .send(let bytes) = step { sent += bytes }
        }
        guard let end = RequestHeadBoundary.end(in: sent, searchingFrom: 0) else { return [] }
        return Array(sent[end...])
    }

    static func request(_ report: ProbeReport, _ index: Int = 0) -> String {
        String(decoding: report.exchanges[index].request, as: UTF8.self)
    }

    /// The whole body in one burst, its MD5 given: OTA_RESPONSE_OK, and on the wire the request
    /// arduino-esp32's HTTPClient writes for ESPHome (E3.3).
    @Test func goodImageInOneBurstUpdates() {
        let report = run("esp32-good")
        #expect(report.verdict.result == .esphomeOK)
        #expect(report.outcome == .updated)
        #expect(Self.request(report) == "GET /esp32-good HTTP/1.1\r\nHost: 127.0.0.1:\(Shared.server.port)\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nConnection: keep-alive\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\n\r\n")
        #expect(report.verdict.log.last == "[I][app:228]: Rebooting safely")
    }

    /// The body in pieces 100 ms apart: the 2025.12 Arduino read finds the buffer empty and the
    /// loop ends → 0x8B; the esp-idf build, whose read waits, updates from the same server.
    @Test func bodyInPiecesEndsEarlyWithMD5Mismatch() {
        let report = run("esp32-slow-body")
        #expect(report.verdict.code == 0x8B)
        #expect(report.verdict.name == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
        guard case .esphomeBufferRanEmpty(let received, let expected, _) = report.verdict.cause else {
            Issue.record("cause \(report.verdict.cause)")
            return
        }
        #expect(received < expected)
        #expect(expected == ESP32Bodies.app.count)
        #expect(report.verdict.log.contains { $0.hasPrefix("[I][http_request.ota:174]: Done in ") })
        #expect(run("esp32-slow-body", profile: "esphome-2025.12-esp-idf").verdict.code == 0)
    }

    @Test func wrongMD5IsMismatch() {
        let report = run("esp32-good", md5: String(repeating: "a", count: 32))
        #expect(report.verdict.code == 0x8B)
        #expect(report.verdict.cause == .md5Mismatch(expected: String(repeating: "a", count: 32), calculated: Self.imageMD5))
    }

    @Test func notFoundIsConnectionError() {
        let report = run("not-found")
        #expect(report.verdict.code == 0x12)
        #expect(report.verdict.message == "[E][http_request.arduino:124]: HTTP Request failed; URL: \(Shared.server.url("not-found")); Code: 404")
    }

    /// The HTML page's own MD5 is expected, yet esp_ota_write refuses its first byte: 0x80.
    @Test func htmlWithItsOwnMD5FailsAtTheFirstWrite() {
        let report = run("html", md5: md5Hex(Self.servedBody("html")))
        #expect(report.verdict.code == 0x80)
        #expect(report.verdict.message.hasPrefix("[E][http_request.ota:156]: Error code (80) writing binary data to flash at offset 0 and size "))
        #expect(report.verdict.log.contains("[D][esp-idf:000]: E (…) esp_ota_ops: OTA image has invalid magic byte (expected 0xE9, saw 0x3c)"))
    }

    @Test func gzipFailsAtTheFirstWrite() {
        let report = run("gzip-image", md5: md5Hex(ScenarioBodies.builtIn.gzippedImage))
        #expect(report.verdict.code == 0x80)
        #expect(report.verdict.cause == .invalidMagicOnWrite(0x1F))
    }

    /// Content-Length 3,000,000 over the 1.25 MiB OTA partition: esp_ota_begin → 0x89.
    @Test func contentLengthOverThePartitionIs137() {
        let report = run("too-big")
        #expect(report.verdict.code == 0x89)
        #expect(report.verdict.message == "[W][http_request.ota:120]: backend->begin error: 137")
    }

    /// An ESP32-C3 image with its MD5: downloaded whole, refused at esp_ota_end → 0x84.
    @Test func imageForAnotherChipFailsAtTheEnd() {
        let c3 = ESP32Bodies.c3App
        let report = run("esp32c3-image", md5: md5Hex(c3))
        #expect(report.verdict.code == 0x84)
        #expect(report.verdict.message == "[W][http_request.ota:197]: Error ending update! error_code: 132")
        #expect(report.exchanges.last?.body.bytesConsumedByDevice == c3.count)
    }

    /// HTTPClient does not follow 308 (no case for it in sendRequest): 0x12, one request.
    @Test func redirect308IsNotFollowed() {
        let report = run("redirect-308")
        #expect(report.verdict.code == 0x12)
        #expect(report.exchanges.count == 1)
        #expect(report.verdict.message.hasSuffix("; Code: 308"))
    }

    /// A same-scheme 302 is followed (FORCE mode) to the image.
    @Test func redirect302IsFollowed() {
        let report = run("esp32-redirect-302")
        #expect(report.verdict.code == 0)
        #expect(report.exchanges.count == 2)
        #expect(Self.request(report, 1).hasPrefix("GET /esp32-good HTTP/1.1\r\nHost: 127.0.0.1:\(Shared.server.port)\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nConnection: keep-alive\r\n"))
    }

    @Test func noMD5SendsNothing() {
        let report = run("esp32-good", md5: nil)
        #expect(report.verdict.code == 0x10)
        #expect(report.exchanges.isEmpty)
    }

    /// md5_url: a GET of its own first (the md5sum line arrives in one piece), then the image.
    @Test func md5URLIsFetchedFirst() {
        let report = run("esp32-good", md5: nil) { $0.md5URL = Shared.server.url("esphome-md5") }
        #expect(report.verdict.code == 0)
        #expect(report.exchanges.count == 2)
        #expect(Self.request(report, 0).hasPrefix("GET /esphome-md5 HTTP/1.1\r\n"))
    }
}

/// ESPHome on the ESP32 Arduino framework over TLS (spec E1, E9): `verify_ssl: false` is
/// required there, so HTTPClient's secure client accepts any certificate; mbedTLS speaks TLS 1.2
/// only, and a failed handshake is HTTPClient's -1.
@Suite(.serialized) struct ESPHomeESP32ArduinoTLSTests {
    func run(_ server: TLSLabServer) -> Verdict {
        var settings = UpdaterSettings(url: server.url(host: "localhost"))
        settings.expectedMD5 = String(repeating: "0", count: 32)
        return Probe(profile: Shared.device("esphome-2025.12-esp32-arduino"), identity: DeviceIdentity(), settings: settings).run().verdict
    }

    @Test func selfSignedCertificateIsAccepted() throws {
        let server = try TLSLabServer("selfsigned")
        defer { server.stop() }
        let verdict = run(server)
        #expect(verdict.tls?.result == "established", "\(verdict.tls?.reason ?? "")")
        #expect(verdict.code != 0x12, "\(verdict.log)")
    }

    @Test func tls13OnlyServerFailsTheHandshake() throws {
        let server = try TLSLabServer("tls13-only")
        defer { server.stop() }
        let verdict = run(server)
        #expect(verdict.tls?.result == "failed")
        #expect(verdict.code == 0x12)
        #expect(verdict.message == "[W][http_request.arduino:116]: HTTP Request failed; URL: \(server.url(host: "localhost")); Error: connection refused", "\(verdict.log)")
    }
}
