/// A digest the device reports about its running image (`x-ESP8266-sketch-md5`,
/// `x-ESP32-sketch-md5`, `x-ESP32-sketch-sha256`), held as bytes so each header can be written
/// in the case its core prints it — not in the case a user happened to paste it.
///
/// - MD5: `ESP.getSketchMD5()` is `MD5Builder::toString()`, `"%02x"` per byte: lower-case on
///   every ESP8266 core (2.4.2 MD5Builder.cpp:84, 3.1.2 MD5Builder.cpp:87; Esp.cpp
///   getSketchMD5 `result = md5.toString()`, 3.1.2:ESP:960) and on arduino-esp32
///   (A1.0.6 cores/esp32/MD5Builder.cpp:105-117).
/// - SHA-256: arduino-esp32's `HTTPUpdate::getSketchSHA256()` writes each nibble as
///   `'0'…'9'`/`'A'…'F'`: upper-case (A1.0.6 HTTPUpdate.cpp:151-175).
public struct HexDigest: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Exactly `byteCount` bytes of hex digits in any case; nil otherwise.
    public init?(hex text: String, byteCount: Int) {
        let digits = Array(text.utf8)
        guard digits.count == byteCount * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// `"%02x"` per byte, as `MD5Builder` prints.
    public var lowercaseHex: String { bytes.map { String(byte: $0) }.joined() }

    /// Upper-case hex, as `HTTPUpdate::getSketchSHA256()` prints.
    public var uppercaseHex: String { lowercaseHex.uppercased() }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
