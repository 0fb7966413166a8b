/// What a user typed after `otaprobe explain`: the number a device printed — `getLastError()`
/// in decimal, an `esp_err_t` in decimal or hex — or words: a macro name (`ESP_ERR_…`,
/// `HTTP_UE_…`, `HTTPC_ERROR_…`) or the text the device printed. `CodeLookup` finds them.
public enum CodeQuery: Sendable, Equatable {
    case number(Int)
    case words(String)

    /// Why a query cannot be looked up, worded for the user.
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The words as typed (the shell has already split them); they are joined with single
    /// spaces, so an unquoted `otaprobe explain Wrong HTTP Code` reads like the quoted one.
    public static func parse(_ words: [String]) throws(Refusal) -> CodeQuery {
        let text = trimmed(words.joined(separator: " "))
        guard !text.isEmpty else {
            throw Refusal(description: "give one error code, name or printed text, e.g. otaprobe explain -104")
        }
        if let number = try number(text) { return .number(number) }
        return .words(text)
    }

    /// Without leading and trailing spaces, tabs and line ends.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    /// Every code the stacks return is a C `int` (getLastError(), esp_err_t), so a decimal
    /// outside an int's range cannot be one and is refused rather than looked up. Hex may
    /// also be the 32-bit pattern `%x` prints for a negative esp_err_t (`0xFFFF8FF9` is
    /// -0x7007), so 0x80000000…0xFFFFFFFF read as that negative value.
    static func number(_ text: String) throws(Refusal) -> Int? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let isHex = digits.count > 2 && (digits.hasPrefix("0x") || digits.hasPrefix("0X"))
        if isHex { digits = digits.dropFirst(2) }
        let allowed: (Character) -> Bool = isHex ? { $0.isHexDigit } : { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.allSatisfy(allowed) else { return nil }
        let refusal = Refusal(description: "expected an error code that fits in a C int (-2147483648…2147483647, or hex up to 0xFFFFFFFF), not '\(String(TerminalText.escape(text).prefix(80)))'")
        guard let magnitude = UInt64(digits, radix: isHex ? 16 : 10) else { throw refusal }
        if isHex, !negative, magnitude > UInt64(Int32.max), magnitude <= UInt64(UInt32.max) {
            return Int(Int32(bitPattern: UInt32(magnitude)))
        }
        let value = negative ? -Int64(clamping: magnitude) : Int64(clamping: magnitude)
        guard value >= Int64(Int32.min), value <= Int64(Int32.max) else { throw refusal }
        return Int(value)
    }
}
