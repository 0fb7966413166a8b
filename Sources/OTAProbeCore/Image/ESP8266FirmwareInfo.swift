/// What an ESP8266 body holds as a whole: for an Arduino .bin, eboot at 0 and the sketch at 0x1000
/// (esp8266/Arduino 3.1.2:tools/elf2bin.py:106-142, 231-247: eboot padded with 0xAA to 4096, then the app
/// whose first segment is irom0 at 0x40201010), plus the stamped CRC and an optional signature.
///
/// The Updater only looks at the first image's header (`_verifyEnd` reads bytes 0–3,
/// 3.1.2:cores/esp8266/Updater.cpp:485-526), so `updaterHeader` is what the device judges even
/// though the sketch is `app`.
public struct ESP8266FirmwareInfo: Sendable, Equatable {
    /// eboot, when the body is an Arduino eboot+app file.
    public let bootloader: ESP8266ImageInfo?
    /// The sketch (or the only image, for a plain esptool image).
    public let app: ESP8266ImageInfo?
    public let totalLength: Int
    public let arduinoCRC: ArduinoFlashCRC?
    public let signature: ArduinoSignature?

    public var isArduinoCombined: Bool { bootloader != nil }
    /// The image whose header bytes 0–3 the Updater checks.
    public var updaterHeader: ESP8266ImageInfo? { bootloader ?? app }
    /// Bytes after the app image (a signature, or junk the device will flash anyway).
    public var trailingBytes: Int? { app?.endOffset.map { totalLength - $0 } }

    public var summary: String {
        var lines: [String] = []
        if let bootloader {
            lines.append("Arduino ESP8266 .bin: eboot + sketch, \(totalLength) bytes")
            lines.append("  bootloader: " + bootloader.summary)
        } else {
            lines.append("ESP8266 app image, \(totalLength) bytes")
        }
        if let app { lines.append("  app: " + app.summary) }
        if let arduinoCRC {
            lines.append("  " + arduinoCRC.summary)
            if app?.checksum.isValid == false, arduinoCRC.checksumMatchesWithoutCRCWords {
                lines.append("  (the app checksum was computed before elf2bin stamped the CRC words; eboot does not check it)")
            }
        }
        if let signature { lines.append("  " + signature.summary) }
        else if let trailing = trailingBytes, trailing > 0 { lines.append("  \(trailing) bytes after the app image") }
        return lines.joined(separator: "\n")
    }
}
