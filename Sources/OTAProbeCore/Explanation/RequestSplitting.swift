/// A value the user gave that carries CR or LF into the request the device writes.
///
/// The devices do not filter header values: `HTTPClient::addHeader()` appends
/// `name + ": " + value + "\r\n"` as given (3.1.2:HC:794-821; arduino-esp32 the same,
/// A1.0.6 HTTPClient.cpp:995-1022, A3.2.0 :992-1010), and `sendHeader()` writes the path from
/// the URL verbatim (3.1.2:HC:916-973). Only the pre-encoded `setAuthorization()` loses its LFs
/// (3.1.2:HC:299-303; arduino-esp32 `sendHeader()`), not its CRs. So the probe sends such a
/// value exactly as the device would, and says what it does to the request: every line break
/// starts a header line of its own, which the server reads as a header the device never meant.
enum RequestSplitting {
    /// One value the user supplied, named the way they supplied it.
    struct Source: Equatable {
        /// The flag (or "the URL's path"), for the note.
        let origin: String
        /// The bytes as the device writes them.
        let sent: String
        /// A credential: the note counts its lines but never quotes them.
        var secret = false
        /// The device dropped the value's LFs on the way (the pre-encoded Authorization).
        var lineFeedsDropped = false
    }

    /// Every user value that can reach the request, as the device writes it.
    static func sources(identity: DeviceIdentity, settings: UpdaterSettings) -> [Source] {
        var sources = [Source(origin: "--current-version", sent: identity.currentVersion)]
        if let sdk = identity.sdkVersion { sources.append(Source(origin: "--sdk-version", sent: sdk)) }
        for authorization in settings.authorization {
            if case .encoded(let value) = authorization, let kept = authorization.apply(to: nil) {
                sources.append(Source(origin: "--authorization-base64", sent: kept, secret: true, lineFeedsDropped: kept != value))
            }
        }
        if case .success(let url) = DeviceURL.parse(settings.url, schemeCaseInsensitive: true) {
            sources.append(Source(origin: "the URL's path", sent: url.uri))
            sources.append(Source(origin: "the URL's host", sent: url.host))
        }
        return sources.filter { $0.sent.utf8.contains { $0 == 13 || $0 == 10 } }
    }

    /// One note per value that the device's requests carry with a line break in it.
    static func notes(identity: DeviceIdentity, settings: UpdaterSettings, exchanges: [Exchange]) -> [String] {
        let requests = exchanges.map(\.request)
        return sources(identity: identity, settings: settings).compactMap { source in
            guard let request = requests.first(where: { $0.firstRange(of: Array(source.sent.utf8)) != nil }) else { return nil }
            return note(for: source, in: request)
        }
    }

    private static func note(for source: Source, in request: [UInt8]) -> String {
        let start = request.firstRange(of: Array(source.sent.utf8))?.lowerBound ?? 0
        let lineStart = request[..<start].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let line = String(decoding: request[lineStart..<start], as: UTF8.self)
        let place = lineStart == 0 ? "the request line" : "'\(line.prefix { $0 != ":" })'"
        // What follows each line break inside the value: the start of a line the server sees.
        let pieces = source.sent.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        let extra = pieces.dropFirst().filter { !$0.isEmpty }
        let count = extra.isEmpty ? "an empty line, which ends the request head early"
            : "\(extra.count) extra header line\(extra.count == 1 ? "" : "s")"
        let quoted = source.secret || extra.isEmpty ? "" : ": " + extra.map { "'\(visible(String($0)))'" }.joined(separator: ", ")
        let origin = source.origin.prefix(1).uppercased() + source.origin.dropFirst()
        let writes = source.lineFeedsDropped
            ? "the device drops its LFs (setAuthorization) and writes the rest, CRs included, into \(place)"
            : "the device writes it verbatim into \(place) (its HTTP client does not filter values)"
        if source.sent.utf8.contains(10) {
            if extra.isEmpty { return "\(origin) holds a line break: \(writes), so an empty line ends the request head early and the device's later header lines reach the server as a body." }
            return "\(origin) holds a line break: \(writes), so the request carries \(count)\(quoted), which the server reads as headers the device never meant to send."
        }
        return "\(origin) holds a bare CR: \(writes); a server that ends lines at a CR reads \(count)\(quoted), others one odd value."
    }

    /// The text as one printable line (the escaping rule of `TerminalText`), at most 60 characters.
    static func visible(_ text: String) -> String {
        String(TerminalText.escape(text).prefix(60))
    }
}
