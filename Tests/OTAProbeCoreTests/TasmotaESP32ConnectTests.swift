import Testing
@testable import OTAProbeCore

private func answer(_ text: String, body: [UInt8] = []) -> [Timeline.Event] {
    [.bytes(Array(text.utf8) + body, at: 1), .close(at: 2)]
}

private func everyAttempt(_ events: [Timeline.Event]) -> Timeline { Timeline(connections: Array(repeating: events, count: 12)) }

private func run32(_ timeline: Timeline, url: String = "http://ota.example/tasmota32.bin",
                   profile: TasmotaProfile = Profiles.tasmota32) -> TasmotaUpgradeModel {
    var model = TasmotaUpgradeModel(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: url))
    timeline.play(&model)
    return model
}

/// Every connect fails the same way.
private func failing(_ failure: ConnectionFailure) -> Timeline {
    var timeline = Timeline(connections: [])
    timeline.connectFailure = failure
    return timeline
}

private let httpsURL = "https://ota.example/tasmota32.bin"

/// Tasmota 15.2 on the ESP32: what HTTPUpdateLight logs and returns when `GET()` does not give
/// a plain answer — connect failures over https (GET() = -1000 - getLastError()), the INFO and
/// DEBUG lines after `GET()`, the rows of T4 that need a silent or stalling server, and the
/// sticky -105 (spec esphome-and-tasmota.md §T3.4, §T3.5, T4 ESP32 column).
@Suite struct TasmotaESP32ConnectTests {
    // MARK: https connect failures (§T3.4 "TLS / connect error codes")

