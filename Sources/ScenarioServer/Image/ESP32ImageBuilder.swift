import Crypto

/// Builds ESP32-family application images the way esptool's `elf2image` lays them out: a
/// 24-byte extended header (chip id at offset 12, chip revision range, `hash_appended`), the
/// first segment carrying `esp_app_desc_t` at image offset 32, the XOR checksum at the
/// 16-byte boundary, and the appended SHA-256 of everything before it.
public enum ESP32ImageBuilder {
    /// Chip ids of `esp_chip_id_t` (ESP-IDF `esp_app_format.h`).
    public static let esp32: UInt16 = 0x0000
    public static let esp32s3: UInt16 = 0x0009
    public static let esp32c3: UInt16 = 0x0005

    /// An app image of about `size` bytes for `chip`, with app version `version`.
    /// `minRevision`/`maxRevision` are IDF full revisions (major × 100 + minor).
    public static func app(chip: UInt16, size: Int = 200_000, version: String = "2.0.1", seed: Int = 1,
                           minRevision: UInt16 = 0, maxRevision: UInt16 = 399) -> [UInt8] {
        let descriptor = appDescriptor(version: version)
        let filler = max(0, size - 24 - 3 * 8 - descriptor.count - 64)
        let first = descriptor + DeterministicBytes.make((filler / 2) & ~3, seed: seed)
        let second = DeterministicBytes.make((filler - first.count + descriptor.count) & ~3, seed: seed + 1)
        let third = DeterministicBytes.make(64, seed: seed + 2)
        let segments: [(UInt32, [UInt8])] = [(0x3F40_0020, first), (0x400D_0020, second), (0x4008_0000, third)]
        var out: [UInt8] = [0xE9, UInt8(segments.count), 0x02, 0x20] + le32(0x4008_0400)
        out += [0xEE, 0, 0, 0] + le16(chip) + [0] + le16(minRevision) + le16(maxRevision) + [0, 0, 0, 0, 1]
        var checksum: UInt8 = 0xEF
        for (address, data) in segments {
            out += le32(address) + le32(UInt32(data.count)) + data
            for byte in data { checksum ^= byte }
        }
        while out.count % 16 != 15 { out.append(0) }
        out.append(checksum)
        return out + Array(SHA256.hash(data: out))
    }

    /// `esp_app_desc_t`: magic 0xABCD5432, secure_version, version, project name, time, date,
    /// IDF version, ELF SHA-256, padding to 256 bytes.
    static func appDescriptor(version: String) -> [UInt8] {
        func field(_ text: String, _ length: Int) -> [UInt8] {
            Array(text.utf8.prefix(length)) + [UInt8](repeating: 0, count: max(0, length - text.utf8.count))
        }
        var out = le32(0xABCD_5432) + le32(0) + [UInt8](repeating: 0, count: 8)
        out += field(version, 32) + field("otaprobe-scenario", 32) + field("12:00:00", 16) + field("Nov 25 2026", 16) + field("v5.4.1", 32)
        out += [UInt8](repeating: 0x5A, count: 32)
        return out + [UInt8](repeating: 0, count: 256 - out.count)
    }

    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
}

extension DeterministicBytes {
    static func make(_ count: Int, seed: Int) -> [UInt8] {
        var generator = DeterministicBytes(seed: UInt64(seed) &* 0x1234_5678_9ABC)
        return generator.bytes(count)
    }
}
