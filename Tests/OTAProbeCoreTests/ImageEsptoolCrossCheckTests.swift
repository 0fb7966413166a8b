import Testing
@testable import OTAProbeCore

/// Our parse versus `esptool image-info` on the same crafted bytes. Skipped when esptool is not
/// installed, except under CI=true, where a missing esptool is a failure (CI installs it).
@Suite("esptool cross-check", .enabled(if: Esptool.version != nil || Esptool.isCI,
                                        "esptool is not installed (pip install esptool); set CI=true to make this a failure"))
struct ImageEsptoolCrossCheckTests {
    private func requireEsptool() -> Bool {
        if Esptool.version == nil {
            Issue.record("CI=true but `python3 -m esptool` is not available; CI must `pip install esptool`")
            return false
        }
        return true
    }

    /// Compares the fields both tools report; `base` is where `bytes` sit inside our parsed body.
    private func compare(_ esptool: EsptoolImageInfo, segments: [ImageSegment], base: Int, flash: FlashSettings,
                         checksum: ChecksumCheck, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(esptool.segmentCount == segments.count, sourceLocation: sourceLocation)
        #expect(esptool.segments == segments.map { .init(length: $0.length, loadAddress: $0.loadAddress, fileOffset: $0.headerOffset - base) },
                sourceLocation: sourceLocation)
        #expect(esptool.checksumValid == checksum.isValid, sourceLocation: sourceLocation)
        #expect(esptool.flashMode == flash.mode.description, sourceLocation: sourceLocation)
        #expect(esptool.flashSize == flash.sizeName, sourceLocation: sourceLocation)
        #expect(esptool.flashFrequency == flash.frequencyName, sourceLocation: sourceLocation)
    }

    private func checkESP8266(_ bytes: [UInt8], image: ESP8266ImageInfo, base: Int,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (run, info) = try Esptool.imageInfo(chip: "esp8266", bytes: Array(bytes[base...]))
        #expect(run.status == 0 && !run.timedOut, "esptool: \(run.output)", sourceLocation: sourceLocation)
        compare(info, segments: image.segments, base: base, flash: image.flash, checksum: image.checksum, sourceLocation: sourceLocation)
    }

    private func checkESP32(_ bytes: [UInt8], chip: String, image: ESP32ImageInfo, base: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let slice = Array(bytes[base..<(image.endOffset ?? bytes.count)])
        let (run, info) = try Esptool.imageInfo(chip: chip, bytes: slice)
        #expect(run.status == 0 && !run.timedOut, "esptool: \(run.output)", sourceLocation: sourceLocation)
        compare(info, segments: image.segments, base: base, flash: image.flash, checksum: image.checksum, sourceLocation: sourceLocation)
        #expect(info.chipID == Int(image.chip.id), sourceLocation: sourceLocation)
        #expect(info.hashValid == (image.hashAppended ? image.sha256.isValid : nil), sourceLocation: sourceLocation)
        if let descriptor = image.appDescriptor {
            #expect(info.projectName == descriptor.projectName, sourceLocation: sourceLocation)
            #expect(info.appVersion == descriptor.version, sourceLocation: sourceLocation)
        }
    }

    @Test func esp8266AppImage() throws {
        guard requireEsptool() else { return }
        for (mode, sizeFrequency) in [(UInt8(0), UInt8(0x40)), (2, 0x2F), (3, 0x91), (1, 0x02)] {
            let bytes = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(100, seed: 1)),
                                                    (0x3FFE_8000, ImageFixtures.pattern(36, seed: 2))],
                                                   mode: mode, sizeFrequency: sizeFrequency)
            try checkESP8266(bytes, image: try #require(sniff(bytes).esp8266?.app), base: 0)
        }
    }

    @Test func esp8266CorruptedImage() throws {
        guard requireEsptool() else { return }
        var bytes = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(100, seed: 1))])
        bytes[30] ^= 0x55
        let app = try #require(sniff(bytes).esp8266?.app)
        #expect(!app.checksum.isValid)
        try checkESP8266(bytes, image: app, base: 0)
    }

    @Test func arduinoCombinedBothImages() throws {
        guard requireEsptool() else { return }
        let bytes = ImageFixtures.arduinoBin()
        let info = try #require(sniff(bytes).esp8266)
        try checkESP8266(bytes, image: try #require(info.bootloader), base: 0)
        // esptool, like us, finds the sketch's checksum stale after elf2bin's CRC stamp.
        try checkESP8266(bytes, image: try #require(info.app), base: 0x1000)
    }

    @Test(arguments: [("esp32", UInt16(0), ImageFixtures.ESP32Layout.esp32), ("esp32s3", 9, .esp32s3), ("esp32c3", 5, .esp32c3)])
    func esp32FamilyApp(chip: String, id: UInt16, layout: ImageFixtures.ESP32Layout) throws {
        guard requireEsptool() else { return }
        let bytes = ImageFixtures.esp32App(chip: id, layout: layout)
        try checkESP32(bytes, chip: chip, image: try #require(sniff(bytes).esp32), base: 0)
        var corrupted = bytes
        corrupted[500] ^= 0x08
        let bad = try #require(sniff(corrupted).esp32)
        #expect(!bad.checksum.isValid && !bad.sha256.isValid)
        try checkESP32(corrupted, chip: chip, image: bad, base: 0)
    }

    @Test func esp32WithoutHash() throws {
        guard requireEsptool() else { return }
        // esptool v5.6.0 reads 256 bytes of app descriptor from any DROM segment and crashes on a
        // shorter one, so the DROM segment carries a real descriptor.
        let bytes = ImageFixtures.esp32Image(chip: 0, segments: [(0x3F40_0020, ImageFixtures.appDescriptor() + ImageFixtures.pattern(40, seed: 1)),
                                                                 (0x4008_0000, ImageFixtures.pattern(8, seed: 2))], hashAppended: false)
        try checkESP32(bytes, chip: "esp32", image: try #require(sniff(bytes).esp32), base: 0)
    }

    @Test func mergedImageSlices() throws {
        guard requireEsptool() else { return }
        let bytes = ImageFixtures.mergedESP32()
        let merged = try #require(sniff(bytes).merged)
        try checkESP32(bytes, chip: "esp32", image: try #require(merged.bootloader), base: 0x1000)
        try checkESP32(bytes, chip: "esp32", image: try #require(merged.app), base: 0x10000)
    }

    @Test func truncatedImageIsRejectedByBoth() throws {
        guard requireEsptool() else { return }
        let bytes = Array(ImageFixtures.esp32App(chip: 9, layout: .esp32s3).prefix(300))
        let image = try #require(sniff(bytes).esp32)
        #expect(image.checksum == .unavailable)
        let (run, _) = try Esptool.imageInfo(chip: "esp32s3", bytes: bytes)
        #expect(!run.timedOut)
        #expect(run.status != 0, "esptool accepted a truncated image: \(run.output)")
    }
}
