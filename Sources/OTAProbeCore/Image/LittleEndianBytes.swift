/// Little-endian field access for the image structs, which are all packed little-endian C
/// structs (`esp_image_header_t`, `esp_app_desc_t`, `esp_partition_info_t`, the gzip header).
///
/// Reads past the end return nil instead of trapping, because every caller works on bytes that
/// may have been cut short by the network.
extension Collection<UInt8> where Index == Int {
    func littleEndianUInt16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        let base = startIndex + offset
        return UInt16(self[base]) | UInt16(self[base + 1]) << 8
    }

    func littleEndianUInt32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= count else { return nil }
        let base = startIndex + offset
        return UInt32(self[base]) | UInt32(self[base + 1]) << 8 | UInt32(self[base + 2]) << 16 | UInt32(self[base + 3]) << 24
    }

    /// A fixed-size `char[N]` field: text up to the first NUL, invalid UTF-8 repaired, because
    /// the fields are filled by `strncpy` and may be unterminated when the text is exactly N long.
    func cString(at offset: Int, length: Int) -> String {
        guard offset >= 0, offset < count else { return "" }
        let field = self[(startIndex + offset)..<(startIndex + Swift.min(count, offset + length))]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Hex spellings used in summaries, matching esptool's `0x%08x` style so users can compare.
enum ImageHex {
    static func address(_ value: UInt32) -> String { "0x" + padded(String(value, radix: 16), to: 8) }
    static func byte(_ value: UInt8) -> String { "0x" + padded(String(value, radix: 16), to: 2) }
    static func offset(_ value: Int) -> String { "0x" + padded(String(value, radix: 16), to: 5) }
    static func bytes(_ value: some Sequence<UInt8>) -> String { value.map { padded(String($0, radix: 16), to: 2) }.joined() }

    private static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
