/// One sentence per X.509 failure, naming the certificate and the fact that failed — the part of
/// the report a user acts on.
enum X509Explanation {
    static func sentence(for code: Int, chain: [X509Certificate], host: String, deviceTime: Int64, anchors: [X509Certificate]) -> String {
        let leaf = chain.first
        switch code {
        case 54:
            let bad = chain.first { deviceTime < $0.notBefore || deviceTime > $0.notAfter }
            guard let bad else { return "a certificate is outside its validity period" }
            let when = UnixTime.date(deviceTime)
            if deviceTime < bad.notBefore {
                return "the device clock (\(when)) is before \(bad.subjectText)'s notBefore (\(UnixTime.date(bad.notBefore)))" +
                    (deviceTime < 86400 * 365 ? ": the device never set its clock" : "")
            }
            return "\(bad.subjectText) expired on \(UnixTime.date(bad.notAfter)) (device clock \(when))"
        case 56:
            let names = (leaf?.dnsNames ?? leaf?.commonNames ?? []).joined(separator: ", ")
            let ips = leaf?.ipAddresses ?? []
            var text = "the certificate names \(names.isEmpty ? "no DNS name" : names)"
            if !ips.isEmpty { text += " (and IP \(ips.joined(separator: ", ")), which BearSSL never matches)" }
            return text + ", not \(host)"
        case 62:
            if anchors.isEmpty { return "no trust anchor is configured, so no chain can be trusted" }
            let top = chain.last?.issuerText ?? "?"
            return "the chain ends at a certificate issued by \(top), which is not among the \(anchors.count) trust anchor(s) (\(anchors.map(\.subjectText).joined(separator: "; ")))"
        case 55: return "the server's certificates are out of order or an intermediate is missing (each certificate's issuer must be the next one's subject)"
        case 50: return "a key or signature in the chain is larger than BearSSL's buffers (RSA keys above 4096 bits)"
        case 49: return "a certificate uses a key or signature algorithm BearSSL does not implement (\(leaf?.keyDescription ?? "?"); only RSA PKCS#1 and ECDSA P-256/384/521)"
        case 52: return "a certificate's signature does not verify with its issuer's key"
        case 57: return "a certificate carries a critical extension BearSSL does not know"
        case 58: return "an intermediate is not marked as a CA (basicConstraints)"
        case 59: return "an intermediate's keyUsage does not allow certificate signing"
        case 60: return "an RSA key in the chain is shorter than 1024 bits"
        case 35: return "the server sent an empty certificate chain"
        default: return BearSSLError(code).deviceText(masksAlertBits: true)
        }
    }
}
