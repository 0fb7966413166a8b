import SwiftASN1

/// The ESP8266's `BearSSL::WiFiClientSecure` handshake decision, replayed over what a real
/// server sent (a `TLSTranscript` recorded while the probe made the same offer).
///
/// Why replay instead of trusting OpenSSL: the probe's OpenSSL finishes handshakes the device
/// refuses (an 8192-bit key, a certificate the device cannot match to an IP) and vice versa;
/// only the device's checks, in the device's order, give the device's error number.
/// Sources: bearssl (esp8266 fork b024386) src/ssl/ssl_engine.c, src/ssl/ssl_hs_client.t0,
/// src/x509/x509_minimal.t0; 3.1.2 libraries/ESP8266WiFi/src/WiFiClientSecureBearSSL.cpp.
public struct BearSSLClientModel: Sendable {
    public var capabilities: TLSCapabilities
    public var offer: TLSClientOffer
    public var trust: TLSTrustMode
    public var host: String
    public var deviceTime: Int64

    public init(capabilities: TLSCapabilities, offer: TLSClientOffer, trust: TLSTrustMode, host: String, deviceTime: Int64) {
        self.capabilities = capabilities
        self.offer = offer
        self.trust = trust
        self.host = host
        self.deviceTime = deviceTime
    }

    public func judge(_ transcript: TLSTranscript) -> TLSOutcome {
        var outcome = TLSOutcome(result: .established, decidedAt: "Finished", reason: "the handshake completes",
                                 maxFragmentLength: offer.maxFragmentLength)
        var recordVersion: UInt16?
        var leafKey: LeafKey?
        func fail(_ code: Int, _ at: String, _ reason: String) -> TLSOutcome {
            outcome.result = .failed(BearSSLError(code))
            outcome.decidedAt = at
            outcome.reason = reason
            return outcome
        }

        for entry in transcript.received {
            switch entry {
            case .record(_, let version, let length, let encrypted):
                // ssl_engine.c:640-690
                if version >> 8 != 3 { return fail(3, "record header", "the server's record version 0x\(String(version, radix: 16)) is not TLS") }
                if let known = recordVersion, known != version {
                    return fail(4, "record header", "the server changed its record version mid-handshake")
                }
                recordVersion = version
                if encrypted && length > offer.recordLimit {
                    return fail(6, "encrypted record", "the server sent a \(length)-byte record; the device's receive buffer takes \(offer.recordLimit) (setBufferSizes(\(offer.receiveBuffer), \(offer.sendBuffer)))")
                }
                if !encrypted && length > 16384 { return fail(5, "record header", "a plaintext record longer than 16384 bytes") }
            case .alert(let level, let description):
                outcome.serverAlert = description
                if level == 2 {
                    return fail(256 + Int(description), outcome.suite == nil ? "ServerHello" : "handshake",
                                "the server ended the handshake with a fatal \(TLSAlert.name(Int(description))) alert")
                }
            case .changeCipherSpec:
                continue
            case .handshake(let type, let body):
                switch type {
                case 2:
                    if let failure = checkServerHello(body, recordVersion: recordVersion, outcome: &outcome) {
                        return fail(failure.code, "ServerHello", failure.reason)
                    }
                case 11:
                    let chain = TLSTranscript.certificateList(body).compactMap { try? X509Certificate(der: $0) }
                    outcome.chain = chain
                    switch checkCertificate(chain) {
                    case .failure(let code, let reason): return fail(code, "Certificate", reason)
                    case .crash(let description):
                        outcome.result = .crash(description)
                        outcome.decidedAt = "Certificate"
                        outcome.reason = description
                        return outcome
                    case .key(let key):
                        leafKey = key
                        if let suite = outcome.suite, let failure = checkKeyType(key, suite: suite) {
                            return fail(failure.code, "Certificate", failure.reason)
                        }
                    }
                case 12:
                    if let suite = outcome.suite, let failure = checkServerKeyExchange(body, suite: suite, version: outcome.version ?? 0x0303, key: leafKey) {
                        return fail(failure.code, "ServerKeyExchange", failure.reason)
                    }
                default:
                    continue
                }
            }
        }
        if transcript.completed {
            if let key = leafKey, key.mismatchedKnownKey, outcome.suite?.keyExchange == .rsa {
                // The device encrypts its premaster secret to the pinned key; the server cannot
                // decrypt it, so its check of the device's Finished record fails.
                outcome.notes.append("The probe's own client used the server's real key; the device, pinned to another key, would send a premaster secret the server cannot decrypt.")
                return fail(256 + 51, "Finished", "the pinned key (setKnownKey) is not the server's: with RSA key exchange the server cannot decrypt the device's premaster secret and answers decrypt_error")
            }
            outcome.reason = "\(TLSOutcome.versionName(outcome.version) ?? "TLS"), \(outcome.suite?.name ?? "?")" + (outcome.maxFragmentLengthEchoed ? ", records limited to \(offer.maxFragmentLength ?? 0) bytes" : "")
            return outcome
        }
        outcome.notes.append("The server closed the connection during the handshake without an alert; BearSSL records no error for a plain close (getLastSSLError() is 0).")
        if !transcript.alertsSent.isEmpty {
            outcome.notes.append("The probe's OpenSSL client stopped the handshake itself (alert \(transcript.alertsSent.map { TLSAlert.name(Int($0)) }.joined(separator: ", "))); the device's own reaction at that point was inferred.")
        }
        return fail(0, "handshake", "the connection ended before the handshake finished")
    }

