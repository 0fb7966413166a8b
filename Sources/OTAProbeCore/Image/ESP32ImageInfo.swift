/// One ESP32-family image: `esp_image_header_t` (24 bytes; esp-idf
/// v5.5.5:components/bootloader_support/include/esp_app_format.h:81-107), segments, checksum,
/// optional appended SHA-256, and the app descriptor when the first segment carries one.
///
/// These are the facts `esp_image_verify` judges after the download (spec B7), so a probe can say
/// before flashing whether `esp_ota_end` would fail with ESP_ERR_OTA_VALIDATE_FAILED.
public struct ESP32ImageInfo: Sendable, Equatable {
    /// Where this image starts in the body (0 for an app; 0x0/0x1000/0x2000 or the app partition in a merged image).
    public let offset: Int
    public let chip: ESP32Chip
    public let flash: FlashSettings
    public let entryPoint: UInt32
    /// 0xEE means "disabled" (what the IDF build writes).
    public let wpPin: UInt8
    public let spiPinDrive: [UInt8]
    /// Legacy `min_chip_rev` (major revision on most chips).
    public let minChipRevision: UInt8
    /// `min_chip_rev_full`, major × 100 + minor.
    public let minChipRevisionFull: UInt16
    /// `max_chip_rev_full`, major × 100 + minor.
    public let maxChipRevisionFull: UInt16
    public let hashAppended: Bool
    public let declaredSegmentCount: Int
    public let segments: [ImageSegment]
    public let checksum: ChecksumCheck
    public let checksumOffset: Int?
    public let sha256: DigestCheck
    public let appDescriptor: ESP32AppDescriptor?
    /// Absolute offset just past the image (after the digest when appended).
    public let endOffset: Int?
    public let problems: [ImageProblem]

    /// The ESP-IDF second-stage bootloader starts its DRAM segment with `esp_bootloader_desc_t`,
    /// whose first byte is 0x50 (esptool v5.6.0:esptool/cmds.py `_parse_bootloader_info`); an app
    /// starts with `esp_app_desc_t` instead. Serving bootloader.bin instead of the app is a real mistake.
    public let looksLikeBootloader: Bool

    public var isComplete: Bool { endOffset != nil }

    public var summary: String {
        var text = "\(chip.name) image at \(ImageHex.offset(offset)): \(declaredSegmentCount) segment\(declaredSegmentCount == 1 ? "" : "s"), "
            + "entry \(ImageHex.address(entryPoint)), flash \(flash.summary), chip rev v\(minChipRevisionFull / 100).\(minChipRevisionFull % 100)"
            + "–v\(maxChipRevisionFull / 100).\(maxChipRevisionFull % 100), \(checksum.summary), \(sha256.summary)"
        if let appDescriptor { text += "; app: " + appDescriptor.summary }
        else if looksLikeBootloader { text += "; this is a second-stage bootloader, not an app" }
        else { text += "; no app descriptor" }
        for problem in problems { text += "; " + problem.summary }
        return text
    }

    init(offset: Int, walker: SegmentedImageWalker, ended: Bool) {
        let header = walker.header
        self.offset = offset
        chip = ESP32Chip(id: header.littleEndianUInt16(at: 12) ?? 0xFFFF)
        flash = .esp32(modeByte: header.count > 2 ? header[2] : 0, sizeFrequencyByte: header.count > 3 ? header[3] : 0, chip: chip)
        entryPoint = header.littleEndianUInt32(at: 4) ?? 0
        wpPin = header.count > 8 ? header[8] : 0
        spiPinDrive = header.count >= 12 ? Array(header[9..<12]) : []
        minChipRevision = header.count > 14 ? header[14] : 0
        minChipRevisionFull = header.littleEndianUInt16(at: 15) ?? 0
        maxChipRevisionFull = header.littleEndianUInt16(at: 17) ?? 0
        hashAppended = walker.hashAppended
        declaredSegmentCount = walker.declaredSegmentCount
        segments = walker.segments(base: offset)
        checksum = walker.checksum
        checksumOffset = walker.checksumAt.map { offset + $0 }
        sha256 = walker.digest
        appDescriptor = ESP32AppDescriptor(walker.firstSegmentPrefix)
        looksLikeBootloader = appDescriptor == nil && walker.firstSegmentPrefix.first == 0x50
        endOffset = walker.endOffset.map { offset + $0 }
        problems = walker.problems(base: offset, ended: ended)
    }
}
