/// One line of human output as a report builds it: plain text, which may hold anything a server
/// sent, and the tone it is shown in. Reports never style text themselves; `TerminalOutput`
/// escapes and redacts the text first and styles it last, so a server's bytes can neither reach
/// the terminal raw nor pass for otaprobe's own colours.
public struct OutputLine: Sendable, Equatable, ExpressibleByStringInterpolation {
    public enum Tone: Sendable, Equatable { case plain, heading, dim, good, bad }

    public var text: String
    public var tone: Tone

    public init(_ text: String, tone: Tone = .plain) {
        self.text = text
        self.tone = tone
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    public static func heading(_ text: String) -> OutputLine { OutputLine(text, tone: .heading) }
    public static func dim(_ text: String) -> OutputLine { OutputLine(text, tone: .dim) }

    /// The finding marks; `TerminalOutput` colours one that starts a line.
    public static func mark(_ ok: Bool?) -> String { ok.map { $0 ? "✔" : "✘" } ?? "?" }
    /// A finding that is information only (neither passed nor failed).
    public static let infoMark = "ℹ"
}

/// The one exit for human-readable text: every line is escaped (`TerminalText`), then redacted
/// (`Redactor`), cut to `Limits.lineCharactersShown`, then styled (`TerminalStyle`), in that
/// order and nowhere else.
public struct TerminalOutput: Sendable {
    public let style: TerminalStyle
    public let redactor: Redactor

    public init(style: TerminalStyle, redactor: Redactor) {
        self.style = style
        self.redactor = redactor
    }

    public func render(_ lines: [OutputLine]) -> String {
        lines.map(render).joined(separator: "\n") + "\n"
    }

    public func render(_ line: OutputLine) -> String {
        let text = redactor.redact(TerminalText.escape(line.text)).clipped(to: Limits.lineCharactersShown)
        switch line.tone {
        case .plain: return colouringMark(text)
        case .heading: return style.bold(text)
        case .dim: return style.dim(text)
        case .good: return style.green(text)
        case .bad: return style.red(text)
        }
    }

    /// `  ✔ message` → the mark in its colour.
    private func colouringMark(_ text: String) -> String {
        let body = text.drop { $0 == " " || $0 == "•" }
        guard let mark = body.first, body.dropFirst().first == " " else { return text }
        let indent = text[..<body.startIndex]
        let rest = body.dropFirst()
        switch mark {
        case "✔": return indent + style.green("✔") + rest
        case "✘": return indent + style.red("✘") + rest
        case "?": return indent + style.yellow("?") + rest
        default: return text
        }
    }
}
