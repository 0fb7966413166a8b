import FoundationEssentials

/// ESPHome's own OTA steps that do not depend on the http layer under them, shared by the
/// ESP-IDF model (`ESPHomeOTAModel`) and the Arduino one (`ESPHomeArduinoOTAModel`): what
/// `flash()`/`do_ota_()` fetch first, `get_url_with_auth_()` and the MD5 compare (E25
/// ota_http_request.cpp).
enum ESPHomeOTASteps {
    /// Which GET the http layer runs: the update entity's manifest, `http_get_md5_()`'s, or the image's.
    enum Fetch: Sendable, Equatable { case manifest, md5, firmware }

    /// What `flash()`/`do_ota_()` do next: a GET through the model's http layer (the URL with
    /// credentials spliced in), or a code returned without one.
    enum Next: Sendable, Equatable {
        case get(Fetch, target: String)
        case done(code: Int, cause: Cause)
    }

    /// `flash()` (ota_http_request.cpp:44-55) and the start of `do_ota_()` (:86-96): an expected
    /// MD5 goes straight to the image; without one `md5_url` is fetched first; with neither,
    /// OTA_MD5_INVALID and nothing logged (:93-95, 225-228).
    static func flash(md5Expected: [UInt8], md5URL: String?, firmwareURL: String, authorization: [SketchAuthorization], encoded: Bool, log: inout ESPHomeLog) -> Next {
        log.add(.info, "http_request.ota", 50, "Starting update")
        if !md5Expected.isEmpty {
            return download(md5Expected: md5Expected, firmwareURL: firmwareURL, authorization: authorization, encoded: encoded, log: &log)
        }
        guard let md5URL, !md5URL.isEmpty else { return .done(code: 0x10, cause: .esphomeNoMD5) }
        guard let target = urlWithAuth(md5URL, authorization: authorization, encoded: encoded, log: &log) else {
            return .done(code: 0x10, cause: .esphomeMD5URLFailed(.noAnswer))
        }
        log.add(.info, "http_request.ota", 236, "Connecting to: \(md5URL)")
        return .get(.md5, target: target)
    }

    /// From `MD5 expected` on: the image's GET (ota_http_request.cpp:97-110); a URL the
    /// credentials cannot go into is OTA_BAD_URL.
    static func download(md5Expected: [UInt8], firmwareURL: String, authorization: [SketchAuthorization], encoded: Bool, log: inout ESPHomeLog) -> Next {
        log.add(.debug, "http_request.ota", 97, "MD5 expected: \(cString(md5Expected))")
        guard let target = urlWithAuth(firmwareURL, authorization: authorization, encoded: encoded, log: &log) else {
            return .done(code: 0x11, cause: .urlRefused(.noScheme))
        }
        log.add(.info, "http_request.ota", 104, "Connecting to: \(firmwareURL)")
        return .get(.firmware, target: target)
    }

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
