/// The one-byte image checksum: 0xEF XOR every segment data byte, stored in the byte that makes
/// the image a multiple of 16 long (esptool v5.6.0:esptool/bin_image.py:367-388 read_checksum /
/// calculate_checksum / append_checksum; esp-idf
/// v5.5.5:components/bootloader_support/src/esp_image_format.c:1045-1062).
///
/// `unavailable` is its own answer because a truncated body is the common case on a probe and
/// "invalid" would send the user hunting for corruption that is not there.
public enum ChecksumCheck: Sendable, Equatable {
    case valid(UInt8)
    case invalid(stored: UInt8, computed: UInt8)
    /// The body ended before the checksum byte.
    case unavailable

    public var isValid: Bool { if case .valid = self { return true } else { return false } }

    public var summary: String {
        switch self {
        case .valid(let value): return "checksum \(ImageHex.byte(value)) valid"
        case .invalid(let stored, let computed): return "checksum \(ImageHex.byte(stored)) INVALID (calculated \(ImageHex.byte(computed)))"
        case .unavailable: return "checksum not reached (body ended first)"
        }
    }
}
