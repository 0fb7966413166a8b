/// A response head written out line by line, exactly as it will go on the wire.
///
/// Deliberately not a typed "status + header dictionary" model: the scenarios exist to bend what
/// such a model would normalise away — a status line without a number, a header name with a
/// space before the colon, a header twice, LF or CR line endings, a leading blank line.
struct ResponseHead: Sendable {
    /// The first line without its line ending, e.g. `HTTP/1.1 200 OK`.
    var statusLine: String
    /// Header lines without line endings, in order, spelled exactly as sent.
    var headerLines: [String]
    /// What ends every line, including the blank line that ends the head.
    var lineEnding: String = "\r\n"

    var bytes: [UInt8] {
        var text = statusLine + lineEnding
        for line in headerLines { text += line + lineEnding }
        text += lineEnding
        return text.wireBytes
    }
}

extension ResponseHead {
    /// `HTTP/1.1 <code> <reason>` with the headers a plain static file server sends for a
    /// download: Content-Type, Content-Length (unless nil), any extras, then `Connection: close`.
    static func standard(
        status: Int = 200,
        reason: String = "OK",
        contentType: String? = "application/octet-stream",
        contentLength: Int?,
        extraHeaders: [String] = [],
        connection: String = "close"
    ) -> ResponseHead {
        var lines: [String] = []
        if let contentType { lines.append("Content-Type: \(contentType)") }
        if let contentLength { lines.append("Content-Length: \(contentLength)") }
        lines += extraHeaders
        lines.append("Connection: \(connection)")
        return ResponseHead(statusLine: "HTTP/1.1 \(status) \(reason)", headerLines: lines)
    }
}
