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
        /// The parser had stopped and the server was still sending after `Limits.headBytesRead`
        /// bytes: the device would still be reading them when the probe stops.
        case probeStopped(head: ResponseHead, at: Int)
    }

    private let timeoutMs: Int
    private let maxHeaderBytes: Int
    private var line: [UInt8] = []
    private var lastByteAt: Int
    private var head = ResponseHead(code: 0)
    private var seen = 0
    /// Bytes read in the head phase, the discarded ones included.
    private(set) var received = 0
    /// The parser hit something it rejects; it consumes nothing more.
    private(set) var parserError: HTTPParserError?
    /// `F_CONTENTLENGTH` and `F_CHUNKED`: together, or a second Content-Length, they are
    /// HPE_UNEXPECTED_CONTENT_LENGTH (http_parser.c:1394-1397, 1810-1816).
    private var sawContentLength = false
    private var chunked = false
    private var finished: Outcome?
    private(set) var leftover: [UInt8] = []
    private(set) var rawHead: [UInt8] = []

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
            if parserError != nil {
                // The device reads and drops the rest until a FIN or `timeout_ms` of silence;
                // the probe follows it only so far.
                let rest = bytes.endIndex - index
                if rawHead.count < ResponseHeadReader.rawHeadLimit {
                    rawHead.append(contentsOf: bytes[index..<(index + min(rest, ResponseHeadReader.rawHeadLimit - rawHead.count))])
                }
                received += rest
                if received > Limits.headBytesRead { finished = .probeStopped(head: head, at: time) }
                return
            }
            let byte = bytes[index]
            index += 1
            received += 1
            if rawHead.count < ResponseHeadReader.rawHeadLimit { rawHead.append(byte) }
            seen += 1
            if seen > maxHeaderBytes {
                // COUNT_HEADER_SIZE (http_parser.c:154-161).
                parserError = .headerOverflow
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
                parserError = .invalidStatusLine
                return
            }
            head.code = code
            head.sawStatusLine = true
            return
        }
        if line.isEmpty {
            if chunked, sawContentLength {
                parserError = .unexpectedContentLength
                return
            }
            finished = .complete(head: head, at: time)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            parserError = .invalidHeaderToken
            return
        }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        let value = Self.trimmed(String(decoding: line[(colon + 1)...], as: UTF8.self))
        head.keep(.init(name: name, value: value))
        switch name.lowercased() {
        case "content-length":
            guard !sawContentLength else {
                parserError = .unexpectedContentLength
                return
            }
            sawContentLength = true
            switch Self.contentLength(line[(colon + 1)...]) {
            case .success(let length?):
                // esp_http_client keeps it in an int64_t; past INT64_MAX it reads as negative
                // and the body never completes (esp_http_client.c:65, 291, 1581-1583), which a
                // length no body reaches models.
                head.size = length > UInt64(Int.max) ? Int.max : Int(length)
            case .success(nil):
                break
            case .failure(let error):
                parserError = error
                return
            }
        case "transfer-encoding":
            head.transferEncoding = value
            // F_CHUNKED: the value is `chunked`, any case, trailing spaces allowed (:1616-1630, 1745-1749).
            var lowered = value.lowercased()[...]
            while lowered.last == " " { lowered = lowered.dropLast() }
            chunked = lowered == "chunked"
        case "location": head.location = value
        default: break
        }
    }

    /// A Content-Length value as http_parser reads it (http_parser.c:1496-1503, 1589-1614): spaces
    /// and tabs before it are skipped, then the first byte must be a digit; later spaces are
    /// skipped, any other non-digit is an error, and a value past the conservative check
    /// `(ULLONG_MAX - 10) / 10 < content_length` (so `18446744073709551616`, 2^64) is
    /// HPE_INVALID_CONTENT_LENGTH. nil: no digit at all (an empty value).
    static func contentLength(_ raw: ArraySlice<UInt8>) -> Result<UInt64?, HTTPParserError> {
        var bytes = raw
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes = bytes.dropFirst() }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard let first = bytes.first else { return .success(nil) }
        guard first.isDigit else { return .failure(.invalidContentLength) }
        var value: UInt64 = 0
        for byte in bytes {
            if byte == UInt8(ascii: " ") { continue }
            guard byte.isDigit, (UInt64.max - 10) / 10 >= value else { return .failure(.invalidContentLength) }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return .success(value)
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
