import FoundationEssentials

/// One row per profile for the same URL: where the stacks disagree is the point, so the
/// table puts result, code and text side by side and the why in a few words.
public enum MatrixReport {
    public struct Entry: Sendable {
        public let profile: String
        public let verdict: Verdict
        /// The row's outcome: the verdict weighed with the image check (see `Outcome`).
        public let outcome: Outcome
        public let adjustments: [String]
        public init(profile: String, verdict: Verdict, outcome: Outcome, adjustments: [String]) {
            self.profile = profile
            self.verdict = verdict
            self.outcome = outcome
            self.adjustments = adjustments
        }
    }

    public static func renderText(url: String, entries: [Entry], style: TerminalStyle, redactor: Redactor) -> String {
        let rows = [["profile", "outcome", "result", "code", "text", "why"]] + entries.map { entry in
            let adjustments = entry.adjustments.isEmpty ? "" : " [\(entry.adjustments.joined(separator: "; "))]"
            var row = TextTable.verdictRow(entry.profile, entry.verdict, why: entry.verdict.summary + adjustments)
            row.insert(entry.outcome.rawValue, at: 1)
            return row
        }
        var lines: [OutputLine] = [.heading(url)]
        lines += TextTable.lines(rows)
        let distinct = Set(entries.map { "\($0.verdict.resultName) \($0.verdict.code)" })
        lines.append("")
        lines.append(distinct.count == 1 ? "All \(entries.count) profiles agree." : "The profiles disagree: \(distinct.count) different outcomes.")
        return TerminalOutput(style: style, redactor: redactor).render(lines)
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
            Row(profile: $0.profile, verdict: JSONReport.VerdictObject($0.verdict, outcome: $0.outcome, redactor: redactor), adjustments: $0.adjustments)
        })
        return JSONReport.encode(document)
    }
}
