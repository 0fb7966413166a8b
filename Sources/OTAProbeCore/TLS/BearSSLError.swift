/// A BearSSL engine error as the ESP8266 reports it through `getLastSSLError()`.
///
/// `engine` is `br_ssl_engine_last_error()` (received alerts are 256 + the alert number, sent
/// alerts 512 + …; bearssl inc/bearssl_ssl.h:99-225, inc/bearssl_x509.h:130-223). The core's
/// `getLastSSLError(char*, size_t)` clears those two bits from the number it returns and says
/// "SSL received fatal alert - " in the text instead, looking the remaining number up in its
/// own table (3.1.2 libraries/ESP8266WiFi/src/WiFiClientSecureBearSSL.cpp:1348-1430) — so a
/// received handshake_failure (296) comes back as 40, with the text of BR_ERR_X509_EXTRA_ELEMENT.
public struct BearSSLError: Sendable, Equatable {
    public let engine: Int

    public init(_ engine: Int) { self.engine = engine }

    public static let ok = BearSSLError(0)
    public static let receivedFatalAlertBit = 256
    public static let sentFatalAlertBit = 512

    public static func receivedAlert(_ description: UInt8) -> BearSSLError { BearSSLError(receivedFatalAlertBit + Int(description)) }

    /// The alert number when this is a received (or sent) fatal alert.
    public var alert: Int? {
        if engine & Self.receivedFatalAlertBit != 0 { return engine & 0xFF }
        if engine & Self.sentFatalAlertBit != 0 { return engine & 0xFF }
        return nil
    }

    public var isReceivedAlert: Bool { engine & Self.receivedFatalAlertBit != 0 }

    /// What `getLastSSLError()` returns on this core.
    public func deviceNumber(masksAlertBits: Bool) -> Int {
        masksAlertBits ? engine & ~(Self.receivedFatalAlertBit | Self.sentFatalAlertBit) : engine
    }

    /// The text `getLastSSLError(buf, len)` writes. Cores that strip the alert bits (3.0.2+)
    /// say so in a prefix; older ones look the whole number up and find nothing for an alert.
    public func deviceText(masksAlertBits: Bool) -> String {
        // The switch has no case for 0, so "OK" is overwritten by its default: "Unknown error code."
        guard masksAlertBits else { return Self.texts[engine] ?? "Unknown error code." }
        var prefix = ""
        if engine & Self.receivedFatalAlertBit != 0 { prefix += "SSL received fatal alert - " }
        if engine & Self.sentFatalAlertBit != 0 { prefix += "SSL sent fatal alert - " }
        let number = engine & ~(Self.receivedFatalAlertBit | Self.sentFatalAlertBit)
        return prefix + (Self.texts[number] ?? "Unknown error code.")
    }

    /// `BR_ERR_…` name; for alerts "BR_ERR_RECV_FATAL_ALERT + handshake_failure (40)".
    public var name: String {
        if engine & Self.receivedFatalAlertBit != 0 {
            return "BR_ERR_RECV_FATAL_ALERT + \(TLSAlert.name(engine & 0xFF)) (\(engine & 0xFF))"
        }
        if engine & Self.sentFatalAlertBit != 0 {
            return "BR_ERR_SEND_FATAL_ALERT + \(TLSAlert.name(engine & 0xFF)) (\(engine & 0xFF))"
        }
        return Self.names[engine] ?? "BR_ERR_\(engine)"
    }

    static let names: [Int: String] = [
        0: "BR_ERR_OK", 1: "BR_ERR_BAD_PARAM", 2: "BR_ERR_BAD_STATE", 3: "BR_ERR_UNSUPPORTED_VERSION",
        4: "BR_ERR_BAD_VERSION", 5: "BR_ERR_BAD_LENGTH", 6: "BR_ERR_TOO_LARGE", 7: "BR_ERR_BAD_MAC",
        8: "BR_ERR_NO_RANDOM", 9: "BR_ERR_UNKNOWN_TYPE", 10: "BR_ERR_UNEXPECTED", 12: "BR_ERR_BAD_CCS",
        13: "BR_ERR_BAD_ALERT", 14: "BR_ERR_BAD_HANDSHAKE", 15: "BR_ERR_OVERSIZED_ID", 16: "BR_ERR_BAD_CIPHER_SUITE",
        17: "BR_ERR_BAD_COMPRESSION", 18: "BR_ERR_BAD_FRAGLEN", 19: "BR_ERR_BAD_SECRENEG", 20: "BR_ERR_EXTRA_EXTENSION",
        21: "BR_ERR_BAD_SNI", 22: "BR_ERR_BAD_HELLO_DONE", 23: "BR_ERR_LIMIT_EXCEEDED", 24: "BR_ERR_BAD_FINISHED",
        25: "BR_ERR_RESUME_MISMATCH", 26: "BR_ERR_INVALID_ALGORITHM", 27: "BR_ERR_BAD_SIGNATURE",
        28: "BR_ERR_WRONG_KEY_USAGE", 29: "BR_ERR_NO_CLIENT_AUTH", 31: "BR_ERR_IO",
        32: "BR_ERR_X509_OK", 33: "BR_ERR_X509_INVALID_VALUE", 34: "BR_ERR_X509_TRUNCATED", 35: "BR_ERR_X509_EMPTY_CHAIN",
        36: "BR_ERR_X509_INNER_TRUNC", 37: "BR_ERR_X509_BAD_TAG_CLASS", 38: "BR_ERR_X509_BAD_TAG_VALUE",
        39: "BR_ERR_X509_INDEFINITE_LENGTH", 40: "BR_ERR_X509_EXTRA_ELEMENT", 41: "BR_ERR_X509_UNEXPECTED",
        42: "BR_ERR_X509_NOT_CONSTRUCTED", 43: "BR_ERR_X509_NOT_PRIMITIVE", 44: "BR_ERR_X509_PARTIAL_BYTE",
        45: "BR_ERR_X509_BAD_BOOLEAN", 46: "BR_ERR_X509_OVERFLOW", 47: "BR_ERR_X509_BAD_DN", 48: "BR_ERR_X509_BAD_TIME",
        49: "BR_ERR_X509_UNSUPPORTED", 50: "BR_ERR_X509_LIMIT_EXCEEDED", 51: "BR_ERR_X509_WRONG_KEY_TYPE",
        52: "BR_ERR_X509_BAD_SIGNATURE", 53: "BR_ERR_X509_TIME_UNKNOWN", 54: "BR_ERR_X509_EXPIRED",
        55: "BR_ERR_X509_DN_MISMATCH", 56: "BR_ERR_X509_BAD_SERVER_NAME", 57: "BR_ERR_X509_CRITICAL_EXTENSION",
        58: "BR_ERR_X509_NOT_CA", 59: "BR_ERR_X509_FORBIDDEN_KEY_USAGE", 60: "BR_ERR_X509_WEAK_PUBLIC_KEY",
        62: "BR_ERR_X509_NOT_TRUSTED",
    ]

