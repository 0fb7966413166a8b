/// Names what a body prefix is, so the report can say "an HTML page titled …" instead of
/// "bad magic 0x3C". Deeper forensics (images, hosting interstitials) build on this.
public enum BodyKind: Sendable, Equatable {
    case empty
    case esp8266Image
    /// An ESP32-family app image: 0xE9 too, told apart by its extended header (`ImageFamily`).
    case esp32Image(chip: String)
    case gzip
    case html(title: String?)
    case xml(root: String?)
    /// An S3/GCS-style `<Error><Code>…</Code><Message>…</Message>` document.
    case storageError(code: String, message: String?)
    case json
    /// Chunked framing read as data: a hex size line then CRLF.
    case chunkFraming(firstChunkSize: Int)
    /// 0xE9 re-encoded as UTF-8 (`C3 A9`): a script served the image as text.
    case utf8ReencodedImage
    /// The magic byte found a few bytes in: something printed before the image.
    case shiftedImage(offset: Int)
    case text(firstLine: String)
    /// The linker's ELF output instead of the `.bin` made from it.
    case elf
    case binary

    public static func recognize(_ prefix: [UInt8]) -> BodyKind {
        guard let first = prefix.first else { return .empty }
        if first == 0xE9 {
            // Both families start with 0xE9; a report that names the wrong chip misleads the
            // reader of an ESP32 run, so the header decides when enough of it is there.
            if prefix.count >= 24, ImageFamily.classify(header: Array(prefix.prefix(24))) == .esp32, let id = prefix.littleEndianUInt16(at: 12) {
                return .esp32Image(chip: ESP32Chip(id: id).name)
            }
            return .esp8266Image
        }
        if prefix.starts(with: [0x1F, 0x8B]) { return .gzip }
        if prefix.starts(with: [0xC3, 0xA9]) { return .utf8ReencodedImage }
        if prefix.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return .elf }
        if let size = chunkSize(prefix) { return .chunkFraming(firstChunkSize: size) }
        let text = String(decoding: prefix.prefix(2048), as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.contains("<head") || lower.contains("<body") {
            return .html(title: tagText("title", in: text))
        }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<") {
            let root = xmlRoot(in: String(trimmed))
            if root == "Error", let code = tagText("Code", in: text) {
                return .storageError(code: code, message: tagText("Message", in: text))
            }
            return .xml(root: root)
        }
        if lower.hasPrefix("{") || lower.hasPrefix("[") { return .json }
        if let offset = prefix.prefix(64).firstIndex(of: 0xE9), offset > 0, offset < 16 { return .shiftedImage(offset: offset) }
        let printable = prefix.prefix(256).allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32...126).contains($0) || $0 >= 0x80 }
        if printable {
            let line = trimmed.prefix { $0 != "\n" && $0 != "\r" }
            return .text(firstLine: String(line.prefix(120)))
        }
        return .binary
    }

    public var summary: String {
        switch self {
        case .empty: return "no body bytes"
        case .esp8266Image: return "an ESP8266 app image (starts with 0xE9)"
        case .esp32Image(let chip): return "an \(chip) app image (starts with 0xE9)"
        case .gzip: return "gzip-compressed data (starts 1F 8B)"
        case .html(let title): return title.map { "an HTML page titled \"\($0)\"" } ?? "an HTML page"
        case .xml(let root): return root.map { "an XML document <\($0)>" } ?? "an XML document"
        case .storageError(let code, let message): return "a storage-service XML error <Code>\(code)</Code>" + (message.map { " (\"\($0)\")" } ?? "")
        case .json: return "a JSON document"
        case .chunkFraming(let size): return "chunked transfer framing (first chunk of \(size) bytes), read by the device as data"
        case .utf8ReencodedImage: return "an image re-encoded as UTF-8 text (0xE9 became C3 A9)"
        case .shiftedImage(let offset): return "an image preceded by \(offset) stray byte\(offset == 1 ? "" : "s")"
        case .text(let line): return "plain text: \"\(line)\""
        case .elf: return "an ELF file (the linker output, not the .bin made from it)"
        case .binary: return "binary data that is not an ESP8266 image"
        }
    }

    private static func chunkSize(_ prefix: [UInt8]) -> Int? {
        let hex = prefix.prefix(10).prefix { (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }
        guard !hex.isEmpty, hex.count < 9, prefix.count > hex.count + 1,
              prefix[hex.count] == 13 || prefix[hex.count] == 10 || prefix[hex.count] == UInt8(ascii: ";") else { return nil }
        return Int(String(decoding: hex, as: UTF8.self), radix: 16)
    }

    /// What an ESP32 (arduino-esp32 / ESP-IDF) would print for these bytes: both read the
    /// chip id as a little-endian u16 at offset 12 of the image header before anything else
    /// (esp_image_header_t.chip_id), so "Mismatch chip id, expected 0, found 27757" is the
    /// `ml` of `<!DOCTYPE html>` (spec esp32-arduino-and-esp-idf.md B5.4, C3).
    public static func esp32ChipIDReading(_ prefix: [UInt8]) -> Int? {
        guard prefix.count >= 14 else { return nil }
        return Int(prefix[12]) | Int(prefix[13]) << 8
    }

    private static func tagText(_ tag: String, in text: String) -> String? {
        let lower = text.lowercased()
        guard let open = lower.firstRange(of: "<\(tag.lowercased())"),
              let close = lower[open.upperBound...].firstRange(of: ">"),
              let end = lower[close.upperBound...].firstRange(of: "</\(tag.lowercased())") else { return nil }
        let start = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: close.upperBound))
        let stop = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: end.lowerBound))
        let title = text[start..<stop].split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        return title.isEmpty ? nil : String(title.prefix(120))
    }

    private static func xmlRoot(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                guard let close = after.firstIndex(of: ">") else { return nil }
                rest = after[after.index(after: close)...]
                continue
            }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == ":" || $0 == "-" || $0 == "_" }
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }
}
