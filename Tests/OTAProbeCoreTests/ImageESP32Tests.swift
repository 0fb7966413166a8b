import Crypto
import Testing
@testable import OTAProbeCore

@Suite("ESP32 image parsing")
struct ImageESP32Tests {
    @Test(arguments: [(UInt16(0), ImageFixtures.ESP32Layout.esp32, "ESP32"), (9, .esp32s3, "ESP32-S3"), (5, .esp32c3, "ESP32-C3")])
    func appImageWithDescriptorAndHash(chipID: UInt16, layout: ImageFixtures.ESP32Layout, name: String) throws {
        let bytes = ImageFixtures.esp32App(chip: chipID, layout: layout)
        let info = try #require(parseESP32(bytes))
        #expect(info.chip.id == chipID)
        #expect(info.chip.name == name)
        #expect(info.flash.mode == .dio)
        #expect(info.flash.sizeName == "4MB")
        #expect(info.flash.frequencyName == "80m")
        #expect(info.wpPin == 0xEE)
        #expect(info.maxChipRevisionFull == 399)
        #expect(info.segments.map(\.loadAddress) == [layout.drom, layout.dram, layout.irom, layout.iram])
        #expect(info.segments.map(\.length) == [348, 48, 300, 124])
        #expect(info.segments[0].headerOffset == 24)
        #expect(info.checksum.isValid)
        #expect(info.hashAppended)
        #expect(info.sha256 == .valid(digest: Array(bytes.suffix(32))))
        #expect(info.endOffset == bytes.count)
        #expect(info.problems.isEmpty)
        let descriptor = try #require(info.appDescriptor)
        #expect(descriptor.version == "1.4.2")
        #expect(descriptor.projectName == "otaprobe-test")
        #expect(descriptor.secureVersion == 3)
        #expect(descriptor.idfVersion == "v5.4.1")
        #expect(descriptor.date == "Mar  4 2025")
        #expect(descriptor.time == "12:34:56")
        #expect(descriptor.appELFSHA256 == (0..<32).map { UInt8($0) })
        #expect(descriptor.mmuPageSizeLog2 == 16)
        #expect(!info.looksLikeBootloader)
        #expect(info.summary.contains(name))
    }

    @Test func chipTableFollowsEspChipIdT() {
        let expected: [UInt16: String] = [0: "ESP32", 2: "ESP32-S2", 5: "ESP32-C3", 9: "ESP32-S3", 12: "ESP32-C2", 13: "ESP32-C6",
                                          16: "ESP32-H2", 18: "ESP32-P4", 20: "ESP32-C61", 23: "ESP32-C5"]
        for (id, name) in expected { #expect(ESP32Chip(id: id).name == name) }
        #expect(!ESP32Chip.invalid.isKnown)
        #expect(!ESP32Chip(id: 0x0A).isKnown)
        #expect(ESP32Chip.esp32c2.frequencyName(code: 0xF) == "60m")
        #expect(ESP32Chip.esp32h2.frequencyName(code: 0) == "24m")
        #expect(ESP32Chip.esp32.bootloaderOffset == 0x1000)
        #expect(ESP32Chip.esp32s3.bootloaderOffset == 0)
        #expect(ESP32Chip.esp32p4.bootloaderOffset == 0x2000)
    }

    @Test func imageWithoutHash() throws {
        let bytes = ImageFixtures.esp32Image(chip: 5, segments: [(0x3C00_0020, ImageFixtures.pattern(40, seed: 1))], hashAppended: false)
        let info = try #require(parseESP32(bytes))
        #expect(info.sha256 == .notAppended)
        #expect(info.checksum.isValid)
        #expect(info.appDescriptor == nil)
        #expect(info.endOffset == bytes.count)
    }

    @Test func corruptedByteBreaksChecksumAndHash() throws {
        var bytes = ImageFixtures.esp32App(chip: 9, layout: .esp32s3)
        bytes[600] ^= 0x10
        let info = try #require(parseESP32(bytes))
        #expect(!info.checksum.isValid)
        guard case .invalid = info.sha256 else { Issue.record("expected an invalid digest, got \(info.sha256)"); return }
    }

    @Test func corruptedDigestOnlyBreaksTheHash() throws {
        var bytes = ImageFixtures.esp32App(chip: 0, layout: .esp32)
        bytes[bytes.count - 1] ^= 0xFF
        let info = try #require(parseESP32(bytes))
        #expect(info.checksum.isValid)
        guard case .invalid = info.sha256 else { Issue.record("expected an invalid digest"); return }
    }

    @Test func truncatedImage() throws {
        let full = ImageFixtures.esp32App(chip: 5, layout: .esp32c3)
        let cutInHash = try #require(parseESP32(Array(full.prefix(full.count - 10))))
        #expect(cutInHash.checksum.isValid)
        #expect(cutInHash.sha256 == .unavailable)
        #expect(cutInHash.endOffset == nil)
        let cutEarly = try #require(parseESP32(Array(full.prefix(200))))
        #expect(cutEarly.checksum == .unavailable)
        #expect(cutEarly.appDescriptor == nil)
        #expect(cutEarly.problems == [.truncated(atOffset: 200)])
        #expect(parseESP32([0x3C, 0x21]) == nil)
    }

    @Test func bootloaderIsNotAnApp() throws {
        let info = try #require(parseESP32(ImageFixtures.esp32Bootloader(chip: 9, layout: .esp32s3)))
        #expect(info.looksLikeBootloader)
        #expect(info.appDescriptor == nil)
        #expect(info.sha256.isValid)
    }

    @Test func structuralProblemsAreReported() throws {
        var bytes = ImageFixtures.esp32Image(chip: 0, segments: [(0x3F40_0020, [1, 2, 3])], hashAppended: false)
        bytes[20] = 7
        let info = try #require(parseESP32(bytes))
        #expect(info.problems.contains(.segmentLengthNotWordAligned(segment: 0, length: 3)))
        #expect(info.problems.contains(.reservedHeaderBytesNotZero))
    }

    @Test func appDescriptorNeedsItsMagic() {
        var descriptor = ImageFixtures.appDescriptor()
        #expect(ESP32AppDescriptor(descriptor) != nil)
        descriptor[0] = 0
        #expect(ESP32AppDescriptor(descriptor) == nil)
        #expect(ESP32AppDescriptor(Array(ImageFixtures.appDescriptor().prefix(100))) == nil)
    }
}
