/// mbedTLS's certificate check (`mbedtls_x509_crt_verify_with_profile` with the default profile),
/// as the ESP32 stacks run it in `MBEDTLS_SSL_VERIFY_REQUIRED` mode: unlike BearSSL it does not
/// stop at the first problem but collects flags, and the handshake fails if any is set
/// (MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, -0x2700).
///
/// Rules: the name is matched against subjectAltName dNSName entries (iPAddress entries too from
/// mbedTLS 3.5), or the CN when there is no SAN; each certificate on the path must be within its
/// dates; the path must end at a trusted certificate (an intermediate in the trust list is
/// enough); the default profile refuses SHA-1 signatures and RSA keys below 2048 bits.
public struct MbedTLSX509Verify: Sendable {
    public var anchors: [X509Certificate]
    /// nil = no name check (ESP-IDF `skip_cert_common_name_check`).
    public var hostname: String?
    public var deviceTime: Int64
    public var matchesIPAddressNames: Bool

    public init(anchors: [X509Certificate], hostname: String?, deviceTime: Int64, matchesIPAddressNames: Bool) {
        self.anchors = anchors
        self.hostname = hostname
        self.deviceTime = deviceTime
        self.matchesIPAddressNames = matchesIPAddressNames
    }

    public func verify(_ chain: [X509Certificate]) -> [MbedTLSError.VerifyFlag] {
        guard let leaf = chain.first else { return [.notTrusted] }
        var flags = Set<MbedTLSError.VerifyFlag>()
        if let hostname, !nameMatches(leaf, hostname) { flags.insert(.cnMismatch) }
        var path: [X509Certificate] = [leaf]
        var trusted = anchors.contains { $0.der == leaf.der }
        var current = leaf
        var index = 0
        while !trusted {
            if let anchor = anchors.first(where: { $0.subject == current.issuer && CertificateSignature.isValid(current, signedBy: $0.subjectPublicKeyInfo) }) {
                checkSignature(of: current, by: anchor, into: &flags)
                trusted = true
                break
            }
            index += 1
            guard index < chain.count, chain[index].subject == current.issuer, chain[index].isCA,
                  CertificateSignature.isValid(current, signedBy: chain[index].subjectPublicKeyInfo) else { break }
            checkSignature(of: current, by: chain[index], into: &flags)
            current = chain[index]
            path.append(current)
        }
        if !trusted { flags.insert(.notTrusted) }
        for certificate in path {
            if deviceTime > certificate.notAfter { flags.insert(.expired) }
            if deviceTime < certificate.notBefore { flags.insert(.future) }
        }
        return MbedTLSError.VerifyFlag.allCases.filter { flags.contains($0) }
    }

    /// The default profile: SHA-256 and up, RSA keys of 2048 bits and up (x509_crt.c
    /// `mbedtls_x509_crt_profile_default`).
    private func checkSignature(of child: X509Certificate, by parent: X509Certificate, into flags: inout Set<MbedTLSError.VerifyFlag>) {
        if ["1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.840.113549.1.1.4"].contains(child.signatureAlgorithm) { flags.insert(.badMD) }
        if let bits = parent.rsaBits, bits < 2048 { flags.insert(.badKey) }
    }

    func nameMatches(_ certificate: X509Certificate, _ host: String) -> Bool {
        func matches(_ name: String) -> Bool { CertificateName.matches(name, host: host) }
        if let dns = certificate.dnsNames {
            if dns.contains(where: matches) { return true }
            return matchesIPAddressNames && certificate.ipAddresses.contains(host)
        }
        return certificate.commonNames.contains(where: matches)
    }
}
