/// A firmware URL split the way `HTTPClient::beginInternal` splits it (3.1.2:HC:123-191).
///
/// The device's parser is not RFC 3986: it drops three characters after the scheme whatever
/// they are, takes the host up to the first `/` (so a `?` without a path stays in the host),
/// splits `user:pass@` at the first `@`, and parses the port with `toInt()` (garbage → 0).
/// The probe must connect where the device connects and send the path it sends, so it uses
/// this split, not curl's.
public struct DeviceURL: Sendable, Equatable {
    /// The scheme exactly as written (case preserved).
    public let scheme: String
    public let host: String
    public let port: Int
    /// What follows the host, verbatim (query and `#fragment` included). Empty → `/` is sent.
    public let uri: String
    /// `user:pass` as written before `@`, if any; sent base64-encoded as Basic auth.
    public let userInfo: String?
    /// The text after the host's `:` exactly as written, nil when the URL names no port.
    /// Kept because the cores store the port in 16 bits: `:99999` is written, 34463 is
    /// connected to, and a report must name both.
    public var portText: String? = nil

    /// Why the device refuses a URL before sending anything (`begin()` returns false, and
    /// `GET()` then fails with -1).
    public enum Refusal: Sendable, Equatable {
        case noScheme
        case unsupportedScheme(String)
        /// A byte ESP-IDF's `http_parser_parse_url` stops at (space, CR, LF, tab, form feed).
        case unparsable(UInt8)
        /// ESP-IDF: `http_parser_parse_url()` refuses a port that is not 1–5 digits up to 65535
        /// (the text as written).
        case invalidPort(String)
    }

    /// Splits like the device; `schemeCaseInsensitive` is 3.x's `toLowerCase()` (3.1.2:HC:138).
    public static func parse(_ url: String, schemeCaseInsensitive: Bool) -> Result<DeviceURL, RefusalError> {
        let bytes = Array(url.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return .failure(RefusalError(.noScheme)) }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self)
        let compared = schemeCaseInsensitive ? scheme.lowercased() : scheme
        let defaultPort: Int
        switch compared {
        case "http": defaultPort = 80
        case "https": defaultPort = 443
        default: return .failure(RefusalError(.unsupportedScheme(scheme)))
        }
        // `url.remove(0, index + 3)`: three characters, whatever they are.
        var rest = Array(bytes.dropFirst(min(bytes.count, colon + 3)))
        let slash = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.count
        var hostPart = Array(rest[..<slash])
        rest.removeFirst(slash)
        var userInfo: String?
        if let at = hostPart.firstIndex(of: UInt8(ascii: "@")) {
            userInfo = String(decoding: hostPart[..<at], as: UTF8.self)
            hostPart.removeFirst(at + 1)
        }
        var host = String(decoding: hostPart, as: UTF8.self)
        var port = defaultPort
        var portText: String?
        if let portColon = hostPart.firstIndex(of: UInt8(ascii: ":")) {
            host = String(decoding: hostPart[..<portColon], as: UTF8.self)
            portText = String(decoding: hostPart[(portColon + 1)...], as: UTF8.self)
            // `uint16_t _port` set from `host.toInt()` (3.1.2:HC.h:250, 3.1.2:HC:172; arduino-esp32
            // HTTPClient.h `uint16_t _port`, A3.2.0 HTTPClient.cpp:241-295 beginInternal()): the
            // 32-bit `atol` result keeps its low 16 bits (99999 → 34463, garbage → 0).
            port = ArduinoString.toInt(portText ?? "") & 0xFFFF
        }
        return .success(DeviceURL(scheme: compared, host: host, port: port, uri: String(decoding: rest, as: UTF8.self), userInfo: userInfo, portText: portText))
    }

    public struct RefusalError: Error, Sendable, Equatable {
        public let refusal: Refusal
        init(_ refusal: Refusal) { self.refusal = refusal }
    }

    public var usesTLS: Bool { scheme == "https" }

    /// The port as the URL wrote it, when that is not the port the device connects to (a
    /// number above 65535 wrapped into 16 bits, or text `toInt()` reads as something else).
    public var misreadPort: String? {
        guard let portText else { return nil }
        return writtenPortValue == UInt64(port) ? nil : portText
    }

    /// The written port's leading decimal digits as `strtoul` reads them (saturating), or nil
    /// when no digit follows the `:`.
    public var writtenPortValue: UInt64? {
        guard let digits = portText?.utf8.prefix(while: \.isDigit), !digits.isEmpty else { return nil }
        return digits.reduce(UInt64(0)) { value, digit in
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(digit - 0x30))
            return overflow || carry ? .max : sum
        }
    }

    /// The request-target the device writes: `_uri`, or `/` when empty (3.1.2:HC:928-932).
    public var requestTarget: String { uri.isEmpty ? "/" : uri }

    /// `Host: host[:port]`, the port shown unless it is 80 or 443 whatever the scheme
    /// (3.1.2:HC:941-947).
    public var hostHeaderValue: String { port == 80 || port == 443 ? host : "\(host):\(port)" }

    /// A plain absolute form for display (never sent): the device's split, re-joined.
    public var display: String {
        let auth = userInfo.map { "\($0)@" } ?? ""
        return "\(scheme)://\(auth)\(host):\(port)\(requestTarget)"
    }
}
