/// What a firmware body is, in the terms a user acts on ("you served the merged image").
public enum ImageKind: Sendable, Equatable {
    case empty
    /// A single ESP8266 image (esptool elf2image v1, NONOS).
    case esp8266App
    /// Arduino's eboot + sketch .bin.
    case esp8266ArduinoCombined
    /// gzip whose first inflated bytes are an ESP8266 image.
    case esp8266Gzip
    /// gzip of something else (or unreadable).
    case gzip
    /// An ESP32-family app image (has, or at least may have, `esp_app_desc_t`).
    case esp32App(ESP32Chip)
    /// An ESP32-family second-stage bootloader image.
    case esp32Bootloader(ESP32Chip)
    /// Bootloader + partition table + app in one file.
    case esp32Merged(ESP32Chip?)
    /// A LittleFS image ("littlefs" at offset 8 of a superblock).
    case littleFS
    case elf
    /// Not recognised; there is no reliable signature for SPIFFS images, so they land here.
    case unknown

    public var summary: String {
        switch self {
        case .empty: return "no bytes"
        case .esp8266App: return "an ESP8266 app image"
        case .esp8266ArduinoCombined: return "an Arduino ESP8266 .bin (eboot + sketch)"
        case .esp8266Gzip: return "a gzip-compressed ESP8266 image"
        case .gzip: return "gzip data that is not an ESP8266 image"
        case .esp32App(let chip): return "an \(chip.name) app image"
        case .esp32Bootloader(let chip): return "an \(chip.name) bootloader image (not an app)"
        case .esp32Merged(let chip): return "a merged \(chip?.name ?? "ESP32-family") flash image (bootloader + partitions + app)"
        case .littleFS: return "a LittleFS filesystem image"
        case .elf: return "an ELF file, not a .bin"
        case .unknown: return "not a recognised firmware or filesystem image (SPIFFS images cannot be recognised reliably)"
        }
    }
}
