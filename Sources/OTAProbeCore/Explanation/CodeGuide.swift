/// What `otaprobe explain CODE` says about a code, offline: the profile supplies the name and
/// exact text (they differ by version), this table the usual causes and fixes, drawn from
/// the spec's server-behaviour table (§10) and the field reports (`field-failures.md`).
public struct CodeGuide: Sendable {
    public struct Entry: Sendable, Equatable {
        public let code: Int
        public let name: String
        public let message: String
        public let meaning: String
        public let causes: [String]
        public let fixes: [String]
    }

    public let profile: ESP8266ArduinoProfile

    public init(profile: ESP8266ArduinoProfile) { self.profile = profile }

    /// nil when this profile cannot produce the code.
    public func entry(for code: Int) -> Entry? {
        let catalog = ErrorCatalog(profile.errors)
        guard catalog.allCodes.contains(where: { $0.code == code }) else { return nil }
        let text = catalog.entry(for: code, values: ["expected": "<expected>", "calculated": "<calculated>", "realSize": "<real>", "sdkSize": "<sdk>"])
        let (meaning, causes, fixes) = Self.guide[code] ?? ("An error this tool knows by name but has no notes for.", [], [])
        var adjustedCauses = causes
        if code == -104 {
            if profile.update.unauthorizedCode == nil { adjustedCauses.append("401 Unauthorized (this core has no separate code for it).") }
            if !profile.redirects.supported { adjustedCauses[0] = "any redirect (301/302/303/307/308): this core's HTTPClient cannot follow redirects at all" }
        }
        if code == -1, profile.response.initialReturnCode == -1 {
            adjustedCauses.append("A response without an 'HTTP/1.x' status line (this core returns its initial -1).")
        }
        return Entry(code: code, name: text.name, message: text.message, meaning: meaning, causes: adjustedCauses, fixes: fixes)
    }

    static let guide: [Int: (String, [String], [String])] = [
        -1: ("The connection could not be made (or, in ≤2.5.2, the URL was refused).",
             ["DNS failure", "nothing listening / connection refused", "connect timeout", "any TLS handshake or certificate failure", "a URL scheme the core does not accept (e.g. upper-case HTTP:// before 3.0)"],
             ["Check host, port and firewall; the device is IPv4-only.", "For https, check the sketch's trust setting and the server's TLS version and ciphers."]),
        -2: ("The request could not be written: the server closed or reset the connection first.", ["a server or proxy that drops connections at once", "2.5.2: a path-only redirect written onto the closed socket"], ["Check the server's connection limits and logs.", "Point the device at the final URL."]),
        -4: ("The connection was already closed when the device started reading the answer.", ["a server that closes without answering (races with -5)"], ["Check the server's error log."]),
        -5: ("The connection closed before the end of the headers (or, 3.1.2, before any body byte).", ["server crash or rejection", "a proxy closing idle connections", "a body-less 200"], ["Check the server's error log; make it send the full response."]),
        -7: ("No valid 'HTTP/1.x NNN' status line before the blank line.", ["HTTP/2 or lower-case status lines", "a non-HTTP service on the port", "a status code of 0 or text instead of digits"], ["Serve plain HTTP/1.1 with a standard status line."]),
        -9: ("Transfer-Encoding other than 'chunked'.", ["Transfer-Encoding: gzip / identity from a proxy or framework"], ["Serve the file statically with Content-Length."]),
        -11: ("No header line for one client timeout (8 s by default).", ["a server that accepts but never answers", "slow scripts or backends"], ["Make the server answer faster, or raise the timeout in the sketch."]),
        -100: ("The image is larger than the free sketch space (or the FS partition).", ["flash layout with a large filesystem", "an image built with more features", "Content-Length above 2 GB"], ["Pick a layout with more OTA space (flash once by serial), or shrink the image."]),
        -101: ("The 200 response had no positive Content-Length.", ["chunked bodies (PHP, Node, proxies, compression)", "close-delimited bodies", "Content-Length: 0"], ["Serve the file statically, or send Content-Length from the script; disable compression for .bin."]),
        -102: ("The server answered 404.", ["wrong path or case", "a GitHub release page instead of the asset"], ["Fix the URL."]),
        -103: ("The server answered 403.", ["permissions", "expired signed URL", "hot-link or IP protection"], ["Fix access on the server."]),
        -104: ("Any status other than 200, 304, 404, 403 (and 401 from 3.0.2).", ["a redirect (301/302/307/308) that is not followed by default", "5xx server errors", "206 or 1xx responses"], ["Use the final URL or enable redirects in the sketch; fix server errors."]),
        -105: ("The expected MD5 is not exactly 32 characters.", ["x-MD5 sent twice (joined with ',')", "a truncated or padded digest"], ["Send one 32-character hex x-MD5."]),
        -106: ("The first body bytes are not an ESP8266 image (0xE9, or 0x1F gzip from 2.7.4), or fewer than 4 arrived in time.", ["an HTML page (login, Google Drive, GitHub blob)", "an S3 XML error", "chunked framing read as data", "a script printing bytes before the image", "gzip before 2.7.4"], ["Serve the raw .bin link; remove stray output; send the plain image."]),
        -107: ("The image header declares a flash larger than the chip.", ["built for 4 MB, device has 1 MB (Sonoff, ESP-01)"], ["Rebuild with the right Flash Size board option."]),
        -108: ("The server answered 401 (3.0.2 and later).", ["missing or wrong credentials"], ["Add user:pass@ to the URL or call setAuthorization()."]),
        6: ("The body stopped before Content-Length bytes arrived (Updater 'Stream Read Timeout').", ["Content-Length larger than the file", "a connection cut mid-transfer", "2.4.2: a body longer than Content-Length"], ["Make Content-Length match the bytes sent; check proxies and timeouts."]),
        7: ("The MD5 of the downloaded bytes does not match the expected one.", ["x-MD5 of a different build", "2.4.2: upper-case x-MD5"], ["Regenerate x-MD5 from the served file, in lower-case hex."]),
        10: ("After the download the image does not start with 0xE9 (or gzip 1F 8B).", ["a body starting 0x1F that is not gzip"], ["Serve a real image."]),
    ]
}
