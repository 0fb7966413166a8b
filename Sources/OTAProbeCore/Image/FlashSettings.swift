/// Flash mode, size and frequency from bytes 2–3 of an image header, decoded for the chip family.
///
/// The nibbles mean different things per family (and, for frequency, per ESP32 chip), so the raw
/// codes are kept next to the names: a code without a name is itself a finding ("invalid flash
/// size"), exactly as esptool reports it.
public struct FlashSettings: Sendable, Equatable {
    public let mode: FlashMode
    /// High nibble of byte 3.
    public let sizeCode: UInt8
    /// Low nibble of byte 3.
    public let frequencyCode: UInt8
    /// esptool's name for the size ("4MB", "2MB-c1"), nil when the code is not in its table.
    public let sizeName: String?
    /// The size in bytes the name stands for.
    public let sizeBytes: Int?
    /// esptool's name for the frequency ("40m"), nil when the code is not in the chip's table.
    public let frequencyName: String?

    /// ESP8266 tables: esptool v5.6.0:esptool/targets/esp8266.py:42-59 (FLASH_SIZES, FLASH_FREQUENCY),
    /// the same codes esp8266/Arduino 3.1.2:tools/elf2bin.py:30-32 writes.
    public static func esp8266(modeByte: UInt8, sizeFrequencyByte: UInt8) -> FlashSettings {
        let size = sizeFrequencyByte >> 4
        let sizes: [UInt8: (String, Int)] = [
            0: ("512KB", 512 << 10), 1: ("256KB", 256 << 10), 2: ("1MB", 1 << 20), 3: ("2MB", 2 << 20),
            4: ("4MB", 4 << 20), 5: ("2MB-c1", 2 << 20), 6: ("4MB-c1", 4 << 20), 8: ("8MB", 8 << 20), 9: ("16MB", 16 << 20),
        ]
        return FlashSettings(mode: FlashMode(byte: modeByte), sizeCode: size, frequencyCode: sizeFrequencyByte & 0xF,
                             sizeName: sizes[size]?.0, sizeBytes: sizes[size]?.1,
                             frequencyName: ESP32Chip.classicFrequencies[sizeFrequencyByte & 0xF])
    }

    /// ESP32-family tables: sizes are `esp_image_flash_size_t` (esp-idf
    /// v5.5.5:components/bootloader_support/include/esp_app_format.h:64-74, 1MB << code); the
    /// frequency names depend on the chip (`ESP32Chip.frequencyName`).
    public static func esp32(modeByte: UInt8, sizeFrequencyByte: UInt8, chip: ESP32Chip) -> FlashSettings {
        let size = sizeFrequencyByte >> 4
        let bytes: Int? = size <= 7 ? (1 << 20) << Int(size) : nil
        return FlashSettings(mode: FlashMode(byte: modeByte), sizeCode: size, frequencyCode: sizeFrequencyByte & 0xF,
                             sizeName: bytes.map { "\($0 >> 20)MB" }, sizeBytes: bytes,
                             frequencyName: chip.frequencyName(code: sizeFrequencyByte & 0xF))
    }

    public var summary: String {
        "\(mode), \(sizeName ?? "invalid size code \(sizeCode)"), \(frequencyName ?? "invalid frequency code \(frequencyCode)")"
    }
}
