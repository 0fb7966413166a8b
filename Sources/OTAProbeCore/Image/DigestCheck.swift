/// The SHA-256 "simple hash" an ESP32-family image carries after its checksum when
/// `hash_appended` is set: SHA-256 of every image byte from the magic through the checksum byte
/// (esptool v5.6.0:esptool/bin_image.py:760-767; esp-idf
/// v5.5.5:components/bootloader_support/src/esp_image_format.c:996-1003, 1184-1204, where a
/// mismatch logs `Image hash failed - image is corrupt`).
public enum DigestCheck: Sendable, Equatable {
    /// `hash_appended == 0`: the bootloader only checks the XOR checksum.
    case notAppended
    case valid(digest: [UInt8])
    case invalid(stored: [UInt8], computed: [UInt8])
    /// The body ended before all 32 digest bytes arrived (or before the checksum).
    case unavailable

    public var isValid: Bool { if case .valid = self { return true } else { return false } }

    public var summary: String {
        switch self {
        case .notAppended: return "no SHA-256 appended"
        case .valid(let digest): return "SHA-256 \(ImageHex.bytes(digest)) valid"
        case .invalid(let stored, let computed):
            return "SHA-256 INVALID (stored \(ImageHex.bytes(stored)), calculated \(ImageHex.bytes(computed)))"
        case .unavailable: return "appended SHA-256 not reached (body ended first)"
        }
    }
}
