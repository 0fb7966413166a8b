/// Tells an ESP8266 image from an ESP32-family image when both start with 0xE9.
///
/// The two headers agree on bytes 0–7; they differ from byte 8. On an ESP8266 image bytes 8–15
/// are the first segment header, so bytes 8–11 are a load address in the ESP8266 memory map
/// (0x3FF00000 DPORT … 0x402E1010 end of IROM; esptool v5.6.0:esptool/targets/esp8266.py:63-68).
/// On an ESP32 image byte 8 is `wp_pin` (0xEE as the IDF writes it) and 9–11 the pin drive
/// settings, which never form such an address; bytes 12–13 are `chip_id`, 19–22 `reserved`
/// (zero) and 23 `hash_appended` (0 or 1).
///
/// The rule, in order:
/// 1. bytes 8–11 are an ESP8266 load address → ESP8266;
/// 2. `chip_id` is a known id and `hash_appended` ∈ {0, 1} → ESP32 family (non-zero reserved bytes
///    are reported as a problem, not used to reject, because esptool ignores them);
/// 3. otherwise → ESP8266, as esptool's own fallback does (esptool v5.6.0:esptool/cmds.py:3049-3086,
///    which tests only byte 12 and byte 23).
///
/// Limits: an ESP8266 image with zero segments, or one whose first segment loads outside the
/// memory map, falls to rule 2 and can be taken for an ESP32 image if its bytes happen to fit;
/// a future chip id unknown here falls to rule 3 and is read as ESP8266. Fewer than 24 bytes
/// decide by rule 1 only.
public enum ImageFamily: Sendable, Equatable {
    case esp8266
    case esp32

    static let esp8266LoadRange: ClosedRange<UInt32> = 0x3FF0_0000...0x402E_1010

    public static func classify(header: [UInt8]) -> ImageFamily {
        if let address = header.littleEndianUInt32(at: 8), esp8266LoadRange.contains(address) { return .esp8266 }
        guard header.count >= 24, let chip = header.littleEndianUInt16(at: 12) else { return .esp8266 }
        if ESP32Chip(id: chip).isKnown, header[23] <= 1 { return .esp32 }
        return .esp8266
    }
}
