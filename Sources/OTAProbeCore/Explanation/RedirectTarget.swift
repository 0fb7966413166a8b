/// Where a redirect the device did not follow leads, and what the device would get there if it
/// were pointed at it: the probe fetches the target once, the device's way (the same profile,
/// the same request), so "point the device at the final URL" is only advised when the device
/// would succeed there. A directory URL without its slash is the usual case: nginx, Apache and
/// busybox redirect `/dir` to `/dir/`, which is a listing or a 403, never the firmware.
///
/// A note beside the verdict, like `RangeFinding`: it never changes what the device does with
/// the URL it was given.
public struct RedirectTarget: Sendable, Equatable, Encodable {
    /// The Location resolved against the URL that answered with it: absolute, as a user pastes it.
    public let url: String
    /// The Location exactly as the server wrote it (busybox writes `/dir/`).
    public let location: String
    /// False when the target was not fetched (no time left under `--max-time`, or a URL longer
    /// than `Limits.redirectTargetURLBytes`).
    public var checked = false
    /// Why the target was not fetched when it was not for lack of time.
    public var notFetched: String?
    public var status: Int?
    /// The device's result there, as its stack names it (`HTTP_UPDATE_FAILED`, `ESP_OK` …).
    public var deviceResult: String?
    public var code: Int?
    public var deviceLine: String?
    /// nil when the check was cut short (`--max-time`) before the device's result was known.
    public var deviceSucceeds: Bool?
    /// The device's outcome there in a few words (the verdict's summary).
    public var summary: String?
    /// What the target's body is ("an HTML page titled \"Index of /fw/\"").
    public var body: String?
    /// The target answers with a directory listing.
    public var directoryListing = false
    /// Firmware files the listing links to, resolved (at most `Limits.firmwareLinksNamed`).
    public var firmwareLinks: [String] = []
    /// The target redirects again: where (resolved).
    public var redirectsTo: String?

    public init(url: String, location: String) {
        self.url = url
        self.location = location
    }

    /// The target as the device fared there: its verdict (explained) and exchanges.
    public init(url: String, location: String, verdict: Verdict, exchanges: [Exchange]) {
        self.init(url: url, location: location)
        checked = true
        let last = exchanges.last
        status = last?.head.flatMap { $0.sawStatusLine ? $0.code : nil }
        deviceResult = verdict.resultName
        code = verdict.code
        deviceLine = verdict.deviceLine
        // Cut short by --max-time: what the device would get there is not known.
        deviceSucceeds = verdict.result == .stillWaiting ? nil : verdict.deviceSucceeds
        summary = verdict.summary.isEmpty ? nil : verdict.summary
        let delivered = DeliveredBody.prefix(of: last)
        let kind = BodyKind.recognize(delivered)
        if !delivered.isEmpty { body = kind.summary }
        if case .html(let title) = kind, status == 200, let title = title?.lowercased(),
           title.hasPrefix("index of") || title.contains("directory listing") {
            directoryListing = true
        }
        if let last {
            let base = last.url
            if directoryListing {
                firmwareLinks = Array(Self.firmwareLinks(in: delivered).compactMap { Self.resolve($0, against: base) }.prefix(Limits.firmwareLinksNamed))
            }
            if let status, (300..<400).contains(status), let next = last.head?.location {
                redirectsTo = Self.resolve(next, against: base) ?? next
            }
        }
    }

    /// The same finding with every server- or user-supplied string redacted and bounded, for JSON.
    public func redacted(by redactor: Redactor) -> RedirectTarget {
        func clean(_ text: String) -> String { redactor.redact(text).clipped(to: Limits.lineCharactersShown) }
        var copy = RedirectTarget(url: clean(url), location: clean(location))
        copy.checked = checked
        copy.notFetched = notFetched
        copy.status = status
        copy.deviceResult = deviceResult
        copy.code = code
        copy.deviceLine = deviceLine.map(clean)
        copy.deviceSucceeds = deviceSucceeds
        copy.summary = summary.map(clean)
        copy.body = body.map(clean)
        copy.directoryListing = directoryListing
        copy.firmwareLinks = firmwareLinks.map(clean)
        copy.redirectsTo = redirectsTo.map(clean)
        return copy
    }

