extension String {
    /// The UTF-8 bytes of this string, as they go on the wire.
    var wireBytes: [UInt8] { Array(utf8) }

    /// Trims spaces and tabs only — the whitespace HTTP allows around header values — so other
    /// characters (a stray CR, say) stay visible in what was recorded.
    var trimmingSpacesAndTabs: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }),
              let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
