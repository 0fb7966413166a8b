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
    /// Every line the device treated as a header, as it split it, for the report.
    public var headers: [HeaderField] = []
    /// The first line seen, whatever it was (a status line or not).
    public var firstLine: String?
    public var sawStatusLine = false

    public struct HeaderField: Sendable, Equatable, Codable {
        public let name: String
        public let value: String
    }

    public func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }
}
