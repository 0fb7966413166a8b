/// How the sketch told its TLS client to trust the server, named after the call it made.
///
/// Why mirror the API: a user reading their own sketch can pick the flag (`setFingerprint` →
/// `--tls fingerprint=…`), and the device's decision differs completely per call.
public enum TLSTrustMode: Sendable, Equatable {
    /// `setInsecure()`: any chain, no name or date check.
    case insecure
    /// `setFingerprint(fp)`: the SHA-1 of the leaf certificate's DER must match.
    case fingerprint([UInt8])
    /// `setTrustAnchors(new X509List(pem))` / `setCACert(pem)`: the chain must reach one of these
    /// certificates (DER), with name and date checks.
    case certificateAuthorities([[UInt8]])
    /// `setKnownKey(new PublicKey(pem))`: only the server's key (SubjectPublicKeyInfo DER) counts.
    case knownKey([UInt8])
    /// `allowSelfSignedCerts()`: the leaf's subject must equal its issuer; nothing else is checked.
    case selfSigned
    /// A `WiFiClientSecure` on which nothing was configured.
    case none
    /// ESP32: a certificate bundle (`esp_crt_bundle_attach`, `setCACertBundle`): its name and
    /// its root certificates (DER).
    case bundle(name: String, certificates: [[UInt8]])

    /// The flag value that selects this mode, for reports ("fingerprint=AA:BB:…").
    public var flagValue: String {
        switch self {
        case .insecure: return "insecure"
        case .fingerprint(let bytes): return "fingerprint=" + TLSFingerprint.format(bytes)
        case .certificateAuthorities(let certificates): return "ca=(\(certificates.count) certificate\(certificates.count == 1 ? "" : "s"))"
        case .knownKey: return "known-key=(key)"
        case .selfSigned: return "self-signed"
        case .none: return "none"
        case .bundle(let name, _): return "bundle=\(name)"
        }
    }

    /// The sketch call this mode stands for.
    public var sketchCall: String {
        switch self {
        case .insecure: return "client.setInsecure()"
        case .fingerprint: return "client.setFingerprint(fp)"
        case .certificateAuthorities: return "client.setTrustAnchors(&certs) / setCACert(pem)"
        case .knownKey: return "client.setKnownKey(&key)"
        case .selfSigned: return "client.allowSelfSignedCerts()"
        case .none: return "no trust method set on WiFiClientSecure"
        case .bundle: return "esp_crt_bundle_attach (certificate bundle)"
        }
    }
}

/// SHA-1 fingerprints as `setFingerprint` takes them.
public enum TLSFingerprint {
    /// "AA:BB:…" (upper-case hex, colon-separated).
    public static func format(_ bytes: [UInt8]) -> String {
        bytes.map { String(byte: $0).uppercased() }.joined(separator: ":")
    }

    /// Parses 40 hex digits, with or without ':' / ' ' / '-' separators (the forms sketches use).
    public static func parse(_ text: String) -> [UInt8]? {
        let digits = text.filter { !":- ".contains($0) }
        guard digits.count == 40 else { return nil }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
