import OTAProbeCore

/// One whole-number flag and the values the device can hold for it.
///
/// Every numeric flag is parsed here, so no value a user types can trap (Swift stops the
/// process on an arithmetic overflow): the text is read into the range of the C type the
/// device keeps the value in (`uint32_t` for sizes, `int` for timeouts …), and anything
/// outside it ends the run with one line that names the flag and the range, exit 64.
/// Inside the range, the device's own conversions (a `uint16_t` timeout, a `(int)` cast)
/// are applied by the model, where the source does them.
struct NumericFlag: Sendable {
    /// As typed: `--timeout-ms`.
    let name: String
    let range: ClosedRange<Int>
    /// The unit and the device's type, for the refusal: "milliseconds, the int setClientTimeout() takes".
    let meaning: String
    /// Sizes may end in K or M (× 1024, × 1048576), like the Arduino board menu.
    var sizeSuffix = false

    /// The refusal, already worded for the user.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    func parse(_ text: String) throws(Refusal) -> Int {
        guard let value = Self.integer(text, sizeSuffix: sizeSuffix), range.contains(value) else {
            let suffix = sizeSuffix ? ", or with K/M" : ""
            throw Refusal(description: "\(name) takes \(range.lowerBound)…\(range.upperBound) (\(meaning)\(suffix)), not '\(Self.visible(text))'")
        }
        return value
    }

    /// The value when it parses and is in range, else nil (after `validate()` it always is).
    func value(_ text: String?) -> Int? {
        text.flatMap { try? parse($0) }
    }

    /// Decimal digits with an optional sign, and an optional K/M; nil on anything else and on
    /// values no `Int` holds (both the digits and the multiplication are checked).
    private static func integer(_ text: String, sizeSuffix: Bool) -> Int? {
        var digits = Substring(text)
        var multiplier = 1
        if sizeSuffix, let last = digits.last?.uppercased() {
            if last == "K" { multiplier = 1 << 10 } else if last == "M" { multiplier = 1 << 20 }
            if multiplier > 1 { digits = digits.dropLast() }
        }
        guard let number = Int(digits) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// The text as one printable line (the escaping rule of `TerminalText`), at most 80 characters.
    static func visible(_ text: String) -> String {
        String(TerminalText.escape(text).prefix(80))
    }
}

/// The numeric flags and the ranges their device types give them.
extension NumericFlag {
    /// `setClientTimeout(int)` / `HTTPUpdate(int)` / `timeout_ms` (int) on every stack
    /// (3.1.2:UPDh:135; A3.2.0 HTTPUpdate.h; v5.4.4 esp_http_client.h:168). Zero and below are
    /// refused: ESP-IDF turns 0 into its 5000 ms default and the Arduino cores into no wait.
    static let timeoutMs = NumericFlag(name: "--timeout-ms", range: 1...Int(Int32.max), meaning: "milliseconds, the int setClientTimeout() and timeout_ms take")
    /// `ESP.getSketchSize()` is a uint32_t on both chips (3.1.2 cores/esp8266/Esp.h:204).
    static let sketchSize = NumericFlag(name: "--sketch-size", range: 1...Int(UInt32.max), meaning: "bytes, a uint32_t like ESP.getSketchSize()")
    /// `ESP.getFreeSketchSpace()` is a uint32_t (3.1.2 cores/esp8266/Esp.h:206).
    static let freeSpace = NumericFlag(name: "--free-space", range: 0...Int(UInt32.max), meaning: "bytes, a uint32_t like ESP.getFreeSketchSpace()")
    /// `ESP.getChipId()` is a uint32_t (3.1.2 cores/esp8266/Esp.h:114).
    static let chipID = NumericFlag(name: "--chip-id", range: 0...Int(UInt32.max), meaning: "a uint32_t like ESP.getChipId()")
    /// `ESP.getFlashChipRealSize()` is a uint32_t (3.1.2 cores/esp8266/Esp.h:145).
    static let flashSize = NumericFlag(name: "--flash-size", range: 1...Int(UInt32.max), meaning: "bytes, a uint32_t like ESP.getFlashChipRealSize()", sizeSuffix: true)
    /// `esp_partition_t.size` is a uint32_t.
    static let partitionSize = NumericFlag(name: "--partition-size", range: 1...Int(UInt32.max), meaning: "bytes, a uint32_t like esp_partition_t.size", sizeSuffix: true)
    /// `int max_http_request_size` (v5.5 esp_https_ota.h:66); 0 would mean IDF's default.
    static let rangeSize = NumericFlag(name: "--range-size", range: 1...Int(Int32.max), meaning: "bytes, the int max_http_request_size")
    /// `size_t ota_image_bytes_written` lands in esp_https_ota's `int binary_file_len`
    /// (v5.5 esp_https_ota.h:69; esp_https_ota.c:54,333), so only an int's worth is meaningful.
    static let resumeFrom = NumericFlag(name: "--resume-from", range: 0...Int(Int32.max), meaning: "bytes, the int binary_file_len it is copied to")
    /// A TCP port.
    static let port = NumericFlag(name: "--port", range: 0...65535, meaning: "a TCP port; 0 picks a free one")
}
