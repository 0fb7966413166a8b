import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// Every server behaviour of spec §10 (and the confirmed runs of §13) that the scenario server
/// can produce, probed end to end over loopback: real sockets, real curl, the device model.
@Suite(.serialized) struct ScenarioTests {
    static let v312 = "esp8266-arduino-3.1.2"
    static let v302 = "esp8266-arduino-3.0.2"
    static let v274 = "esp8266-arduino-2.7.4"
    static let v252 = "esp8266-arduino-2.5.2"
    static let v242 = "esp8266-arduino-2.4.2"

    static let rows: [Expected] = [
        // 200 with a usable image (spec §10 row 1).
        .init(scenario: "good", profile: v312, result: .ok, code: 0),
        .init(scenario: "good", profile: v242, result: .ok, code: 0),
        .init(scenario: "good-md5", profile: v312, result: .ok, code: 0),
        .init(scenario: "http10-status", profile: v312, result: .ok, code: 0),
        .init(scenario: "no-reason", profile: v312, result: .ok, code: 0),
        .init(scenario: "lf-only", profile: v312, result: .ok, code: 0),
        .init(scenario: "cookies", profile: v312, result: .ok, code: 0),
        .init(scenario: "long-header", profile: v312, result: .ok, code: 0),
        .init(scenario: "length-twice", profile: v312, result: .ok, code: 0),
        .init(scenario: "flash-1m", profile: v312, result: .ok, code: 0),
        .init(scenario: "long-body", profile: v312, result: .ok, code: 0),
        .init(scenario: "long-body", profile: v252, result: .ok, code: 0),
        .init(scenario: "slow-body", profile: v312, result: .ok, code: 0),
        .init(scenario: "gzip-image", profile: v312, result: .ok, code: 0),
        .init(scenario: "leading-space-status", profile: v252, result: .ok, code: 0),
        // Length rules (-101, -100).
        .init(scenario: "no-length", profile: v312, result: .failed, code: -101),
        .init(scenario: "length-zero", profile: v312, result: .failed, code: -101),
        .init(scenario: "length-negative", profile: v312, result: .failed, code: -101),
        .init(scenario: "length-garbage", profile: v312, result: .failed, code: -101),
        .init(scenario: "length-folded", profile: v312, result: .failed, code: -101),
        .init(scenario: "header-space-name", profile: v312, result: .failed, code: -101),
        .init(scenario: "chunked", profile: v312, result: .failed, code: -101),
        .init(scenario: "chunked", profile: v242, result: .failed, code: -101),
        .init(scenario: "too-big", profile: v312, result: .failed, code: -100),
        .init(scenario: "length-huge", profile: v312, result: .failed, code: -100),
        // Transfer-Encoding (-9).
        .init(scenario: "te-identity", profile: v312, result: .failed, code: -9),
        .init(scenario: "te-gzip", profile: v312, result: .failed, code: -9),
        .init(scenario: "te-gzip-chunked", profile: v312, result: .failed, code: -9),
        // Image header checks (-106, -107, Updater 10).
        .init(scenario: "html", profile: v312, result: .failed, code: -106),
        .init(scenario: "elf-file", profile: v312, result: .failed, code: -106),
        .init(scenario: "chunked-with-length", profile: v312, result: .failed, code: -106),
        .init(scenario: "tiny-body", profile: v312, result: .failed, code: -106),
        .init(scenario: "split-first-bytes", profile: v312, result: .failed, code: -106),
        .init(scenario: "gzip-image", profile: v252, result: .failed, code: -106),
        .init(scenario: "flash-16m", profile: v312, result: .failed, code: -107),
        .init(scenario: "flash-16m", profile: v242, result: .failed, code: -107),
        .init(scenario: "magic-1f", profile: v312, result: .failed, code: 10),
        .init(scenario: "magic-1f", profile: v252, result: .failed, code: -106),
        // MD5 (-105, 7).
        .init(scenario: "md5-short", profile: v312, result: .failed, code: -105),
        .init(scenario: "md5-twice", profile: v312, result: .failed, code: -105),
        .init(scenario: "md5-twice", profile: v242, result: .ok, code: 0),
        .init(scenario: "md5-wrong", profile: v312, result: .failed, code: 7),
        .init(scenario: "md5-uppercase", profile: v312, result: .ok, code: 0),
        .init(scenario: "md5-uppercase", profile: v242, result: .failed, code: 7),
        // Body shorter than Content-Length (Updater 6): certain at the close, answered at once.
        .init(scenario: "short-body", profile: v312, result: .failed, code: 6),
        .init(scenario: "short-body", profile: v274, result: .failed, code: 6),
        .init(scenario: "reset-mid-body", profile: v312, result: .failed, code: 6),
        .init(scenario: "long-body", profile: v242, result: .failed, code: 6, timeoutMs: 300),
        // Closed right after the headers.
        .init(scenario: "close-after-headers", profile: v312, result: .failed, code: -5),
        .init(scenario: "close-after-headers", profile: v302, result: .deviceCrash, code: 0),
        .init(scenario: "close-after-headers", profile: v252, result: .deviceCrash, code: 0),
        // Status switch (-102, -103, -104, -108, 304).
        .init(scenario: "not-modified", profile: v312, result: .noUpdates, code: 0),
        .init(scenario: "not-found", profile: v312, result: .failed, code: -102),
        .init(scenario: "forbidden", profile: v312, result: .failed, code: -103),
        .init(scenario: "unauthorized", profile: v312, result: .failed, code: -108),
        .init(scenario: "unauthorized", profile: v302, result: .failed, code: -108),
        .init(scenario: "unauthorized", profile: v274, result: .failed, code: -104),
        .init(scenario: "server-error", profile: v312, result: .failed, code: -104),
        .init(scenario: "service-unavailable", profile: v312, result: .failed, code: -104),
        .init(scenario: "created", profile: v312, result: .failed, code: -104),
        .init(scenario: "partial", profile: v312, result: .failed, code: -104),
        .init(scenario: "continue-then-ok", profile: v312, result: .failed, code: -104),
        // Status line parsing (-7, -1, pass-through).
        .init(scenario: "no-status", profile: v312, result: .failed, code: -7),
        .init(scenario: "no-status", profile: v274, result: .failed, code: -7),
        .init(scenario: "no-status", profile: v252, result: .failed, code: -1),
        .init(scenario: "status-zero", profile: v312, result: .failed, code: -7),
        .init(scenario: "status-text", profile: v312, result: .failed, code: -7),
        .init(scenario: "status-double-space", profile: v312, result: .failed, code: -7),
        .init(scenario: "status-negative", profile: v312, result: .failed, code: -7),
        .init(scenario: "status-negative", profile: v274, result: .failed, code: -3),
        .init(scenario: "http2-status", profile: v312, result: .failed, code: -7),
        .init(scenario: "lowercase-status", profile: v312, result: .failed, code: -7),
        .init(scenario: "leading-space-status", profile: v312, result: .failed, code: -7),
        .init(scenario: "leading-blank-line", profile: v312, result: .failed, code: -7),
        .init(scenario: "leading-blank-line", profile: v252, result: .failed, code: -1),
        // Connection behaviour (-5, -11), with the client timeout shortened as a sketch can.
        .init(scenario: "close-after-request", profile: v312, result: .failed, code: -5),
        .init(scenario: "reset-after-request", profile: v312, result: .failed, code: -5),
        .init(scenario: "partial-headers-close", profile: v312, result: .failed, code: -5),
        .init(scenario: "silent", profile: v312, result: .failed, code: -11, timeoutMs: 300),
        .init(scenario: "headers-then-silent", profile: v312, result: .failed, code: -11, timeoutMs: 300),
        .init(scenario: "cr-only", profile: v312, result: .failed, code: -11, timeoutMs: 300),
        // Redirects: never followed by default (§4, §13).
        .init(scenario: "redirect-301", profile: v312, result: .failed, code: -104),
        .init(scenario: "redirect-302", profile: v312, result: .failed, code: -104),
        .init(scenario: "redirect-307", profile: v312, result: .failed, code: -104),
        .init(scenario: "redirect-302", profile: v242, result: .failed, code: -104),
        .init(scenario: "redirect-301", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-302", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-303", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-307", profile: v312, result: .ok, code: 0, redirects: .force),
        .init(scenario: "redirect-308", profile: v312, result: .failed, code: -104, redirects: .force),
        .init(scenario: "redirect-303", profile: v252, result: .failed, code: -104, redirects: .strict),
        .init(scenario: "redirect-302", profile: v252, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-relative", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-relative", profile: v252, result: .failed, code: -2, redirects: .strict),
        .init(scenario: "redirect-relative-no-slash", profile: v312, result: .failed, code: -104, redirects: .strict),
        .init(scenario: "redirect-https", profile: v312, result: .failed, code: -104, redirects: .strict),
        .init(scenario: "redirect-uppercase-scheme", profile: v312, result: .failed, code: -104, redirects: .strict),
        .init(scenario: "redirect-no-location", profile: v312, result: .failed, code: -104, redirects: .strict),
        .init(scenario: "redirect-localhost", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-chain-2", profile: v312, result: .ok, code: 0, redirects: .strict),
        .init(scenario: "redirect-loop", profile: v312, result: .failed, code: -104, redirects: .strict),
    ]

    @Test(arguments: rows)
    func deviceVerdict(_ row: Expected) {
        let report = probe(row.scenario, profile: row.profile, timeoutMs: row.timeoutMs, redirects: row.redirects)
        #expect(report.verdict.result == row.result, "\(report.verdict.deviceLine) — \(report.verdict.why)")
        #expect(report.verdict.code == row.code)
        #expect(!report.verdict.why.isEmpty)
    }

    @Test func requestBytesReachTheServerExactly() {
        let before = Shared.server.recordedRequests.count
        let report = probe("good")
        let recorded = Shared.server.recordedRequests.dropFirst(before).first
        #expect(recorded?.bytes == report.exchanges.first?.request)
        #expect(recorded?.header("x-ESP8266-Chip-ID") == "10451887")
    }

    @Test func followedRedirectLosesTheUpdaterHeaders() {
        let before = Shared.server.recordedRequests.count
        let report = probe("redirect-302", redirects: .strict)
        #expect(report.verdict.result == .ok && report.exchanges.count == 2)
        let second = Array(Shared.server.recordedRequests.dropFirst(before))[1]
        #expect(second.header("x-ESP8266-STA-MAC") == nil)
        #expect(second.target == "/good")
    }

    @Test func redirectLoopStopsAtTheLimit() {
        let report = probe("redirect-loop", redirects: .strict)
        #expect(report.exchanges.count == 11)
        #expect(report.verdict.cause == .redirectNotFollowed(code: 302, location: "http://127.0.0.1:\(Shared.server.port)/redirect-loop", reason: .limitReached))
    }

    @Test func shortBodyIsAnsweredAtOnceWithTheDeviceTime() {
        let clock = ContinuousClock()
        let start = clock.now
        let report = probe("short-body")
        #expect(clock.now - start < .seconds(5))
        #expect(report.verdict.deviceTimeMs > 72_000)
        #expect(report.verdict.message == "Update error: ERROR[6]: Stream Read Timeout")
    }

    @Test func stalledBodyWaitsForTheProfilesStallTimeout() {
        let report = probe("stall-body", timeoutMs: 200) { $0.update.stallTimeoutMs = 1000 }
        #expect(report.verdict.code == 6)
        #expect(report.verdict.cause == .bodyEndedEarly(received: 100_000, expected: ESP8266ImageBuilder().totalSize, closed: false))
    }

    @Test func closedPortIsConnectionFailed() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        let report = Probe(profile: Shared.device(Self.v312), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://127.0.0.1:\(port)/fw.bin")).run()
        #expect(report.verdict.code == -1 && report.verdict.message == "HTTP error: connection failed")
        #expect(report.exchanges.first?.connectFailure?.kind == .refused)
    }

    /// On loopback the close can beat the probe's write; on the device it cannot, so every run
    /// is -5, whichever side of that race the probe lands on (CloseAtAcceptTests has the why).
    @Test func closeOrResetAtOnceIsMinus5OnEveryRun() {
        for scenario in ["close-immediately", "reset-immediately"] {
            for profile in ["esp8266-arduino-3.0.2", "esp8266-arduino-3.1.2", "esp8266-arduino-2.4.2"] {
                for _ in 0..<3 {
                    let code = probe(scenario, profile: profile).verdict.code
                    #expect(code == -5, "\(scenario) on \(profile) gave \(code)")
                }
            }
        }
    }

    @Test func htmlReportNamesThePage() {
        let report = probe("html")
        #expect(report.verdict.why.contains("an HTML page titled \"Sign in - Example Cloud\""))
        let json = JSONReport.render(report, redactor: Redactor())
        #expect(json.contains("\"schema\":\"otaprobe/1\""))
        #expect(json.contains("\"code\":-106"))
        #expect(json.contains("\"name\":\"HTTP_UE_BIN_VERIFY_HEADER_FAILED\""))
    }
}
