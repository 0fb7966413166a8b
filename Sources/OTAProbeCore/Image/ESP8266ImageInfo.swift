/// One ESP8266 "version 1" image (`ESP8266ROMFirmwareImage`, esptool
/// v5.6.0:esptool/bin_image.py:512-531): 8-byte header (0xE9, segment count, flash mode,
/// size|frequency, entry point), segments, checksum.
///
/// An Arduino .bin holds two of these (eboot at 0, the sketch at 0x1000); a plain esptool or
/// NONOS image holds one.
public struct ESP8266ImageInfo: Sendable, Equatable {
    /// Where this image starts in the body (0 or 0x1000).
    public let offset: Int
    public let flash: FlashSettings
    public let entryPoint: UInt32
    /// `segment_count` from the header.
    public let declaredSegmentCount: Int
    /// Segments seen so far; fewer than declared when the body was cut short.
    public let segments: [ImageSegment]
    public let checksum: ChecksumCheck
    /// Absolute offset of the checksum byte (always ≡ 15 mod 16 relative to the image start).
    public let checksumOffset: Int?
    /// Absolute offset just past the checksum byte; nil when the body ended first.
    public let endOffset: Int?
    public let problems: [ImageProblem]

    /// The size `ESP.magicFlashChipSize(byte3 >> 4)` returns on the device; 0 (no check) for
    /// codes outside its table (esp8266/Arduino 3.1.2:cores/esp8266/Esp.cpp:333-352; spec §5.3).
    /// `Updater::_verifyEnd` compares it with the real flash size (3.1.2:cores/esp8266/Updater.cpp:508-518).
    public var arduinoFlashChipSize: Int {
        UpdateDecisionTree.magicFlashChipSize(flash.sizeCode)
    }

    public var isComplete: Bool { endOffset != nil }

    public var summary: String {
        var text = "ESP8266 image at \(ImageHex.offset(offset)): \(declaredSegmentCount) segment\(declaredSegmentCount == 1 ? "" : "s"), "
            + "entry \(ImageHex.address(entryPoint)), flash \(flash.summary), \(checksum.summary)"
        if let end = endOffset { text += ", ends at \(ImageHex.offset(end))" }
        for problem in problems { text += "; " + problem.summary }
        return text
    }

    init(offset: Int, walker: SegmentedImageWalker, ended: Bool) {
        let header = walker.header
        self.offset = offset
        flash = .esp8266(modeByte: header.count > 2 ? header[2] : 0, sizeFrequencyByte: header.count > 3 ? header[3] : 0)
        entryPoint = header.littleEndianUInt32(at: 4) ?? 0
        declaredSegmentCount = walker.declaredSegmentCount
        segments = walker.segments(base: offset)
        checksum = walker.checksum
        checksumOffset = walker.checksumAt.map { offset + $0 }
        endOffset = walker.endOffset.map { offset + $0 }
        problems = walker.problems(base: offset, ended: ended)
    }
}