    /// The target is a directory: its path ends in `/`, or it answers with a listing.
    public var isDirectory: Bool {
        directoryListing || url.prefix { $0 != "?" && $0 != "#" }.hasSuffix("/")
    }

    /// The Location of a redirect the device stopped at, when there is one to look at. Not
    /// after a hop limit: the device has followed the chain already, and checking its next hop
    /// the device's way would only replay the chain (or the loop) once more.
    public static func location(of cause: Cause) -> String? {
        switch cause {
        case .redirectNotFollowed(_, let location?, let reason), .redirectRejected(_, let location?, let reason):
            return [.invalidPort, .missingLocation, .limitReached].contains(reason) ? nil : location
        default:
            return nil
        }
    }

    // MARK: Resolving a Location (RFC 3986 §5.2)

    /// The URL a Location is resolved against: the one that answered with it, as the user
    /// wrote it when it is the URL they gave (no `:80` added), else as the device split it.
    public static func base(of exchange: Exchange, writtenURL: String) -> String {
        if case .success(let written) = DeviceURL.parse(writtenURL, schemeCaseInsensitive: true), written.display == exchange.url {
            return writtenURL
        }
        return exchange.url
    }

    /// `reference` resolved against the absolute `base`: a full URL stays as it is, `//host/…`
    /// takes the base's scheme, `/path` its origin, and a relative path its directory, with
    /// `.` and `..` segments removed. nil when nothing can be made of it.
    public static func resolve(_ reference: String, against base: String) -> String? {
        let ref = reference.trimmed(of: " \t\r\n")
        guard !ref.isEmpty else { return nil }
        if hasScheme(ref) { return ref }
        guard let split = Parts(base) else { return nil }
        if ref.hasPrefix("//") { return split.scheme + ":" + ref }
        let origin = split.scheme + "://" + split.authority
        if ref.hasPrefix("/") {
            let (path, rest) = splitPath(ref)
            return origin + removeDotSegments(path) + rest
        }
        if ref.hasPrefix("?") { return origin + split.path + ref }
        if ref.hasPrefix("#") { return origin + split.path + split.query + ref }
        let directory = split.path.isEmpty ? "/" : String(split.path[...(split.path.lastIndex(of: "/") ?? split.path.startIndex)])
        let (path, rest) = splitPath(ref)
        return origin + removeDotSegments(directory + path) + rest
    }

    private struct Parts {
        let scheme: String
        let authority: String
        let path: String
        let query: String

        init?(_ url: String) {
            guard let separator = url.firstRange(of: "://") else { return nil }
            scheme = String(url[..<separator.lowerBound])
            let rest = url[separator.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            authority = String(rest[..<authorityEnd])
            let (path, tail) = RedirectTarget.splitPath(String(rest[authorityEnd...]))
            self.path = path
            query = String(tail.prefix { $0 != "#" })
        }
    }

    private static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// The path, and the `?query#fragment` after it.
    private static func splitPath(_ text: String) -> (String, String) {
        let end = text.firstIndex { $0 == "?" || $0 == "#" } ?? text.endIndex
        return (String(text[..<end]), String(text[end...]))
    }

    /// RFC 3986 §5.2.4, on `/`-separated segments.
    private static func removeDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".": if last { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if last { output.append("") }
            default: output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        return joined.hasPrefix("/") ? joined : "/" + joined
    }

    /// `href` values in a listing that name firmware files (`.bin`, `.bin.gz`).
    static func firmwareLinks(in body: [UInt8]) -> [String] {
        let marker = Array("href=\"".utf8)
        var links: [String] = []
        var index = 0
        while index + marker.count <= body.count {
            guard zip(body[index..<(index + marker.count)], marker).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else {
                index += 1
                continue
            }
            let start = index + marker.count
            let end = body[start...].firstIndex(of: UInt8(ascii: "\"")) ?? body.count
            let value = String(decoding: body[start..<end], as: UTF8.self)
            let lower = value.lowercased()
            if lower.hasSuffix(".bin") || lower.hasSuffix(".bin.gz"), !links.contains(value) { links.append(value) }
            index = end
        }
        return links
    }
}
