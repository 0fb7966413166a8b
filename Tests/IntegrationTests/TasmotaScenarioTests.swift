import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// Tasmota's retry sequence against the real scenario server, through the real transport: the
/// attempts that only a retrying device gets through, the pause between attempts, and
/// `--max-time` bounding the whole sequence (spec esphome-and-tasmota.md §T1.2, T4).
@Suite struct TasmotaScenarioTests {
    static func tasmota(intervalMs: Int? = nil) -> DeviceProfile {
        guard case .tasmota(var profile) = Shared.device("tasmota") else { fatalError("no Tasmota profile") }
        if let intervalMs { profile.retry.intervalMs = intervalMs }
        return .tasmota(profile)
    }

    func run(_ path: String, intervalMs: Int? = 20, maxTimeMs: Int = Limits.defaultMaxTimeMs, url: String? = nil) -> ProbeReport {
        var probe = Probe(profile: Self.tasmota(intervalMs: intervalMs), identity: DeviceIdentity(),
                          settings: UpdaterSettings(url: url ?? Shared.server.url(path)))
        probe.maxTimeMs = maxTimeMs
        return probe.run()
    }

    /// T4 "CL > free space": -100, then the `-minimal` file on the second attempt.
    @Test func minimalImageOnTheSecondAttempt() {
        let report = run("tasmota-minimal/tasmota.bin")
        #expect(report.verdict.result == .tasmotaSuccessful)
        #expect(report.verdict.attempts.map(\.code) == [-100, 0])
        #expect(report.exchanges.count == 2)
        #expect(String(decoding: report.exchanges[1].request, as: UTF8.self).hasPrefix("GET /tasmota-minimal/tasmota-minimal.bin HTTP/1.0\r\n"))
        #expect(report.outcome == .updated)
    }

    /// Only the `.gz` file exists: five 404s, then the first `.gz` attempt succeeds.
    @Test func gzFileOnTheSixthAttempt() {
        let report = run("tasmota-gz-only/tasmota.bin")
        #expect(report.verdict.result == .tasmotaSuccessful)
        #expect(report.verdict.attempts.map(\.code) == [-102, -102, -102, -102, -102, 0])
        #expect(report.exchanges.last?.url.hasSuffix("/tasmota-gz-only/tasmota.bin.gz") == true)
        #expect(report.verdict.notes.contains { $0.contains("6 attempts") })
    }

    /// Every attempt refused: 9 exchanges, `{"Upgrade":"Failed Wrong HTTP Code"}`, exit failed.
    @Test func redirectFailsEveryAttempt() {
        let report = run("redirect-302/tasmota.bin")
        #expect(report.verdict.deviceLine == #"{"Upgrade":"Failed Wrong HTTP Code"}"#)
        #expect(report.exchanges.count == 9)
        #expect(report.outcome == .failed)
    }

    /// 304 is published as success, restarts, but nothing was flashed: outcome no-update.
    @Test func notModifiedIsNoUpdate() {
        let report = run("not-modified/tasmota.bin.gz")
        #expect(report.verdict.deviceLine == #"{"Upgrade":"Successful. Restarting"}"#)
        #expect(report.outcome == .noUpdate)
    }

    /// T4 "wrong chip": the ESP8266 core flashes an ESP32 image, Tasmota says Successful, and
    /// the image cannot start: fails-to-boot.
    @Test func esp32ImageIsPublishedAsSuccessButFailsToBoot() {
        let report = run("esp32-good/tasmota.bin")
        #expect(report.verdict.result == .tasmotaSuccessful)
        #expect(report.outcome == .failsToBoot)
    }

    /// The wait between attempts is real time on the probe's clock, as on the device.
    @Test func attemptsArePausedApart() {
        let report = run("server-error/tasmota.bin", intervalMs: 150)
        let attempts = report.verdict.attempts
        #expect(attempts.count == 9)
        for (earlier, later) in zip(attempts, attempts.dropFirst()) {
            #expect(later.startedAtMs - earlier.endedAtMs >= 150)
        }
    }

