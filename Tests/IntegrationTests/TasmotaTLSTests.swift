@testable import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// Tasmota 15.2 on the ESP32 over https against real servers on 127.0.0.1: HTTPClientLight's
/// fixed BearSSL client (TLS 1.2, ECDHE-RSA/ECDSA-AES128-GCM-SHA256, P-256, any key accepted)
/// judged by the BearSSL model, and `GET() = -1000 - getLastError()` turned into
/// HTTPUpdateLight's log lines (spec esphome-and-tasmota.md §T3.4, §T3.7, T4 "TLS incompatible"
/// and "DNS/TCP failure"). The lab serves an ESP8266 image, so a completed handshake ends in
/// TasUpdate's image check (9), never in a connect error.
@Suite(.serialized) struct TasmotaTLSTests {
    /// The ESP32 profile with a short pause between attempts (and, where a test needs it, a
    /// short handshake budget): changed only through the profile's data.
    static func profile(handshakeMs: Int? = nil) -> DeviceProfile {
        guard case .tasmota(var profile) = Shared.device("tasmota-15.2-esp32") else { fatalError("no tasmota-15.2-esp32") }
        profile.retry.intervalMs = 20
        if let handshakeMs {
            profile.core32?.timeouts.connectMs = 200
            profile.core32?.timeouts.tlsHandshakeMs = handshakeMs
        }
        return .tasmota(profile)
    }

