/// One `esp_image_segment_header_t` (load_addr, data_len) and where its bytes sit in the file.
///
/// Offsets are absolute in the body (not relative to the image), so a segment of the app inside
/// an Arduino eboot+app file or a merged ESP32 image reads the same as esptool's "File offs"
/// column when esptool is pointed at the slice (esptool v5.6.0:esptool/bin_image.py:265-278
/// records `file_offs` as the position of the segment header).
public struct ImageSegment: Sendable, Equatable {
    public let index: Int
    public let loadAddress: UInt32
    public let length: UInt32
    /// Offset of the 8-byte segment header.
    public let headerOffset: Int
    /// Offset of the first data byte (`headerOffset + 8`).
    public var dataOffset: Int { headerOffset + 8 }
    /// False when the body ended inside this segment's data.
    public let isComplete: Bool

    public init(index: Int, loadAddress: UInt32, length: UInt32, headerOffset: Int, isComplete: Bool) {
        self.index = index
        self.loadAddress = loadAddress
        self.length = length
        self.headerOffset = headerOffset
        self.isComplete = isComplete
    }

    public var summary: String {
        "segment \(index): \(length) bytes at \(ImageHex.address(loadAddress)) (file \(ImageHex.offset(headerOffset)))"
            + (isComplete ? "" : " — cut short")
    }
}
