import FoundationEssentials

/// One row per profile for the same URL: where the stacks disagree is the point, so the
/// table puts result, code and text side by side and the why in a few words.
public enum MatrixReport {
    public struct Entry: Sendable {
        public let profile: String
        public let verdict: Verdict
        public let adjustments: [String]
        public init(profile: String, verdict: Verdict, adjustments: [String]) {
            self.profile = profile
            self.verdict = verdict
            self.adjustments = adjustments
        }
    }

    public static func renderText(url: String, entries: [Entry], style: TerminalStyle, redactor: Redactor) -> String {
        var rows: [[String]] = [["profile", "result", "code", "text", "why"]]
        for entry in entries {
            let verdict = entry.verdict
            let why = verdict.summary + (entry.adjustments.isEmpty ? "" : " [\(entry.adjustments.joined(separator: "; "))]")
            rows.append([entry.profile, verdict.result.rawValue, String(verdict.code), verdict.message.isEmpty ? "-" : verdict.message, why])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = [style.bold(redactor.redact(url))]
        for (index, row) in rows.enumerated() {
            var line = ""
            for column in 0..<4 { line += row[column] + String(repeating: " ", count: widths[column] - row[column].count + 2) }
            line += row[4]
            lines.append(index == 0 ? style.bold(line) : line)
        }
        let distinct = Set(entries.map { "\($0.verdict.result.rawValue) \($0.verdict.code)" })
        lines.append("")
        lines.append(distinct.count == 1 ? "All \(entries.count) profiles agree." : "The profiles disagree: \(distinct.count) different outcomes.")
        return lines.map(redactor.redact).joined(separator: "\n") + "\n"
    }

    public static func renderJSON(url: String, entries: [Entry], redactor: Redactor) -> String {
        struct Row: Encodable {
            let profile: String
            let verdict: JSONReport.VerdictObject
            let adjustments: [String]
        }
        struct Document: Encodable {
            let schema = "otaprobe/1"
            let url: String
            let matrix: [Row]
        }
        let document = Document(url: redactor.redact(url), matrix: entries.map {
            Row(profile: $0.profile, verdict: JSONReport.VerdictObject($0.verdict, redactor: redactor), adjustments: $0.adjustments)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
