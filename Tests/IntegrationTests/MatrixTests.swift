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

    @Test func unauthorizedSplitsAt302() {
        #expect(matrix("unauthorized") == [
            "esp8266-arduino-3.1.2": -108, "esp8266-arduino-3.0.2": -108,
            "esp8266-arduino-2.7.4": -104, "esp8266-arduino-2.5.2": -104, "esp8266-arduino-2.4.2": -104,
        ])
    }

    @Test func missingStatusLineSplitsAt274() {
        #expect(matrix("no-status") == [
            "esp8266-arduino-3.1.2": -7, "esp8266-arduino-3.0.2": -7, "esp8266-arduino-2.7.4": -7,
            "esp8266-arduino-2.5.2": -1, "esp8266-arduino-2.4.2": -1,
        ])
    }

    @Test func forceRedirectsAreAdaptedToEachCore() {
        let codes = matrix("redirect-302") { $0.redirectMode = .force }
        #expect(codes["esp8266-arduino-3.1.2"] == 0 && codes["esp8266-arduino-2.5.2"] == 0)
        #expect(codes["esp8266-arduino-2.4.2"] == -104)
        let (adapted, notes) = ProfileMatrix.adapt({ var s = UpdaterSettings(url: "http://h/"); s.redirectMode = .force; return s }(), to: Shared.profile("esp8266-arduino-2.5.2"))
        #expect(adapted.redirectMode == .strict && notes == ["follow-redirects force → strict"])
    }

    @Test func profilesRunConcurrently() {
        // Five silent servers with a 1 s client timeout: serial would take ~5 s.
        let clock = ContinuousClock()
        let start = clock.now
        let codes = matrix("silent") { $0.clientTimeoutMs = 1000 }
        #expect(codes.values.allSatisfy { $0 == -11 })
        #expect(clock.now - start < .seconds(4))
    }
}
