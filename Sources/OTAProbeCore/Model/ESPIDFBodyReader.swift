/// How `esp_http_client_read()` delimits a body: Content-Length, chunked (decoded by
/// http_parser), or the peer's FIN when neither is given (spec B2: `content_length <= 0`
/// forces `is_chunked`, and v5.x take a FIN as the end). Yields the decoded bytes.
///
/// Chunked framing follows http_parser in strict mode (http_parser.c:1958-2075): a chunk size
/// is hex up to the conservative 64-bit check, then `;` or space start extensions, which only a
/// CR ends; CR must be followed by LF, and a chunk's data by CRLF. The size line with its
/// extensions counts toward HTTP_MAX_HEADER_SIZE like a header (`PARSING_HEADER`). Where the
/// parser stops, `esp_http_client_read()` keeps reading and drops every byte (the return value
/// of `http_parser_execute()` is never checked), so `parserError` is set and the rest is only
/// counted in `discarded`.
struct ESPIDFBodyReader: Sendable {
    enum Framing: Sendable, Equatable {
        case length(Int)
        case chunked
        case untilClose
        case none
    }

    let framing: Framing
    private let maxHeaderBytes: Int
    private var remaining: Int
    private var chunk = ChunkState.sizeStart
    /// `parser->content_length` while a chunk size is read.
    private var size: UInt64 = 0
    /// `parser->nread`: bytes of the current chunk-size line, or of the trailers.
    private var lineBytes = 0
    private(set) var isComplete: Bool
    /// Where http_parser stopped on bad chunk framing; nothing more is delivered.
    private(set) var parserError: HTTPParserError?
    /// Bytes read and dropped after `parserError`.
    private(set) var discarded = 0
    private(set) var decodedCount = 0

    private enum ChunkState: Sendable {
        case sizeStart, size, extensions, sizeLF, data, dataCR, dataLF, trailer, trailerLine, done

        /// States up to `s_headers_done`, whose bytes `COUNT_HEADER_SIZE` counts (http_parser.c:339-363).
        var isHeaderState: Bool {
            switch self {
            case .sizeStart, .size, .extensions, .sizeLF, .trailer, .trailerLine: return true
            case .data, .dataCR, .dataLF, .done: return false
            }
        }
    }

    init(framing: Framing, maxHeaderBytes: Int) {
        self.framing = framing
        self.maxHeaderBytes = maxHeaderBytes
        switch framing {
        case .length(let length):
            remaining = length
            isComplete = length == 0
        case .none:
            remaining = 0
            isComplete = true
        default:
            remaining = 0
            isComplete = false
        }
    }

    /// Framing for a response to `method` with this head (http_parser's rules: HEAD, 1xx, 204
    /// and 304 have no body; chunked wins over Content-Length).
    static func framing(for head: ResponseHead, method: String) -> Framing {
        if method == "HEAD" || head.code == 204 || head.code == 304 || (100..<200).contains(head.code) { return .none }
        if let encoding = head.transferEncoding?.lowercased(), encoding.hasSuffix("chunked") { return .chunked }
        if head.size >= 0 { return .length(head.size) }
        return .untilClose
    }

    /// Feeds raw bytes; returns the body bytes they carry.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard !isComplete else { return [] }
        guard parserError == nil else {
            discarded += bytes.count
            return []
        }
        switch framing {
        case .length:
            let take = min(remaining, bytes.count)
            remaining -= take
            if remaining == 0 { isComplete = true }
            decodedCount += take
            return Array(bytes.prefix(take))
        case .untilClose:
            decodedCount += bytes.count
            return Array(bytes)
        case .none:
            return []
        case .chunked:
            var out: [UInt8] = []
            var index = bytes.startIndex
            while index < bytes.endIndex, !isComplete, parserError == nil {
                let byte = bytes[index]
                index += 1
                if chunk.isHeaderState {
                    // COUNT_HEADER_SIZE(1): chunk-size lines and trailers are header states.
                    lineBytes += 1
                    if lineBytes > maxHeaderBytes {
                        stop(.headerOverflow, dropping: bytes.endIndex - index)
                        break
                    }
                }
                switch chunk {
                case .sizeStart:
                    guard let digit = Self.hexValue(byte) else {
                        stop(.invalidChunkSize, dropping: bytes.endIndex - index)
                        break
                    }
                    size = UInt64(digit)
                    chunk = .size
                case .size:
                    if byte == UInt8(ascii: "\r") {
                        chunk = .sizeLF
                    } else if let digit = Self.hexValue(byte) {
                        guard (UInt64.max - 16) / 16 >= size else {
                            stop(.invalidContentLength, dropping: bytes.endIndex - index)
                            break
                        }
                        size = size * 16 + UInt64(digit)
                    } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") {
                        chunk = .extensions
                    } else {
                        stop(.invalidChunkSize, dropping: bytes.endIndex - index)
                    }
                case .extensions:
                    // "just ignore this shit": only a CR ends them (http_parser.c:2011-2020).
                    if byte == UInt8(ascii: "\r") { chunk = .sizeLF }
                case .sizeLF:
                    guard byte == UInt8(ascii: "\n") else {
                        stop(.strict, dropping: bytes.endIndex - index)
                        break
                    }
                    lineBytes = 0
                    if size == 0 {
                        chunk = .trailer
                    } else {
                        // Past Int.max no body ends before the partition is full.
                        remaining = size > UInt64(Int.max) ? Int.max : Int(size)
                        chunk = .data
                    }
                case .data:
                    index -= 1
                    let take = min(remaining, bytes.endIndex - index)
                    out.append(contentsOf: bytes[index..<(index + take)])
                    decodedCount += take
                    remaining -= take
                    index += take
                    if remaining == 0 { chunk = .dataCR }
                case .dataCR:
                    guard byte == UInt8(ascii: "\r") else {
                        stop(.strict, dropping: bytes.endIndex - index)
                        break
                    }
                    chunk = .dataLF
                case .dataLF:
                    guard byte == UInt8(ascii: "\n") else {
                        stop(.strict, dropping: bytes.endIndex - index)
                        break
                    }
                    lineBytes = 0
                    chunk = .sizeStart
                case .trailer:
                    // After the last chunk: an empty line ends the message; other lines are trailers.
                    if byte == UInt8(ascii: "\n") { chunk = .done; isComplete = true } else if byte != UInt8(ascii: "\r") { chunk = .trailerLine }
                case .trailerLine:
                    if byte == UInt8(ascii: "\n") { chunk = .trailer }
                case .done:
                    break
                }
            }
            return out
        }
    }

    /// http_parser stops here; the device drops the rest of this read and all that follows.
    private mutating func stop(_ error: HTTPParserError, dropping rest: Int) {
        parserError = error
        discarded += rest
    }

    /// A FIN: the end of a close-delimited body; an error for any other unfinished body.
    mutating func closed() {
        if framing == .untilClose { isComplete = true }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
