import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// The probe's own bounds (`Limits`) end runs the device would not end, with
/// DEVICE_STILL_WAITING and the reason; they never change what the device decides.
@Suite(.serialized) struct ProbeBoundTests {
    /// A status line, then header lines past `Limits.headBytesRead`, then silence: every Arduino
    /// stack and IDF's reader (once its parser stops) keep reading for as long as they arrive.
    static let endlessHead = Scenario(name: "endless-head", summary: "header lines past the probe's bound") { _ in
        let line = Array("X-Filler: \(String(repeating: "a", count: 1000))\r\n".utf8)
        var bytes = Array("HTTP/1.1 200 OK\r\n".utf8)
        while bytes.count <= Limits.headBytesRead + 4096 { bytes += line }
        return [.send(bytes), .holdOpen(milliseconds: 10_000)]
    }

    static let server: ScenarioServer = try! ScenarioServer(scenarios: [endlessHead] + ScenarioCatalog.all, connectionLifetimeMilliseconds: 20_000)

    func run(_ scenario: String, profile: String, maxTimeMs: Int = Limits.defaultMaxTimeMs, timeoutMs: Int? = nil) -> ProbeReport {
        var settings = UpdaterSettings(url: Self.server.url(scenario))
        settings.clientTimeoutMs = timeoutMs
        var probe = Probe(profile: Shared.device(profile), identity: DeviceIdentity(), settings: settings)
        probe.maxTimeMs = maxTimeMs
        return probe.run()
    }

    @Test(arguments: ["esp8266-arduino-3.1.2", "esp8266-arduino-2.4.2", "esp32-arduino-3.2"])
    func aHeadThatNeverEndsStopsAtTheBound(profile: String) {
        let report = run("endless-head", profile: profile)
        #expect(report.verdict.result == .stillWaiting)
        guard case .probeStopped(.headNeverEnds(let bytes)) = report.verdict.cause else {
            Issue.record("\(report.verdict.cause)")
            return
        }
        #expect(bytes > Limits.headBytesRead)
        let last = report.exchanges.last
        #expect(last?.responseHead.count == Limits.headBytesKept)
        #expect(report.verdict.why.contains("never get past the head"))
        #expect(report.exitCode == 1)
    }

    /// A silent server costs the device 8 s; --max-time 700 ms stops the probe first, and says so.
    @Test func maxTimeStopsBeforeTheDeviceDecides() {
        let clock = ContinuousClock()
        let started = clock.now
        let report = run("silent", profile: "esp8266-arduino-3.1.2", maxTimeMs: 700)
        #expect(clock.now - started < .seconds(3))
        #expect(report.verdict.result == .stillWaiting)
        #expect(report.verdict.cause == .probeStopped(.maxTime(ms: 700)))
        #expect(report.verdict.why.contains("waiting for the server's answer"))
        #expect(report.verdict.deviceTimeMs >= 700)
    }

    /// The ceiling never shortens a device deadline that falls before it.
    @Test func maxTimeLeavesEarlierDeviceDeadlinesAlone() {
        let report = run("silent", profile: "esp8266-arduino-3.1.2", maxTimeMs: 5_000, timeoutMs: 600)
        #expect(report.verdict.result == .failed && report.verdict.code == -11)
    }
}
