import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// ESPHome 2026.6.5 against the real scenario server through the real transport (spec §E11):
/// the same server answers beside 2025.12.7 where the prediction changes — a pausing body,
/// a chunked image, a stall, a close before Content-Length, an HTML page with its own MD5.
@Suite struct ESPHome2026ScenarioTests {
    static let imageMD5 = ScenarioBodies.builtIn.imageMD5

    func run(_ profile: String, _ path: String, md5: String? = imageMD5, clientTimeoutMs: Int? = nil, identity: DeviceIdentity = DeviceIdentity(),
             configure: (inout UpdaterSettings) -> Void = { _ in }) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(path))
        settings.expectedMD5 = md5
        settings.clientTimeoutMs = clientTimeoutMs
        configure(&settings)
        return Probe(profile: Shared.device(profile), identity: identity, settings: settings).run()
    }

    /// slow-body sends 8 KiB every 100 ms: 2025.12 on the ESP8266 stops at the first empty
    /// buffer (0x8B), 2026.6 waits for the next piece and updates.
    @Test func pausingServerFailsOn2025AndUpdatesOn2026() {
        let old = run("esphome-2025.12-esp8266", "slow-body")
        let new = run("esphome-2026.6-esp8266", "slow-body")
        #expect(old.verdict.code == 0x8B)
        #expect(new.verdict.code == 0)
        #expect(new.verdict.result == .esphomeOK)
        #expect(new.outcome == .updated)
        #expect(new.verdict.log.contains { $0.hasPrefix("[I][ota.esp8266:?]: OTA update staged: 0x") })
        #expect(new.verdict.summary == "valid image, MD5 matches: staged by the native backend, device reboots")
        #expect(new.verdict.why.contains("waits for data"))
    }

    /// chunked: decoded, the MD5 matches, and the native backend stages 4294967295 bytes.
    @Test func chunkedImageIsStagedWithTheUnknownSize() {
        let report = run("esphome-2026.6-esp8266", "chunked")
        #expect(report.verdict.code == 0)
        #expect(report.verdict.log.contains("[D][http_request.arduino:?]: Content-Length: -1"))
        #expect(report.verdict.log.contains { $0.hasSuffix("-> 0x00000, size=4294967295") })
        #expect(report.verdict.fix.contains { $0.contains("staged size=4294967295") })
        #expect(run("esphome-2025.12-esp8266", "chunked").verdict.code != 0)
    }

    /// no-length (the scenario image, close-delimited): the decoder reads the image as framing,
    /// a line of it passes for the last chunk, and the MD5 of nothing fails [derived].
    @Test func lengthlessImageIsMisreadAsChunks() {
        let report = run("esphome-2026.6-esp8266", "no-length")
        #expect(report.verdict.code == 0x8B)
        #expect(report.verdict.message.hasPrefix("[E][http_request.ota:?]: MD5 computed: d41d8cd98f00b204e9800998ecf8427e"))
        #expect(report.verdict.why.contains("chunk decoder"))
    }

    /// stall-body: part of the image, then silence: `Timeout reading data` after the
    /// (shortened) timeout, 0x12.
    @Test func stallIsTimeoutReadingData() {
        let report = run("esphome-2026.6-esp8266", "stall-body", clientTimeoutMs: 600)
        #expect(report.verdict.code == 0x12)
        #expect(report.verdict.message == "[E][http_request.ota:?]: Timeout reading data")
        #expect(report.verdict.deviceTimeMs < 5000)
    }

    /// html with its own MD5: downloaded, then `Invalid firmware magic` from the native backend.
    @Test func htmlWithItsMD5IsRefusedByTheNativeBackend() throws {
        let probe = run("esphome-2026.6-esp8266", "html", md5: String(repeating: "0", count: 32))
        // Learn the page's MD5 from what the device hashed, then serve it as expected.
        let computed = try #require(probe.verdict.message.split(separator: " ").dropFirst(3).first)
        let report = run("esphome-2026.6-esp8266", "html", md5: String(computed))
        #expect(report.verdict.code == 0x84)
        #expect(report.verdict.log.contains { $0.hasPrefix("[E][ota.esp8266:?]: Invalid firmware magic: 0x") })
    }

    /// Content-Length over the free sketch space: `backend->begin error: 136`.
    @Test func imageOverFreeSpaceIs136() {
        var identity = DeviceIdentity()
        identity.freeSpaceOverride = 100_000
        let report = run("esphome-2026.6-esp8266", "good", identity: identity)
        #expect(report.verdict.code == 0x88)
        #expect(report.verdict.message == "[W][http_request.ota:?]: backend->begin error: 136")
    }

    // MARK: ESP-IDF

    /// esp32-stall: the blocking read times out: 2026.6 logs the read's -ESP_ERR_HTTP_EAGAIN,
    /// 2025.12 `Stream closed with error`.
    @Test func idfStallIsErrorReadingData() {
        let md5 = md5Hex(ScenarioBodies.builtIn.esp32Image)
        let new = run("esphome-2026.6-esp-idf", "esp32-stall", md5: md5, clientTimeoutMs: 600)
        #expect(new.verdict.code == 0x12)
        #expect(new.verdict.message == "[E][http_request.ota:?]: Error reading data: -28679")
        let old = run("esphome-2025.12-esp-idf", "esp32-stall", md5: md5, clientTimeoutMs: 600)
        #expect(old.verdict.message == "[E][http_request.ota:138]: Stream closed with error")
    }

    @Test func idfTruncatedIsErrorReadingDataMinusOne() {
        let report = run("esphome-2026.6-esp-idf", "esp32-truncated", md5: md5Hex(ScenarioBodies.builtIn.esp32Image))
        #expect(report.verdict.code == 0x12)
        #expect(report.verdict.message == "[E][http_request.ota:?]: Error reading data: -1")
    }

    /// esp32-chunked: ESP-IDF still reports length 0 for a chunked answer, so 2026.6 reads
    /// nothing and the MD5 of nothing fails, as 2025.12 did (spec §E11, derived).
    @Test func idfChunkedIsStillMD5Mismatch() {
        let report = run("esphome-2026.6-esp-idf", "esp32-chunked", md5: md5Hex(ScenarioBodies.builtIn.esp32Image))
        #expect(report.verdict.code == 0x8B)
        #expect(report.verdict.message.hasPrefix("[E][http_request.ota:?]: MD5 computed: d41d8cd98f00b204e9800998ecf8427e"))
    }

    /// The manifest with the 2026.6 profile: fetched, the ESP32 build installed.
    @Test func idfManifestInstalls() {
        let report = run("esphome-2026.6-esp-idf", "esphome-manifest", md5: nil) { $0.manifest = true }
        #expect(report.verdict.result == .esphomeOK)
        #expect(String(decoding: report.exchanges[0].request, as: UTF8.self).contains("User-Agent: ESPHome/2026.6.5 (https://esphome.io)\r\n"))
    }
}