    // MARK: - ServerHello (ssl_hs_client.t0:640-800)

    private struct Failure { let code: Int; let reason: String }

    private func checkServerHello(_ body: [UInt8], recordVersion: UInt16?, outcome: inout TLSOutcome) -> Failure? {
        guard let hello = ServerHello(body: body) else { return Failure(code: 14, reason: "the ServerHello could not be decoded") }
        outcome.version = hello.version
        let low = TLSClientOffer.wireVersion(offer.minVersion), high = TLSClientOffer.wireVersion(offer.maxVersion)
        if hello.version < low || hello.version > high {
            return Failure(code: 3, reason: "the server chose \(TLSOutcome.versionName(hello.version) ?? "?"); the device accepts TLS \(offer.minVersion)–\(offer.maxVersion)")
        }
        if let recordVersion, recordVersion != hello.version {
            return Failure(code: 4, reason: "the ServerHello's version differs from its record's version")
        }
        if hello.sessionIDLength > 32 { return Failure(code: 15, reason: "the server's session id is longer than 32 bytes") }
        guard let suite = offer.cipherSuites.first(where: { $0.id == hello.cipherSuite }) else {
            return Failure(code: 16, reason: "the server chose cipher suite 0x\(String(hello.cipherSuite, radix: 16, uppercase: true)), which the device did not offer")
        }
        outcome.suite = suite
        if suite.tls12Only && hello.version < 0x0303 {
            return Failure(code: 16, reason: "the server chose \(suite.name) with \(TLSOutcome.versionName(hello.version) ?? "?"); that suite needs TLS 1.2")
        }
        if hello.compression != 0 { return Failure(code: 17, reason: "the server chose compression") }
        var seen = Set<UInt16>()
        for (type, data) in hello.extensions {
            if !seen.insert(type).inserted { return Failure(code: 20, reason: "the server repeated extension \(type)") }
            switch type {
            case 0x0000:
                if offer.serverName == nil { return Failure(code: 20, reason: "the server answered an SNI the device did not send") }
                if !data.isEmpty { return Failure(code: 21, reason: "the server's SNI answer is not empty") }
            case 0x0001:
                guard let code = offer.maxFragmentCode else { return Failure(code: 20, reason: "the server answered a max_fragment_length the device did not request") }
                if data != [UInt8(code)] { return Failure(code: 18, reason: "the server echoed a different max_fragment_length") }
                outcome.maxFragmentLengthEchoed = true
            case 0xFF01:
                if data != [0] { return Failure(code: 19, reason: "the server's renegotiation_info is not empty on a first handshake") }
            case 0x000D, 0x000A, 0x000B:
                continue
            default:
                return Failure(code: 20, reason: "the server sent extension \(type), which the device did not announce")
            }
        }
        return nil
    }

