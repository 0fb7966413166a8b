import FoundationEssentials

/// ESPHome's own OTA steps that do not depend on the http layer under them, shared by the
/// ESP-IDF model (`ESPHomeOTAModel`) and the ESP8266 one (`ESPHomeArduinoOTAModel`):
/// `get_url_with_auth_()` and the MD5 compare of `do_ota_()` (E25 ota_http_request.cpp).
enum ESPHomeOTASteps {
    /// `get_url_with_auth_()` (ota_http_request.cpp:206-223): `username`/`password` spliced in
    /// after `://`, unencoded; nil (after `Incorrect URL prefix`) when there is no `://` at 4+.
    /// With `encoded` (2026.6, `set_username`/`set_password`, spec E11) each credential is
    /// percent-encoded first: every byte but RFC 3986's unreserved ones becomes `%XX`
    /// (upper-case hex); neither http client decodes userinfo, so Basic carries the encoded
    /// form [derived].
    static func urlWithAuth(_ url: String, authorization: [SketchAuthorization], encoded: Bool = false, log: inout ESPHomeLog) -> String? {
        guard case .userPassword(var user, var password)? = authorization.first, !user.isEmpty, !password.isEmpty else { return url }
        if encoded {
            user = percentEncoded(user)
            password = percentEncoded(password)
        }
        let bytes = Array(url.utf8)
        let marker = Array("://".utf8)
        guard let at = (0...max(0, bytes.count - 3)).first(where: { bytes.count >= 3 && Array(bytes[$0..<($0 + 3)]) == marker }), at >= 4 else {
            log.add(.error, "http_request.ota", 213, "Incorrect URL prefix")
            return nil
        }
        log.add(.debug, "http_request.ota", 217, "Using basic HTTP authentication")
        return String(decoding: bytes[..<(at + 3)], as: UTF8.self) + "\(user):\(password)@" + String(decoding: bytes[(at + 3)...], as: UTF8.self)
    }

    /// `url_encode()`: alphanumerics and `-_.~` kept, every other byte `%` + two upper-case hex digits.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let kept = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || [0x2D, 0x5F, 0x2E, 0x7E].contains(byte)
            out += kept ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        return out
    }

    /// `strncmp(a, b, n) == 0` over NUL-terminated strings.
    static func strncmpEqual(_ a: [UInt8], _ b: [UInt8], count: Int) -> Bool {
        for index in 0..<count {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            if x != y { return false }
            if x == 0 { return true }
        }
        return true
    }

    /// The text `%s` prints: up to the first NUL.
    static func cString(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
