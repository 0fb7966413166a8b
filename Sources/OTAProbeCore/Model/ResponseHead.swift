/// What `HTTPClient::handleHeaderResponse` extracted from a response head, in the device's own
/// terms: the parsed code (not the HTTP status as a browser would read it), `getSize()`, the
/// `Transfer-Encoding` it saw, `Location`, and the collected `x-MD5`.
public struct ResponseHead: Sendable, Equatable {
    /// `_returnCode` as parsed (may be 0, negative, or e.g. 100).
    public var code: Int
    /// `_size`: the last Content-Length via `toInt()`, or -1 when absent.
    public var size: Int = -1
    public var transferEncoding: String?
    public var location: String?
    /// httpUpdate's only collected header (3.1.2:UPD:199-203).
    public var md5Header: String?
    /// The lines the device treated as headers, as it split them, for the report: the first
    /// `Limits.headersKept` (`headerCount` says how many there were).
    public var headers: [HeaderField] = []
    /// How many header lines arrived in all.
    public var headerCount = 0
    /// The last value of each header the explanations look up by name, when it came after the
    /// kept ones: a header bomb cannot hide a late Content-Length from them.
    private var lateLookups: [HeaderField] = []
    static let lookedUp: Set<String> = ["content-length", "transfer-encoding", "location", "www-authenticate", "x-md5", "x-sha256", "content-encoding"]
    /// The first line seen, whatever it was (a status line or not).
    public var firstLine: String?
    public var sawStatusLine = false

    public init(code: Int) { self.code = code }

    public struct HeaderField: Sendable, Equatable, Codable {
        public let name: String
        public let value: String
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return (lateLookups.last { $0.name.lowercased() == lower } ?? headers.last { $0.name.lowercased() == lower })?.value
    }

    /// Records one header line within the bounds above.
    public mutating func keep(_ field: HeaderField) {
        headerCount += 1
        if headers.count < Limits.headersKept {
            headers.append(field)
        } else if Self.lookedUp.contains(field.name.lowercased()) {
            lateLookups.removeAll { $0.name.lowercased() == field.name.lowercased() }
            lateLookups.append(field)
        }
    }
}
