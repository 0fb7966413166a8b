/// The ESP32's mbedTLS client decision (arduino-esp32 `WiFiClientSecure`/`NetworkClientSecure`,
/// ESP-IDF esp-tls), replayed over a recorded handshake like `BearSSLClientModel`.
///
/// The server's choices come from the restricted ClientHello; mbedTLS then fails on a fatal alert
/// (MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE), a version outside its range
/// (MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION), a plain close (MBEDTLS_ERR_SSL_CONN_EOF), or — in
/// VERIFY_REQUIRED mode — any certificate flag (MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, spec A7, B9).
/// Sources: mbedtls library/ssl_tls.c, ssl_cli.c / ssl_tls12_client.c, x509_crt.c (read, not
/// line-checked against the exact ESP-IDF submodule; see the profiles' `cite`).
public struct MbedTLSClientModel: Sendable {
    public var capabilities: TLSCapabilities
    public var offer: TLSClientOffer
    public var trust: TLSTrustMode
    /// The name checked (nil: no check, `skip_cert_common_name_check`).
    public var verifiedName: String?
    public var deviceTime: Int64
    public init(capabilities: TLSCapabilities, offer: TLSClientOffer, trust: TLSTrustMode, verifiedName: String?, deviceTime: Int64) {
        self.capabilities = capabilities
        self.offer = offer
        self.trust = trust
        self.verifiedName = verifiedName
        self.deviceTime = deviceTime
    }

    public func judge(_ transcript: TLSTranscript) -> TLSOutcome {
        var outcome = TLSOutcome(result: .established, decidedAt: "Finished", reason: "the handshake completes")
        func fail(_ error: MbedTLSError, _ at: String, _ reason: String) -> TLSOutcome {
            outcome.result = .mbedTLSFailed(error)
            outcome.decidedAt = at
            outcome.reason = reason
            return outcome
        }
        for entry in transcript.received {
            switch entry {
            case .alert(let level, let description):
                outcome.serverAlert = description
                if level == 2 {
                    return fail(MbedTLSError(MbedTLSError.fatalAlert), outcome.suite == nil ? "ServerHello" : "handshake",
                                "the server ended the handshake with a fatal \(TLSAlert.name(Int(description))) alert")
                }
            case .handshake(2, let body):
                guard let hello = ServerHello(body: body) else {
                    return fail(MbedTLSError(MbedTLSError.badServerHello), "ServerHello", "the ServerHello could not be decoded")
                }
                outcome.version = hello.version
                let low = TLSClientOffer.wireVersion(offer.minVersion), high = TLSClientOffer.wireVersion(offer.maxVersion)
                if hello.version < low || hello.version > high {
                    return fail(MbedTLSError(MbedTLSError.badProtocolVersion), "ServerHello",
                                "the server chose \(TLSOutcome.versionName(hello.version) ?? "?"); the device accepts TLS \(offer.minVersion)–\(offer.maxVersion)")
                }
                guard let suite = offer.cipherSuites.first(where: { $0.id == hello.cipherSuite }) else {
                    return fail(MbedTLSError(MbedTLSError.badServerHello), "ServerHello", "the server chose a cipher suite the device did not offer")
                }
                outcome.suite = suite
            case .handshake(11, let body):
                let chain = TLSTranscript.certificateList(body).compactMap { try? X509Certificate(der: $0) }
                outcome.chain = chain
                if let flags = verificationFlags(chain), !flags.isEmpty {
                    return fail(MbedTLSError(MbedTLSError.certificateVerifyFailed, verifyFlags: flags), "Certificate",
                                "the certificate check failed: " + flags.map(\.text).joined(separator: "; "))
                }
            default:
                continue
            }
        }
        if transcript.completed {
            outcome.reason = "\(TLSOutcome.versionName(outcome.version) ?? "TLS"), \(outcome.suite?.name ?? "?")"
            return outcome
        }
        outcome.notes.append("The server closed the connection during the handshake without an alert.")
        return fail(MbedTLSError(MbedTLSError.connectionEOF), "handshake", "the connection ended before the handshake finished")
    }

    /// nil when the mode checks nothing (setInsecure).
    private func verificationFlags(_ chain: [X509Certificate]) -> [MbedTLSError.VerifyFlag]? {
        let anchors: [X509Certificate]
        switch trust {
        case .insecure: return nil
        case .certificateAuthorities(let ders): anchors = ders.compactMap { try? X509Certificate(der: $0) }
        case .bundle(_, let ders): anchors = ders.compactMap { try? X509Certificate(der: $0) }
        default: anchors = []
        }
        let verifier = MbedTLSX509Verify(anchors: anchors, hostname: verifiedName, deviceTime: deviceTime,
                                         matchesIPAddressNames: capabilities.matchesIPAddressNames)
        return verifier.verify(chain)
    }
}
