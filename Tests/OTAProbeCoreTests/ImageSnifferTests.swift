import Testing
@testable import OTAProbeCore

@Suite("Firmware image sniffing")
struct ImageSnifferTests {
    @Test func esp8266App() {
        let report = sniff(ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))]))
        #expect(report.kind == .esp8266App)
        #expect(report.esp8266?.app?.checksum.isValid == true)
    }

    @Test func arduinoCombined() {
        let report = sniff(ImageFixtures.arduinoBin())
        #expect(report.kind == .esp8266ArduinoCombined)
        #expect(report.esp8266?.arduinoCRC?.isValid == true)
    }

    @Test(arguments: [UInt16(0), 9, 5])
    func esp32App(chip: UInt16) {
        let layout: ImageFixtures.ESP32Layout = chip == 0 ? .esp32 : chip == 9 ? .esp32s3 : .esp32c3
        let report = sniff(ImageFixtures.esp32App(chip: chip, layout: layout))
        #expect(report.kind == .esp32App(ESP32Chip(id: chip)))
        #expect(report.esp32?.sha256.isValid == true)
        #expect(report.esp32?.appDescriptor?.version == "1.4.2")
    }

    @Test func esp32Bootloader() {
        let report = sniff(ImageFixtures.esp32Bootloader(chip: 5, layout: .esp32c3))
        #expect(report.kind == .esp32Bootloader(.esp32c3))
    }

    @Test func mergedESP32WithBootloaderAt0x1000() throws {
        let bytes = ImageFixtures.mergedESP32()
        let report = sniff(bytes)
        #expect(report.kind == .esp32Merged(.esp32))
        let merged = try #require(report.merged)
        #expect(merged.bootloader?.offset == 0x1000)
        #expect(merged.bootloader?.looksLikeBootloader == true)
        #expect(merged.bootloader?.sha256.isValid == true)
        #expect(merged.partitionTable.entries.map(\.label) == ["nvs", "otadata", "factory", "ota_0"])
        #expect(merged.partitionTable.md5Valid == true)
        #expect(merged.appPartition?.kindName == "factory")
        let app = try #require(merged.app)
        #expect(app.offset == 0x10000)
        #expect(app.segments.first?.headerOffset == 0x10000 + 24)
        #expect(app.checksum.isValid)
        #expect(app.sha256.isValid)
        #expect(app.appDescriptor?.projectName == "otaprobe-test")
        #expect(app.endOffset == bytes.count)
        #expect(report.summary.contains("OTA needs the app alone"))
    }

    @Test func mergedESP32S3WithBootloaderAt0() {
        let report = sniff(ImageFixtures.mergedESP32(chip: 9, layout: .esp32s3, bootloaderOffset: 0))
        #expect(report.kind == .esp32Merged(.esp32s3))
        #expect(report.merged?.bootloader?.offset == 0)
        #expect(report.merged?.app?.appDescriptor != nil)
    }

    @Test func mergedImageCutBeforeThePartitionTable() {
        let report = sniff(Array(ImageFixtures.mergedESP32().prefix(0x3000)))
        #expect(report.kind == .esp32Merged(.esp32))
        #expect(report.merged == nil)
        #expect(report.esp32?.offset == 0x1000)
    }

    @Test func littleFS() {
        #expect(sniff(ImageFixtures.littleFSSuperblock()).kind == .littleFS)
        #expect(sniff(ImageFixtures.littleFSSuperblock(blockSize: 8192)).kind == .littleFS)
    }

    @Test func elf() throws {
        let report = sniff(ImageFixtures.elf(machine: 243))
        #expect(report.kind == .elf)
        #expect(try #require(report.elf).machineName.hasPrefix("RISC-V"))
    }

    @Test func unknownAndEmpty() {
        #expect(sniff(Array("<!DOCTYPE html><html></html>".utf8)).kind == .unknown)
        #expect(FirmwareImageSniffer().finish().kind == .empty)
        #expect(sniff([0xE9, 0x03]).kind == .esp8266App)
    }

    @Test func familyRule() {
        let esp8266 = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))])
        #expect(ImageFamily.classify(header: Array(esp8266.prefix(24))) == .esp8266)
        // An IROM-first ESP8266 app (segment at 0x40201010) is still ESP8266.
        let irom = ImageFixtures.esp8266Image([(0x4020_1010, ImageFixtures.pattern(64, seed: 1))])
        #expect(ImageFamily.classify(header: Array(irom.prefix(24))) == .esp8266)
        let esp32 = ImageFixtures.esp32App(chip: 12, layout: .esp32c3)
        #expect(ImageFamily.classify(header: Array(esp32.prefix(24))) == .esp32)
        // Unknown chip id: esptool falls back to ESP8266, so do we.
        var unknown = esp32
        unknown[12] = 0x42
        #expect(ImageFamily.classify(header: Array(unknown.prefix(24))) == .esp8266)
    }

    @Test func longBodyKeepsBoundedState() {
        // A 1 MiB app image streamed in 4 KiB chunks: the prefix stays at its limit.
        let bytes = ImageFixtures.esp32Image(chip: 9, segments: [(0x3C00_0020, ImageFixtures.appDescriptor() + ImageFixtures.pattern(1 << 20, seed: 3))])
        var sniffer = FirmwareImageSniffer(prefixLimit: 64 << 10)
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + 4096)
            bytes[index..<end].withUnsafeBytes { sniffer.feed($0) }
            index = end
        }
        let report = sniffer.finish()
        #expect(report.kind == .esp32App(.esp32s3))
        #expect(report.esp32?.sha256.isValid == true)
        #expect(report.length == bytes.count)
    }
}
