@testable import OTAProbe
import OTAProbeCore
import ScenarioServer
import Synchronization
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
            // ESPHome downloads nothing without an MD5 (md5:): OTA_MD5_INVALID.
            "esphome-2025.12-esp-idf": 16,
            "esphome-2025.12-esp8266": 16,
        ])
    }

    @Test func missingStatusLineSplitsAt274() {
        #expect(matrix("no-status") == [
            "esp8266-arduino-3.1.2": -7, "esp8266-arduino-3.0.2": -7, "esp8266-arduino-2.7.4": -7,
            "esp8266-arduino-2.5.2": -1, "esp8266-arduino-2.4.2": -1,
            "esp32-arduino-3.2": -7, "esp32-arduino-2.0.17": -7, "esp32-arduino-1.0.6": -1,
            // http_parser rejects the head; the peer's close then fails the begin.
            "esp-idf-5.5": -1, "esp-idf-5.4": -1, "esp-idf-5.1": -1, "esp-idf-4.4": -1,
            "esphome-2025.12-esp-idf": 16,
            "esphome-2025.12-esp8266": 16,
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
        let codes = matrix("silent") {
            $0.clientTimeoutMs = 1000
            $0.expectedMD5 = String(repeating: "0", count: 32)
        }
        for (name, code) in codes {
            // Arduino: -11 read Timeout; IDF v5.5 passes -ESP_ERR_HTTP_EAGAIN through, older ESP_FAIL.
            // ESPHome, given an MD5: no status line within its timeout → OTA_CONNECTION_ERROR (18).
            let expected = name.hasPrefix("esp-idf-5.5") ? -0x7007 : name.hasPrefix("esp-idf") ? -1 : name.hasPrefix("esphome") ? 0x12 : -11
            #expect(code == expected, "\(name)")
        }
        #expect(clock.now - start < .seconds(4))
    }
}

/// What a countdown callback heard, from whichever thread it was called on.
final class WaitLog: Sendable {
    private let values = Mutex<[Int]>([])
    func append(_ value: Int) { values.withLock { $0.append(value) } }
    var all: [Int] { values.withLock { $0 } }
}

extension MatrixTests {
    /// Twelve threads each wait on their own clock; the user sees one number, the longest wait
    /// left, and a profile that is done no longer holds it up.
    @Test func countdownShowsTheLongestWaitLeft() {
        let log = WaitLog()
        let countdown = MatrixCountdown(profiles: 3) { log.append($0.remainingMs) }
        countdown.waiting(0, Probe.Wait(remainingMs: 2000, elapsedMs: 0), now: 0)
        countdown.waiting(1, Probe.Wait(remainingMs: 8000, elapsedMs: 0), now: 0)
        countdown.waiting(0, Probe.Wait(remainingMs: 1000, elapsedMs: 1000), now: 1000)
        countdown.finished(1)
        countdown.waiting(0, Probe.Wait(remainingMs: 500, elapsedMs: 1500), now: 1500)
        countdown.waiting(2, Probe.Wait(remainingMs: 300, elapsedMs: 2200), now: 2200)
        #expect(log.all == [2000, 8000, 7000, 500, 300], "profile 0's wait ended at 2000: it no longer counts")
    }

    @Test func matrixCountsDownWhileTheDevicesWait() {
        let log = WaitLog()
        var settings = UpdaterSettings(url: Shared.server.url("silent"))
        settings.clientTimeoutMs = 2600
        let profiles = [Shared.device("esp8266-arduino-3.1.2"), Shared.device("esp32-arduino-3.2")]
        let rows = ProfileMatrix.run(profiles: profiles, identity: DeviceIdentity(), settings: settings) { log.append($0.remainingMs) }
        #expect(rows.map(\.report.verdict.code) == [-11, -11])
        #expect(!log.all.isEmpty)
        #expect(log.all.allSatisfy { $0 > 0 && $0 <= 2600 }, "\(log.all)")
    }
}
