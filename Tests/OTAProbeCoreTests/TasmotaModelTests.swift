import Testing
@testable import OTAProbeCore

extension Profiles {
    static let tasmota: TasmotaProfile = {
        guard case .tasmota(let profile) = device("tasmota") else { fatalError("the tasmota alias names no Tasmota profile") }
        return profile
    }()
}

/// The server's answer on one connection: these bytes at 1 ms, then a close.
private func answer(_ text: String, body: [UInt8] = []) -> [Timeline.Event] {
    [.bytes(Array(text.utf8) + body, at: 1), .close(at: 2)]
}

/// The same answer on every connection the retry sequence opens.
private func everyAttempt(_ events: [Timeline.Event]) -> Timeline {
    Timeline(connections: Array(repeating: events, count: 12))
}

private func runTasmota(_ timeline: Timeline, url: String = "http://ota.example/tasmota/tasmota.bin",
                        profile: TasmotaProfile = Profiles.tasmota, identity: DeviceIdentity = DeviceIdentity()) -> TasmotaUpgradeModel {
    var model = TasmotaUpgradeModel(profile: profile, identity: identity, settings: UpdaterSettings(url: url))
    timeline.play(&model)
    return model
}

/// Tasmota 15.2 on the ESP8266 (spec esphome-and-tasmota.md §T1-T2, T4 ESP8266 column).
@Suite struct TasmotaModelTests {
    // MARK: Request

