@testable import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// Every profile against one URL at once: the cores' real disagreements side by side.
@Suite struct MatrixTests {
    func matrix(_ scenario: String, configure: (inout UpdaterSettings) -> Void = { _ in }) -> [String: Int] {
        var settings = UpdaterSettings(url: Shared.server.url(scenario))
        configure(&settings)
        let profiles = try! Shared.profiles.profiles
        let rows = ProfileMatrix.run(profiles: profiles, identity: DeviceIdentity(), settings: settings)
        #expect(rows.map(\.profile.name) == profiles.map(\.name))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.profile.name, $0.report.verdict.code) })
    }

    /// 401: -108 on ESP8266 3.x, -104 on older cores and on every arduino-esp32 (where -108
    /// means "no partition"); ESP-IDF retries 10 times (ESP_FAIL), v5.5 refuses Basic at once
    /// (ESP_ERR_NOT_SUPPORTED = 262), v4.4 retries without a cap — over the connection it
    /// keeps, which this server closed after the 401, so the retry fails (ESP_FAIL).
    @Test func unauthorizedSplitsAt302() {
        #expect(matrix("unauthorized") == [
            "esp8266-arduino-3.1.2": -108, "esp8266-arduino-3.0.2": -108,
            "esp8266-arduino-2.7.4": -104, "esp8266-arduino-2.5.2": -104, "esp8266-arduino-2.4.2": -104,
            "esp32-arduino-3.2": -104, "esp32-arduino-2.0.17": -104, "esp32-arduino-1.0.6": -104,
            "esp-idf-5.5": 262, "esp-idf-5.4": -1, "esp-idf-5.1": -1, "esp-idf-4.4": -1,
        ])
    }

    @Test func missingStatusLineSplitsAt274() {
        #expect(matrix("no-status") == [
            "esp8266-arduino-3.1.2": -7, "esp8266-arduino-3.0.2": -7, "esp8266-arduino-2.7.4": -7,
            "esp8266-arduino-2.5.2": -1, "esp8266-arduino-2.4.2": -1,
            "esp32-arduino-3.2": -7, "esp32-arduino-2.0.17": -7, "esp32-arduino-1.0.6": -1,
            // http_parser rejects the head; the peer's close then fails the begin.
            "esp-idf-5.5": -1, "esp-idf-5.4": -1, "esp-idf-5.1": -1, "esp-idf-4.4": -1,
        ])
    }

    @Test func forceRedirectsAreAdaptedToEachCore() {
        let codes = matrix("redirect-302") { $0.redirectMode = .force }
        #expect(codes["esp8266-arduino-3.1.2"] == 0 && codes["esp8266-arduino-2.5.2"] == 0)
        #expect(codes["esp8266-arduino-2.4.2"] == -104)
        let (adapted, notes) = ProfileMatrix.adapt({ var s = UpdaterSettings(url: "http://h/"); s.redirectMode = .force; return s }(), to: Shared.device("esp8266-arduino-2.5.2"))
        #expect(adapted.redirectMode == .strict && notes == ["follow-redirects force → strict"])
    }

    @Test func profilesRunConcurrently() {
        // Twelve silent servers with a 1 s client timeout: serial would take ~12 s.
        let clock = ContinuousClock()
        let start = clock.now
        let codes = matrix("silent") { $0.clientTimeoutMs = 1000 }
        for (name, code) in codes {
            // Arduino: -11 read Timeout; IDF v5.5 passes -ESP_ERR_HTTP_EAGAIN through, older ESP_FAIL.
            let expected = name.hasPrefix("esp-idf-5.5") ? -0x7007 : name.hasPrefix("esp-idf") ? -1 : -11
            #expect(code == expected, "\(name)")
        }
        #expect(clock.now - start < .seconds(4))
    }
}
