/// Structural findings in an image that esptool or the device's loader would object to.
///
/// They are collected, not thrown: a probe wants every finding about a body it cannot change,
/// and the parsers keep going so the checksum and hash can still be reported.
public enum ImageProblem: Sendable, Equatable {
    /// More than `ESP_IMAGE_MAX_SEGMENTS` (16): esptool `verify()` and the IDF loader both refuse
    /// (esptool v5.6.0:esptool/bin_image.py:258-263; esp-idf
    /// v5.5.5:components/bootloader_support/src/esp_image_format.c:407).
    case tooManySegments(Int)
    /// A segment length that is not a multiple of 4; esptool refuses to write such images
    /// (esptool v5.6.0:esptool/bin_image.py:336-340) and the IDF loader checks words.
    case segmentLengthNotWordAligned(segment: Int, length: UInt32)
    /// 16 MiB or more in one segment: no flash or RAM region is that large (esptool v5.6.0:esptool/bin_image.py:341-346).
    case segmentTooLarge(segment: Int, length: UInt32)
    /// The body ended inside the image.
    case truncated(atOffset: Int)
    /// ESP32 header bytes 19–22 (`reserved[4]`) are not zero.
    case reservedHeaderBytesNotZero
    /// `hash_appended` is neither 0 nor 1: esptool raises, the IDF loader treats it as set.
    case unusualHashAppendedFlag(UInt8)

    public var summary: String {
        switch self {
        case .tooManySegments(let count): return "\(count) segments (the loader allows at most 16)"
        case .segmentLengthNotWordAligned(let index, let length): return "segment \(index) length \(length) is not a multiple of 4"
        case .segmentTooLarge(let index, let length): return "segment \(index) claims \(length) bytes (16 MiB or more)"
        case .truncated(let offset): return "the body ends inside the image, at offset \(ImageHex.offset(offset))"
        case .reservedHeaderBytesNotZero: return "reserved header bytes 19–22 are not zero"
        case .unusualHashAppendedFlag(let flag): return "hash_appended is \(ImageHex.byte(flag)), expected 0 or 1"
        }
    }
}