    // MARK: - Certificate

    private struct LeafKey {
        var isRSA: Bool
        var isEC: Bool
        var rsaBits: Int?
        var canSign: Bool
        var canExchange: Bool
        var mismatchedKnownKey: Bool
        /// An EC key given to setKnownKey on a core whose decoder mangles EC keys.
        var unusableKnownKey = false
    }

    private enum CertificateCheck { case failure(Int, String), crash(String), key(LeafKey) }

    private func checkCertificate(_ chain: [X509Certificate]) -> CertificateCheck {
        guard let leaf = chain.first else { return .failure(35, "the server sent no certificate") }
        switch trust {
        case .insecure, .fingerprint, .selfSigned, .bundle:
            // The core's br_x509_insecure validator (WiFiClientSecureBearSSL.cpp:694-790).
            if let bits = leaf.rsaBits, bits > capabilities.maxRSABits {
                return .crash("the certificate's \(bits)-bit RSA key is larger than BearSSL's \(capabilities.maxRSABits)-bit limit; in setInsecure/setFingerprint/allowSelfSignedCerts mode the device's X.509 decoding of such a key ends in an exception and a reboot")
            }
            if case .fingerprint(let expected) = trust, leaf.sha1 != expected {
                return .failure(62, "the leaf certificate's SHA-1 fingerprint is \(TLSFingerprint.format(leaf.sha1)), not the one given to setFingerprint")
            }
            if case .selfSigned = trust, leaf.subject != leaf.issuer {
                return .failure(62, "allowSelfSignedCerts accepts only a certificate whose issuer is its own subject; this one is issued by \(leaf.issuerText)")
            }
            return .key(leafKey(leaf, canSign: true, canExchange: true))
        case .knownKey(let spki):
            // br_x509_knownkey: the chain is ignored, the pinned key is used (usages KEYX|SIGN).
            let pinned = (try? X509Certificate.keyFromSPKI(spki))
            var key = leafKey(leaf, canSign: true, canExchange: true)
            if let pinned {
                key.isRSA = pinned.isRSA
                key.isEC = pinned.isEC
            }
            key.mismatchedKnownKey = spki != leaf.subjectPublicKeyInfo
            key.unusableKnownKey = key.isEC && capabilities.ecKnownKeysUsable == false
            return .key(key)
        case .certificateAuthorities(let anchors):
            return validate(chain, anchors: anchors.compactMap { try? X509Certificate(der: $0) }, leaf: leaf)
        case .none:
            return validate(chain, anchors: [], leaf: leaf)
        }
    }

    private func validate(_ chain: [X509Certificate], anchors: [X509Certificate], leaf: X509Certificate) -> CertificateCheck {
        let validator = BearSSLX509Minimal(anchors: anchors, serverName: host, deviceTime: deviceTime, capabilities: capabilities)
        if let error = validator.validate(chain) {
            return .failure(error.engine, X509Explanation.sentence(for: error.engine, chain: chain, host: host, deviceTime: deviceTime, anchors: anchors))
        }
        var canSign = true, canExchange = true
        if let usage = leaf.extensions.first(where: { $0.oid == "2.5.29.15" }), let bits = BearSSLX509Minimal.keyUsageBits(usage.value) {
            canSign = bits & 0xC0 != 0
            canExchange = bits & 0x38 != 0
        }
        return .key(leafKey(leaf, canSign: canSign, canExchange: canExchange))
    }