    /// `--max-time` bounds the whole sequence: the probe stops while the device still retries,
    /// and the attempts it made so far stay in the verdict.
    @Test func maxTimeBoundsTheSequence() {
        let clock = ContinuousClock()
        let start = clock.now
        let report = run("not-found/tasmota.bin", intervalMs: nil, maxTimeMs: 3_000)
        #expect(clock.now - start < .seconds(6))
        #expect(report.verdict.result == .stillWaiting)
        #expect(report.verdict.attempts.count == 2)
        #expect(report.verdict.log.filter { $0.hasPrefix("UPL: ") }.count == 2)
        // Stopped in the wait after the second attempt, not while reading a body.
        #expect(report.verdict.why.contains("while Tasmota waited between attempts: 2 attempts had failed, the last with -102"), "\(report.verdict.why)")
    }

    /// An https:// OtaUrl is plain HTTP on the ESP8266: a plain server at that port answers it.
    @Test func httpsOtaURLIsSentInTheClear() {
        let url = Shared.server.url("good/tasmota.bin").replacingOccurrences(of: "http://", with: "https://")
        let report = run("", url: url)
        #expect(report.verdict.result == .tasmotaSuccessful)
        #expect(report.exchanges.first?.tls == false)
    }

    static func tasmota32(intervalMs: Int) -> DeviceProfile {
        guard case .tasmota(var profile) = Shared.device("tasmota-15.2-esp32") else { fatalError("no Tasmota ESP32 profile") }
        profile.retry.intervalMs = intervalMs
        return .tasmota(profile)
    }

    /// T4 ESP32 column through the real transport: a gzip `.bin` is refused by the peek on
    /// all 4 attempts and the console says `Failed ` with no reason; a 401 logs its INFO line.
    @Test func esp32RefusesGzipAndPublishesNoReason() {
        let gzip = Probe(profile: Self.tasmota32(intervalMs: 20), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url("gzip-bin"))).run()
        #expect(gzip.verdict.attempts.map(\.code) == [-106, -106, -106, -106])
        #expect(gzip.verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
        let unauthorized = Probe(profile: Self.tasmota32(intervalMs: 20), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url("unauthorized"))).run()
        #expect(unauthorized.verdict.code == -104)
        #expect(unauthorized.verdict.log.contains("OTA: unsupported HTTP return code 401"))
    }

    /// T4: 302 followed (same scheme); the redirected request has no x-ESP32-* headers.
    @Test func esp32FollowsARedirect() {
        let report = Probe(profile: Self.tasmota32(intervalMs: 20), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url("esp32-redirect-302"))).run()
        #expect(report.verdict.result == .tasmotaSuccessful)
        #expect(report.exchanges.count == 2)
        #expect(!String(decoding: report.exchanges[1].request, as: UTF8.self).contains("x-ESP32-"))
        #expect(report.verdict.notes.contains { $0.contains("no Cache-Control or x-ESP32-* headers") })
    }

    /// T4 ESP32 column: an image for another chip is downloaded whole, then refused when the
    /// boot partition is set (9), on every attempt; too big for the slot is -100 (no -minimal).
    @Test func esp32WrongChipAndTooBig() {
        let chip = Probe(profile: Self.tasmota32(intervalMs: 20), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url("esp32c3-image"))).run()
        #expect(chip.verdict.attempts.map(\.code) == [9, 9, 9, 9])
        #expect(chip.exchanges.allSatisfy { $0.body.bytesConsumedByDevice > 0 })
        let big = Probe(profile: Self.tasmota32(intervalMs: 20), identity: DeviceIdentity(), settings: UpdaterSettings(url: Shared.server.url("tasmota-minimal/tasmota32.bin"))).run()
        #expect(big.verdict.attempts.map(\.code) == [-100, -100, -100, -100])
        #expect(big.exchanges.allSatisfy { !$0.url.contains("-minimal.bin") })
    }
}
