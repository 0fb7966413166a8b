/// The URL of each attempt of Tasmota's `Upgrade` on the ESP8266, and when the attempts end:
/// `ota_retry_counter` and `RtcSettings.ota_loader` of support_tasmota.ino, as a value.
///
/// The counter starts at `OTA_ATTEMPTS` and is decremented before every attempt, which runs only
/// while it is still non-zero (9 attempts from 10). Every attempt rebuilds the URL from the
/// stored `OtaUrl`: after a -100 or -107 the file name becomes `<stem>-minimal<ext>`; once the
/// counter is below `OTA_ATTEMPTS / 2` the URL gets `.gz` appended, or — when it already holds
/// `.gz` anywhere, in any case — the counter drops to 1 and this attempt is the last.
public struct TasmotaRetryPlan: Sendable, Equatable {
    public let rules: TasmotaProfile.Retry
    /// A `FIRMWARE_MINIMAL` build never rewrites to `-minimal` (the code is compiled out).
    public let minimalFirmware: Bool
    /// `ota_retry_counter`.
    public private(set) var counter: Int
    /// `RtcSettings.ota_loader`: set by a -100/-107, it makes the next attempts ask for `-minimal`.
    public private(set) var asksForMinimal = false

    public init(rules: TasmotaProfile.Retry, minimalFirmware: Bool) {
        self.rules = rules
        self.minimalFirmware = minimalFirmware
        self.counter = rules.counterStart
    }

    /// The next attempt's URL built from the stored `OtaUrl`, or nil when the sequence is over.
    public mutating func nextURL(from otaURL: String) -> String? {
        counter -= 1
        guard counter > 0 else { return nil }
        // `strlcpy` into `char[TOPSZ]`: the URL keeps at most TOPSZ - 1 bytes.
        var url = Array(otaURL.utf8.prefix(rules.urlMaxBytes))
        if asksForMinimal, !minimalFirmware { url = Self.minimal(url, word: rules.minimalWord, capacity: rules.rewriteBufferBytes) }
        if counter < rules.gzipBelowCounter {
            if Self.containsCaseInsensitive(url, Array(rules.gzipSuffix.utf8)) {
                counter = 1
            } else {
                url += Array(rules.gzipSuffix.utf8)
            }
        }
        return String(decoding: url, as: UTF8.self)
    }

    /// `GetOtaUrl`: an OtaUrl holding `%04d` is used as a printf format with `ChipId & 0x1fff`,
    /// else one holding `%d` with the whole `ChipId`; any other is copied as it is
    /// (T:tasmota/tasmota_support/support_tasmota.ino GetOtaUrl). In a format, `%%` prints `%`
    /// and the first `%d`/`%04d` takes the chip id; other `%` sequences (a percent-encoded
    /// byte such as `%2F`) are undefined printf conversions on the device and are kept as
    /// written here [UNVERIFIED: what newlib prints for them].
    public static func expandChipID(_ url: String, chipID: UInt32) -> String {
        let withPadded = url.contains("%04d")
        guard withPadded || url.contains("%d") else { return url }
        let value = withPadded ? chipID & 0x1fff : chipID
        var out = ""
        var used = false
        var rest = Substring(url)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if after.hasPrefix("%") {
                out += "%"
                rest = after.dropFirst()
            } else if !used, after.hasPrefix("04d") {
                let digits = String(value)
                out += String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                used = true
                rest = after.dropFirst(3)
            } else if !used, after.hasPrefix("d") {
                out += String(value)
                used = true
                rest = after.dropFirst()
            } else {
                out += "%"
                rest = after
            }
        }
        return out + rest
    }

    /// The attempt failed with the updater's `getLastError()`.
    public mutating func failed(code: Int) {
        if rules.minimalAfterCodes.contains(code) { asksForMinimal = true }
    }

    /// The `-minimal` rewrite, byte for byte: the file name starts at the last `/` (or the URL's
    /// start), the extension at the first `.` after it, the stem ends at the last `-` after it
    /// (or at the extension), and `snprintf` into `char[capacity]` cuts the result.
    static func minimal(_ url: [UInt8], word: String, capacity: Int) -> [UInt8] {
        let slash = url.lastIndex(of: UInt8(ascii: "/")) ?? url.startIndex
        let dot = url[slash...].firstIndex(of: UInt8(ascii: ".")) ?? url.endIndex
        let dash = url[slash...].lastIndex(of: UInt8(ascii: "-")) ?? dot
        let rewritten = Array(url[..<dash]) + Array(word.utf8) + Array(url[dot...])
        return Array(rewritten.prefix(max(0, capacity - 1)))
    }

    /// `StrCaseStr_P`: ASCII case-insensitive substring search.
    static func containsCaseInsensitive(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        let wanted = needle.map(lower)
        for start in 0...(haystack.count - needle.count) where lower(haystack[start]) == wanted[0] {
            if (1..<needle.count).allSatisfy({ lower(haystack[start + $0]) == wanted[$0] }) { return true }
        }
        return false
    }
}