    private func leafKey(_ leaf: X509Certificate, canSign: Bool, canExchange: Bool) -> LeafKey {
        var isRSA = false, isEC = false
        switch leaf.key {
        case .rsa: isRSA = true
        case .ec(let curve, _, _): isEC = curve != 0
        case .other: break
        }
        return LeafKey(isRSA: isRSA, isEC: isEC, rsaBits: leaf.rsaBits, canSign: canSign, canExchange: canExchange, mismatchedKnownKey: false)
    }

    /// `read-Certificate-from-server` (ssl_hs_client.t0:840-848): the key type and usage the
    /// suite needs.
    private func checkKeyType(_ key: LeafKey, suite: CipherSuite) -> Failure? {
        let needsRSA = [.ecdheRSA, .rsa, .dheRSA].contains(suite.keyExchange)
        let needsSign = [.ecdheRSA, .ecdheECDSA, .dheRSA].contains(suite.keyExchange)
        let typeOK = needsRSA ? key.isRSA : key.isEC
        let usageOK = needsSign ? key.canSign : key.canExchange
        if !typeOK || !usageOK {
            return Failure(code: 28, reason: "the server's key cannot be used with \(suite.name) (wrong key type or key usage)")
        }
        return nil
    }

    // MARK: - ServerKeyExchange (ssl_hs_client.t0:862-915)

    private func checkServerKeyExchange(_ body: [UInt8], suite: CipherSuite, version: UInt16, key: LeafKey?) -> Failure? {
        guard suite.keyExchange == .ecdheRSA || suite.keyExchange == .ecdheECDSA else { return nil }
        guard body.count >= 4, body[0] == 3 else { return Failure(code: 26, reason: "the server's key exchange does not use a named curve") }
        let curve = Int(body[1]) << 8 | Int(body[2])
        if curve >= 32 || !offer.groups.contains(curve) {
            return Failure(code: 26, reason: "the server chose curve \(curve), which the device does not support")
        }
        let pointLength = Int(body[3])
        if pointLength > 133 { return Failure(code: 26, reason: "the server's curve point is too long") }
        var offset = 4 + pointLength
        let usesRSA = suite.keyExchange == .ecdheRSA
        if version >= 0x0303 {
            guard offset + 2 <= body.count else { return Failure(code: 14, reason: "truncated ServerKeyExchange") }
            let hash = body[offset], signature = body[offset + 1]
            if hash < 2 || hash > 6 { return Failure(code: 26, reason: "the server signed with hash \(hash), which the device does not accept") }
            if signature != (usesRSA ? 1 : 3) { return Failure(code: 26, reason: "the server's signature algorithm does not match the suite (RSA-PSS or another scheme)") }
            offset += 2
        }
        guard offset + 2 <= body.count else { return Failure(code: 14, reason: "truncated ServerKeyExchange") }
        let signatureLength = Int(body[offset]) << 8 | Int(body[offset + 1])
        if signatureLength > 512 {
            return Failure(code: 23, reason: "the server's \(signatureLength * 8)-bit RSA signature is larger than BearSSL's 512-byte limit")
        }
        if let key, key.unusableKnownKey {
            return Failure(code: 27, reason: "setKnownKey was given an EC key, which this core's PublicKey decoder stores without its 0x04 point prefix: the signature can never verify")
        }
        if let key, key.mismatchedKnownKey {
            return Failure(code: 27, reason: "the server's key exchange is signed by its own key, not the one pinned with setKnownKey")
        }
        if let bits = key?.rsaBits, bits > capabilities.maxRSABits {
            return Failure(code: 27, reason: "the server's RSA key (\(bits) bits) exceeds BearSSL's \(capabilities.maxRSABits)-bit limit")
        }
        return nil
    }
}

extension X509Certificate {
    /// The key type of a bare SubjectPublicKeyInfo (a `setKnownKey` PEM).
    static func keyFromSPKI(_ spki: [UInt8]) throws -> (isRSA: Bool, isEC: Bool) {
        switch try key(DER.parse(spki)) {
        case .rsa: return (true, false)
        case .ec(let curve, _, _): return (false, curve != 0)
        case .other: return (false, false)
        }
    }
}
