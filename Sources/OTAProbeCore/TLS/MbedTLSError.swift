/// An mbedTLS error as the ESP32 stacks surface it: the negative code that
/// `WiFiClientSecure::lastError()` (arduino-esp32) and `esp_http_client_get_and_clear_last_tls_error()`
/// (ESP-IDF) return, its macro name, `mbedtls_strerror()` text, and — for a failed certificate
/// check — the `mbedtls_x509_crt_verify_info()` lines.
public struct MbedTLSError: Sendable, Equatable {
    public let code: Int
    /// `MBEDTLS_X509_BADCERT_*` flags (names), in the order verify_info prints them.
    public let verifyFlags: [VerifyFlag]

    public init(_ code: Int, verifyFlags: [VerifyFlag] = []) {
        self.code = code
        self.verifyFlags = verifyFlags
    }

    public static let certificateVerifyFailed = -0x2700
    public static let fatalAlert = -0x7780
    public static let connectionEOF = -0x7280
    public static let badProtocolVersion = -0x6E80
    public static let badServerHello = -0x7980

    public var name: String {
        switch code {
        case Self.certificateVerifyFailed: return "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED"
        case Self.fatalAlert: return "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"
        case Self.connectionEOF: return "MBEDTLS_ERR_SSL_CONN_EOF"
        case Self.badProtocolVersion: return "MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION"
        case Self.badServerHello: return "MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO"
        default: return "-0x" + String(-code, radix: 16, uppercase: true)
        }
    }

    /// `mbedtls_strerror()`'s text.
    public var text: String {
        switch code {
        case Self.certificateVerifyFailed: return "X509 - Certificate verification failed, e.g. CRL, CA or signature check failed"
        case Self.fatalAlert: return "SSL - A fatal alert message was received from our peer"
        case Self.connectionEOF: return "SSL - The connection indicated an EOF"
        case Self.badProtocolVersion: return "SSL - Handshake protocol not within min/max boundaries"
        case Self.badServerHello: return "SSL - Processing of the ServerHello handshake message failed"
        default: return "UNKNOWN ERROR CODE (\(String(-code, radix: 16, uppercase: true)))"
        }
    }

    /// "-0x2700", as the logs print it.
    public var hex: String { (code < 0 ? "-0x" : "0x") + String(abs(code), radix: 16, uppercase: true) }

    public enum VerifyFlag: String, Sendable, Equatable, CaseIterable {
        case expired = "MBEDTLS_X509_BADCERT_EXPIRED"
        case cnMismatch = "MBEDTLS_X509_BADCERT_CN_MISMATCH"
        case notTrusted = "MBEDTLS_X509_BADCERT_NOT_TRUSTED"
        case future = "MBEDTLS_X509_BADCERT_FUTURE"
        case badMD = "MBEDTLS_X509_BADCERT_BAD_MD"
        case badPK = "MBEDTLS_X509_BADCERT_BAD_PK"
        case badKey = "MBEDTLS_X509_BADCERT_BAD_KEY"

        /// The line `mbedtls_x509_crt_verify_info()` prints for the flag.
        public var text: String {
            switch self {
            case .expired: return "The certificate validity has expired"
            case .cnMismatch: return "The certificate Common Name (CN) does not match with the expected CN"
            case .notTrusted: return "The certificate is not correctly signed by the trusted CA"
            case .future: return "The certificate validity starts in the future"
            case .badMD: return "The certificate is signed with an unacceptable hash."
            case .badPK: return "The certificate is signed with an unacceptable PK alg (eg RSA vs ECDSA)."
            case .badKey: return "The certificate is signed with an unacceptable key (eg bad curve, RSA too short)."
            }
        }
    }
}
