import ScenarioServer

/// Bytes the hostile scenarios share, built once per process on first use.
enum HostileBodies {
    static let esp8266Image: [UInt8] = ESP8266ImageBuilder().build()
    static let esp32Image: [UInt8] = ESP32ImageBuilder.app(chip: ESP32ImageBuilder.esp32)

    static let mebibyte = 1 << 20
    /// 1 MiB of one letter.
    static let oneMiBOfA: String = String(repeating: "a", count: mebibyte)

    /// 100 000 distinct header lines (`X-Bomb-n: value`), about 2.4 MB.
    static let hundredThousandHeaders: [UInt8] = lines((0..<100_000).map { "X-Bomb-\($0): header-bomb-value-\($0)" })
    /// 20 000 Set-Cookie lines.
    static let twentyThousandCookies: [UInt8] = lines((0..<20_000).map { "Set-Cookie: session\($0)=\(String(repeating: "c", count: 32)); Path=/; HttpOnly" })

    /// 64 KiB of header lines for an endless header stream (each write repeats it).
    static let headerFlood: [UInt8] = block(of: "X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")
    /// 64 KiB of `a` (no line end): an endless status line, header value or chunk extension.
    static let letterFlood: [UInt8] = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
    /// 64 KiB of zeros: an endless body.
    static let zeroFlood: [UInt8] = [UInt8](repeating: 0, count: 64 * 1024)
    /// 64 KiB of deterministic noise: an endless garbage stream (and TLS garbage).
    static let noise: [UInt8] = {
        var state: UInt64 = 0x5EED
        return (0..<(64 * 1024)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }()
    /// 64 KiB of interim `100 Continue` heads.
    static let continueFlood: [UInt8] = block(of: "HTTP/1.1 100 Continue\r\n\r\n")
    /// 64 KiB of blank lines (CRLF).
    static let blankLineFlood: [UInt8] = block(of: "\r\n")
    /// 64 KiB of obsolete line folding (continuation lines).
    static let foldFlood: [UInt8] = block(of: " folded continuation of the previous header line\r\n")
    /// 64 KiB of zeros framed as 4 KiB chunks: an endless chunked body.
    static let chunkFlood: [UInt8] = {
        let chunk = Array("1000\r\n".utf8) + [UInt8](repeating: 0, count: 4096) + Array("\r\n".utf8)
        return Array((0..<16).map { _ in chunk }.joined())
    }()

    /// `text` repeated to about 64 KiB (whole copies only).
    static func block(of text: String) -> [UInt8] {
        let unit = Array(text.utf8)
        return Array(repeatElement(unit, count: max(1, 65_536 / unit.count)).joined())
    }

    /// Lines joined with CRLF, each ended by CRLF.
    static func lines(_ lines: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines { out += Array(line.utf8); out += [13, 10] }
        return out
    }

    /// A response head: status line, header lines, blank line; `ending` ends every line.
    static func head(_ headers: [String], ending: String = "\r\n") -> [UInt8] {
        head("HTTP/1.1 200 OK", headers, ending: ending)
    }

    static func head(_ status: String, _ headers: [String], ending: String = "\r\n") -> [UInt8] {
        var text = status + ending
        for line in headers { text += line + ending }
        return Array((text + ending).utf8)
    }

    /// The head of a plain download of `body`, with extra header lines.
    static func downloadHead(_ body: [UInt8], _ extra: [String] = []) -> [UInt8] {
        head(["Content-Type: application/octet-stream", "Content-Length: \(body.count)"] + extra + ["Connection: close"])
    }

    /// Chunked framing of `body` in `size`-byte chunks with the final 0 chunk.
    static func chunked(_ body: [UInt8], size: Int = 4096) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + size)
            out += Array((String(end - offset, radix: 16) + "\r\n").utf8) + body[offset..<end] + [13, 10]
            offset = end
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    /// A plain 302 to `location`, closed after the short body.
    static func redirect(to location: String, status: String = "HTTP/1.1 302 Found") -> [ScriptStep] {
        let body = Array("moved\n".utf8)
        return [.send(head(status, ["Location: \(location)", "Content-Length: \(body.count)", "Connection: close"]) + body), .close]
    }

    /// The same, with the Location header given as raw bytes (control bytes, NULs, 1 MiB).
    static func redirect(rawLocation: [UInt8]) -> [ScriptStep] {
        let body = Array("moved\n".utf8)
        let start = Array("HTTP/1.1 302 Found\r\nContent-Length: \(body.count)\r\nConnection: close\r\nLocation: ".utf8)
        return [.send(start + rawLocation + Array("\r\n\r\n".utf8) + body), .close]
    }

    /// A short text/plain page.
    static func page(_ status: String, _ text: [UInt8], extra: [String] = []) -> [ScriptStep] {
        [.send(head(status, ["Content-Type: text/plain", "Content-Length: \(text.count)"] + extra + ["Connection: close"]) + text), .close]
    }
}
