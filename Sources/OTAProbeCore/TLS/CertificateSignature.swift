import Crypto
import SwiftASN1
import _CryptoExtras

/// Checks that `issuerKey` (a SubjectPublicKeyInfo) signed `certificate`, for the algorithms the
/// device validators support: RSA PKCS#1 v1.5 and ECDSA, with SHA-1 … SHA-512 (BearSSL
/// src/x509/x509_minimal.t0:1510-1545; SHA-224 is accepted there but not checkable here and
/// counts as valid).
enum CertificateSignature {
    static func isValid(_ certificate: X509Certificate, signedBy issuerKey: [UInt8]) -> Bool {
        let tbs = certificate.tbs, signature = certificate.signature
        switch certificate.signatureAlgorithm {
        case "1.2.840.113549.1.1.5": return rsa(issuerKey, signature, Insecure.SHA1.hash(data: tbs))
        case "1.2.840.113549.1.1.11": return rsa(issuerKey, signature, SHA256.hash(data: tbs))
        case "1.2.840.113549.1.1.12": return rsa(issuerKey, signature, SHA384.hash(data: tbs))
        case "1.2.840.113549.1.1.13": return rsa(issuerKey, signature, SHA512.hash(data: tbs))
        case "1.2.840.10045.4.1": return ecdsa(issuerKey, signature, Insecure.SHA1.hash(data: tbs))
        case "1.2.840.10045.4.3.2": return ecdsa(issuerKey, signature, SHA256.hash(data: tbs))
        case "1.2.840.10045.4.3.3": return ecdsa(issuerKey, signature, SHA384.hash(data: tbs))
        case "1.2.840.10045.4.3.4": return ecdsa(issuerKey, signature, SHA512.hash(data: tbs))
        case "1.2.840.113549.1.1.14", "1.2.840.10045.4.3.1": return true
        default: return false
        }
    }

    /// Signature OIDs the validators accept (anything else is BR_ERR_X509_UNSUPPORTED).
    static let supported: Set<String> = [
        "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.14", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12",
        "1.2.840.113549.1.1.13", "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2",
        "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
    ]

    private static func rsa(_ spki: [UInt8], _ signature: [UInt8], _ digest: some Digest) -> Bool {
        guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: spki) else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .insecurePKCS1v1_5)
    }

    private static func ecdsa(_ spki: [UInt8], _ signature: [UInt8], _ digest: some Digest) -> Bool {
        if let key = try? P256.Signing.PublicKey(derRepresentation: spki), let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) {
            return key.isValidSignature(sig, for: digest)
        }
        if let key = try? P384.Signing.PublicKey(derRepresentation: spki), let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature) {
            return key.isValidSignature(sig, for: digest)
        }
        if let key = try? P521.Signing.PublicKey(derRepresentation: spki), let sig = try? P521.Signing.ECDSASignature(derRepresentation: signature) {
            return key.isValidSignature(sig, for: digest)
        }
        return false
    }
}