    /// §T2: the core's 2.7.4 request with Tasmota's SDK and version string.
    @Test func requestIsByteExact() throws {
        var model = TasmotaUpgradeModel(profile: Profiles.tasmota, identity: DeviceIdentity(),
                                        settings: UpdaterSettings(url: "http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"))
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { Issue.record("no connection planned"); return }
        #expect(String(decoding: plan.request, as: UTF8.self) == """
            GET /tasmota/release/tasmota.bin.gz HTTP/1.0\r
            Host: ota.tasmota.com\r
            User-Agent: ESP8266-http-Update\r
            Connection: close\r
            x-ESP8266-Chip-ID: 10451887\r
            x-ESP8266-STA-MAC: 5C:CF:7F:9F:7A:AF\r
            x-ESP8266-AP-MAC: 5E:CF:7F:9F:7A:AF\r
            x-ESP8266-free-space: 1695744\r
            x-ESP8266-sketch-size: 400000\r
            x-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r
            x-ESP8266-chip-size: 4194304\r
            x-ESP8266-sdk-version: 2.2.2-dev(38a443e)\r
            x-ESP8266-mode: sketch\r
            x-ESP8266-version: 15.2.0(release-tasmota)\r
            Content-Length: 0\r
            \r\n
            """)
        #expect(plan.plaintext == false)
    }

    /// `WiFiClient OTAclient`: an https:// OtaUrl connects to 443 without TLS.
    @Test func httpsURLGoesOutInTheClearToPort443() throws {
        var model = TasmotaUpgradeModel(profile: Profiles.tasmota, identity: DeviceIdentity(), settings: UpdaterSettings(url: "https://ota.example/fw.bin"))
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { Issue.record("no connection planned"); return }
        #expect(plan.plaintext)
        #expect(plan.url.port == 443)
        #expect(model.exchanges.first?.tls == false)
        #expect(String(decoding: plan.request, as: UTF8.self).hasPrefix("GET /fw.bin HTTP/1.0\r\nHost: ota.example\r\n"))
    }

    // MARK: URLs of the retry sequence

    private func urls(_ otaURL: String, minimalAfter failures: [Int: Int] = [:], minimalFirmware: Bool = false) -> [String] {
        var plan = TasmotaRetryPlan(rules: Profiles.tasmota.retry, minimalFirmware: minimalFirmware)
        var urls: [String] = []
        while let url = plan.nextURL(from: otaURL) {
            urls.append(url)
            if let code = failures[urls.count] { plan.failed(code: code) }
        }
        return urls
    }

    /// §T1.2: 5 attempts as given, then 4 with `.gz` appended.
    @Test func nineAttemptsTheLastFourWithGz() {
        let sequence = urls("http://h/tasmota.bin")
        #expect(sequence == Array(repeating: "http://h/tasmota.bin", count: 5) + Array(repeating: "http://h/tasmota.bin.gz", count: 4))
    }

    /// A URL already holding `.gz` (anywhere, any case) gets one last try instead: 6 attempts.
    @Test(arguments: ["http://h/tasmota.bin.gz", "http://h/TASMOTA.BIN.GZ", "http://h.gz.example/fw.bin"])
    func gzURLGetsSixAttempts(url: String) {
        #expect(urls(url) == Array(repeating: url, count: 6))
    }

    /// The rewrites the source's own comment lists (support_tasmota.ino:1419-1432).
    @Test(arguments: [
        ("tasmota", "tasmota-minimal"),
        ("tasmota-DE", "tasmota-minimal"),
        ("tasmota.bin", "tasmota-minimal.bin"),
        ("tasmota.bin.gz", "tasmota-minimal.bin.gz"),
        ("tasmota.ino.bin", "tasmota-minimal.ino.bin"),
        ("http://domus1:80/api/arduino/tasmota.bin", "http://domus1:80/api/arduino/tasmota-minimal.bin"),
        ("http://domus1:80/api/arduino/tasmota-DE.bin.gz", "http://domus1:80/api/arduino/tasmota-minimal.bin.gz"),
        ("http://domus1:80/api/ard-uino/tasmota-DE.bin.gz", "http://domus1:80/api/ard-uino/tasmota-minimal.bin.gz"),
        ("http://192.168.2.17/api/arduino/tasmota.bin.gz", "http://192.168.2.17/api/arduino/tasmota-minimal.bin.gz"),
    ])
    func minimalRewrite(url: String, rewritten: String) {
        #expect(String(decoding: TasmotaRetryPlan.minimal(Array(url.utf8), word: "-minimal", capacity: 200), as: UTF8.self) == rewritten)
    }

    /// After -100 every later attempt asks for `-minimal`, and `.gz` still comes last.
    @Test func minimalAfterTooLessSpaceThenGz() {
        let sequence = urls("http://h/tasmota-DE.bin", minimalAfter: [2: -100])
        #expect(sequence == ["http://h/tasmota-DE.bin", "http://h/tasmota-DE.bin"] + Array(repeating: "http://h/tasmota-minimal.bin", count: 3)
                + Array(repeating: "http://h/tasmota-minimal.bin.gz", count: 4))
        #expect(urls("http://h/tasmota.bin", minimalAfter: [1: -106]).allSatisfy { !$0.contains("-minimal") })
    }

    @Test func minimalFirmwareNeverRewrites() {
        #expect(urls("http://h/tasmota.bin", minimalAfter: [1: -100], minimalFirmware: true).allSatisfy { !$0.contains("-minimal") })
    }

    /// `GetOtaUrl` copies into `char[TOPSZ]` (151): at most 150 bytes reach the request.
    @Test func urlIsCutTo150Bytes() {
        let long = "http://h/" + String(repeating: "a", count: 200) + ".bin"
        #expect(urls(long).first?.utf8.count == 150)
    }

    // MARK: The sequence against a server

    /// 404 on every try: 9 attempts, ~2 s apart, published as `Failed File Not Found (404)`.
    @Test func everyAttemptFailsThenFailedIsPublished() {
        let model = runTasmota(everyAttempt(answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.result == .tasmotaFailed)
        #expect(verdict.code == -102)
        #expect(verdict.message == "Failed File Not Found (404)")
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed File Not Found (404)"}"#)
        #expect(model.exchanges.count == 9)
        #expect(verdict.attempts.count == 9)
        #expect(verdict.attempts.map(\.url).suffix(4).allSatisfy { $0.hasSuffix(".bin.gz") })
        for (earlier, later) in zip(verdict.attempts, verdict.attempts.dropFirst()) {
            #expect(later.startedAtMs == earlier.endedAtMs + 2000)
        }
        #expect(verdict.log.filter { $0.hasPrefix("UPL: ") }.count == 9)
        #expect(verdict.log.first == "UPL: http://ota.example/tasmota/tasmota.bin 15.2.0(release-tasmota)")
        #expect(verdict.log.last == verdict.deviceLine)
        #expect(Outcome.of(verdict, fit: []) == .failed)
    }

    /// The pause between attempts is the profile's: the model asks the transport to wait, with
    /// the connection closed, until the end of the failed attempt plus `intervalMs`.
    @Test func pauseComesFromTheProfile() {
        var profile = Profiles.tasmota
        profile.retry.intervalMs = 50
        var model = TasmotaUpgradeModel(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/fw.bin"))
        model.start(at: 0)
        model.connected(remoteAddress: nil, at: 0)
        Array("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n".utf8).withUnsafeBytes { model.receive($0, at: 3) }
        #expect(model.nextAction == .pause(until: 53))
        model.deadlinePassed(at: 53)
        guard case .open = model.nextAction else { Issue.record("no second attempt after the pause"); return }
        #expect(model.exchanges.count == 2)
        #expect(model.exchanges[0].ending == .closedByDevice)
    }

    /// §T1.3: 304 is not HTTP_UPDATE_FAILED, so Tasmota publishes success and restarts.
    @Test func notModifiedIsPublishedAsSuccess() {
        let model = runTasmota(everyAttempt(answer("HTTP/1.1 304 Not Modified\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.result == .tasmotaSuccessful)
        #expect(verdict.deviceLine == #"{"Upgrade":"Successful. Restarting"}"#)
        #expect(verdict.cause == .notModified)
        #expect(verdict.attempts.map(\.result) == [.noUpdates])
        #expect(model.exchanges.count == 1)
        #expect(Outcome.of(verdict, fit: []) == .noUpdate)
    }

    @Test func goodImageOnTheFirstTry() {
        let body = image()
        let model = runTasmota(everyAttempt(answer(okHead(length: body.count), body: body)))
        let verdict = try! #require(model.verdict)
        #expect(verdict.result == .tasmotaSuccessful)
        #expect(verdict.cause == .updated)
        #expect(model.exchanges.count == 1)
        #expect(Outcome.of(verdict, fit: []) == .updated)
    }

    /// T4: CL > free space → -100, and the next attempt asks for `-minimal`, which succeeds.
    @Test func tooBigThenMinimalSucceeds() {
        let body = image()
        let timeline = Timeline(connections: [answer(okHead(length: 16 << 20)), answer(okHead(length: body.count), body: body)])
        let model = runTasmota(timeline, url: "http://h/tasmota-DE.bin.gz")
        let verdict = try! #require(model.verdict)
        #expect(verdict.result == .tasmotaSuccessful)
        #expect(verdict.attempts.map(\.code) == [-100, 0])
        #expect(verdict.attempts.map(\.url) == ["http://h/tasmota-DE.bin.gz", "http://h/tasmota-minimal.bin.gz"])
    }

    /// -107 (image for a bigger flash) also switches to `-minimal`.
    @Test func wrongFlashSizeAlsoAsksForMinimal() {
        let big = image(flashNibble: 9)
        let model = runTasmota(everyAttempt(answer(okHead(length: big.count), body: big)), url: "http://h/tasmota.bin")
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -107)
        #expect(verdict.message == "Failed New Binary Does Not Fit Flash Size")
        #expect(model.exchanges.dropFirst().allSatisfy { $0.url.contains("tasmota-minimal.bin") })
    }

    // MARK: T4, ESP8266 column: each row's code and published text

    @Test(arguments: [
        ("HTTP/1.1 301 Moved Permanently\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 302 Found\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 303 See Other\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 308 Permanent Redirect\r\nLocation: https://other/fw.bin\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", -103, "Failed Forbidden (403)"),
        ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", -102, "Failed File Not Found (404)"),
        ("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", -104, "Failed Wrong HTTP Code"),
        ("HTTP/1.1 200 OK\r\n\r\n\u{E9}\u{1}", -101, "Failed Server Did Not Report Size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n", -101, "Failed Server Did Not Report Size"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n<html><body>login</body></html>", -106, "Failed Verify Bin Header Failed"),
    ])
    func serverBehaviourRow(response: String, code: Int, published: String) {
        let model = runTasmota(everyAttempt(answer(response)))
        let verdict = try! #require(model.verdict)
        #expect(verdict.result == .tasmotaFailed)
        #expect(verdict.code == code)
        #expect(verdict.message == published)
        #expect(model.exchanges.count == 9)
    }

    /// T4: a gzip image (first bytes 1F 8B) is accepted by the 2.7.4 core.
    @Test func gzipImageIsAccepted() {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + image(size: 4096).dropFirst(4)
        let model = runTasmota(everyAttempt(answer(okHead(length: gzip.count), body: gzip)), url: "http://h/tasmota.bin.gz")
        #expect(model.verdict?.result == .tasmotaSuccessful)
    }

    /// T4: x-MD5 in upper case passes (2.7.4 compares with strcasecmp).
    @Test func upperCaseMD5Passes() {
        let body = image()
        let head = okHead(length: body.count, extra: "x-MD5: \(md5(body).uppercased())\r\n")
        let model = runTasmota(everyAttempt(answer(head, body: body)))
        #expect(model.verdict?.result == .tasmotaSuccessful)
    }

    /// T4: no answer → -11 after the 8 s client timeout, on every attempt.
    @Test func silentServerTimesOutEachAttempt() {
        let model = runTasmota(everyAttempt([]))
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -11)
        #expect(verdict.message == "Failed HTTP error: read Timeout")
        // HTTPClient gives up once more than its 8000 ms have passed (the core model's rule).
        #expect(verdict.attempts.allSatisfy { (8000...8001).contains($0.endedAtMs - $0.startedAtMs) })
        #expect(verdict.attempts.count == 9)
    }

    /// T4: nothing listening → -1 'connection failed' each time.
    @Test func connectFailureIsConnectionFailed() {
        var timeline = Timeline(connections: [])
        timeline.connectFailure = ConnectionFailure(kind: .refused, detail: "refused")
        let model = runTasmota(timeline)
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -1)
        #expect(verdict.message == "Failed HTTP error: connection failed")
        #expect(model.exchanges.count == 9)
    }

    /// T4: a body that stops → Updater error 6 (two empty reads a client timeout apart).
    @Test func stallMidBodyIsStreamReadTimeout() {
        let body = image(size: 20_000)
        let events: [Timeline.Event] = [.bytes(Array(okHead(length: body.count).utf8) + body.prefix(9000), at: 1)]
        let model = runTasmota(everyAttempt(events))
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == 6)
        #expect(verdict.message.hasPrefix("Failed Update error: ERROR[6]: Stream Read Timeout"))
    }

    /// T2 stickiness: a -105 leaves the Updater running, so the later attempts fail with code 0
    /// and no text even for a good image, and Tasmota publishes `Failed ` with nothing after it.
    @Test func malformedMD5StaysForTheRestOfTheSequence() {
        let body = image()
        let first = answer(okHead(length: body.count, extra: "x-MD5: 1234\r\n"), body: body)
        let good = answer(okHead(length: body.count), body: body)
        let model = runTasmota(Timeline(connections: [first] + Array(repeating: good, count: 10)))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.code) == [-105] + Array(repeating: 0, count: 8))
        #expect(verdict.cause == .updaterStillRunning)
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
    }

    /// Without the earlier -105 the same good image succeeds at once (the test above fails
    /// only because of the sticky Updater).
    @Test func theSameGoodImageSucceedsWithoutAnEarlierMalformedMD5() {
        let body = image()
        let model = runTasmota(everyAttempt(answer(okHead(length: body.count), body: body)))
        #expect(model.verdict?.attempts.map(\.code) == [0])
    }

    /// What the probe uses to look at a redirect's target: one call, no `.gz` retry.
    @Test func singleCallMakesOneAttempt() {
        guard case .tasmota(let once) = DeviceProfile.tasmota(Profiles.tasmota).singleCall else { Issue.record("not Tasmota"); return }
        let model = runTasmota(everyAttempt(answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")), profile: once)
        #expect(model.verdict?.attempts.map(\.url) == ["http://ota.example/tasmota/tasmota.bin"])
        #expect(model.verdict?.result == .tasmotaFailed)
        #expect(DeviceProfile.esp8266(Profiles.v312).singleCall == .esp8266(Profiles.v312))
    }

    /// `GetOtaUrl`: `%04d` takes `ChipId & 0x1fff`, zero-padded; else `%d` the whole ChipId.
    @Test(arguments: [
        ("http://h/fw-%04d.bin", 10_451_887, "http://h/fw-7087.bin"),
        ("http://h/fw-%04d.bin", 0x2005, "http://h/fw-0005.bin"),
        ("http://h/%d/fw.bin", 10_451_887, "http://h/10451887/fw.bin"),
        ("http://h/fw.bin", 10_451_887, "http://h/fw.bin"),
        ("http://h/100%%/%d.bin", 42, "http://h/100%/42.bin"),
    ])
    func chipIDIsFilledIn(url: String, chipID: UInt32, expanded: String) {
        #expect(TasmotaRetryPlan.expandChipID(url, chipID: chipID) == expanded)
    }

    @Test func requestCarriesTheExpandedURL() {
        var identity = DeviceIdentity()
        identity.chipID = 0x2005
        var model = TasmotaUpgradeModel(profile: Profiles.tasmota, identity: identity, settings: UpdaterSettings(url: "http://h/tasmota-%04d.bin"))
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { Issue.record("no connection planned"); return }
        #expect(String(decoding: plan.request, as: UTF8.self).hasPrefix("GET /tasmota-0005.bin HTTP/1.0\r\n"))
    }
}
