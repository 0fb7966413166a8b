/// Where ESP-IDF's bundled http_parser stops. esp_http_client never looks at the parser's error
/// (`http_parser_execute()`'s return value is ignored by `esp_http_client_fetch_headers()` and
/// `esp_http_client_read()`), so the device logs nothing: it keeps reading and discarding
/// until the server closes or is silent for `timeout_ms`. The name is what the report can add.
///
/// Strict mode, HTTP_MAX_HEADER_SIZE 80*1024 (v5.5.5 components/http_parser/http_parser.h:52-65;
/// http_parser.c byte-identical in v4.4.8 components/nghttp/port … v5.5.5).
public enum HTTPParserError: String, Error, Sendable, Equatable, Codable {
    /// A Content-Length digit that is not one, or a value past the conservative 64-bit
    /// overflow check; also a chunk size past it (http_parser.c:1496-1500, 1595-1610, 2001-2005).
    case invalidContentLength = "HPE_INVALID_CONTENT_LENGTH"
    /// A second Content-Length, or Content-Length with `Transfer-Encoding: chunked`
    /// (http_parser.c:1394-1397, 1810-1816).
    case unexpectedContentLength = "HPE_UNEXPECTED_CONTENT_LENGTH"
    /// A chunk-size line that does not start with a hex digit, or a byte other than a hex
    /// digit, `;`, space or CR in it (http_parser.c:1963-1967, 1985-1995).
    case invalidChunkSize = "HPE_INVALID_CHUNK_SIZE"
    /// More than HTTP_MAX_HEADER_SIZE bytes of head, or of one chunk-size line with its
    /// extensions: chunk headers count like headers (`PARSING_HEADER`, http_parser.c:143-161,
    /// 339-345, 363, 705-709).
    case headerOverflow = "HPE_HEADER_OVERFLOW"
    /// A bare LF where strict mode wants CRLF (after a chunk size or a chunk's data)
    /// (http_parser.c:452-458, 2022-2025, 2062-2072).
    case strict = "HPE_STRICT"
    /// A status line the parser refuses (its HPE_INVALID_CONSTANT/_VERSION/_STATUS family).
    case invalidStatusLine = "HPE_INVALID_STATUS"
    /// A header line the parser refuses (no colon, a byte that is not a token).
    case invalidHeaderToken = "HPE_INVALID_HEADER_TOKEN"

    /// The same in words, for the report.
    public var meaning: String {
        switch self {
        case .invalidContentLength: return "a length that is not a number or overflows 64 bits"
        case .unexpectedContentLength: return "a second Content-Length, or one next to chunked encoding"
        case .invalidChunkSize: return "a chunk size that is not hexadecimal"
        case .headerOverflow: return "more than 80 KiB of header, chunk-size lines and their extensions included"
        case .strict: return "a bare LF where CRLF is required"
        case .invalidStatusLine: return "a status line it cannot read"
        case .invalidHeaderToken: return "a header line it cannot read"
        }
    }
}
