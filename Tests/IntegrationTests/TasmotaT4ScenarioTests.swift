import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// The rows of spec T4 ("Server behaviour → Tasmota result") that need the real transport:
/// the scenario server on 127.0.0.1, Tasmota's whole retry sequence, waits shortened only
/// through the profile's data or the client timeout setting (spec esphome-and-tasmota.md T4).
@Suite struct TasmotaT4ScenarioTests {
    /// The ESP32 profile with a 20 ms pause between attempts; `adjust` changes its data.
    static func esp32(_ adjust: (inout TasmotaProfile) -> Void = { _ in }) -> DeviceProfile {
        guard case .tasmota(var profile) = Shared.device("tasmota-15.2-esp32") else { fatalError("no tasmota-15.2-esp32") }
        profile.retry.intervalMs = 20
        adjust(&profile)
        return .tasmota(profile)
    }

    static func esp8266() -> DeviceProfile {
        guard case .tasmota(var profile) = Shared.device("tasmota") else { fatalError("no tasmota") }
        profile.retry.intervalMs = 20
        return .tasmota(profile)
    }

    static func run(_ path: String, profile: DeviceProfile = esp32(), clientTimeoutMs: Int? = nil) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(path))
        settings.clientTimeoutMs = clientTimeoutMs
        return Probe(profile: profile, identity: DeviceIdentity(), settings: settings).run()
    }

    // MARK: ESP32 column

    /// 200 chunked, no Content-Length → -101 and `OTA: Connection error 200 after … ms`.
    @Test func esp32ChunkedIsMinus101() {
        let verdict = Self.run("esp32-chunked").verdict
        #expect(verdict.attempts.map(\.code) == [-101, -101, -101, -101])
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error 200 after ") && $0.hasSuffix(" ms") }.count == 4, "\(verdict.log)")
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// No answer → -11 once the client timeout has passed, on each attempt.
    @Test func esp32SilentServerIsMinus11() {
        let verdict = Self.run("silent", clientTimeoutMs: 300).verdict
        #expect(verdict.attempts.map(\.code) == [-11, -11, -11, -11])
        #expect(verdict.attempts.allSatisfy { (300...1500).contains($0.endedAtMs - $0.startedAtMs) }, "\(verdict.attempts)")
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error -11 after ") }.count == 4)
    }

    /// A body that stops: TasUpdate's writeStream retries (here 3 reads of a 200 ms Stream
    /// timeout, `delay(100)` between) → 6 on each attempt.
    @Test func esp32StallMidBodyIs6() {
        let profile = Self.esp32 { $0.core32?.update.streamRetries = 3 }
        let verdict = Self.run("esp32-stall", profile: profile, clientTimeoutMs: 200).verdict
        #expect(verdict.attempts.map(\.code) == [6, 6, 6, 6])
        // 3 × 200 + 2 × 100 ms after the last bytes, which came within a few ms of the head.
        #expect(verdict.attempts.allSatisfy { (800...2500).contains($0.endedAtMs - $0.startedAtMs) }, "\(verdict.attempts)")
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connected in ") }.count == 4)
    }

    /// An upper-case x-MD5 → 7 (TasUpdate compares with lower-case hex).
    @Test func esp32UpperCaseMD5Is7() {
        let verdict = Self.run("md5-uppercase").verdict
        #expect(verdict.attempts.map(\.code) == [7, 7, 7, 7])
    }

    /// 308 is not followed, and a redirect to another scheme is refused: -104 with the INFO
    /// line naming the status.
    @Test func esp32PermanentAndCrossSchemeRedirects() {
        let permanent = Self.run("redirect-308").verdict
        #expect(permanent.attempts.map(\.code) == [-104, -104, -104, -104])
        #expect(permanent.log.filter { $0 == "OTA: unsupported HTTP return code 308" }.count == 4)
        let crossScheme = Self.run("redirect-https").verdict
        #expect(crossScheme.attempts.map(\.code) == [-104, -104, -104, -104])
        #expect(crossScheme.log.contains { $0.hasPrefix("OTA: unsupported HTTP return code 30") }, "\(crossScheme.log)")
    }

    /// x-MD5 of the wrong length → -105, then TasUpdate still runs: the next attempts fail
    /// with code 0, and the console says `Failed ` as always.
    @Test func esp32MalformedMD5Sticks() {
        let verdict = Self.run("md5-short").verdict
        #expect(verdict.attempts.map(\.code) == [-105, 0, 0, 0])
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    // MARK: ESP8266 column

    /// A body that stops → 6 after read, `delay(100)`, read, each a client timeout (~3 × 8 s
    /// on the device; 3 × 200 ms here), on each of the 5 plain attempts; the 4 with `.gz`
    /// appended find no such file, so the published reason is the last one's 404.
    @Test func esp8266StallMidBodyIs6AfterThreeTimeouts() {
        let verdict = Self.run("stall-body", profile: Self.esp8266(), clientTimeoutMs: 200).verdict
        #expect(verdict.attempts.map(\.code) == Array(repeating: 6, count: 5) + Array(repeating: -102, count: 4))
        #expect(verdict.attempts.prefix(5).allSatisfy { (700...2500).contains($0.endedAtMs - $0.startedAtMs) }, "\(verdict.attempts)")
        #expect(verdict.message == "Failed File Not Found (404)")
    }
}
