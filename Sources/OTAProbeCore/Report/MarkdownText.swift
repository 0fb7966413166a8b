/// The escaping rules for Markdown that is pasted into a forum post or a GitHub issue, where it
/// is rendered for everyone who reads the thread. A server chooses its status line, Location,
/// headers and body, so nothing it sent may become markup there: no HTML (`<script>`, a closing
/// `</details>`), no links or images, no emphasis or table cells it did not mean.
///
/// Every string first passes the same gate as terminal output (`TerminalText.escape`, then the
/// `Redactor`, then the line limit): no raw control byte, no secret. Then one of three rules,
/// by where the text goes.
public enum MarkdownText {
    /// Prose (paragraphs, list items, table cells): every character that Markdown or HTML could
    /// read as markup is escaped — ASCII punctuation with a backslash (CommonMark 2.4), `<`, `>`
    /// and `&` as HTML entities (so `<script>` is text even where backslashes are not honoured).
    /// `atLineStart`: the text begins a line (a paragraph, a list item's text), where `- `,
    /// `+ `, `= ` or `1. ` would start a list or a heading rule of their own.
    public static func inline(_ text: String, atLineStart: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|", "~", "!", "{", "}", "$": output += "\\" + String(character)
            default: output.append(character)
            }
        }
        guard atLineStart else { return output }
        // A line that starts like a list item, a heading rule or a numbered item.
        if let first = output.first, "-+=".contains(first) { output = "\\" + output }
        if let dot = output.firstIndex(where: { !$0.isNumber }), dot != output.startIndex, output[dot] == "." || output[dot] == ")" {
            output.insert("\\", at: dot)
        }
        return output
    }

    /// A code span: shown verbatim, so only the backticks need care (a fence longer than any
    /// run inside) and the table's `|`, which GitHub splits cells on even inside code.
    public static func code(_ text: String, inTable: Bool = false) -> String {
        var body = text
        if inTable { body = body.map { $0 == "|" ? "\\|" : String($0) }.joined() }
        let fence = String(repeating: "`", count: longestRun(of: "`", in: body) + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.isEmpty ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A fenced code block around `lines`, its fence longer than any backtick run they hold, so
    /// no line can close it early and turn the rest into markup.
    public static func codeBlock(_ lines: [String], info: String = "text") -> [String] {
        let fence = String(repeating: "`", count: max(3, lines.map { longestRun(of: "`", in: $0) }.max().map { $0 + 1 } ?? 3))
        return [fence + info] + lines + [fence]
    }

    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for scalar in text {
            current = scalar == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
