/// `esp_http_client_fetch_headers()` over the bundled http_parser, fed with timed bytes
/// (spec B2; v5.4.4 esp_http_client.c:1485-1514, http_parser.c).
///
/// What matters is what the IDF client does *not* do: it never reports a parse error. A
/// status line that is not `HTTP/x.y NNN`, or a head over `HTTP_MAX_HEADER_SIZE`, simply
/// stops the parser; the client keeps reading until the peer closes or `timeout_ms` passes.
struct ESPIDFResponseReader: Sendable {
    enum Outcome: Sendable, Equatable {
        case needMore(deadline: Int)
        case complete(head: ResponseHead, at: Int)
        /// The peer closed (or reset) before the head was complete.
        case closed(head: ResponseHead, at: Int)
        /// No byte for `timeout_ms`.
        case timedOut(head: ResponseHead, at: Int)
    }

    private let timeoutMs: Int
    private let maxHeaderBytes: Int
    private var line: [UInt8] = []
    private var lastByteAt: Int
    private var head = ResponseHead(code: 0)
    private var seen = 0
    /// The parser hit something it rejects; it consumes nothing more.
    private(set) var parserError: String?
    private var finished: Outcome?
    private(set) var leftover: [UInt8] = []
    private(set) var rawHead: [UInt8] = []
    /// Every head byte received, kept or not.
    private(set) var bytesSeen = 0

    init(timeoutMs: Int, maxHeaderBytes: Int, startedAt: Int) {
        self.timeoutMs = timeoutMs
        self.maxHeaderBytes = maxHeaderBytes
        self.lastByteAt = startedAt
    }

    var outcome: Outcome { finished ?? .needMore(deadline: lastByteAt + timeoutMs) }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard finished == nil else { return }
        lastByteAt = time
        var index = bytes.startIndex
        while index < bytes.endIndex, finished == nil {
            let byte = bytes[index]
            index += 1
            bytesSeen += 1
            if rawHead.count < ResponseHeadReader.rawHeadLimit { rawHead.append(byte) }
            guard parserError == nil else { continue }
            seen += 1
            if seen > maxHeaderBytes {
                parserError = "header block over HTTP_MAX_HEADER_SIZE (\(maxHeaderBytes) bytes)"
                continue
            }
            if byte == UInt8(ascii: "\n") {
                var text = line
                if text.last == UInt8(ascii: "\r") { text.removeLast() }
                process(text, at: time)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        if finished != nil { leftover.append(contentsOf: bytes[index...]) }
    }

    mutating func connectionClosed(at time: Int) {
        guard finished == nil else { return }
        finished = .closed(head: head, at: time)
    }

    mutating func deadlinePassed(at time: Int) {
        guard finished == nil, time >= lastByteAt + timeoutMs else { return }
        finished = .timedOut(head: head, at: lastByteAt + timeoutMs)
    }

    private mutating func process(_ line: [UInt8], at time: Int) {
        let text = String(decoding: line, as: UTF8.self)
        if head.firstLine == nil {
            head.firstLine = text
            guard let code = Self.statusCode(text) else {
                parserError = "not an HTTP/1.x status line"
                return
            }
            head.code = code
            head.sawStatusLine = true
            return
        }
        if line.isEmpty {
            finished = .complete(head: head, at: time)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            parserError = "header line without a colon"
            return
        }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        let value = Self.trimmed(String(decoding: line[(colon + 1)...], as: UTF8.self))
        head.keep(.init(name: name, value: value))
        switch name.lowercased() {
        case "content-length":
            guard let length = Int(value), length >= 0 else {
                parserError = "invalid Content-Length"
                return
            }
            head.size = length
        case "transfer-encoding": head.transferEncoding = value
        case "location": head.location = value
        default: break
        }
    }

    /// `HTTP/<d>.<d> <3 digits>` as http_parser requires (strict mode).
    static func statusCode(_ line: String) -> Int? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 12, line.hasPrefix("HTTP/"),
              bytes[5].isDigit, bytes[6] == UInt8(ascii: "."), bytes[7].isDigit, bytes[8] == UInt8(ascii: " ") else { return nil }
        let digits = bytes[9..<12]
        guard digits.allSatisfy(\.isDigit), bytes.count == 12 || bytes[12] == UInt8(ascii: " ") else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}

extension UInt8 {
    var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
}

extension ESPIDFResponseReader {
    /// Spaces and tabs trimmed at both ends, as http_parser delivers a header value.
    static func trimmed(_ text: String) -> String {
        var slice = text[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
