/// How `esp_http_client_read()` delimits a body: Content-Length, chunked (decoded by
/// http_parser), or the peer's FIN when neither is given (spec B2: `content_length <= 0`
/// forces `is_chunked`, and v5.x take a FIN as the end). Yields the decoded bytes.
struct ESPIDFBodyReader: Sendable {
    enum Framing: Sendable, Equatable {
        case length(Int)
        case chunked
        case untilClose
        case none
    }

    let framing: Framing
    private var remaining: Int
    private var chunk = ChunkState.size
    private var sizeText: [UInt8] = []
    private(set) var isComplete: Bool
    /// http_parser stopped on bad chunk framing; nothing more is delivered.
    private(set) var framingError = false
    private(set) var decodedCount = 0

    private enum ChunkState: Sendable { case size, extensions, sizeLF, data, dataCR, dataLF, trailer, trailerLine, done }

    init(framing: Framing) {
        self.framing = framing
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
        guard !isComplete, !framingError else { return [] }
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
            while index < bytes.endIndex, !isComplete, !framingError {
                let byte = bytes[index]
                switch chunk {
                case .size:
                    if let _ = Self.hexValue(byte) {
                        sizeText.append(byte)
                        if sizeText.count > 15 { framingError = true }
                    } else if sizeText.isEmpty {
                        framingError = true
                    } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                        chunk = .extensions
                    } else if byte == UInt8(ascii: "\r") {
                        chunk = .sizeLF
                    } else if byte == UInt8(ascii: "\n") {
                        startChunk()
                    } else {
                        framingError = true
                    }
                case .extensions:
                    if byte == UInt8(ascii: "\r") { chunk = .sizeLF } else if byte == UInt8(ascii: "\n") { startChunk() }
                case .sizeLF:
                    if byte == UInt8(ascii: "\n") { startChunk() } else { framingError = true }
                case .data:
                    let take = min(remaining, bytes.endIndex - index)
                    out.append(contentsOf: bytes[index..<(index + take)])
                    decodedCount += take
                    remaining -= take
                    index += take - 1
                    if remaining == 0 { chunk = .dataCR }
                case .dataCR:
                    if byte == UInt8(ascii: "\r") { chunk = .dataLF } else if byte == UInt8(ascii: "\n") { chunk = .size } else { framingError = true }
                case .dataLF:
                    if byte == UInt8(ascii: "\n") { chunk = .size } else { framingError = true }
                case .trailer:
                    // After the last chunk: an empty line ends the message; other lines are trailers.
                    if byte == UInt8(ascii: "\n") { chunk = .done; isComplete = true } else if byte != UInt8(ascii: "\r") { chunk = .trailerLine }
                case .trailerLine:
                    if byte == UInt8(ascii: "\n") { chunk = .trailer }
                case .done:
                    break
                }
                index += 1
            }
            return out
        }
    }

    /// A FIN: the end of a close-delimited body; an error for any other unfinished body.
    mutating func closed() {
        if framing == .untilClose { isComplete = true }
    }

    private mutating func startChunk() {
        let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16) ?? 0
        sizeText.removeAll()
        if size == 0 {
            chunk = .trailer
        } else {
            remaining = size
            chunk = .data
        }
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
