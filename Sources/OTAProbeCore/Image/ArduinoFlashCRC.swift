/// The whole-file CRC that Arduino's `elf2bin.py` stamps into every ESP8266 sketch .bin since
/// core 2.6, and `ESP.checkFlashCRC()` re-checks on the device.
///
/// `add_crc` writes the file length (`__crc_len`) at 0x1010 and the CRC (`__crc_val`) at 0x1014,
/// the first two words of the app's irom0 segment, computed with those words taken as zero
/// (esp8266/Arduino 3.1.2:tools/elf2bin.py:34-35, 145-186, 247; cores/esp8266/Esp.cpp:463-480).
/// The CRC is the core's `crc32()`: MSB-first, polynomial 0x04C11DB7, initial 0xFFFFFFFF, no final
/// XOR (3.1.2:cores/esp8266/crc32.cpp:26-43) — CRC-32/MPEG-2, so a 256-entry table gives the same
/// value as the bitwise loop.
///
/// It also explains a checksum surprise: `write_bin` computes the app's XOR checksum while the
/// words are still zero, so every Arduino .bin fails esptool's checksum check unless the patched
/// bytes happen to XOR to zero (`checksumMatchesWithoutCRCWords`). eboot never checks that
/// checksum, so the device does not care.
public struct ArduinoFlashCRC: Sendable, Equatable {
    public let storedLength: UInt32
    public let storedCRC: UInt32
    /// CRC over the first `storedLength` bytes with 0x1010..<0x1018 as zero; nil when the body is shorter.
    public let computedCRC: UInt32?
    /// The app checksum as `write_bin` computed it, before `add_crc` patched the two words.
    public let checksumMatchesWithoutCRCWords: Bool

    public var isValid: Bool? { computedCRC.map { $0 == storedCRC } }

    public var summary: String {
        var text = "Arduino flash CRC: length \(storedLength), CRC \(ImageHex.address(storedCRC)) "
        switch isValid {
        case true?: text += "valid"
        case false?: text += "INVALID (calculated \(ImageHex.address(computedCRC ?? 0)))"
        case nil: text += "not checkable (body shorter than the stamped length)"
        }
        return text
    }

    static let lengthOffset = 0x1010
    static let valueOffset = 0x1014
}

/// Streaming `crc32()` of the ESP8266 core (see `ArduinoFlashCRC`).
struct ArduinoCRC32: Sendable {
    private(set) var value: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = value
        for byte in bytes { crc = (crc << 8) ^ arduinoCRCTable[Int(UInt8(truncatingIfNeeded: crc >> 24) ^ byte)] }
        value = crc
    }

    mutating func update(zeros count: Int) {
        var crc = value
        for _ in 0..<count { crc = (crc << 8) ^ arduinoCRCTable[Int(UInt8(truncatingIfNeeded: crc >> 24))] }
        value = crc
    }
}

private let arduinoCRCTable: [UInt32] = (0..<256).map { index in
    var crc = UInt32(index) << 24
    for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
    return crc
}
