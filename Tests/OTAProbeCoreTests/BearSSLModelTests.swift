import Testing
@testable import OTAProbeCore

/// The BearSSL client decision on synthetic transcripts: each check of the ServerHello and the
/// record layer, in the order bearssl src/ssl/ssl_hs_client.t0:640-800 and
/// src/ssl/ssl_engine.c:640-690 make them (the real-server cases are in DeviceTLSTests).
struct BearSSLModelTests {
    static let capabilities = Profiles.v312.tls!

    static func model(_ settings: TLSClientSettings = TLSClientSettings(), host: String = "localhost") -> BearSSLClientModel {
        let offer = try! TLSClientOffer(capabilities: capabilities, settings: settings, host: host)
        return BearSSLClientModel(capabilities: capabilities, offer: offer, trust: settings.trust, host: host, deviceTime: 1_790_000_000)
    }

    /// A ServerHello body: version, 32 random bytes, empty session id, suite, null compression, extensions.
    static func serverHello(version: UInt16 = 0x0303, suite: UInt16 = 0xC02F, sessionID: Int = 0, extensions: [(UInt16, [UInt8])] = []) -> [UInt8] {
        var body: [UInt8] = [UInt8(version >> 8), UInt8(version & 0xFF)] + [UInt8](repeating: 7, count: 32)
        body.append(UInt8(sessionID))
        body += [UInt8](repeating: 1, count: sessionID)
        body += [UInt8(suite >> 8), UInt8(suite & 0xFF), 0]
        var list: [UInt8] = []
        for (type, data) in extensions {
            list += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
        }
        if !extensions.isEmpty { body += [UInt8(list.count >> 8), UInt8(list.count & 0xFF)] + list }
        return body
    }

    static func transcript(_ entries: [TLSTranscript.Entry], completed: Bool = false) -> TLSTranscript {
        TLSTranscript(received: entries, completed: completed)
    }

    static func engineError(_ outcome: TLSOutcome) -> Int? {
        if case .failed(let error) = outcome.result { return error.engine }
        return nil
    }

    @Test(arguments: [
        (hello: serverHello(version: 0x0304), expected: 3),
        (hello: serverHello(sessionID: 33), expected: 15),
        (hello: serverHello(suite: 0xC0AB), expected: 16),
        (hello: serverHello(version: 0x0302, suite: 0xC02F), expected: 16),
        (hello: serverHello(extensions: [(0x0001, [2])]), expected: 18),
        (hello: serverHello(extensions: [(0xFF01, [1, 0])]), expected: 19),
        (hello: serverHello(extensions: [(0x0017, [])]), expected: 20),
        (hello: serverHello(extensions: [(0x0010, [0, 3, 2, 0x68, 0x32])]), expected: 20),
        (hello: serverHello(extensions: [(0xFF01, [0]), (0xFF01, [0])]), expected: 20),
        (hello: serverHello(extensions: [(0x0000, [1])]), expected: 21),
    ])
    func serverHelloChecks(hello: [UInt8], expected: Int) {
        let outcome = Self.model().judge(Self.transcript([.record(type: 22, version: hello[0] == 3 && hello[1] == 4 ? 0x0303 : UInt16(hello[0]) << 8 | UInt16(hello[1]), length: hello.count + 4, encrypted: false),
                                                          .handshake(type: 2, body: hello)]))
        #expect(Self.engineError(outcome) == expected, "\(outcome.reason)")
        #expect(outcome.decidedAt == "ServerHello")
    }

    @Test func acceptsTheExtensionsItSent() {
        let hello = Self.serverHello(extensions: [(0xFF01, [0]), (0x0000, []), (0x0001, [1]), (0x000B, [1, 0])])
        let outcome = Self.model().judge(Self.transcript([.record(type: 22, version: 0x0303, length: 80, encrypted: false), .handshake(type: 2, body: hello)], completed: true))
        #expect(outcome.result == .established)
        #expect(outcome.maxFragmentLengthEchoed)
        #expect(outcome.suite?.name == "ECDHE_RSA_WITH_AES_128_GCM_SHA256")
    }

