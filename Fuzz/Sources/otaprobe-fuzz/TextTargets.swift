@testable import OTAProbeCore

/// `ProfileDecoder` (a `--profile FILE` the user names): the JSON syntax locator, the decoder
/// and the validation; a profile that loads is then run once against a plain 200 reply, since
/// its numbers steer the model.
enum ProfileTarget {
    static let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n\u{E9}\u{1}\u{2}\u{40}0123456789AB".utf8)

    static func run(_ buffer: UnsafeRawBufferPointer) {
        let bytes = Array(buffer)
        guard let profile = try? ProfileDecoder.decode(bytes, path: "fuzz.json") else { return }
        _ = profile.title
        let settings = UpdaterSettings(url: "http://192.168.1.10/fw.bin")
        _ = ModelTarget.drive(profile: profile, identity: DeviceIdentity(), settings: settings, replies: [reply[...]],
                              chunkSize: 0, gap: 0, closes: true)
    }
}

/// X.509 and PEM: `X509Certificate(der:)` and every accessor the reports use, the PEM readers
/// behind `--tls ca=`/`known-key=`/`bundle=`, and both device chain validators
/// (`BearSSLX509Minimal`, `MbedTLSX509Verify`) with the input's last certificate as anchor.
///
/// Input: PEM text (anything containing "-----BEGIN"), else one DER certificate.
enum X509Target {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        let bytes = Array(buffer)
        var ders: [[UInt8]] = []
        if let text = String(validating: bytes, as: UTF8.self), text.contains("-----BEGIN") {
            ders = (try? TLSTrustMaterial.certificates(fromPEM: text, source: "fuzz.pem")) ?? []
            _ = try? TLSTrustMaterial.publicKey(fromPEM: text, source: "fuzz.pem")
        } else {
            ders = [bytes]
        }
        let chain = ders.compactMap { try? X509Certificate(der: $0) }
        guard !chain.isEmpty else { return }
        for certificate in chain {
            _ = certificate.sha1
            _ = certificate.dnsNames
            _ = certificate.ipAddresses
            _ = certificate.isCA
            _ = certificate.isSelfIssued
            _ = certificate.keyDescription
            _ = certificate.rsaBits
            _ = UnixTime.date(certificate.notBefore)
            _ = UnixTime.date(certificate.notAfter)
            _ = try? X509Certificate.keyFromSPKI(certificate.subjectPublicKeyInfo)
        }
        let deviceTime: Int64 = 1_790_000_000
        for anchors in [[chain[chain.count - 1]], []] {
            for capabilities in Catalog.tls {
                for host in ["localhost", "127.0.0.1"] {
                    let bearssl = BearSSLX509Minimal(anchors: anchors, serverName: host, deviceTime: deviceTime, capabilities: capabilities)
                    if let error = bearssl.validate(chain) {
                        _ = X509Explanation.sentence(for: error.engine, chain: chain, host: host, deviceTime: deviceTime, anchors: anchors)
                    }
                    _ = MbedTLSX509Verify(anchors: anchors, hostname: host, deviceTime: deviceTime,
                                          matchesIPAddressNames: capabilities.matchesIPAddressNames).verify(chain)
                }
            }
        }
    }
}

/// The TLS transcript the transport records (`TLSTranscript(log:)`: records, handshake
/// messages and alerts the server sent) and each stack's replay of the device's decision over
/// it (`BearSSLClientModel`, `MbedTLSClientModel`), then the report's `TLSAdvice`.
///
/// Input: [capabilities][bits 0-2 trust mode, bit 3 completed, bit 4 small receive buffer]
/// then the transport log (kind, direction, 4-byte little-endian length, bytes)….
enum TLSTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let capabilities = Catalog.tls[Int(input.byte()) % Catalog.tls.count]
        let selector = input.byte()
        let transcript = TLSTranscript(log: Array(input.rest), completed: selector & 0x08 != 0)
        let ders = transcript.certificates ?? []
        let leaf = ders.first.flatMap { try? X509Certificate(der: $0) }
        let trust: TLSTrustMode
        switch selector & 7 {
        case 0: trust = .insecure
        case 1: trust = .fingerprint(leaf?.sha1 ?? [UInt8](repeating: 0xAB, count: 20))
        case 2: trust = .certificateAuthorities(ders.last.map { [$0] } ?? [])
        case 3: trust = .knownKey(leaf?.subjectPublicKeyInfo ?? [0x30, 0])
        case 4: trust = .selfSigned
        case 5: trust = .none
        default: trust = .bundle(name: "fuzz", certificates: ders.last.map { [$0] } ?? [])
        }
        var settings = TLSClientSettings(trust: trust, trustGiven: true, deviceTime: 1_790_000_000)
        if selector & 0x10 != 0 { settings.receiveBuffer = 512 }
        guard let offer = try? TLSClientOffer(capabilities: capabilities, settings: settings, host: "localhost") else { return }
        let outcome: TLSOutcome
        if capabilities.stack == "mbedtls" {
            outcome = MbedTLSClientModel(capabilities: capabilities, offer: offer, trust: trust, verifiedName: "localhost", deviceTime: 1_790_000_000).judge(transcript)
        } else {
            outcome = BearSSLClientModel(capabilities: capabilities, offer: offer, trust: trust, host: "localhost", deviceTime: 1_790_000_000).judge(transcript)
        }
        let advice = TLSAdvice(capabilities: capabilities, offer: offer, settings: settings, host: "localhost", deviceTime: 1_790_000_000, now: 1_790_000_000)
        _ = advice.finding(for: outcome)
        _ = advice.finding(for: outcome, oversizedRecord: 16_389)
    }
}
