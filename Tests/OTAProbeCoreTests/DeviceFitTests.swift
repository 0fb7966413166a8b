import Testing
@testable import OTAProbeCore

/// Device fit beside the verdict (issue: image inspection), from images built by the fixtures.
@Suite struct DeviceFitTests {
    func assess(_ bytes: [UInt8], identity: DeviceIdentity = DeviceIdentity(), complete: Bool = true) -> [DeviceFit.Finding] {
        var sniffer = FirmwareImageSniffer()
        sniffer.feed(bytes)
        return DeviceFit.assess(sniffer.finish(), identity: identity, profile: .esp8266(Profiles.v312), complete: complete)
    }

    @Test func aValidESP8266ImageFits() {
        let findings = assess(ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))]))
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0.ok == true }, "\(findings)")
    }

    @Test func flashSizeAndSpaceAreJudgedAgainstTheLayout() {
        var small = DeviceIdentity()
        small.layout = FlashLayout.named("1M64")!
        small.sketchSize = 1_000_000
        let findings = assess(ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))], sizeFrequency: 0x40), identity: small)
        #expect(findings.first { $0.aspect == "flashSize" }?.ok == false)
        #expect(findings.first { $0.aspect == "space" }?.ok == false)
    }

    @Test func anESP32ImageIsTheWrongChip() {
        let findings = assess(ImageFixtures.esp32App(chip: 9, layout: .esp32s3))
        let chip = findings.first { $0.aspect == "chip" }
        #expect(chip?.ok == false)
        #expect(chip?.message.contains("ESP32-S3") == true)
    }

    @Test func corruptedAndTruncatedImagesAreCalledOut() {
        var corrupted = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))])
        corrupted[20] ^= 0xFF
        #expect(assess(corrupted).first { $0.aspect == "checksum" }?.ok == false)
        let truncated = Array(ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))]).dropLast(40))
        #expect(assess(truncated).first { $0.aspect == "complete" }?.ok == false)
        #expect(assess(truncated, complete: false).first { $0.aspect == "complete" }?.ok == nil)
    }

    @Test func elfAndLittleFSAreNotSketchImages() {
        #expect(assess(ImageFixtures.elf()).first?.ok == false)
        #expect(BodyKind.recognize(ImageFixtures.elf()) == .elf)
        var fs = DeviceIdentity()
        fs.mode = .fs
        #expect(assess(ImageFixtures.littleFSSuperblock(), identity: fs).first { $0.aspect == "kind" }?.ok == true)
        #expect(assess(ImageFixtures.littleFSSuperblock()).first { $0.aspect == "kind" }?.ok == false)
    }
}

@Suite struct InspectReportTests {
    @Test func aFittingImageExitsZeroAndAnELFDoesNot() {
        func report(_ bytes: [UInt8]) -> InspectReport {
            var sniffer = FirmwareImageSniffer()
            sniffer.feed(bytes)
            return InspectReport(file: "fw.bin", profile: .esp8266(Profiles.v312), identity: DeviceIdentity(), image: sniffer.finish(),
                                 prefix: Array(bytes.prefix(4096)), md5: md5(bytes), sha256: "")
        }
        let good = report(ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 1))]))
        #expect(good.fits)
        #expect(good.renderText(style: TerminalStyle(enabled: false), redactor: Redactor()).contains("✔ image checksum valid"))
        #expect(good.renderJSON().contains("\"schema\":\"otaprobe/1\""))
        let elf = report(ImageFixtures.elf())
        #expect(!elf.fits)
        #expect(elf.renderText(style: TerminalStyle(enabled: false), redactor: Redactor()).contains("✘ an ELF file"))
    }
}
