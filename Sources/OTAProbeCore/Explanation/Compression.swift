/// A compressed response where the device wanted the image itself. No device client decodes
/// Content-Encoding (ESP8266 HTTPClient ignores the header, esp8266-arduino.md:229; arduino-esp32
/// and esp_http_client pass the body through raw, esp32-arduino-and-esp-idf.md:110, :288, :572),
/// so a server that compresses a `.bin` hands the device gzip's bytes — and, answering an
/// HTTP/1.0 request, no Content-Length (it cannot know the compressed size before it is done).
/// Apache's mod_deflate does this when it is set to compress everything; nginx only when
/// `gzip_types` lists the type and `gzip_http_version` allows the request (field-failures.md §4).
struct Compression: Sendable, Equatable {
    /// `gzip`, `deflate`, `br` … as the header names it, or `gzip` when only the bytes say so.
    let coding: String
    /// True when the server said so (Content-Encoding); false when the body is gzip under a `.bin` name.
    let declared: Bool

    /// The compression of the response, if any: a Content-Encoding other than `identity`, or a
    /// body that starts with gzip's 1F 8B while the URL names a `.bin`.
    static func detect(_ exchange: Exchange?, delivered prefix: [UInt8]) -> Compression? {
        guard let exchange else { return nil }
        if let value = exchange.head?.header("Content-Encoding") {
            let coding = value.trimmed(of: " \t\r").lowercased()
            if !coding.isEmpty, coding != "identity" { return Compression(coding: coding, declared: true) }
        }
        if prefix.starts(with: [0x1F, 0x8B]), Self.namesBinFile(exchange.url) { return Compression(coding: "gzip", declared: false) }
        return nil
    }

    /// The URL's path ends in `.bin` (before any query or fragment), case-insensitively.
    static func namesBinFile(_ url: String) -> Bool {
        let path = url.prefix { $0 != "?" && $0 != "#" }
        return path.lowercased().hasSuffix(".bin")
    }

    /// What the server did, for Why. `withoutLength`: the device stopped for want of a
    /// Content-Length, before reading any of the body.
    func sentence(withoutLength: Bool) -> String {
        guard declared else {
            return "The body is gzip-compressed data (1F 8B) although the URL names a .bin, and no Content-Encoding says so: a pre-compressed file under the .bin name, or a server compressing it silently."
        }
        if withoutLength {
            return "The server compresses the response on the fly (Content-Encoding: \(coding)), so it cannot know the length in advance and sends no Content-Length; the device's HTTP client would not decompress it anyway."
        }
        return "The server compressed the response (Content-Encoding: \(coding)); the device's HTTP client does not decompress, so it reads \(coding)'s bytes as the firmware."
    }

    /// The first thing to change.
    var fix: String {
        let turnOff = "turn off compression for .bin (Apache: SetEnv no-gzip, or exclude .bin from mod_deflate's AddOutputFilterByType/SetOutputFilter; nginx: gzip off, or keep application/octet-stream out of gzip_types)"
        return declared
            ? "Serve the .bin uncompressed: \(turnOff)."
            : "Serve the uncompressed .bin the build writes; if the server compresses it, \(turnOff)."
    }
}
