import Testing
@testable import OTAProbeCore

extension Profiles {
    static let tasmota32: TasmotaProfile = {
        guard case .tasmota(let profile) = device("tasmota-15.2-esp32") else { fatalError("no tasmota-15.2-esp32") }
        return profile
    }()
}

private func answer(_ text: String, body: [UInt8] = []) -> [Timeline.Event] {
    [.bytes(Array(text.utf8) + body, at: 1), .close(at: 2)]
}

private func run32(_ timeline: Timeline, url: String = "http://ota.example/tasmota32.bin", identity: DeviceIdentity = DeviceIdentity()) -> TasmotaUpgradeModel {
    var model = TasmotaUpgradeModel(profile: Profiles.tasmota32, identity: identity, settings: UpdaterSettings(url: url))
    timeline.play(&model)
    return model
}

private func everyAttempt(_ events: [Timeline.Event]) -> Timeline { Timeline(connections: Array(repeating: events, count: 12)) }

/// A valid ESP32 app image (chip id 0, as the default identity runs).
private func esp32Image() -> [UInt8] {
    ImageFixtures.esp32App(chip: 0, layout: .esp32)
}

/// Tasmota 15.2 on an ESP32 with two OTA slots (spec esphome-and-tasmota.md §T1, §T3, T4 ESP32 column).
@Suite struct TasmotaESP32ModelTests {
    /// §T3.2: HTTP/1.0, Cache-Control, no x-ESP32-BASE-MAC, no Content-Length, Tasmota's version.
    @Test func requestIsByteExact() {
        var model = TasmotaUpgradeModel(profile: Profiles.tasmota32, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://ota.tasmota.com/tasmota32/release/tasmota32.bin"))
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { Issue.record("no connection planned"); return }
        #expect(String(decoding: plan.request, as: UTF8.self) == """
            GET /tasmota32/release/tasmota32.bin HTTP/1.0\r
            Host: ota.tasmota.com\r
            User-Agent: ESP32-http-Update\r
            Connection: close\r
            Cache-Control: no-cache\r
            x-ESP32-STA-MAC: \(DeviceIdentity().esp32.staMAC.deviceText)\r
            x-ESP32-AP-MAC: \(DeviceIdentity().esp32.apMAC.deviceText)\r
            x-ESP32-free-space: 1310720\r
            x-ESP32-sketch-size: 1050000\r
            x-ESP32-sketch-md5: \(DeviceIdentity().esp32.sketchMD5?.lowercaseHex ?? "")\r
            x-ESP32-sketch-sha256: \(DeviceIdentity().esp32.sketchSHA256?.uppercaseHex ?? "")\r
            x-ESP32-chip-size: 4194304\r
            x-ESP32-sdk-version: v5.3.4\r
            x-ESP32-mode: sketch\r
            x-ESP32-version: 15.2.0(release-tasmota32)\r
            \r\n
            """)
        #expect(plan.plaintext == false)
    }

    /// §T1.2: 4 attempts, no `.gz`, and the console line has no reason (§T3.5).
    @Test func fourAttemptsAndAnEmptyReason() {
        let model = run32(everyAttempt(answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.attempts.map(\.url) == Array(repeating: "http://ota.example/tasmota32.bin", count: 4))
        #expect(verdict.code == -102)
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
        #expect(Outcome.of(verdict, fit: []) == .failed)
    }

    /// T4: gzip is refused by the one-byte peek (-106) on every attempt.
    @Test func gzipIsRefused() {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + Array(repeating: 0, count: 2000)
        let model = run32(everyAttempt(answer("HTTP/1.1 200 OK\r\nContent-Length: \(gzip.count)\r\n\r\n", body: gzip)), url: "http://h/tasmota32.bin.gz")
        #expect(model.verdict?.attempts.map(\.code) == [-106, -106, -106, -106])
    }

    /// T4: 308 is not followed → -104 with its INFO line.
    @Test func permanentRedirectIsUnsupported() {
        let model = run32(everyAttempt(answer("HTTP/1.1 308 Permanent Redirect\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -104)
        #expect(verdict.log.filter { $0 == "OTA: unsupported HTTP return code 308" }.count == 4)
    }

    /// T4: 302 is followed (strict, same scheme), and the redirected request carries no
    /// Cache-Control and no x-ESP32-* headers.
    @Test func redirectIsFollowedWithoutTheUpdaterHeaders() {
        let body = esp32Image()
        let timeline = Timeline(connections: [answer("HTTP/1.1 302 Found\r\nLocation: http://cdn.example/fw.bin\r\nContent-Length: 0\r\n\r\n"),
                                              answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)])
        let model = run32(timeline)
        #expect(model.exchanges.count == 2)
        let second = String(decoding: model.exchanges[1].request, as: UTF8.self)
        #expect(second == "GET /fw.bin HTTP/1.0\r\nHost: cdn.example\r\nUser-Agent: ESP32-http-Update\r\nConnection: close\r\n\r\n")
        #expect(model.verdict?.attempts.count == 1)
    }

    /// A redirect to https from http is not followed (strict: same scheme) → -104.
    @Test func crossSchemeRedirectIsRefused() {
        let model = run32(everyAttempt(answer("HTTP/1.1 302 Found\r\nLocation: https://other/fw.bin\r\nContent-Length: 0\r\n\r\n")))
        #expect(model.verdict?.code == -104)
        #expect(model.exchanges.count == 4)
    }

    /// T4: an upper-case x-MD5 fails (TasUpdate compares case-sensitively) → 7.
    @Test func upperCaseMD5Fails() {
        let body = esp32Image()
        let head = "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nx-MD5: \(md5(body).uppercased())\r\n\r\n"
        let model = run32(everyAttempt(answer(head, body: body)))
        #expect(model.verdict?.attempts.map(\.code) == [7, 7, 7, 7])
    }

    /// T4: 200 without Content-Length → -101, and the INFO line HTTPUpdateLight prints for it.
    @Test func missingLengthLogsConnectionError200() {
        let model = run32(everyAttempt(answer("HTTP/1.1 200 OK\r\n\r\n", body: esp32Image())))
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -101)
        #expect(verdict.log.contains { $0.hasPrefix("OTA: Connection error 200 after ") && $0.hasSuffix(" ms") })
    }

    /// T4: 304 is published as success; the outcome is no-update.
    @Test func notModifiedIsSuccess() {
        let model = run32(everyAttempt(answer("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n")))
        let verdict = try! #require(model.verdict)
        #expect(verdict.deviceLine == #"{"Upgrade":"Successful. Restarting"}"#)
        #expect(Outcome.of(verdict, fit: []) == .noUpdate)
    }

    /// §T1.3: a scheme HTTPClientLight refuses (`HTTP://`) sends nothing, logs `OTA: unsupported
    /// protocol` and is published as success (`ota_result = -999`); nothing is updated.
    @Test func refusedSchemeIsPublishedAsSuccess() {
        let model = run32(everyAttempt([]), url: "HTTP://ota.example/tasmota32.bin")
        let verdict = try! #require(model.verdict)
        #expect(model.exchanges.isEmpty)
        #expect(verdict.log.contains("OTA: unsupported protocol"))
        #expect(verdict.deviceLine == #"{"Upgrade":"Successful. Restarting"}"#)
        #expect(verdict.attempts.count == 1)
        #expect(Outcome.of(verdict, fit: []) == .failed)
        let explained = Diagnosis(profile: .tasmota(Profiles.tasmota32), identity: DeviceIdentity(), settings: UpdaterSettings(url: "HTTP://ota.example/tasmota32.bin"))
            .explain(verdict, exchanges: model.exchanges)
        #expect(explained.why.contains("Tasmota counts this as success"), "\(explained.why)")
    }

    /// T4: DNS/TCP failure over http → `OTA: Connection timeout after … ms` (GET() = -1).
    @Test func connectFailureLogsConnectionTimeout() {
        var timeline = Timeline(connections: [])
        timeline.connectFailure = ConnectionFailure(kind: .refused, detail: "refused")
        let model = run32(timeline)
        let verdict = try! #require(model.verdict)
        #expect(verdict.code == -1)
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection timeout after ") }.count == 4)
    }

    @Test func goodImageOnTheFirstTry() {
        let body = esp32Image()
        let model = run32(everyAttempt(answer("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)))
        #expect(model.verdict?.result == .tasmotaSuccessful)
        #expect(model.exchanges.count == 1)
        // The why names Tasmota's own updater and restart, not arduino-esp32's HTTPUpdate.
        let explained = Diagnosis(profile: .tasmota(Profiles.tasmota32), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(explained.why.contains("HTTPUpdateLight") && explained.why.contains("Successful. Restarting"))
        #expect(!explained.why.contains("Update.end()"))
    }
}
