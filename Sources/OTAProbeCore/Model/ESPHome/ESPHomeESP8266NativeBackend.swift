/// ESPHome 2026.6's own ESP8266 OTA backend (`ESP8266OTABackend`, E26
/// ota/ota_backend_esp8266.cpp, log tag `ota.esp8266`, spec E11), which replaced 2025.12's
/// `ArduinoESP8266OTABackend` over the core's `Updater`. What changes for a prediction:
/// - `begin(size)`: size 0 → free sketch space less one sector; the update is written to the
///   end of the sketch area, `start = (FS_start − 0x40200000) − round_up(size, 4 KiB)`, and
///   refused with 0x88 when that start lies inside the running sketch. The rounding is in 32
///   bits, so 4294967295 (a length-less answer) rounds to 0 and writes from the filesystem's
///   first sector on [derived, as spec E7].
/// - `write()` buffers and writes flash; it never looks at the magic byte.
/// - `end()`: nothing written → E `No data written` (0x84); the backend's own MD5 (set from
///   ESPHome's computed one, so equal unless flash lies) → E `MD5 mismatch` (0x8B);
///   `verify_end_()`: gzip `1F 8B` accepted, first byte not 0xE9 → E `Invalid firmware magic:
///   0x%02X (expected 0x%02X)`, without FLASH_MAP_SUPPORT a header flash size over the chip →
///   E `Firmware flash size (%u) exceeds chip size (%u)`, both 0x84; else the eboot command
///   is written and I `OTA update staged: 0x%08X -> 0x00000, size=%zu` with the size `begin`
///   was given (strict mode, because ESPHome always sets the MD5).
enum ESPHomeESP8266NativeBackend {
    static let tag = "ota.esp8266"

    /// Where `begin()` places the update, or nil when it does not fit (0x88).
    static func startAddress(imageSize: Int, identity: DeviceIdentity) -> UInt32? {
        let sketchEnd = (UInt32(truncatingIfNeeded: identity.sketchSize) &+ 4095) & ~UInt32(4095)
        let updateEnd = sketchEnd &+ UInt32(truncatingIfNeeded: identity.freeSketchSpace)
        let rounded = (UInt32(truncatingIfNeeded: imageSize) &+ 4095) & ~UInt32(4095)
        let start = updateEnd > rounded ? updateEnd - rounded : 0
        return start < sketchEnd ? nil : start
    }

    /// `begin()`'s size for a Content-Length of 0 (`UPDATE_SIZE_UNKNOWN`).
    static func imageSize(contentLength: Int, identity: DeviceIdentity) -> Int {
        guard contentLength == 0 else { return contentLength }
        return Int((UInt32(truncatingIfNeeded: identity.freeSketchSpace) &- 4096) & ~UInt32(4095))
    }

    struct EndFailure: Sendable, Equatable {
        var line: String
        var code: Int
        var cause: Cause
    }

    /// `end()` after ESPHome's own MD5 passed: a refusal, or nil when the update is staged.
    static func endFailure(firstBytes: [UInt8], written: Int, identity: DeviceIdentity) -> EndFailure? {
        if written == 0 {
            return EndFailure(line: "No data written", code: 0x84, cause: .esphomeNothingRead(chunked: false, contentLength: "0"))
        }
        let first = firstBytes.first ?? 0xFF
        let second = firstBytes.count > 1 ? firstBytes[1] : 0xFF
        if first == 0x1F, second == 0x8B { return nil }
        guard first == 0xE9 else {
            return EndFailure(line: "Invalid firmware magic: 0x\(String(byte: first).uppercased()) (expected 0xE9)", code: 0x84, cause: .magicAfterDownload(firstByte: first, secondByte: second))
        }
        if !identity.flashMapSupport, firstBytes.count > 3 {
            let imageFlash = UpdateDecisionTree.magicFlashChipSize(firstBytes[3] >> 4)
            if imageFlash > identity.realFlashChipSize {
                return EndFailure(line: "Firmware flash size (\(imageFlash)) exceeds chip size (\(identity.realFlashChipSize))", code: 0x84,
                                  cause: .imageTooBigForFlash(imageFlashSize: imageFlash, chipSize: identity.realFlashChipSize))
            }
        }
        return nil
    }

    /// The staged line: `0x%08X` of the start address, `%zu` of the size `begin()` was given.
    static func stagedLine(start: UInt32, imageSize: Int) -> String {
        "OTA update staged: 0x" + String(start, radix: 16, uppercase: true).leftPadded(to: 8) + " -> 0x00000, size=\(UInt32(truncatingIfNeeded: imageSize))"
    }
}
