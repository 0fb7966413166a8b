import Testing
@testable import OTAProbeCore

@Suite("ESP8266 image parsing")
struct ImageESP8266Tests {
    @Test func plainAppImage() {
        let bytes = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(100, seed: 1)),
                                                (0x3FFE_8000, ImageFixtures.pattern(36, seed: 2))],
                                               mode: 0, sizeFrequency: 0x2F, entry: 0x4010_0004)
        let info = parseESP8266(bytes)
        #expect(info.bootloader == nil)
        let app = try! #require(info.app)
        #expect(app.flash.mode == .qio)
        #expect(app.flash.sizeName == "1MB")
        #expect(app.flash.frequencyName == "80m")
        #expect(app.entryPoint == 0x4010_0004)
        #expect(app.segments.map(\.loadAddress) == [0x4010_0000, 0x3FFE_8000])
        #expect(app.segments.map(\.length) == [100, 36])
        #expect(app.segments.map(\.headerOffset) == [8, 116])
        #expect(app.checksum.isValid)
        #expect(app.checksumOffset.map { $0 % 16 } == 15)
        #expect(app.endOffset == bytes.count)
        #expect(app.problems.isEmpty)
        #expect(app.arduinoFlashChipSize == 1 << 20)
        #expect(info.signature == nil)
    }

    @Test func flashSizeTableMatchesTheDevice() {
        let expected: [UInt8: Int] = [0: 512 << 10, 1: 256 << 10, 2: 1 << 20, 3: 2 << 20, 4: 4 << 20, 5: 0, 6: 0, 8: 8 << 20, 9: 16 << 20, 0xA: 0]
        for (code, size) in expected {
            let info = parseESP8266(ImageFixtures.esp8266Image([(0x4010_0000, [1, 2, 3, 4])], sizeFrequency: code << 4))
            #expect(info.app?.arduinoFlashChipSize == size, "code \(code)")
        }
        #expect(FlashSettings.esp8266(modeByte: 3, sizeFrequencyByte: 0x91).summary == "DOUT, 16MB, 26m")
        #expect(FlashSettings.esp8266(modeByte: 7, sizeFrequencyByte: 0x75).sizeName == nil)
    }

    @Test func arduinoCombinedBin() {
        let bytes = ImageFixtures.arduinoBin()
        let info = parseESP8266(bytes)
        let bootloader = try! #require(info.bootloader)
        let app = try! #require(info.app)
        #expect(info.isArduinoCombined)
        #expect(bootloader.offset == 0)
        #expect(bootloader.checksum.isValid)
        #expect(bootloader.endOffset! <= 0x1000)
        #expect(app.offset == 0x1000)
        #expect(app.segments.first?.loadAddress == 0x4020_1010)
        #expect(app.segments.first?.dataOffset == 0x1010)
        #expect(app.endOffset == bytes.count)
        // elf2bin checksums before stamping the CRC words, so the stored checksum no longer matches…
        #expect(!app.checksum.isValid)
        let crc = try! #require(info.arduinoCRC)
        // …but it does once the two words are taken as zero, and the CRC itself is right.
        #expect(crc.checksumMatchesWithoutCRCWords)
        #expect(crc.storedLength == UInt32(bytes.count))
        #expect(crc.isValid == true)
        #expect(info.updaterHeader?.offset == 0)
        #expect(info.signature == nil)
        #expect(info.summary.contains("eboot + sketch"))
    }

    @Test func arduinoCRCDetectsACorruptedSketch() {
        var bytes = ImageFixtures.arduinoBin()
        bytes[0x1200] ^= 0x40
        let info = parseESP8266(bytes)
        #expect(info.arduinoCRC?.isValid == false)
        #expect(info.arduinoCRC?.checksumMatchesWithoutCRCWords == false)
    }

    @Test func signedBinIsRecognised() {
        let unsigned = ImageFixtures.arduinoBin()
        for (length, expected) in [(256, ArduinoSignature.Algorithm.rsa(bits: 2048)), (512, .rsa(bits: 4096)), (71, .ecdsa)] {
            let bytes = unsigned + ImageFixtures.pattern(length, seed: 13) + ImageFixtures.le32(UInt32(length))
            let info = parseESP8266(bytes)
            #expect(info.signature?.algorithm == expected)
            #expect(info.signature?.signatureOffset == unsigned.count)
            // The CRC covers the unsigned file only.
            #expect(info.arduinoCRC?.isValid == true)
        }
        // A plausible length that does not account for the trailing bytes is not a signature.
        let junk = unsigned + ImageFixtures.pattern(100, seed: 14) + ImageFixtures.le32(256)
        #expect(parseESP8266(junk).signature == nil)
        #expect(parseESP8266(junk).trailingBytes == 104)
    }

    @Test func corruptedByteMakesTheChecksumInvalid() {
        var bytes = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 3))])
        bytes[20] ^= 0x01
        let app = try! #require(parseESP8266(bytes).app)
        guard case .invalid(let stored, let computed) = app.checksum else { Issue.record("expected invalid"); return }
        #expect(stored ^ computed == 0x01)
    }

    @Test func truncatedImageHasNoChecksumVerdict() {
        let full = ImageFixtures.esp8266Image([(0x4010_0000, ImageFixtures.pattern(64, seed: 3)), (0x3FFE_8000, [1, 2, 3, 4])])
        let app = try! #require(parseESP8266(Array(full.prefix(50))).app)
        #expect(app.checksum == .unavailable)
        #expect(app.endOffset == nil)
        #expect(app.segments.count == 1)
        #expect(app.segments[0].isComplete == false)
        #expect(app.problems == [.truncated(atOffset: 50)])
        #expect(app.summary.contains("not reached"))
    }

    @Test func truncatedArduinoBinCannotCheckTheCRC() {
        let bytes = Array(ImageFixtures.arduinoBin().prefix(0x1100))
        let info = parseESP8266(bytes)
        #expect(info.isArduinoCombined)
        #expect(info.arduinoCRC?.isValid == nil)
        #expect(info.app?.checksum == .unavailable)
    }

    @Test func crcMatchesTheCoreAlgorithm() {
        // CRC-32/MPEG-2 check value, which the core's bitwise crc32() also produces.
        var crc = ArduinoCRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0x0376_E6E7)
        #expect(ImageFixtures.crc8266(Array("123456789".utf8)) == 0x0376_E6E7)
    }
}
