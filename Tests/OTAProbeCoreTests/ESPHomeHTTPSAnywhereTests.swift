import Testing
@testable import OTAProbeCore

/// `secure = url.find("https:") != npos` (spec E2; E25 http_request_arduino.cpp:32,
/// http_request_idf.cpp:82): "https:" anywhere in the URL, not the scheme, decides the client
/// on the ESP8266 and the certificate bundle on ESP-IDF; the ESP32 Arduino build lets
/// HTTPClient choose by the scheme.
@Suite struct ESPHomeHTTPSAnywhereTests {
    static let query = "http://h/fw.bin?from=https://mirror/fw.bin"

    static func profile(_ name: String) -> ESPHomeProfile {
        guard case .esphome(let p) = Profiles.device(name) else { preconditionFailure(name) }
        return p
    }

    /// The first connection the model asks for.
    static func firstPlan(_ name: String, url: String) -> ConnectionPlan? {
        var settings = UpdaterSettings(url: url)
        settings.expectedMD5 = String(repeating: "0", count: 32)
        var model = DeviceProfile.esphome(profile(name)).makeModel(identity: DeviceIdentity(), settings: settings)
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { return nil }
        return plan
    }

    // MARK: ESP8266 (2025.12 and 2026.6): the client

    /// An http:// URL with "https:" in its query gets WiFiClientSecure: TLS to port 80.
    @Test(arguments: ["esphome-2025.12-esp8266", "esphome-2026.6-esp8266"])
    func httpURLContainingHTTPSMakesTLSToPort80(profile: String) throws {
        let plan = try #require(Self.firstPlan(profile, url: Self.query))
        #expect(plan.url.port == 80 && !plan.url.usesTLS)
        #expect(plan.tlsOverHTTP && plan.makesTLS && !plan.plaintext)
        let plain = try #require(Self.firstPlan(profile, url: "http://h/fw.bin"))
        #expect(!plain.tlsOverHTTP && !plain.makesTLS)
        let https = try #require(Self.firstPlan(profile, url: "https://h/fw.bin"))
        #expect(https.makesTLS && !https.tlsOverHTTP && https.url.port == 443)
    }

    /// The handshake with a plain server fails: connect() false → -1 `connection failed` →
    /// OTA_CONNECTION_ERROR; no slow-HTTP warning (it is logged only `if (!secure)`), and the
    /// report says why.
    @Test func handshakeFailureIsConnectionFailed() throws {
        var timeline = Timeline([])
        timeline.connectFailure = ConnectionFailure(kind: .tlsHandshake, detail: "the server answered with plain HTTP")
        let model = ESPHomeESP8266ModelTests.run(timeline, url: Self.query)
        let verdict = try #require(model.verdict)
        #expect(verdict.code == 0x12)
        #expect(verdict.message == "[W][http_request.arduino:116]: HTTP Request failed; URL: \(Self.query); Error: connection failed")
        #expect(!verdict.log.contains(ESPHomeESP8266ModelTests.warning))
        #expect(model.exchanges.map(\.tls) == [true])
        let explained = Diagnosis(profile: .esphome(Self.profile("esphome-2025.12-esp8266")), identity: DeviceIdentity(), settings: UpdaterSettings(url: Self.query))
            .explain(verdict, exchanges: model.exchanges)
        #expect(explained.why.hasPrefix("The URL contains \"https:\" after its http:// scheme"))
        #expect(explained.why.contains("TLS handshake with h:80"))
        #expect(explained.fix.first?.hasPrefix("Keep \"https:\" out of an http:// URL") == true)
        // Without "https:" the same plain URL logs the warning and makes no TLS.
        let plain = ESPHomeESP8266ModelTests.run(.response(head: ESPHomeESP8266ModelTests.head(ESPHomeESP8266ModelTests.firmware.count),
                                                           body: ESPHomeESP8266ModelTests.firmware))
        #expect(plain.verdict?.log.contains(ESPHomeESP8266ModelTests.warning) == true)
        #expect(plain.exchanges.map(\.tls) == [false])
    }

    /// A server that does speak TLS on that port updates the device; the report says why it
    /// was TLS in a note, and leaves why alone.
    @Test func successOverTLSOnTheHTTPPortIsANote() throws {
        let firmware = ESPHomeESP8266ModelTests.firmware
        let model = ESPHomeESP8266ModelTests.run(.response(head: ESPHomeESP8266ModelTests.head(firmware.count), body: firmware), url: Self.query)
        let verdict = try #require(model.verdict)
        #expect(verdict.code == 0)
        let explained = Diagnosis(profile: .esphome(Self.profile("esphome-2025.12-esp8266")), identity: DeviceIdentity(), settings: UpdaterSettings(url: Self.query))
            .explain(verdict, exchanges: model.exchanges)
        #expect(explained.notes.contains { $0.hasPrefix("The URL contains \"https:\" after its http:// scheme") && $0.contains("made TLS with h:80") })
        #expect(!explained.why.contains("https:"))
    }

