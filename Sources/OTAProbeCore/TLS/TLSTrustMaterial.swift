import SwiftASN1

/// Reads the PEM files a sketch embeds (`setTrustAnchors(new X509List(pem))`,
/// `setKnownKey(new PublicKey(pem))`, `setCACert(pem)`).
public enum TLSTrustMaterial {
    public struct Unreadable: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Every CERTIFICATE block, as DER (the order of the file).
    public static func certificates(fromPEM text: String, source: String) throws(Unreadable) -> [[UInt8]] {
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
            throw Unreadable(description: "\(source) is not PEM (expected -----BEGIN CERTIFICATE----- blocks)")
        }
        let certificates = documents.filter { $0.discriminator == "CERTIFICATE" }.map(\.derBytes)
        guard !certificates.isEmpty else { throw Unreadable(description: "\(source) holds no CERTIFICATE block") }
        for der in certificates {
            do { _ = try X509Certificate(der: der) } catch {
                throw Unreadable(description: "\(source): a certificate could not be read (\(error.detail))")
            }
        }
        return certificates
    }

    /// The SubjectPublicKeyInfo of a PUBLIC KEY block, or of the first CERTIFICATE block.
    public static func publicKey(fromPEM text: String, source: String) throws(Unreadable) -> [UInt8] {
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
            throw Unreadable(description: "\(source) is not PEM (expected a -----BEGIN PUBLIC KEY----- block)")
        }
        if let key = documents.first(where: { $0.discriminator == "PUBLIC KEY" }) { return key.derBytes }
        if let certificate = documents.first(where: { $0.discriminator == "CERTIFICATE" }),
           let parsed = try? X509Certificate(der: certificate.derBytes) {
            return parsed.subjectPublicKeyInfo
        }
        throw Unreadable(description: "\(source) holds no PUBLIC KEY or CERTIFICATE block")
    }
}

/// Parses the `--tls*` option values (pure; the caller reads the files a mode names).
public enum TLSOptionSyntax {
    public enum Mode: Sendable, Equatable {
        case insecure, selfSigned, none
        case fingerprint([UInt8])
        case caFile(String)
        case knownKeyFile(String)
        case bundle(String)
    }

    public static func mode(_ text: String) throws(TLSTrustMaterial.Unreadable) -> Mode {
        let (name, value): (String, String?) = {
            guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }()
        switch (name.lowercased(), value) {
        case ("insecure", nil): return .insecure
        case ("self-signed", nil): return .selfSigned
        case ("none", nil): return .none
        case ("fingerprint", let value?):
            guard let bytes = TLSFingerprint.parse(value) else {
                throw .init(description: "--tls fingerprint= takes the 20-byte SHA-1 as 40 hex digits (AA:BB:… as in setFingerprint), not '\(value)'")
            }
            return .fingerprint(bytes)
        case ("ca", let value?) where !value.isEmpty: return .caFile(value)
        case ("known-key", let value?) where !value.isEmpty: return .knownKeyFile(value)
        case ("bundle", let value?): return .bundle(value.isEmpty ? "default" : value)
        default:
            throw .init(description: "--tls takes insecure, fingerprint=AA:BB:…, ca=FILE.pem, known-key=FILE.pem, self-signed, none or bundle=NAME, not '\(text)'")
        }
    }

    /// "RX,TX" → sizes. `setBufferSizes(int recv, int xmit)` takes any int and clamps each to
    /// 512…16384 (3.1.2:BSSL:178-192; `TLSClientOffer` applies the clamp), so every int is
    /// taken as the device takes it; a number beyond an int is no value a sketch can pass.
    public static func buffers(_ text: String) throws(TLSTrustMaterial.Unreadable) -> (Int, Int) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int32(String($0).trimmed(of: " ")) }
        guard parts.count == 2, let rx = parts[0], let tx = parts[1] else {
            throw .init(description: "--tls-buffers takes RX,TX in bytes as in setBufferSizes(int rx, int tx), each -2147483648…2147483647 (the device clamps to 512…16384), e.g. 512,512, not '\(text)'")
        }
        return (Int(rx), Int(tx))
    }

    /// "1.0-1.2" or "1.2" → (min, max).
    public static func versions(_ text: String) throws(TLSTrustMaterial.Unreadable) -> (String, String) {
        let parts = text.split(separator: "-").map { String($0).replacingPrefix("TLS", "").replacingPrefix("tls", "") }
        let valid = ["1.0", "1.1", "1.2", "1.3"]
        guard (1...2).contains(parts.count), parts.allSatisfy({ valid.contains($0) }) else {
            throw .init(description: "--tls-versions takes MIN-MAX from 1.0, 1.1, 1.2 (setSSLVersion), e.g. 1.2-1.2, not '\(text)'")
        }
        return (parts[0], parts.last!)
    }

    /// "less-secure" or a comma-separated list of IANA ids.
    public static func ciphers(_ text: String) throws(TLSTrustMaterial.Unreadable) -> [String]? {
        if text.lowercased() == "less-secure" { return nil }
        let ids = text.split(separator: ",").map { String($0).trimmed(of: " ").uppercased().replacingPrefix("0X", "") }
        for id in ids where CipherSuite.lookup(id) == nil {
            throw .init(description: "--tls-ciphers takes less-secure or IANA suite ids such as C02F,009C; '\(id)' is not one the probe knows")
        }
        guard !ids.isEmpty else { throw .init(description: "--tls-ciphers needs at least one suite") }
        return ids
    }

    /// "now", "unsynced" (a device that never set its clock) or Unix seconds.
    public static func deviceTime(_ text: String) throws(TLSTrustMaterial.Unreadable) -> Int64? {
        switch text.lowercased() {
        case "now": return nil
        case "unsynced": return 0
        default:
            guard let seconds = Int64(text), seconds >= 0 else {
                throw .init(description: "--device-time takes now, unsynced or Unix seconds 0…\(Int64.max) (setX509Time(time_t)), not '\(text)'")
            }
            return seconds
        }
    }
}

extension String {
    func trimmed(of set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }

    func replacingPrefix(_ prefix: String, _ replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