    /// DNS failure over https: getLastError() = ERR_CANT_RESOLVE_IP (-1001) → GET() = 1, which
    /// HTTPUpdateLight logs as a connection error and then takes for an HTTP status → -104.
    @Test func httpsNameResolutionIsCode1ThenWrongHTTPCode() {
        let model = run32(failing(ConnectionFailure(kind: .nameResolution, detail: "no such host")), url: httpsURL)
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-104, -104, -104, -104])
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error 1 after ") && $0.hasSuffix(" ms") }.count == 4)
        #expect(verdict.log.filter { $0 == "OTA: unsupported HTTP return code 1" }.count == 4)
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// TCP refused over https: ERR_TCP_CONNECT (-1002) → GET() = 2 → -104.
    @Test func httpsRefusedIsCode2() {
        let model = run32(failing(ConnectionFailure(kind: .refused, detail: "refused")), url: httpsURL)
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -104)
        #expect(verdict.log.contains("OTA: unsupported HTTP return code 2"))
        #expect(verdict.log.contains { $0.hasPrefix("OTA: Connection error 2 after ") })
    }

    /// A timeout is the TCP connect's (2) until the ClientHello went out; after that it is the
    /// engine's 10 s loop (ERR_TLS_TIMEOUT -1005 → 5).
    @Test(arguments: [(false, 2), (true, 5)])
    func httpsTimeoutBeforeAndDuringTheHandshake(handshakeStarted: Bool, code: Int) {
        let failure = ConnectionFailure(kind: .timedOut, detail: "after 15000 ms", handshakeStarted: handshakeStarted)
        let model = run32(failing(failure), url: httpsURL)
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -104)
        #expect(verdict.log.contains("OTA: unsupported HTTP return code \(code)"))
    }

    /// A BearSSL engine error n → GET() = -1000 - n: `OTA: TLS connection error n`, lastError
    /// -1000-n, and no HTTP status line (a received handshake_failure alert is 256 + 40).
    @Test func bearSSLErrorIsLoggedWithItsNumber() {
        let failure = ConnectionFailure(kind: .tlsHandshake, detail: "handshake_failure", bearSSLError: 296, handshakeStarted: true)
        let model = run32(failing(failure), url: httpsURL)
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-1296, -1296, -1296, -1296])
        #expect(verdict.log.filter { $0.hasPrefix("OTA: TLS connection error 296 after ") }.count == 4)
        #expect(!verdict.log.contains { $0.hasPrefix("OTA: unsupported HTTP return code") })
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// A server that closes mid-handshake without an alert leaves getLastError() at 0: GET() is
    /// -1 and the line is the `Connection timeout` one.
    @Test func handshakeClosedWithoutAlertIsConnectionTimeout() {
        let failure = ConnectionFailure(kind: .tlsHandshake, detail: "closed", bearSSLError: 0, handshakeStarted: true)
        let model = run32(failing(failure), url: httpsURL)
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -1)
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection timeout after ") }.count == 4)
    }

    /// The same failures over plain http are -1 whatever they were (no secure client to ask).
    @Test func httpNameResolutionIsStillMinusOne() {
        let model = run32(failing(ConnectionFailure(kind: .nameResolution, detail: "no such host")))
        #expect(model.verdict?.code == -1)
        #expect(model.verdict?.log.contains { $0.hasPrefix("OTA: Connection timeout after ") } == true)
    }

    /// arduino-esp32's HTTPClient (not Tasmota) keeps -1 for a TLS failure: the mapping comes
    /// from the Tasmota profile's `connectErrors`, not from the model.
    @Test func arduinoESP32KeepsMinusOne() {
        guard case .esp32Arduino(let core) = Profiles.device("esp32-arduino-3.2") else { Issue.record("no esp32-arduino-3.2"); return }
        var model = ESP32HTTPUpdateModel(profile: core, identity: DeviceIdentity(), settings: UpdaterSettings(url: httpsURL))
        failing(ConnectionFailure(kind: .nameResolution, detail: "no such host")).play(&model)
        #expect(model.verdict?.code == -1)
    }

    // MARK: The report's why

    static func explained(_ model: TasmotaUpgradeModel, url: String) -> Verdict {
        Diagnosis(profile: .tasmota(Profiles.tasmota32), identity: DeviceIdentity(), settings: UpdaterSettings(url: url))
            .explain(model.verdict!, exchanges: model.exchanges)
    }

    /// The why names what HTTPClientLight returned, not arduino-esp32's "-1 for every connect".
    @Test(arguments: [
        (ConnectionFailure(kind: .refused, detail: "refused"), httpsURL, "getLastError() = 2 from GET(): the TCP connect failed"),
        (ConnectionFailure(kind: .nameResolution, detail: "no such host"), httpsURL, "getLastError() = 1 from GET(): the name lookup failed"),
        (ConnectionFailure(kind: .tlsHandshake, detail: "alert", bearSSLError: 326, handshakeStarted: true), httpsURL, "logs 'OTA: TLS connection error 326 after … ms' and stops with lastError -1326"),
        (ConnectionFailure(kind: .refused, detail: "refused"), "http://ota.example/tasmota32.bin", "logs 'OTA: Connection timeout after … ms'"),
    ])
    func whyNamesTheCodeHTTPClientLightReturned(failure: ConnectionFailure, url: String, expected: String) {
        let verdict = Self.explained(run32(failing(failure), url: url), url: url)
        #expect(verdict.why.contains(expected), "\(verdict.why)")
        #expect(!verdict.why.contains("reports it as -1") && !verdict.why.contains("every TLS failure as -1"), "\(verdict.why)")
        // Four attempts are not redirects.
        #expect(!verdict.notes.contains { $0.hasPrefix("The redirected request") }, "\(verdict.notes)")
    }

    // MARK: The lines after GET() (§T3.4 step 1)

    /// With a Content-Length the DEBUG line: the connect time, and the stack mark, which only
    /// the device knows, as `…`.
    @Test func sizedAnswerLogsConnectedIn() {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let model = run32(everyAttempt(answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)))
        let verdict = try! #require(model.verdict)
        #expect(verdict.log.contains("OTA: Connected in 1 ms, stack low mark …"), "\(verdict.log)")
        #expect(!verdict.log.contains { $0.hasPrefix("OTA: Connection error") })
    }

    /// A 404 with a Content-Length is a sized answer too (DEBUG line, no INFO line), a 503
    /// without one gets both INFO lines.
    @Test func errorStatusLines() {
        let notFound = run32(everyAttempt(answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))).verdict
        #expect(notFound?.log.filter { $0.hasPrefix("OTA: Connected in ") }.count == 4)
        let unavailable = run32(everyAttempt(answer("HTTP/1.1 503 Service Unavailable\r\n\r\n"))).verdict
        #expect(unavailable?.log.filter { $0.hasPrefix("OTA: Connection error 503 after ") }.count == 4)
        #expect(unavailable?.log.filter { $0 == "OTA: unsupported HTTP return code 503" }.count == 4)
    }

    // MARK: The peek over TLS (§T3.7)

    /// BearSSL light's `peek()` does not wait: a body that starts 400 ms after the head over
    /// https is -106 on Tasmota, where arduino-esp32's secure client waits and downloads it.
    @Test func securePeekDoesNotWait() {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let head = "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n"
        let late: [Timeline.Event] = [.bytes(Array(head.utf8), at: 1), .bytes(body, at: 400), .close(at: 401)]
        let tasmota = run32(everyAttempt(late), url: httpsURL)
        #expect(tasmota.verdict?.attempts.map(\.code) == [-106, -106, -106, -106])
        guard case .esp32Arduino(let core) = Profiles.device("esp32-arduino-3.2") else { Issue.record("no esp32-arduino-3.2"); return }
        var arduino = ESP32HTTPUpdateModel(profile: core, identity: DeviceIdentity(), settings: UpdaterSettings(url: httpsURL))
        Timeline(late).play(&arduino)
        #expect(arduino.verdict?.result == .ok, "\(String(describing: arduino.verdict))")
    }

    // MARK: T4 rows

    /// T4 "200 without CL / chunked": a chunked answer has no size either → -101 and the
    /// `Connection error 200` line.
    @Test func chunkedIsServerDidNotReportSize() {
        let model = run32(everyAttempt(answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-101, -101, -101, -101])
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error 200 after ") }.count == 4)
    }

    /// T4 "301/302/303/307": followed (same scheme), the image then flashed on the first attempt.
    @Test(arguments: ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect"])
    func redirectsAreFollowed(status: String) {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let timeline = Timeline(connections: [answer("HTTP/1.1 \(status)\r\nLocation: /cdn/tasmota32.bin\r\nContent-Length: 0\r\n\r\n"),
                                              answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)])
        let model = run32(timeline)
        #expect(model.verdict?.result == .tasmotaSuccessful, "\(status)")
        #expect(model.exchanges.map(\.url) == ["http://ota.example:80/tasmota32.bin", "http://ota.example:80/cdn/tasmota32.bin"])
    }

    /// T4 "401 / 403 / 404 / 5xx": -104 / -103 / -102 / -104, the INFO line only where the
    /// status switch falls through (401, 5xx).
    @Test(arguments: [("401 Unauthorized", -104, true), ("403 Forbidden", -103, false), ("404 Not Found", -102, false), ("500 Internal Server Error", -104, true)])
    func errorStatusRows(status: String, code: Int, infoLine: Bool) {
        let verdict = try! #require(run32(everyAttempt(answer("HTTP/1.1 \(status)\r\nContent-Length: 0\r\n\r\n"))).verdict)
        #expect(verdict.attempts.map(\.code) == [code, code, code, code])
        let number = status.prefix(3)
        #expect(verdict.log.contains("OTA: unsupported HTTP return code \(number)") == infoLine, "\(verdict.log)")
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// T4 "no answer": -11 after the 8 s client timeout, on each of the 4 attempts.
    @Test func silentServerTimesOutEachAttempt() {
        let model = run32(everyAttempt([]))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-11, -11, -11, -11])
        #expect(verdict.attempts.allSatisfy { (8000...8001).contains($0.endedAtMs - $0.startedAtMs) }, "\(verdict.attempts)")
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error -11 after 800") }.count == 4)
    }

    /// T4 "stall mid-body": TasUpdate's writeStream gives up after 300 empty reads, each one a
    /// Stream timeout plus `delay(100)` (at least the 30 s of the spec) → 6, on every attempt.
    @Test func stallMidBodyIsStreamReadTimeout() {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let events: [Timeline.Event] = [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body.prefix(body.count / 2), at: 1)]
        let model = run32(everyAttempt(events))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [6, 6, 6, 6])
        let update = Profiles.tasmota32.core32!.update
        let client = Profiles.tasmota32.core32!.timeouts.clientMs
        let expected = update.streamRetries * client + (update.streamRetries - 1) * update.streamRetryDelayMs
        // The head and half the body at 1 ms; the writer starts after the `delay(100)` and peek.
        #expect(verdict.attempts.allSatisfy { $0.endedAtMs - $0.startedAtMs == 1 + update.delayBeforePeekMs + expected }, "\(verdict.attempts)")
        #expect(expected >= 30_000)
    }

    /// §T3.4 step 4: an x-MD5 of the wrong length → -105, and TasUpdate stays running: the
    /// later attempts pass the peek and fail in `begin()` with code 0 even for a good image.
    @Test func malformedMD5StaysForTheRestOfTheSequence() {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let first = answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nx-MD5: 1234\r\n\r\n", body: body)
        let good = answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)
        let model = run32(Timeline(connections: [first] + Array(repeating: good, count: 5)))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-105, 0, 0, 0])
        #expect(verdict.cause == .updaterStillRunning)
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// The peek comes before `begin()`: a later non-image answer is still -106.
    @Test func peekStillRunsAfterAMalformedMD5() {
        let body = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        let first = answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nx-MD5: 1234\r\n\r\n", body: body)
        let html = Array("<html>not an image</html>".utf8)
        let page = answer("HTTP/1.1 200 OK\r\nContent-Length: \(html.count)\r\n\r\n", body: html)
        let model = run32(Timeline(connections: [first] + Array(repeating: page, count: 5)))
        #expect(model.verdict?.attempts.map(\.code) == [-105, -106, -106, -106])
    }
}
