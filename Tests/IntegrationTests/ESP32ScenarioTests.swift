@testable import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// The spec's part C3 cheat-sheet and partial-download edge cases, against the scenario
/// server, for the arduino-esp32 and ESP-IDF profiles (results as the stacks name them).
@Suite(.serialized) struct ESP32ScenarioTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let scenario: String
        let profile: String
        let result: String
        let code: Int
        var partial = false
        var timeoutMs: Int? = nil
        var testDescription: String { "\(scenario) on \(profile)\(partial ? " (partial)" : "") → \(result) \(code)" }
    }

    static func run(_ row: Row) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(row.scenario))
        settings.partialDownload = row.partial
        settings.clientTimeoutMs = row.timeoutMs
        return Probe(profile: Shared.device(row.profile), identity: DeviceIdentity(), settings: settings).run()
    }

    static let rows: [Row] = [
        // 200 + valid image + CL
        Row(scenario: "esp32-good", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_OK", code: 0),
        Row(scenario: "esp32-good", profile: "esp32-arduino-1.0.6", result: "HTTP_UPDATE_OK", code: 0),
        Row(scenario: "esp32-good", profile: "esp-idf-5.5", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-good", profile: "esp-idf-4.4", result: "ESP_OK", code: 0),
        // chunked / close-delimited: Arduino -101, IDF accepts (v4.4 fails a close-delimited body)
        Row(scenario: "esp32-chunked", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -101),
        Row(scenario: "esp32-chunked", profile: "esp-idf-5.4", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-close-delimited", profile: "esp-idf-5.1", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-close-delimited", profile: "esp-idf-4.4", result: "ESP_FAIL", code: -1),
        Row(scenario: "length-zero", profile: "esp32-arduino-2.0.17", result: "HTTP_UPDATE_FAILED", code: -101),
        Row(scenario: "length-zero", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        // HTML body
        Row(scenario: "html", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -106),
        // another chip: Arduino after the full download (9), IDF at once (0x10A)
        Row(scenario: "esp32c3-image", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: 9),
        Row(scenario: "esp32c3-image", profile: "esp-idf-5.4", result: "ESP_ERR_INVALID_VERSION", code: 0x10A),
        Row(scenario: "esp32s3-image", profile: "esp-idf-4.4", result: "ESP_ERR_INVALID_VERSION", code: 0x10A),
        // corrupt tail
        Row(scenario: "esp32-corrupt-tail", profile: "esp32-arduino-2.0.17", result: "HTTP_UPDATE_FAILED", code: 9),
        Row(scenario: "esp32-corrupt-tail", profile: "esp-idf-5.5", result: "ESP_ERR_OTA_VALIDATE_FAILED", code: 0x1503),
        // CL > partition
        Row(scenario: "length-huge", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -100),
        // short body then FIN
        Row(scenario: "esp32-truncated", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        // 304
        Row(scenario: "not-modified", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_NO_UPDATES", code: 0),
        Row(scenario: "not-modified", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        Row(scenario: "not-modified", profile: "esp-idf-5.5", result: "ESP_ERR_HTTP_NOT_MODIFIED", code: 0x7009),
        // redirects: Arduino -104 by default (308 never), IDF follows
        Row(scenario: "redirect-302", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -104),
        Row(scenario: "redirect-308", profile: "esp32-arduino-2.0.17", result: "HTTP_UPDATE_FAILED", code: -104),
        // The loop stays on this host and port, so esp_http_client sends the next hop over the
        // connection it holds; this server closed it after the 302: the read fails (ESP_FAIL).
        // A keep-alive server would loop forever (ESPIDFModel tests: redirectLoopHangs…).
        Row(scenario: "redirect-loop", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        Row(scenario: "redirect-relative", profile: "esp-idf-5.5", result: "ESP_FAIL", code: -1),
        // http → https on the same host and port: the request goes over the open plain
        // connection and the image arrives without TLS (spec E).
        Row(scenario: "esp32-redirect-https-same-port", profile: "esp-idf-4.4", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-redirect-https-same-port", profile: "esp-idf-5.1", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-redirect-https-same-port", profile: "esp-idf-5.4", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-redirect-https-same-port", profile: "esp-idf-5.5", result: "ESP_OK", code: 0),
        Row(scenario: "esp32-redirect-302", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -104),
        Row(scenario: "esp32-redirect-302", profile: "esp-idf-5.5", result: "ESP_OK", code: 0),
        Row(scenario: "redirect-no-location", profile: "esp-idf-5.5", result: "ESP_ERR_INVALID_ARG", code: 0x102),
        Row(scenario: "redirect-no-location", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        // 401, 403, 404, 5xx, 206
        Row(scenario: "unauthorized", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -104),
        Row(scenario: "unauthorized", profile: "esp-idf-5.1", result: "ESP_FAIL", code: -1),
        Row(scenario: "forbidden", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -103),
        Row(scenario: "not-found", profile: "esp32-arduino-1.0.6", result: "HTTP_UPDATE_FAILED", code: -102),
        Row(scenario: "not-found", profile: "esp-idf-5.5", result: "ESP_FAIL", code: -1),
        Row(scenario: "server-error", profile: "esp-idf-4.4", result: "ESP_FAIL", code: -1),
        Row(scenario: "partial", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -104),
        // silence, early close, transfer codings, MD5
        Row(scenario: "silent", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -11, timeoutMs: 600),
        Row(scenario: "silent", profile: "esp-idf-5.5", result: "ESP_ERR_HTTP_EAGAIN", code: -0x7007, timeoutMs: 600),
        Row(scenario: "partial-headers-close", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -5),
        Row(scenario: "partial-headers-close", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1),
        Row(scenario: "te-gzip", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -9),
        Row(scenario: "te-identity", profile: "esp32-arduino-1.0.6", result: "HTTP_UPDATE_FAILED", code: -9),
        Row(scenario: "md5-short", profile: "esp32-arduino-3.2", result: "HTTP_UPDATE_FAILED", code: -105),
        // partial download (HEAD, then Range on new connections)
        Row(scenario: "esp32-good", profile: "esp-idf-5.4", result: "ESP_OK", code: 0, partial: true),
        // Ignored on the first GET: the whole image arrives at once and matches the HEAD (B5.5).
        Row(scenario: "esp32-range-ignored", profile: "esp-idf-5.4", result: "ESP_OK", code: 0, partial: true),
        Row(scenario: "esp32-range-416", profile: "esp-idf-5.4", result: "ESP_FAIL", code: -1, partial: true),
        Row(scenario: "esp32-range-416", profile: "esp-idf-5.5", result: "ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE", code: 0x700A, partial: true),
        Row(scenario: "esp32-head-no-length", profile: "esp-idf-5.4", result: "ESP_OK", code: 0, partial: true),
        Row(scenario: "esp32-range-changes", profile: "esp-idf-5.1", result: "ESP_ERR_OTA_VALIDATE_FAILED", code: 0x1503, partial: true),
    ]

    @Test(arguments: rows) func deviceVerdict(_ row: Row) {
        let report = Self.run(row)
        #expect(report.verdict.resultName == row.result && report.verdict.code == row.code,
                "\(report.verdict.resultName) \(report.verdict.code): \(report.verdict.message)")
    }

    /// The second request of a same-host, same-port http → https redirect reaches the server
    /// on the first connection, in plain text, and the report says so.
    @Test func sameHostHTTPSRedirectReusesThePlainConnection() {
        let report = Self.run(Row(scenario: "esp32-redirect-https-same-port", profile: "esp-idf-5.4", result: "ESP_OK", code: 0))
        #expect(report.exchanges.count == 2)
        #expect(report.exchanges.last?.reusedConnection == true && report.exchanges.last?.tls == false)
        #expect(report.exchanges.last?.url.hasPrefix("https://") == true)
        #expect(report.verdict.notes.contains { $0.contains("over the plain connection it already had") }, "\(report.verdict.notes)")
        let followed = Shared.server.recordedRequests.last { $0.target.hasSuffix("/esp32-good") && $0.header("User-Agent") == "ESP32 HTTP Client/1.0" }
        #expect(followed != nil)
    }

    @Test func partialDownloadRequestsReachTheServer() {
        let before = Shared.server.recordedRequests.count
        let report = Self.run(Row(scenario: "esp32-good", profile: "esp-idf-5.4", result: "ESP_OK", code: 0, partial: true))
        #expect(report.verdict.cause == .updated)
        let requests = Shared.server.recordedRequests.dropFirst(before).filter { $0.target.hasSuffix("esp32-good") }
        #expect(requests.first?.method == "HEAD")
        #expect(requests.dropFirst().first?.header("Range") == "bytes=0-65535")
        #expect(requests.last?.header("Range")?.hasSuffix("-") == true)
    }

    @Test func headWithoutLengthIsOKWithoutSwitchingBoot() {
        let report = Self.run(Row(scenario: "esp32-head-no-length", profile: "esp-idf-5.4", result: "ESP_OK", code: 0, partial: true))
        #expect(report.verdict.cause == .updatedWithoutBootSwitch)
    }

    @Test func rangeFindingClassifiesServers() {
        func range(_ scenario: String) -> RangeFinding? {
            RangeCheck.run(profile: Shared.device("esp-idf-5.5"), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url(scenario)))
        }
        #expect(range("esp32-good")?.support == .honoured)
        #expect(range("esp32-range-ignored")?.support == .ignored)
        #expect(range("esp32-range-416")?.support == .refused)
    }

    /// The Range request is the profile's own request plus one line: an ESP8266 profile's
    /// User-Agent and x-ESP8266-* headers, an IDF profile's; informational off ESP-IDF.
    @Test func rangeRequestIsTheDevicesRequest() throws {
        let esp8266 = try #require(RangeCheck.request(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(),
                                                      settings: UpdaterSettings(url: "http://h/fw.bin")))
        let text = String(decoding: esp8266.bytes, as: UTF8.self)
        #expect(text.hasPrefix("GET /fw.bin HTTP/1.0\r\nHost: h\r\nUser-Agent: ESP8266-http-Update\r\n"))
        #expect(text.hasSuffix("x-ESP8266-mode: sketch\r\nContent-Length: 0\r\nRange: bytes=0-1023\r\n\r\n"))
        #expect(!esp8266.usedByDevice)
        var partial = UpdaterSettings(url: "http://h/fw.bin")
        partial.partialDownload = true
        let idf = try #require(RangeCheck.request(profile: Shared.device("esp-idf-5.5"), identity: DeviceIdentity(), settings: partial))
        #expect(String(decoding: idf.bytes, as: UTF8.self) == "GET /fw.bin HTTP/1.1\r\nUser-Agent: ESP32 HTTP Client/1.0\r\nHost: h\r\nRange: bytes=0-1023\r\n\r\n")
        #expect(idf.usedByDevice)
    }

    /// ESPHome's first request is its `md5_url` fetch, and without an MD5 it sends nothing: the
    /// Range question is about the image's server, so it goes to the firmware URL either way.
    @Test func esphomeRangeRequestAsksForTheImage() throws {
        var withMD5URL = UpdaterSettings(url: "http://h/fw.bin")
        withMD5URL.md5URL = "http://h/fw.md5"
        for settings in [withMD5URL, UpdaterSettings(url: "http://h/fw.bin")] {
            let request = try #require(RangeCheck.request(profile: Shared.device("esphome"), identity: DeviceIdentity(), settings: settings))
            let text = String(decoding: request.bytes, as: UTF8.self)
            #expect(text.hasPrefix("GET /fw.bin HTTP/1.1\r\n"))
            #expect(text.hasSuffix("Range: bytes=0-1023\r\n\r\n"))
            #expect(!request.usedByDevice)
        }
    }
}
