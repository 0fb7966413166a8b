/// The chip an ESP32-family image was built for: `esp_image_header_t.chip_id` (u16 LE at offset 12).
///
/// The device refuses an image for another chip before it writes a byte (`Mismatch chip id`,
/// ESP_ERR_INVALID_VERSION; spec B5.4 step 3), so naming the chip is the first thing a user needs.
/// Ids are `esp_chip_id_t` (esp-idf v5.5.5:components/bootloader_support/include/esp_app_format.h:19-33;
/// S31 from esp-idf master at 102122904a, same file:32). Per-chip flash-frequency tables and
/// bootloader offsets are esptool's (`esptool/targets/<chip>.py`: FLASH_FREQUENCY,
/// BOOTLOADER_FLASH_OFFSET, esptool v5.6.0), because they are what `esptool merge-bin` and
/// `image-info` use.
public struct ESP32Chip: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let id: UInt16

    public init(id: UInt16) { self.id = id }

    public static let esp32 = ESP32Chip(id: 0x0000)
    public static let esp32s2 = ESP32Chip(id: 0x0002)
    public static let esp32c3 = ESP32Chip(id: 0x0005)
    public static let esp32s3 = ESP32Chip(id: 0x0009)
    public static let esp32c2 = ESP32Chip(id: 0x000C)
    public static let esp32c6 = ESP32Chip(id: 0x000D)
    public static let esp32h2 = ESP32Chip(id: 0x0010)
    public static let esp32p4 = ESP32Chip(id: 0x0012)
    public static let esp32c61 = ESP32Chip(id: 0x0014)
    public static let esp32c5 = ESP32Chip(id: 0x0017)
    public static let esp32h21 = ESP32Chip(id: 0x0019)
    public static let esp32h4 = ESP32Chip(id: 0x001C)
    public static let esp32s31 = ESP32Chip(id: 0x0020)
    /// `ESP_CHIP_ID_INVALID`: the enum's filler value, never a real target.
    public static let invalid = ESP32Chip(id: 0xFFFF)

    private struct Facts {
        let name: String
        let frequencies: [UInt8: String]
        let bootloaderOffset: Int
    }

    static let classicFrequencies: [UInt8: String] = [0xF: "80m", 0x0: "40m", 0x1: "26m", 0x2: "20m"]

    private static let table: [UInt16: Facts] = [
        0x0000: Facts(name: "ESP32", frequencies: classicFrequencies, bootloaderOffset: 0x1000),
        0x0002: Facts(name: "ESP32-S2", frequencies: classicFrequencies, bootloaderOffset: 0x1000),
        0x0005: Facts(name: "ESP32-C3", frequencies: classicFrequencies, bootloaderOffset: 0),
        0x0009: Facts(name: "ESP32-S3", frequencies: classicFrequencies, bootloaderOffset: 0),
        0x000C: Facts(name: "ESP32-C2", frequencies: [0xF: "60m", 0x0: "30m", 0x1: "20m", 0x2: "15m"], bootloaderOffset: 0),
        // esptool names code 0 "80m" on the C6 (its ROM divider workaround writes 80 MHz as 0).
        0x000D: Facts(name: "ESP32-C6", frequencies: [0x0: "80m", 0x2: "20m"], bootloaderOffset: 0),
        0x0010: Facts(name: "ESP32-H2", frequencies: [0xF: "48m", 0x0: "24m", 0x1: "16m", 0x2: "12m"], bootloaderOffset: 0),
        0x0012: Facts(name: "ESP32-P4", frequencies: classicFrequencies, bootloaderOffset: 0x2000),
        0x0014: Facts(name: "ESP32-C61", frequencies: [0xF: "80m", 0x0: "40m", 0x2: "20m"], bootloaderOffset: 0),
        0x0017: Facts(name: "ESP32-C5", frequencies: [0xF: "80m", 0x0: "40m", 0x2: "20m"], bootloaderOffset: 0x2000),
        0x0019: Facts(name: "ESP32-H21", frequencies: [0xF: "48m", 0x0: "24m"], bootloaderOffset: 0),
        0x001C: Facts(name: "ESP32-H4", frequencies: [0xF: "48m", 0x0: "24m"], bootloaderOffset: 0x2000),
        0x0020: Facts(name: "ESP32-S31", frequencies: [0xF: "80m", 0x0: "40m", 0x2: "20m"], bootloaderOffset: 0x2000),
    ]

    /// Every chip id ESP-IDF defines (except the invalid marker).
    public static var all: [ESP32Chip] { table.keys.sorted().map(ESP32Chip.init(id:)) }

    /// True for ids in `esp_chip_id_t`; part of the ESP8266-versus-ESP32 rule (`ImageFamilyRule`).
    public var isKnown: Bool { ESP32Chip.table[id] != nil }

    /// "ESP32-S3", or a description of the unknown id.
    public var name: String {
        if let facts = ESP32Chip.table[id] { return facts.name }
        return id == 0xFFFF ? "invalid chip id (0xFFFF)" : "unknown chip id \(id)"
    }

    public var description: String { name }

    /// Where the second-stage bootloader sits in flash, hence in a merged image.
    public var bootloaderOffset: Int? { ESP32Chip.table[id]?.bootloaderOffset }

    /// esptool's name for a frequency code on this chip.
    public func frequencyName(code: UInt8) -> String? { ESP32Chip.table[id]?.frequencies[code] }

    /// The `--chip` spelling (`esp32s3`), as IDF's `IDF_TARGET` names the chip.
    public var targetName: String { name.lowercased().replacingOccurrences("-", with: "") }

    /// A chip by its target name (`esp32s3`, `ESP32-S3`), nil when unknown.
    public static func named(_ text: String) -> ESP32Chip? {
        let wanted = text.lowercased().replacingOccurrences("-", with: "").replacingOccurrences("_", with: "")
        return all.first { $0.targetName == wanted }
    }
}
