/// A request head exactly as a client sent it, kept so tests can assert the bytes a device
/// (or the probe imitating one) put on the wire — header order and spelling included.
public struct RecordedRequest: Sendable, Equatable {
    /// The raw request head as received, up to and including the blank line that ends it
    /// (or whatever arrived before the read gave up, see `ScenarioServer`).
    public let bytes: [UInt8]
    /// The method from the request line, e.g. `GET`; empty if no request line arrived.
    public let method: String
    /// The request target from the request line, e.g. `/good?x=1`; empty if none arrived.
    public let target: String

    /// Header lines after the request line, parsed once; kept private so equality and the public
    /// surface stay defined by `bytes` alone.
    private let fields: [HeaderField]

    /// Parses `bytes` leniently: lines may end in CRLF or bare LF, and a line without a colon is
    /// skipped, because a recorder must never refuse what a client sent.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        let lines = RecordedRequest.lines(of: bytes)
        let requestLineWords = (lines.first ?? "").split(separator: " ", omittingEmptySubsequences: true)
        method = requestLineWords.count > 0 ? String(requestLineWords[0]) : ""
        target = requestLineWords.count > 1 ? String(requestLineWords[1]) : ""
        fields = lines.dropFirst().compactMap(HeaderField.init(line:))
    }

    /// The first value of the header called `name` (compared case-insensitively, as HTTP
    /// requires), trimmed of surrounding spaces and tabs; nil if the header is absent.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Splits on LF bytes (not on `Character`s: Swift treats CR LF as one character) and drops
    /// the CR that ends a CRLF line.
    private static func lines(of bytes: [UInt8]) -> [String] {
        bytes.split(separator: ASCII.lineFeed, omittingEmptySubsequences: false).map { line in
            let content = line.last == ASCII.carriageReturn ? line.dropLast() : line[...]
            return String(decoding: content, as: UTF8.self)
        }
    }
}

/// One `Name: value` line of a request head.
private struct HeaderField: Sendable, Equatable {
    let name: String
    let value: String

    init?(line: String) {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return nil }
        name = String(line[..<colon]).trimmingSpacesAndTabs
        value = String(line[line.index(after: colon)...]).trimmingSpacesAndTabs
    }
}
