/// TLS 1.0–1.2 cipher suites the device profiles name, with what the device checks about them.
///
/// Why a catalog: profiles list suites by IANA id (as the device sources do); the transport
/// needs OpenSSL's names to offer them, and the BearSSL model needs each suite's key exchange
/// (which key type the certificate must carry) and whether it is TLS 1.2-only
/// (`use-tls12?`, bearssl src/ssl/ssl_hs_client.t0:706).
public struct CipherSuite: Sendable, Equatable {
    public enum KeyExchange: String, Sendable, Equatable {
        case ecdheECDSA, ecdheRSA, ecdhECDSA, ecdhRSA, rsa, dheRSA, psk
    }

    public let id: UInt16
    /// IANA name without the TLS_ prefix.
    public let name: String
    /// OpenSSL's name; nil when OpenSSL 3 cannot offer it (static ECDH), so the emulated
    /// ClientHello lacks it — noted in the report.
    public let openSSLName: String?
    public let keyExchange: KeyExchange
    /// AEAD or SHA-256/384 MAC: only valid with TLS 1.2.
    public let tls12Only: Bool

    public var hex: String { String(id, radix: 16, uppercase: true).leftPadded(to: 4) }

    public static func lookup(_ hex: String) -> CipherSuite? {
        guard let id = UInt16(hex, radix: 16) else { return nil }
        return byID[id]
    }

    public static func lookup(_ id: UInt16) -> CipherSuite? { byID[id] }