    /// The device's strings (3.1.2 WiFiClientSecureBearSSL.cpp:1371-1428).
    static let texts: [Int: String] = [
        1: "Caller-provided parameter is incorrect.",
        2: "Operation requested by the caller cannot be applied with the current context state (e.g. reading data while outgoing data is waiting to be sent).",
        3: "Incoming protocol or record version is unsupported.",
        4: "Incoming record version does not match the expected version.",
        5: "Incoming record length is invalid.",
        6: "Incoming record is too large to be processed, or buffer is too small for the handshake message to send.",
        7: "Decryption found an invalid padding, or the record MAC is not correct.",
        8: "No initial entropy was provided, and none can be obtained from the OS.",
        9: "Incoming record type is unknown.",
        10: "Incoming record or message has wrong type with regards to the current engine state.",
        12: "ChangeCipherSpec message from the peer has invalid contents.",
        13: "Alert message from the peer has invalid contents (odd length).",
        14: "Incoming handshake message decoding failed.",
        15: "ServerHello contains a session ID which is larger than 32 bytes.",
        16: "Server wants to use a cipher suite that we did not claim to support. This is also reported if we tried to advertise a cipher suite that we do not support.",
        17: "Server wants to use a compression that we did not claim to support.",
        18: "Server's max fragment length does not match client's.",
        19: "Secure renegotiation failed.",
        20: "Server sent an extension type that we did not announce, or used the same extension type several times in a single ServerHello.",
        21: "Invalid Server Name Indication contents (when used by the server, this extension shall be empty).",
        22: "Invalid ServerHelloDone from the server (length is not 0).",
        23: "Internal limit exceeded (e.g. server's public key is too large).",
        24: "Finished message from peer does not match the expected value.",
        25: "Session resumption attempt with distinct version or cipher suite.",
        26: "Unsupported or invalid algorithm (ECDHE curve, signature algorithm, hash function).",
        27: "Invalid signature in ServerKeyExchange or CertificateVerify message.",
        28: "Peer's public key does not have the proper type or is not allowed for the requested operation.",
        29: "Client did not send a certificate upon request, or the client certificate could not be validated.",
        31: "I/O error or premature close on transport stream.",
        33: "Invalid value in an ASN.1 structure.",
        34: "Truncated certificate or other ASN.1 object.",
        35: "Empty certificate chain (no certificate at all).",
        36: "Decoding error: inner element extends beyond outer element size.",
        37: "Decoding error: unsupported tag class (application or private).",
        38: "Decoding error: unsupported tag value.",
        39: "Decoding error: indefinite length.",
        40: "Decoding error: extraneous element.",
        41: "Decoding error: unexpected element.",
        42: "Decoding error: expected constructed element, but is primitive.",
        43: "Decoding error: expected primitive element, but is constructed.",
        44: "Decoding error: BIT STRING length is not multiple of 8.",
        45: "Decoding error: BOOLEAN value has invalid length.",
        46: "Decoding error: value is off-limits.",
        47: "Invalid distinguished name.",
        48: "Invalid date/time representation.",
        49: "Certificate contains unsupported features that cannot be ignored.",
        50: "Key or signature size exceeds internal limits.",
        51: "Key type does not match that which was expected.",
        52: "Signature is invalid.",
        53: "Validation time is unknown.",
        54: "Certificate is expired or not yet valid.",
        55: "Issuer/Subject DN mismatch in the chain.",
        56: "Expected server name was not found in the chain.",
        57: "Unknown critical extension in certificate.",
        58: "Not a CA, or path length constraint violation.",
        59: "Key Usage extension prohibits intended usage.",
        60: "Public key found in certificate is too small.",
        62: "Chain could not be linked to a trust anchor.",
    ]
}

/// TLS alert descriptions (RFC 5246 §7.2, RFC 8446 §6).
public enum TLSAlert {
    public static func name(_ number: Int) -> String {
        let names = [0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
                     40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
                     44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
                     47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
                     51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
                     86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation",
                     109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name",
                     116: "certificate_required", 120: "no_application_protocol"]
        return names[number] ?? "alert \(number)"
    }
}