    static func run(_ url: String, profile: DeviceProfile = profile()) -> ProbeReport {
        Probe(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: url)).run()
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let server: String
        /// nil = the handshake completes; else BearSSL's engine error.
        let engine: Int?
        var suite: String? = nil
        var testDescription: String { "\(server) → \(engine.map { "TLS connection error \($0)" } ?? "established")" }
    }

    static let cases: [Case] = [
        Case(server: "rsa2048", engine: nil, suite: "ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        Case(server: "ecdsa-p256", engine: nil, suite: "ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        Case(server: "rsa4096", engine: nil, suite: "ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        // TLS 1.3 only: the server answers the TLS 1.2 ClientHello with protocol_version (70).
        Case(server: "tls13-only", engine: 256 + 70),
        // Nothing in common: handshake_failure (40).
        Case(server: "chacha-only", engine: 256 + 40),
        Case(server: "cbc-only", engine: 256 + 40),
        Case(server: "p384-only", engine: 256 + 40),
        Case(server: "x25519-only", engine: 256 + 40),
        // A P-384 certificate: the device's supported_groups names P-256 only, so the server
        // cannot use that certificate with it (RFC 4492 §5.1) and ends with handshake_failure.
        Case(server: "ecdsa-p384", engine: 256 + 40),
    ]

    @Test(arguments: cases)
    func handshake(_ item: Case) throws {
        let server = try TLSLabServer(item.server)
        defer { server.stop() }
        let report = Self.run(server.url())
        let verdict = report.verdict
        let finding = try #require(verdict.tls, "\(item.testDescription): no TLS finding")
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#, "\(item.testDescription)")
        #expect(verdict.attempts.count == 4)
        if let engine = item.engine {
            #expect(finding.result == "failed", "\(item.testDescription): \(finding.reason)")
            #expect(finding.engineError == engine, "\(item.testDescription): \(finding.reason)")
            #expect(verdict.attempts.map(\.code) == Array(repeating: -1000 - engine, count: 4), "\(item.testDescription)")
            #expect(verdict.log.filter { $0.hasPrefix("OTA: TLS connection error \(engine) after ") }.count == 4, "\(verdict.log)")
            // The device's own words: no getLastSSLError() and no text, GET()'s code in the why.
            #expect(finding.errorCall == "WiFiClientSecure_light::getLastError()" && finding.deviceErrorText == nil)
            #expect(verdict.why.contains("GET() returns -1000 - \(engine) = \(-1000 - engine)"), "\(verdict.why)")
        } else {
            #expect(finding.result == "established", "\(item.testDescription): \(finding.reason)")
            #expect(finding.suite == item.suite)
            #expect(finding.version == "TLS 1.2")
            #expect(finding.maxFragmentLength == 512)
            // The ESP8266 image the lab serves passes the 0xE9 peek and fails activation.
            #expect(verdict.attempts.map(\.code) == [9, 9, 9, 9], "\(item.testDescription): \(verdict.attempts)")
            #expect(verdict.log.filter { $0.hasPrefix("OTA: Connected in ") }.count == 4, "\(verdict.log)")
        }
    }

    /// The ClientHello is the fixed one: only TLS 1.2, the two GCM suites in source order,
    /// P-256 only, and the 512-byte max_fragment_length request.
    @Test func clientHelloIsTheFixedOffer() throws {
        guard case .tasmota(let profile) = Self.profile(), let capabilities = profile.core32?.tls else {
            Issue.record("no core32.tls")
            return
        }
        let offer = try TLSClientOffer(capabilities: capabilities, settings: TLSClientSettings(), host: "ota.example")
        #expect(offer.cipherSuites.map(\.name) == ["ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"])
        #expect(offer.minVersion == "1.2" && offer.maxVersion == "1.2")
        #expect(offer.groups == [23])
        #expect(offer.maxFragmentLength == 512)
        #expect(offer.recordLimit == 16384 + 325 - 5)
    }

    /// https to a port nobody listens on: ERR_TCP_CONNECT → GET() = 2 → -104, with both lines.
    @Test func refusedHTTPSIsCode2() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        let verdict = Self.run("https://127.0.0.1:\(port)/tasmota32.bin").verdict
        #expect(verdict.attempts.map(\.code) == [-104, -104, -104, -104])
        #expect(verdict.log.filter { $0.hasPrefix("OTA: Connection error 2 after ") }.count == 4, "\(verdict.log)")
        #expect(verdict.log.filter { $0 == "OTA: unsupported HTTP return code 2" }.count == 4)
    }

    /// A server that takes the connection and never answers the ClientHello: the engine's loop
    /// gives up (ERR_TLS_TIMEOUT) → GET() = 5 → -104 (the handshake budget shortened in the
    /// profile's data).
    @Test func silentTLSServerIsCode5() {
        let url = Shared.server.url("silent/tasmota32.bin").replacingOccurrences(of: "http://", with: "https://")
        let verdict = Self.run(url, profile: Self.profile(handshakeMs: 300)).verdict
        #expect(verdict.attempts.map(\.code) == [-104, -104, -104, -104], "\(verdict.attempts)")
        #expect(verdict.log.filter { $0 == "OTA: unsupported HTTP return code 5" }.count == 4, "\(verdict.log)")
    }

    /// In a matrix the sketch's TLS calls of another profile do not reach Tasmota's client.
    @Test func matrixDropsTheSketchTLSCalls() {
        var settings = UpdaterSettings(url: "https://ota.example/tasmota32.bin")
        settings.tls = TLSClientSettings(trust: .none, trustGiven: true, receiveBuffer: 512, sendBuffer: 512)
        let (adapted, notes) = ProfileMatrix.adapt(settings, to: Self.profile())
        #expect(adapted.tls == TLSClientSettings())
        #expect(notes.contains("sets its TLS client itself: --tls options do not apply"), "\(notes)")
        let esp8266 = ProfileMatrix.adapt(settings, to: Shared.device("esp8266-arduino-3.1.2")).0
        #expect(esp8266.tls == settings.tls)
    }

    /// Tasmota's client has no setting a user could change: `--tls` is refused (CLI), and the
    /// report does not claim a trust mode was assumed.
    @Test func reportDoesNotAssumeATrustMode() throws {
        let server = try TLSLabServer("rsa2048")
        defer { server.stop() }
        let finding = try #require(Self.run(server.url()).verdict.tls)
        #expect(!finding.notes.contains { $0.hasPrefix("No --tls given") }, "\(finding.notes)")
        #expect(!finding.trustAssumed && finding.sketchCall.contains("any server key is accepted"))
        #expect(finding.notes.contains { $0.contains("any server key is accepted") })
    }
}
