/// What a `getLastSSLError()` number means, offline: the forum reports quote the number (or the
/// text) without the server, so this says which causes fit and how to tell them apart.
public struct BearSSLErrorGuide: Sendable {
    public struct Entry: Sendable, Equatable {
        public let readings: [String]
        public let causes: [String]
        public let fixes: [String]
    }

    public var capabilities: TLSCapabilities

    public init(capabilities: TLSCapabilities) {
        self.capabilities = capabilities
    }

    /// The errors the number can stand for on this core: on 3.x the alert offsets are
    /// stripped, so 40 is both "the server sent handshake_failure" and BR_ERR_X509_EXTRA_ELEMENT.
    public func errors(for number: Int) -> [BearSSLError] {
        var errors: [BearSSLError] = []
        if BearSSLError.names[number] != nil || number == 0 { errors.append(BearSSLError(number)) }
        if capabilities.lastErrorMasksAlertBits, (0...255).contains(number) { errors.append(.receivedAlert(UInt8(number))) }
        if !capabilities.lastErrorMasksAlertBits, number >= 256, number < 512 { errors = [BearSSLError(number)] }
        return errors
    }

    public func entry(for error: BearSSLError) -> Entry {
        let masks = capabilities.lastErrorMasksAlertBits
        // A client that hands the number to its HTTP client as a code (Tasmota's
        // HTTPClientLight) has no text for it: the log shows the number only.
        let reading = capabilities.connectErrors == nil ? "\(error.name): \"\(error.deviceText(masksAlertBits: masks))\"" : error.name
        if let alert = error.alert {
            switch alert {
            case 40 where capabilities.cipherSuites.count <= 4, 71 where capabilities.cipherSuites.count <= 4:
                // A short fixed offer (Tasmota's BearSSL light): name it whole.
                let suites = capabilities.cipherSuites.compactMap { CipherSuite.lookup($0)?.name }.joined(separator: " or ")
                let groups = capabilities.groups.map { TLSAdvice.groupNames[$0] ?? "group \($0)" }.joined(separator: ", ")
                return Entry(readings: [reading],
                             causes: ["The server found nothing in common with the device's fixed offer: TLS \(capabilities.versions.joined(separator: "/")), \(suites), ECDHE on \(groups) (CBC-, ChaCha20- or TLS 1.3-only servers, an x25519- or P-384-only group list, a certificate key on another curve)."],
                             fixes: ["Enable one of those suites and the \(groups) group on the server, with an RSA (≤ \(capabilities.maxRSABits) bits) or ECDSA \(groups) certificate."])
            case 40, 71:
                return Entry(readings: [reading],
                             causes: ["The server found no suite, curve or signature in common with BearSSL: an Ed25519 or RSA-PSS-only certificate, DHE-only, ARIA/Camellia-only or X448-only configurations, or an ECDSA server with setCiphersLessSecure()."],
                             fixes: ["Offer ECDHE-RSA/ECDSA AES-GCM suites with a P-256 or x25519 group and an RSA (≤ \(capabilities.maxRSABits) bits) or ECDSA P-256 certificate."])
            case 70:
                return Entry(readings: [reading], causes: ["The server speaks only TLS 1.3 (or only versions outside setSSLVersion's range)."],
                             fixes: ["Enable TLS 1.2 on the server."])
            case 80:
                return Entry(readings: [reading], causes: ["An OpenSSL 3 server at its default security level refusing TLS 1.0/1.1 (setSSLVersion limited to them)."],
                             fixes: ["Allow TLS 1.2 on the device (setSSLVersion(BR_TLS12, BR_TLS12) or the default)."])
            case 51:
                return Entry(readings: [reading], causes: ["With RSA key exchange, setKnownKey pinned a key that is not the server's: the server cannot decrypt the premaster secret."],
                             fixes: ["Pin the server's current public key."])
            default:
                return Entry(readings: [reading], causes: ["The server ended the handshake with the \(TLSAlert.name(alert)) alert."], fixes: ["Read the server's TLS log for why."])
            }
        }
        switch error.engine {
        case 0: return Entry(readings: [reading], causes: ["No TLS error recorded: the server closed the connection during the handshake without an alert, or the failure was not TLS (DNS, TCP)."], fixes: ["Check the server's TLS log and that the port speaks TLS."])
        case 3: return Entry(readings: [reading], causes: ["The server chose a TLS version outside the device's range (a TLS 1.0/1.1-only server with setSSLVersion(BR_TLS12, …))."], fixes: ["Widen setSSLVersion or enable TLS 1.2 on the server."])
        case 6: return Entry(readings: [reading], causes: ["A record larger than the receive buffer: the server ignores max_fragment_length and setBufferSizes made the buffer small."], fixes: ["Use setBufferSizes(16384, 512), or a server that honours max_fragment_length (nginx/OpenSSL)."])
        case 23: return Entry(readings: [reading], causes: ["The server's RSA key (and so its signature) is larger than 4096 bits."], fixes: ["Use an RSA 2048 or ECDSA P-256 certificate."])
        case 27: return Entry(readings: [reading], causes: ["setKnownKey pinned a key that is not the server's, or an EC key (this core's PublicKey mangles EC keys)."], fixes: ["Pin the server's current RSA public key, or use setFingerprint / setTrustAnchors."])
        case 50: return Entry(readings: [reading], causes: ["A key or signature in the chain is larger than BearSSL's X.509 buffers (RSA above 4096 bits)."], fixes: ["Use RSA ≤ 4096 bits (2048 is usual) or ECDSA keys throughout the chain."])
        case 54: return Entry(readings: [reading], causes: ["The device clock is not set (near 1970: every certificate is not yet valid) — the usual case.", "The certificate has really expired."], fixes: ["Call configTime() and wait for the time before the update, or setX509Time().", "Renew the certificate."])
        case 55: return Entry(readings: [reading], causes: ["The server sends its chain out of order or skips an intermediate."], fixes: ["Serve the full chain in order (nginx: the fullchain file)."])
        case 56: return Entry(readings: [reading], causes: ["The URL's host is not a DNS name on the certificate — often an IP address (BearSSL never matches IP SANs)."], fixes: ["Use the host name the certificate names, or setFingerprint / setKnownKey, which skip the name check."])
        case 62: return Entry(readings: [reading], causes: ["setFingerprint with an old fingerprint (the certificate was renewed).", "setTrustAnchors with a root that does not issue this server's chain, or a server that omits its intermediate.", "allowSelfSignedCerts with a CA-issued certificate.", "No trust method set at all."], fixes: ["Run otaprobe check with your --tls setting: it prints the server's fingerprint and chain."])
        case 33...48: return Entry(readings: [reading], causes: ["A certificate BearSSL's DER decoder cannot read (malformed or unusual encoding) — rare; on 3.x these numbers usually mean the alert reading."], fixes: ["Check the server's certificate with openssl x509 -text."])
        default: return Entry(readings: [reading], causes: [], fixes: [])
        }
    }
}
