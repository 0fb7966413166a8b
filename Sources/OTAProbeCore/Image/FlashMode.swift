/// The SPI flash read mode in byte 2 of every ESP image header.
///
/// It matters for OTA because the ESP8266 Updater rewrites this byte with the running chip's mode
/// before flashing (esp8266/Arduino 3.1.2:cores/esp8266/Updater.cpp:389-404), and the ESP-IDF bootloader trusts it; values follow
/// `esp_image_spi_mode_t` (esp-idf v5.5.5:components/bootloader_support/include/esp_app_format.h:42-49),
/// which is also esptool's `FLASH_MODES` for 0–3.
public enum FlashMode: Sendable, Equatable, CustomStringConvertible {
    case qio, qout, dio, dout, fastRead, slowRead
    case unknown(UInt8)

    public init(byte: UInt8) {
        switch byte {
        case 0: self = .qio
        case 1: self = .qout
        case 2: self = .dio
        case 3: self = .dout
        case 4: self = .fastRead
        case 5: self = .slowRead
        default: self = .unknown(byte)
        }
    }

    /// esptool's upper-case spelling ("DIO"), so output can be compared with `esptool image-info`.
    public var description: String {
        switch self {
        case .qio: return "QIO"
        case .qout: return "QOUT"
        case .dio: return "DIO"
        case .dout: return "DOUT"
        case .fastRead: return "FAST_READ"
        case .slowRead: return "SLOW_READ"
        case .unknown(let byte): return "unknown (\(ImageHex.byte(byte)))"
        }
    }
}
