/// A request head as it arrived, split without repairing anything: the decoder compares it
/// byte for byte with what each profile's builder writes, so every quirk must survive parsing.
public struct ArrivedRequestHead: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    /// Up to the first space.
    public let method: String
    /// Between the first and the last space (the Arduino cores send the URI verbatim, spaces
    /// included; arduino-esp32 1.0.6 sends an empty one for a URL without a path).
    public let target: String
    /// After the last space, e.g. `HTTP/1.0`.
    public let version: String
    /// Header lines in arrival order; a line without a colon is kept with an empty value and
    /// its whole text as the name, so it still counts as a line that no device sends.
    public let fields: [Field]
    /// True when every line ended in CR LF (what every modelled stack sends).
    public let crlfLineEnds: Bool
    /// True when the head ended with its blank line (false: it was cut or never finished).
    public let complete: Bool

    /// Splits `bytes` (the head up to and including its blank line, or whatever arrived).
    public init(bytes: [UInt8]) {
        var lines: [ArraySlice<UInt8>] = []
        var crlf = true
        var start = 0
        var ended = false
        for index in bytes.indices where bytes[index] == 0x0A {
            var line = bytes[start..<index]
            if line.last == 0x0D { line = line.dropLast() } else { crlf = false }
            start = index + 1
            if line.isEmpty && !lines.isEmpty { ended = true; break }
            lines.append(line)
        }
        if !ended, start < bytes.count { lines.append(bytes[start...]); crlf = false }
        let requestLine = String(decoding: lines.first ?? [], as: UTF8.self)
        let firstSpace = requestLine.firstIndex(of: " ")
        let lastSpace = requestLine.lastIndex(of: " ")
        if let firstSpace, let lastSpace, firstSpace < lastSpace {
            method = String(requestLine[..<firstSpace])
            target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
            version = String(requestLine[requestLine.index(after: lastSpace)...])
        } else {
            method = requestLine
            target = ""
            version = ""
        }
        fields = lines.dropFirst().map { line in
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { return Field(name: text, value: "") }
            // `Name: value` with exactly the one space every device writes; other spacing is
            // kept in the value so it cannot pass for the device's bytes.
            var value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
            return Field(name: String(text[..<colon]), value: String(value))
        }
        crlfLineEnds = crlf
        complete = ended
    }

    /// The first value of `name`, compared case-insensitively.
    public func value(of name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }
}
