import Crypto
import Testing
@testable import OTAProbeCore

/// Builders for crafted images with real checksums, digests and CRCs, laid out the way esptool
/// (`bin_image.py`), Arduino's `elf2bin.py` and `esptool merge-bin` lay them out.
enum ImageFixtures {
    /// Deterministic filler; a different `seed` gives different bytes.
    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 17 &+ ($0 >> 3)) }
    }

    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    /// Segments, zero padding to the byte where offset % 16 == 15, the XOR checksum.
    static func appendSegments(_ segments: [(UInt32, [UInt8])], to out: inout [UInt8], checksumOverride: UInt8? = nil) {
        var checksum: UInt8 = 0xEF
        for (address, data) in segments {
            out += le32(address) + le32(UInt32(data.count)) + data
            for byte in data { checksum ^= byte }
        }
        while out.count % 16 != 15 { out.append(0) }
        out.append(checksumOverride ?? checksum)
    }

    static func esp8266Image(_ segments: [(UInt32, [UInt8])], mode: UInt8 = 2, sizeFrequency: UInt8 = 0x40,
                             entry: UInt32 = 0x4010_0004) -> [UInt8] {
        var out: [UInt8] = [0xE9, UInt8(segments.count), mode, sizeFrequency] + le32(entry)
        appendSegments(segments, to: &out)
        return out
    }

    /// The image in `Tests/ImageCrossCheck/make_gzip_fixtures.py` (same formulas).
    static func gzipFixtureImage() -> [UInt8] {
        esp8266Image([(0x4010_0000, (0..<64).map { UInt8(($0 * 7) & 0xFF) }),
                      (0x3FFE_8000, (0..<32).map { UInt8(($0 * 13 + 5) & 0xFF) })], sizeFrequency: 0x40)
    }

    /// MSB-first CRC-32, poly 0x04C11DB7, init 0xFFFFFFFF, bit by bit like elf2bin's `crc8266`.
    static func crc8266(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            var mask: UInt8 = 0x80
            while mask != 0 {
                var bit = crc & 0x8000_0000 != 0
                if byte & mask != 0 { bit.toggle() }
                crc <<= 1
                if bit { crc ^= 0x04C1_1DB7 }
                mask >>= 1
            }
        }
        return crc
    }

    /// Arduino's .bin: eboot image padded with 0xAA to 0x1000, then the sketch whose irom0 segment
    /// (at 0x40201010) begins with the two CRC words, checksummed while they are zero, then patched.
    static func arduinoBin(sizeFrequency: UInt8 = 0x40, appSize: Int = 600) -> [UInt8] {
        var out = esp8266Image([(0x4010_F000, pattern(96, seed: 1)), (0x3FFF_A000, pattern(16, seed: 2))],
                               mode: 3, sizeFrequency: sizeFrequency, entry: 0x4010_F000)
        out += [UInt8](repeating: 0xAA, count: 0x1000 - out.count)
        let irom = [UInt8](repeating: 0, count: 8) + pattern(appSize, seed: 3)
        out += esp8266Image([(0x4020_1010, irom), (0x4010_0000, pattern(200, seed: 4)), (0x3FFE_8000, pattern(40, seed: 5))],
                            mode: 3, sizeFrequency: sizeFrequency, entry: 0x4010_0004)
        var zeroed = out
        zeroed.replaceSubrange(0x1010..<0x1018, with: [UInt8](repeating: 0, count: 8))
        let crc = crc8266(zeroed)
        out.replaceSubrange(0x1010..<0x1018, with: le32(UInt32(out.count)) + le32(crc))
        return out
    }

    static func appDescriptor(version: String = "1.4.2", project: String = "otaprobe-test", secureVersion: UInt32 = 3,
                              idf: String = "v5.4.1") -> [UInt8] {
        func field(_ text: String, _ length: Int) -> [UInt8] {
            Array(text.utf8.prefix(length)) + [UInt8](repeating: 0, count: max(0, length - text.utf8.count))
        }
        var out = le32(0xABCD_5432) + le32(secureVersion) + [UInt8](repeating: 0, count: 8)
        out += field(version, 32) + field(project, 32) + field("12:34:56", 16) + field("Mar  4 2025", 16) + field(idf, 32)
        out += (0..<32).map { UInt8($0) } + le16(0) + le16(99) + [16, 2, 0, 0]
        out += [UInt8](repeating: 0, count: 256 - out.count)
        return out
    }

    struct ESP32Layout {
        let drom: UInt32, dram: UInt32, irom: UInt32, iram: UInt32
        static let esp32 = ESP32Layout(drom: 0x3F40_0020, dram: 0x3FFB_0000, irom: 0x400D_0020, iram: 0x4008_0000)
        static let esp32s3 = ESP32Layout(drom: 0x3C00_0020, dram: 0x3FC8_8000, irom: 0x4200_0020, iram: 0x4037_0000)
        static let esp32c3 = ESP32Layout(drom: 0x3C00_0020, dram: 0x3FC8_8000, irom: 0x4200_0020, iram: 0x4038_0000)
    }

    static func esp32Image(chip: UInt16, segments: [(UInt32, [UInt8])], hashAppended: Bool = true, mode: UInt8 = 2,
                           sizeFrequency: UInt8 = 0x2F, entry: UInt32 = 0x4008_0400, minRevFull: UInt16 = 0,
                           maxRevFull: UInt16 = 399) -> [UInt8] {
        var out: [UInt8] = [0xE9, UInt8(segments.count), mode, sizeFrequency] + le32(entry)
        out += [0xEE, 0, 0, 0] + le16(chip) + [0] + le16(minRevFull) + le16(maxRevFull) + [0, 0, 0, 0, hashAppended ? 1 : 0]
        appendSegments(segments, to: &out)
        if hashAppended { out += Array(SHA256.hash(data: out)) }
        return out
    }

    static func esp32App(chip: UInt16, layout: ESP32Layout, version: String = "1.4.2", sizeFrequency: UInt8 = 0x2F) -> [UInt8] {
        esp32Image(chip: chip, segments: [(layout.drom, appDescriptor(version: version) + pattern(92, seed: 6)),
                                          (layout.dram, pattern(48, seed: 7)),
                                          (layout.irom, pattern(300, seed: 8)),
                                          (layout.iram, pattern(124, seed: 9))], sizeFrequency: sizeFrequency)
    }

    /// A second-stage bootloader: DRAM segment starting with the 80-byte `esp_bootloader_desc_t`
    /// (magic 0x50, reserv1[3], version u32, idf_ver[32], date_time[24], reserv2[16]).
    static func esp32Bootloader(chip: UInt16, layout: ESP32Layout) -> [UInt8] {
        func field(_ text: String, _ length: Int) -> [UInt8] { Array(text.utf8) + [UInt8](repeating: 0, count: length - text.utf8.count) }
        let descriptor = [0x50, 0, 0, 0] + le32(1) + field("v5.4.1", 32) + field("Mar  4 2025 12:34:56", 24) + [UInt8](repeating: 0, count: 16)
        return esp32Image(chip: chip, segments: [(layout.dram, descriptor + pattern(16, seed: 10)),
                                          (layout.iram, pattern(160, seed: 11))], entry: layout.iram)
    }

    /// `esp_partition_info_t` records, the MD5 record, 0xFF fill to 0xC00.
    static func partitionTable(_ entries: [(UInt8, UInt8, UInt32, UInt32, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (type, subtype, offset, size, label) in entries {
            out += [0xAA, 0x50, type, subtype] + le32(offset) + le32(size)
            out += Array(label.utf8) + [UInt8](repeating: 0, count: 16 - label.utf8.count) + le32(0)
        }
        let md5 = Array(Insecure.MD5.hash(data: out))
        out += [0xEB, 0xEB] + [UInt8](repeating: 0xFF, count: 14) + md5
        out += [UInt8](repeating: 0xFF, count: 0xC00 - out.count)
        return out
    }

    /// `esptool merge-bin` output: 0xFF from 0 to each region.
    static func merged(_ regions: [(Int, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (offset, data) in regions {
            out += [UInt8](repeating: 0xFF, count: offset - out.count)
            out += data
        }
        return out
    }

    static func mergedESP32(chip: UInt16 = 0, layout: ESP32Layout = .esp32, bootloaderOffset: Int = 0x1000) -> [UInt8] {
        let table = partitionTable([(1, 0x02, 0x9000, 0x5000, "nvs"), (1, 0x00, 0xE000, 0x2000, "otadata"),
                                    (0, 0x00, 0x10000, 0x100000, "factory"), (0, 0x10, 0x110000, 0x100000, "ota_0")])
        return merged([(bootloaderOffset, esp32Bootloader(chip: chip, layout: layout)), (0x8000, table),
                       (0x10000, esp32App(chip: chip, layout: layout))])
    }

    static func littleFSSuperblock(blockSize: Int = 4096) -> [UInt8] {
        var block = le32(1) + [0x0F, 0xF0, 0x00, 0x10] + Array("littlefs".utf8) + [0x20, 0x10, 0x00, 0x20]
        block += [UInt8](repeating: 0xFF, count: blockSize - block.count)
        return block + block
    }

    static func elf(machine: UInt16 = 94) -> [UInt8] {
        [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8) + le16(2) + le16(machine) + le32(1)
            + pattern(200, seed: 12)
    }
}

/// A reproducible generator so "random chunk sizes" are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The same bytes in one chunk, one byte at a time, and in random chunk sizes.
func chunkings(_ bytes: [UInt8], seed: UInt64 = 42) -> [[ArraySlice<UInt8>]] {
    var generator = SplitMix64(state: seed)
    var random: [ArraySlice<UInt8>] = []
    var index = 0
    while index < bytes.count {
        let size = Int.random(in: 1...700, using: &generator)
        random.append(bytes[index..<min(bytes.count, index + size)])
        index += size
    }
    return [[bytes[...]], bytes.indices.map { bytes[$0...$0] }, random]
}

/// Sniffs the bytes with every chunking, expects the same report each time, returns it.
func sniff(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> FirmwareImageReport {
    let reports = chunkings(bytes).map { chunks in
        var sniffer = FirmwareImageSniffer()
        for chunk in chunks { chunk.withUnsafeBytes { sniffer.feed($0) } }
        return sniffer.finish()
    }
    for report in reports.dropFirst() { #expect(report == reports[0], sourceLocation: sourceLocation) }
    return reports[0]
}

func parseESP8266(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ESP8266FirmwareInfo {
    let infos = chunkings(bytes).map { chunks in
        var parser = ESP8266ImageParser()
        for chunk in chunks { chunk.withUnsafeBytes { parser.feed($0) } }
        return parser.finish()
    }
    for info in infos.dropFirst() { #expect(info == infos[0], sourceLocation: sourceLocation) }
    return infos[0]
}

func parseESP32(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ESP32ImageInfo? {
    let infos = chunkings(bytes).map { chunks in
        var parser = ESP32ImageParser()
        for chunk in chunks { chunk.withUnsafeBytes { parser.feed($0) } }
        return parser.finish()
    }
    for info in infos.dropFirst() { #expect(info == infos[0], sourceLocation: sourceLocation) }
    return infos[0]
}
