/// BearSSL's `x509_minimal` validator (CA mode, and "nothing configured" = zero anchors), as the
/// ESP8266 runs it: certificates are checked leaf first, each field in decoding order, and the
/// first failure is the error the device reports.
///
/// Order per certificate (bearssl src/x509/x509_minimal.t0 `decode-certificate`, 1249-1574):
/// version → validity against the device clock (EXPIRED, 1275) → subject (leaf: CN compared with
/// the host; others: must equal the previous issuer, DN_MISMATCH) → public key (RSA modulus
/// into a 520-byte buffer: LIMIT_EXCEEDED; below 1024 bits: WEAK_PUBLIC_KEY; EC only on
/// P-256/384/521; anything else UNSUPPORTED) → for a CA, the signature of the previous
/// certificate → extensions (basicConstraints, keyUsage, SAN replaces the CN match, unknown
/// critical ones fail) → leaf: host name (BAD_SERVER_NAME; dNSName only, never iPAddress) →
/// leaf: direct trust → CA without basicConstraints: NOT_CA → signature algorithm (RSA PKCS#1 or
/// ECDSA only: UNSUPPORTED) → signature size (512 bytes) → issuer is an anchor? Then its
/// signature decides. A chain that never reaches an anchor ends in NOT_TRUSTED (62, 257).
public struct BearSSLX509Minimal: Sendable {
    public var anchors: [X509Certificate]
    /// The host string as the sketch passed it (SNI and name check use the same string).
    public var serverName: String?
    /// The device clock in Unix seconds.
    public var deviceTime: Int64
    public var capabilities: TLSCapabilities

    public init(anchors: [X509Certificate], serverName: String?, deviceTime: Int64, capabilities: TLSCapabilities) {
        self.anchors = anchors
        self.serverName = serverName
        self.deviceTime = deviceTime
        self.capabilities = capabilities
    }

    /// nil when the chain is trusted; otherwise the engine error.
    public func validate(_ chain: [X509Certificate]) -> BearSSLError? {
        if chain.isEmpty { return BearSSLError(35) }
        for (index, certificate) in chain.enumerated() {
            switch check(certificate, at: index, previous: index > 0 ? chain[index - 1] : nil) {
            case .failed(let code): return BearSSLError(code)
            case .trusted: return nil
            case .next: continue
            }
        }
        return BearSSLError(62)
    }

    private enum Step { case failed(Int), trusted, next }

    private func check(_ certificate: X509Certificate, at index: Int, previous: X509Certificate?) -> Step {
        let isLeaf = index == 0
        if certificate.version > 2 { return .failed(49) }
        if deviceTime < certificate.notBefore || deviceTime > certificate.notAfter { return .failed(54) }
        var nameMatched = false
        if isLeaf {
            nameMatched = certificate.commonNames.contains { matches($0) }
        } else if let previous, certificate.subject != previous.issuer {
            return .failed(55)
        }
        switch certificate.key {
        case .rsa(let modulus, let exponent):
            if modulus > capabilities.x509KeyBufferBytes || modulus + exponent > capabilities.x509KeyBufferBytes { return .failed(50) }
            if modulus < capabilities.minRSABits / 8 { return .failed(60) }
        case .ec(let curve, _, let point):
            if curve == 0 { return .failed(49) }
            if point.count > capabilities.x509KeyBufferBytes { return .failed(50) }
        case .other:
            return .failed(49)
        }
        if !isLeaf, let previous, !CertificateSignature.isValid(previous, signedBy: certificate.subjectPublicKeyInfo) {
            return .failed(52)
        }
        var sawBasicConstraints = false
        for ext in certificate.extensions {
            switch ext.oid {
            case "2.5.29.19":
                if !isLeaf {
                    guard certificate.isCA else { return .failed(58) }
                    if let pathLength = Self.pathLength(ext.value), pathLength < index - 1 { return .failed(58) }
                    sawBasicConstraints = true
                }
            case "2.5.29.15":
                if !isLeaf, let bits = Self.keyUsageBits(ext.value), bits & 0x04 == 0 { return .failed(59) }
            case "2.5.29.17":
                if isLeaf { nameMatched = (certificate.dnsNames ?? []).contains { matches($0) } }
            case "2.5.29.32", "2.5.29.35", "2.5.29.14", "2.5.29.18", "2.5.29.9", "2.5.29.31", "2.5.29.46",
                 "1.3.6.1.5.5.7.1.1", "1.3.6.1.5.5.7.1.11":
                break
            default:
                if ext.critical { return .failed(57) }
            }
        }
        if isLeaf {
            let hasName = !(serverName ?? "").isEmpty
            if hasName && !nameMatched { return .failed(56) }
            // Direct trust: only anchors without the CA flag (X509List sets BR_X509_TA_CA from
            // basicConstraints), same DN and same key (x509_minimal.t0:372-415).
            if anchors.contains(where: { !$0.isCA && $0.subject == certificate.subject && $0.subjectPublicKeyInfo == certificate.subjectPublicKeyInfo }) {
                return .trusted
            }
        }
        if !isLeaf && !sawBasicConstraints { return .failed(58) }
        if !CertificateSignature.supported.contains(certificate.signatureAlgorithm) { return .failed(49) }
        if certificate.signature.count > capabilities.x509SignatureBufferBytes { return .failed(50) }
        // Only CA anchors can vouch for an issuer (x509_minimal.t0:424-438).
        for anchor in anchors where anchor.isCA && anchor.subject == certificate.issuer {
            if CertificateSignature.isValid(certificate, signedBy: anchor.subjectPublicKeyInfo) { return .trusted }
        }
        return .next
    }

    /// BearSSL's name rule: exact (case-insensitive), or "*." plus the host's part after its
    /// first dot (x509_minimal.t0:845-878).
    func matches(_ name: String) -> Bool {
        guard let host = serverName, !host.isEmpty else { return false }
        return CertificateName.matches(name, host: host)
    }

    static func pathLength(_ value: [UInt8]) -> Int? {
        // SEQUENCE { BOOLEAN?, INTEGER? }: the INTEGER, if present, is the last element.
        guard value.count >= 5, value[value.count - 3] == 0x02, value[value.count - 2] == 0x01 else { return nil }
        return Int(value[value.count - 1])
    }

    static func keyUsageBits(_ value: [UInt8]) -> UInt8? {
        guard value.count >= 4, value[0] == 0x03 else { return nil }
        return value[3]
    }
}

/// Certificate name matching as both device stacks do it: equal ignoring case, or a leading
/// "*." that stands for exactly the host's first label (BearSSL x509_minimal.t0:845-878;
/// mbedTLS x509_crt.c x509_check_wildcard).
enum CertificateName {
    static func matches(_ name: String, host: String) -> Bool {
        if name.lowercased() == host.lowercased() { return true }
        if name.hasPrefix("*."), let dot = host.firstIndex(of: ".") {
            return name.dropFirst(2).lowercased() == host[host.index(after: dot)...].lowercased()
        }
        return false
    }
}