    static let byID: [UInt16: CipherSuite] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    static let all: [CipherSuite] = [
        .init(id: 0xCCA9, name: "ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", openSSLName: "ECDHE-ECDSA-CHACHA20-POLY1305", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xCCA8, name: "ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openSSLName: "ECDHE-RSA-CHACHA20-POLY1305", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xCCAA, name: "DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openSSLName: "DHE-RSA-CHACHA20-POLY1305", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0xC02B, name: "ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", openSSLName: "ECDHE-ECDSA-AES128-GCM-SHA256", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC02F, name: "ECDHE_RSA_WITH_AES_128_GCM_SHA256", openSSLName: "ECDHE-RSA-AES128-GCM-SHA256", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC02C, name: "ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", openSSLName: "ECDHE-ECDSA-AES256-GCM-SHA384", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC030, name: "ECDHE_RSA_WITH_AES_256_GCM_SHA384", openSSLName: "ECDHE-RSA-AES256-GCM-SHA384", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC0AC, name: "ECDHE_ECDSA_WITH_AES_128_CCM", openSSLName: "ECDHE-ECDSA-AES128-CCM", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC0AD, name: "ECDHE_ECDSA_WITH_AES_256_CCM", openSSLName: "ECDHE-ECDSA-AES256-CCM", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC0AE, name: "ECDHE_ECDSA_WITH_AES_128_CCM_8", openSSLName: "ECDHE-ECDSA-AES128-CCM8", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC0AF, name: "ECDHE_ECDSA_WITH_AES_256_CCM_8", openSSLName: "ECDHE-ECDSA-AES256-CCM8", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC023, name: "ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", openSSLName: "ECDHE-ECDSA-AES128-SHA256", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC027, name: "ECDHE_RSA_WITH_AES_128_CBC_SHA256", openSSLName: "ECDHE-RSA-AES128-SHA256", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC024, name: "ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", openSSLName: "ECDHE-ECDSA-AES256-SHA384", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC028, name: "ECDHE_RSA_WITH_AES_256_CBC_SHA384", openSSLName: "ECDHE-RSA-AES256-SHA384", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC009, name: "ECDHE_ECDSA_WITH_AES_128_CBC_SHA", openSSLName: "ECDHE-ECDSA-AES128-SHA", keyExchange: .ecdheECDSA, tls12Only: false),
        .init(id: 0xC013, name: "ECDHE_RSA_WITH_AES_128_CBC_SHA", openSSLName: "ECDHE-RSA-AES128-SHA", keyExchange: .ecdheRSA, tls12Only: false),
        .init(id: 0xC00A, name: "ECDHE_ECDSA_WITH_AES_256_CBC_SHA", openSSLName: "ECDHE-ECDSA-AES256-SHA", keyExchange: .ecdheECDSA, tls12Only: false),
        .init(id: 0xC014, name: "ECDHE_RSA_WITH_AES_256_CBC_SHA", openSSLName: "ECDHE-RSA-AES256-SHA", keyExchange: .ecdheRSA, tls12Only: false),
        .init(id: 0xC02D, name: "ECDH_ECDSA_WITH_AES_128_GCM_SHA256", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: true),
        .init(id: 0xC031, name: "ECDH_RSA_WITH_AES_128_GCM_SHA256", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: true),
        .init(id: 0xC02E, name: "ECDH_ECDSA_WITH_AES_256_GCM_SHA384", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: true),
        .init(id: 0xC032, name: "ECDH_RSA_WITH_AES_256_GCM_SHA384", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: true),
        .init(id: 0xC025, name: "ECDH_ECDSA_WITH_AES_128_CBC_SHA256", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: true),
        .init(id: 0xC029, name: "ECDH_RSA_WITH_AES_128_CBC_SHA256", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: true),
        .init(id: 0xC026, name: "ECDH_ECDSA_WITH_AES_256_CBC_SHA384", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: true),
        .init(id: 0xC02A, name: "ECDH_RSA_WITH_AES_256_CBC_SHA384", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: true),
        .init(id: 0xC004, name: "ECDH_ECDSA_WITH_AES_128_CBC_SHA", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: false),
        .init(id: 0xC00E, name: "ECDH_RSA_WITH_AES_128_CBC_SHA", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: false),
        .init(id: 0xC005, name: "ECDH_ECDSA_WITH_AES_256_CBC_SHA", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: false),
        .init(id: 0xC00F, name: "ECDH_RSA_WITH_AES_256_CBC_SHA", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: false),
        .init(id: 0x009C, name: "RSA_WITH_AES_128_GCM_SHA256", openSSLName: "AES128-GCM-SHA256", keyExchange: .rsa, tls12Only: true),
        .init(id: 0x009D, name: "RSA_WITH_AES_256_GCM_SHA384", openSSLName: "AES256-GCM-SHA384", keyExchange: .rsa, tls12Only: true),
        .init(id: 0xC09C, name: "RSA_WITH_AES_128_CCM", openSSLName: "AES128-CCM", keyExchange: .rsa, tls12Only: true),
        .init(id: 0xC09D, name: "RSA_WITH_AES_256_CCM", openSSLName: "AES256-CCM", keyExchange: .rsa, tls12Only: true),
        .init(id: 0xC0A0, name: "RSA_WITH_AES_128_CCM_8", openSSLName: "AES128-CCM8", keyExchange: .rsa, tls12Only: true),
        .init(id: 0xC0A1, name: "RSA_WITH_AES_256_CCM_8", openSSLName: "AES256-CCM8", keyExchange: .rsa, tls12Only: true),
        .init(id: 0x003C, name: "RSA_WITH_AES_128_CBC_SHA256", openSSLName: "AES128-SHA256", keyExchange: .rsa, tls12Only: true),
        .init(id: 0x003D, name: "RSA_WITH_AES_256_CBC_SHA256", openSSLName: "AES256-SHA256", keyExchange: .rsa, tls12Only: true),
        .init(id: 0x002F, name: "RSA_WITH_AES_128_CBC_SHA", openSSLName: "AES128-SHA", keyExchange: .rsa, tls12Only: false),
        .init(id: 0x0035, name: "RSA_WITH_AES_256_CBC_SHA", openSSLName: "AES256-SHA", keyExchange: .rsa, tls12Only: false),
        .init(id: 0xC008, name: "ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", openSSLName: "ECDHE-ECDSA-DES-CBC3-SHA", keyExchange: .ecdheECDSA, tls12Only: false),
        .init(id: 0xC012, name: "ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", openSSLName: "ECDHE-RSA-DES-CBC3-SHA", keyExchange: .ecdheRSA, tls12Only: false),
        .init(id: 0xC003, name: "ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", openSSLName: nil, keyExchange: .ecdhECDSA, tls12Only: false),
        .init(id: 0xC00D, name: "ECDH_RSA_WITH_3DES_EDE_CBC_SHA", openSSLName: nil, keyExchange: .ecdhRSA, tls12Only: false),
        .init(id: 0x000A, name: "RSA_WITH_3DES_EDE_CBC_SHA", openSSLName: "DES-CBC3-SHA", keyExchange: .rsa, tls12Only: false),
        .init(id: 0x009E, name: "DHE_RSA_WITH_AES_128_GCM_SHA256", openSSLName: "DHE-RSA-AES128-GCM-SHA256", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0x009F, name: "DHE_RSA_WITH_AES_256_GCM_SHA384", openSSLName: "DHE-RSA-AES256-GCM-SHA384", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0x0033, name: "DHE_RSA_WITH_AES_128_CBC_SHA", openSSLName: "DHE-RSA-AES128-SHA", keyExchange: .dheRSA, tls12Only: false),
        .init(id: 0x0039, name: "DHE_RSA_WITH_AES_256_CBC_SHA", openSSLName: "DHE-RSA-AES256-SHA", keyExchange: .dheRSA, tls12Only: false),
        .init(id: 0x0067, name: "DHE_RSA_WITH_AES_128_CBC_SHA256", openSSLName: "DHE-RSA-AES128-SHA256", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0x006B, name: "DHE_RSA_WITH_AES_256_CBC_SHA256", openSSLName: "DHE-RSA-AES256-SHA256", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0xC09E, name: "DHE_RSA_WITH_AES_128_CCM", openSSLName: "DHE-RSA-AES128-CCM", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0xC09F, name: "DHE_RSA_WITH_AES_256_CCM", openSSLName: "DHE-RSA-AES256-CCM", keyExchange: .dheRSA, tls12Only: true),
        .init(id: 0xC05C, name: "ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", openSSLName: "ECDHE-ECDSA-ARIA128-GCM-SHA256", keyExchange: .ecdheECDSA, tls12Only: true),
        .init(id: 0xC060, name: "ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", openSSLName: "ECDHE-ARIA128-GCM-SHA256", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC050, name: "RSA_WITH_ARIA_128_GCM_SHA256", openSSLName: "ARIA128-GCM-SHA256", keyExchange: .rsa, tls12Only: true),
        .init(id: 0x0041, name: "RSA_WITH_CAMELLIA_128_CBC_SHA", openSSLName: "CAMELLIA128-SHA", keyExchange: .rsa, tls12Only: false),
        .init(id: 0x0084, name: "RSA_WITH_CAMELLIA_256_CBC_SHA", openSSLName: "CAMELLIA256-SHA", keyExchange: .rsa, tls12Only: false),
        .init(id: 0xC076, name: "ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", openSSLName: "ECDHE-RSA-CAMELLIA128-SHA256", keyExchange: .ecdheRSA, tls12Only: true),
        .init(id: 0xC072, name: "ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", openSSLName: "ECDHE-ECDSA-CAMELLIA128-SHA256", keyExchange: .ecdheECDSA, tls12Only: true),
    ]
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