    /// The client object is fixed for the whole perform(): a followed same-scheme redirect to
    /// another host still makes TLS (3.1.2:HC:321-337 setURL keeps `_client`).
    @Test func redirectKeepsTheSecureClient() {
        let firmware = ESPHomeESP8266ModelTests.firmware
        let timeline = Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(Array(ESPHomeESP8266ModelTests.head(firmware.count).utf8) + firmware, at: 1), .close(at: 2)],
        ])
        let model = ESPHomeESP8266ModelTests.run(timeline, url: Self.query)
        #expect(model.exchanges.map(\.url) == ["http://h:80/fw.bin?from=https://mirror/fw.bin", "http://other:80/fw.bin"])
        #expect(model.exchanges.map(\.tls) == [true, true])
        let plain = ESPHomeESP8266ModelTests.run(timeline)
        #expect(plain.exchanges.map(\.tls) == [false, false])
    }

    /// The reverse: "httpS://" passes ESPHome's URL check (starts with "http", has "://") but
    /// holds no "https:", so a WiFiClient goes to port 443, the core having lower-cased the
    /// scheme (3.1.2:HC:72-91) [derived].
    @Test func mixedCaseSchemeGetsThePlainClientOnPort443() throws {
        let plan = try #require(Self.firstPlan("esphome-2025.12-esp8266", url: "httpS://h/fw.bin"))
        #expect(plan.url.port == 443 && plan.plaintext && !plan.makesTLS)
    }

    /// `arduino.clientChoice` takes only the choices the model implements; absent = by scheme.
    @Test func unknownClientChoiceIsRefused() throws {
        let file = try #require(BuiltInProfiles.file("esphome-2025.12-esp8266"))
        let text = String(decoding: file.bytes, as: UTF8.self)
        #expect(throws: ProfileError.self) {
            try ProfileDecoder.decode(Array(text.replacingOccurrences(of: "\"https-anywhere\"", with: "\"always\"").utf8), path: "mine.json")
        }
        let absent = try ProfileDecoder.decode(Array(text.replacingOccurrences(of: "\"clientChoice\": \"https-anywhere\"", with: "\"clientChoice\": null").utf8), path: "mine.json")
        guard case .esphome(let profile) = absent else { Issue.record("not an ESPHome profile"); return }
        #expect(profile.arduino?.chosenClient == .scheme)
    }

    // MARK: ESP32 Arduino (2025.12): HTTPClient chooses by the scheme

    @Test func esp32ArduinoChoosesByTheScheme() throws {
        #expect(Self.profile("esphome-2025.12-esp32-arduino").arduino?.chosenClient == .scheme)
        let plan = try #require(Self.firstPlan("esphome-2025.12-esp32-arduino", url: Self.query))
        #expect(!plan.makesTLS && !plan.tlsOverHTTP)
        let https = try #require(Self.firstPlan("esphome-2025.12-esp32-arduino", url: "https://h/fw.bin"))
        #expect(https.makesTLS)
    }

    // MARK: ESP-IDF: the certificate bundle

    /// `crt_bundle_attach` follows "https:" anywhere in the original URL, so an http:// URL
    /// with it in the query verifies an http→https redirect with the bundle instead of
    /// esp-tls refusing for want of a verification option.
    @Test(arguments: ["esphome-2025.12-esp-idf", "esphome-2026.6-esp-idf"])
    func bundleFollowsHTTPSAnywhereInTheOriginalURL(profile: String) {
        let image = ESPHomeModelTests.image
        let timeline = Timeline(connections: [[.bytes(ESPHomeModelTests.redirect(302, to: "https://cdn/fw.bin"), at: 1)],
                                              [.bytes(Array(ESPHomeModelTests.ok(image).utf8) + image, at: 1), .close(at: 2)]])
        func run(_ url: String) -> ESPHomeOTAModel {
            var settings = UpdaterSettings(url: url)
            settings.expectedMD5 = ESPHomeModelTests.imageMD5
            var model = ESPHomeOTAModel(profile: Self.profile(profile), identity: DeviceIdentity(), settings: settings)
            timeline.play(&model)
            return model
        }
        let plain = run("http://h/fw.bin")
        #expect(plain.verdict?.cause == .tlsNoServerVerification)
        let anywhere = run(Self.query)
        #expect(anywhere.verdict?.code == 0, "\(anywhere.verdict?.log ?? [])")
        #expect(anywhere.exchanges.count == 2 && anywhere.exchanges.last?.tls == true)
    }
}
