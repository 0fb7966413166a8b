/// The one escaping rule for human output: every character that could steer a terminal is
/// shown as an escape instead of being printed. Servers supply status lines, Locations, header
/// values, page titles and certificate names, and a report is read on a terminal and pasted in
/// public, so an ESC, a NUL, a carriage return or a right-to-left override must never arrive raw.
///
/// Escaped: every C0 control (`\n`, `\r`, `\t`, `\x00` … `\x1F`: a line of output is one line, so
/// a server's line feed cannot forge a line of the report),
/// DEL (`\x7F`), C1 controls (`\u{80}` … `\u{9F}`, which some terminals obey like ESC), and the
/// bidirectional overrides and isolates (`\u{202E}` …) that make text read differently than it
/// is. The same forms as the byte trace (`ByteText`) uses, so a value reads alike everywhere.
public enum TerminalText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { output.append(scalar); continue }
            output.append(contentsOf: escaped(scalar).unicodeScalars)
        }
        return String(output)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00...0x1F, 0x7F: return "\\x" + hex(scalar.value, digits: 2)
        default: return "\\u{" + hex(scalar.value, digits: 2) + "}"
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