    @Test func recordLayer() {
        // A record version that is not 3.x, a version change, an oversize encrypted record.
        #expect(Self.engineError(Self.model().judge(Self.transcript([.record(type: 22, version: 0x0200, length: 10, encrypted: false)]))) == 3)
        #expect(Self.engineError(Self.model().judge(Self.transcript([.record(type: 22, version: 0x0303, length: 10, encrypted: false),
                                                                      .record(type: 22, version: 0x0301, length: 10, encrypted: false)]))) == 4)
        var small = TLSClientSettings()
        small.receiveBuffer = 512
        #expect(Self.engineError(Self.model(small).judge(Self.transcript([.record(type: 23, version: 0x0303, length: 833, encrypted: true)]))) == 6)
        #expect(Self.engineError(Self.model(small).judge(Self.transcript([.record(type: 23, version: 0x0303, length: 832, encrypted: true)]))) == 0)
        // Plaintext handshake records are processed in chunks: any size up to 16384 is fine.
        #expect(Self.engineError(Self.model(small).judge(Self.transcript([.record(type: 22, version: 0x0303, length: 16384, encrypted: false)]))) == 0)
    }

    @Test func alertsAndSilentCloses() {
        let alert = Self.model().judge(Self.transcript([.record(type: 21, version: 0x0303, length: 2, encrypted: false), .alert(level: 2, description: 40)]))
        #expect(Self.engineError(alert) == 296)
        let closed = Self.model().judge(Self.transcript([]))
        #expect(Self.engineError(closed) == 0)
        #expect(closed.notes.contains { $0.contains("without an alert") })
    }

    @Test func maxFragmentLengthFollowsTheBuffers() throws {
        func code(_ rx: Int, _ tx: Int) throws -> Int? {
            var settings = TLSClientSettings()
            settings.receiveBuffer = rx
            settings.sendBuffer = tx
            return try TLSClientOffer(capabilities: Self.capabilities, settings: settings, host: "h").maxFragmentCode
        }
        // ssl_engine.c:420-440: the largest 2^u fitting both buffers; 2^13 → 2^12; 2^14 → none.
        #expect(try code(16384, 512) == 1)
        #expect(try code(512, 512) == 1)
        #expect(try code(4096, 4096) == 4)
        #expect(try code(8192, 8192) == 4)
        #expect(try code(16384, 16384) == nil)
        #expect(try code(100, 100) == 1)  // clamped to 512 by setBufferSizes
        let offer = try TLSClientOffer(capabilities: Self.capabilities, settings: TLSClientSettings(), host: "192.168.1.10")
        #expect(offer.serverName == "192.168.1.10")
        #expect(offer.recordLimit == 16384 + 325 - 5)
    }

    @Test func offerValidation() {
        var settings = TLSClientSettings()
        settings.minVersion = "1.3"
        #expect(throws: TLSClientOffer.Problem.self) { try TLSClientOffer(capabilities: Self.capabilities, settings: settings, host: "h") }
        settings.minVersion = "1.2"
        settings.maxVersion = "1.0"
        #expect(throws: TLSClientOffer.Problem.self) { try TLSClientOffer(capabilities: Self.capabilities, settings: settings, host: "h") }
        settings = TLSClientSettings(lessSecureCiphers: true)
        let offer = try? TLSClientOffer(capabilities: Self.capabilities, settings: settings, host: "h")
        #expect(offer?.cipherSuites.map(\.hex) == ["003D", "003C", "0035", "002F"])
    }

    @Test func lastErrorAsTheCoresReportIt() {
        let alert = BearSSLError.receivedAlert(40)
        #expect(alert.deviceNumber(masksAlertBits: true) == 40)
        #expect(alert.deviceNumber(masksAlertBits: false) == 296)
        #expect(alert.deviceText(masksAlertBits: true) == "SSL received fatal alert - Decoding error: extraneous element.")
        #expect(alert.deviceText(masksAlertBits: false) == "Unknown error code.")
        #expect(alert.name == "BR_ERR_RECV_FATAL_ALERT + handshake_failure (40)")
        #expect(BearSSLError(0).deviceText(masksAlertBits: true) == "Unknown error code.")
        #expect(BearSSLError(62).name == "BR_ERR_X509_NOT_TRUSTED")
        #expect(BearSSLError.receivedAlert(70).deviceText(masksAlertBits: true) == "SSL received fatal alert - Unknown error code.")
    }

    @Test func optionSyntax() throws {
        #expect(try TLSOptionSyntax.mode("insecure") == .insecure)
        #expect(try TLSOptionSyntax.mode("fingerprint=aa bb cc dd ee ff 00 11 22 33 44 55 66 77 88 99 aa bb cc dd")
                == .fingerprint([0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD]))
        #expect(throws: TLSTrustMaterial.Unreadable.self) { try TLSOptionSyntax.mode("fingerprint=12:34") }
        #expect(throws: TLSTrustMaterial.Unreadable.self) { try TLSOptionSyntax.mode("trust-me") }
        #expect(try TLSOptionSyntax.mode("ca=/x.pem") == .caFile("/x.pem"))
        #expect(try TLSOptionSyntax.buffers("512, 512") == (512, 512))
        #expect(throws: TLSTrustMaterial.Unreadable.self) { try TLSOptionSyntax.buffers("512") }
        #expect(try TLSOptionSyntax.versions("1.2") == ("1.2", "1.2"))
        #expect(try TLSOptionSyntax.versions("1.0-1.1") == ("1.0", "1.1"))
        #expect(throws: TLSTrustMaterial.Unreadable.self) { try TLSOptionSyntax.versions("1.4") }
        #expect(try TLSOptionSyntax.ciphers("less-secure") == nil)
        #expect(try TLSOptionSyntax.ciphers("c02f,0x009C") == ["C02F", "009C"])
        #expect(throws: TLSTrustMaterial.Unreadable.self) { try TLSOptionSyntax.ciphers("FFFF") }
        #expect(try TLSOptionSyntax.deviceTime("unsynced") == 0)
        #expect(try TLSOptionSyntax.deviceTime("now") == nil)
        #expect(try TLSOptionSyntax.deviceTime("1790000000") == 1_790_000_000)
    }

    @Test func calendar() {
        #expect(UnixTime.seconds(year: 1970, month: 1, day: 1) == 0)
        #expect(UnixTime.seconds(year: 2026, month: 11, day: 25) == 1_795_564_800)
        #expect(UnixTime.date(1_795_564_800) == "2026-11-25")
        #expect(UnixTime.date(0) == "1970-01-01")
    }

    @Test func everyBearSSLProfileDescribesItsClient() {
        for profile in Profiles.all {
            let tls = profile.tls
            #expect(tls?.stack == "bearssl", "\(profile.name)")
            #expect(tls?.cipherSuites.allSatisfy { CipherSuite.lookup($0) != nil } == true, "\(profile.name)")
            #expect(tls.map { $0.lastErrorMasksAlertBits } == ["esp8266-arduino-3.1.2", "esp8266-arduino-3.0.2"].contains(profile.name), "\(profile.name)")
            for key in ["tls.versions", "tls.cipherSuites", "tls.buffers", "tls.lastErrorMasksAlertBits", "tls.ecKnownKeysUsable"] {
                #expect(profile.cite[key] != nil, "\(profile.name) cites \(key)")
            }
        }
        #expect(Profiles.v242.tls?.cipherSuites.count == 37)
        #expect(Profiles.v312.tls?.cipherSuites.count == 45)
    }
}
