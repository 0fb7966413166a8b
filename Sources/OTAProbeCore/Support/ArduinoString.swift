/// The few Arduino `String` conversions whose quirks decide outcomes.
enum ArduinoString {
    /// `String::toInt()` is newlib `atol` on a 32-bit `long`: leading white space, an optional
    /// sign, then decimal digits; anything else ends the number, nothing parsed gives 0, and
    /// overflow clamps to LONG_MAX / LONG_MIN. So `Content-Length: abc` is 0 and
    /// `Content-Length: 5000000000` is 2147483647.
    static func toInt(_ text: String) -> Int {
        var iterator = text.utf8.makeIterator()
        var byte = iterator.next()
        while let b = byte, b == 0x20 || (0x09...0x0D).contains(b) { byte = iterator.next() }
        var negative = false
        if let b = byte, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
            negative = b == UInt8(ascii: "-")
            byte = iterator.next()
        }
        var value = 0
        let limit = negative ? Int(Int32.max) + 1 : Int(Int32.max)
        while let b = byte, (0x30...0x39).contains(b) {
            value = min(value * 10 + Int(b - 0x30), limit)
            byte = iterator.next()
        }
        return negative ? -value : value
    }

    /// `String::trim()`: strips ASCII white space (isspace) at both ends.
    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice.removeFirst() }
        while let last = slice.last, isSpace(last) { slice.removeLast() }
        return slice
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}
