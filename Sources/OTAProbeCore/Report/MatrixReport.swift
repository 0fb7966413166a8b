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
        lines.append("")
        lines.append(OutputLine(summary(entries), tone: exitCode(entries) == 0 ? .good : .bad))
        return TerminalOutput(style: style, redactor: redactor).render(lines)
    }

    /// The process exit status: 0 only when every row's outcome is `updated` or `no-update`.
    /// The summary line says the same, so what is printed and what a script sees agree.
    public static func exitCode(_ entries: [Entry]) -> Int32 {
        entries.allSatisfy { $0.outcome.isSuccess } ? 0 : 1
    }

    /// The line under the table: how the outcomes split, how many different outcomes and
    /// device results there are, and the exit status with its reason. Outcomes and results are
    /// counted apart because they differ in kind: twelve profiles can all fail (one outcome)
    /// with five different codes, or all return success while some cannot boot what they flashed.
    public static func summary(_ entries: [Entry]) -> String {
        let counts = Outcome.allCases.compactMap { outcome -> String? in
            let count = entries.filter { $0.outcome == outcome }.count
            return count == 0 ? nil : "\(count) \(outcome.words)"
        }
        let outcomes = Set(entries.map(\.outcome)).count
        let results = Set(entries.map { "\($0.verdict.resultName) \($0.verdict.code)" }).count
        let profiles = "\(entries.count) profile\(entries.count == 1 ? "" : "s")"
        var text: String
        if outcomes == 1, let first = entries.first {
            text = "\(entries.count == 1 ? "1 profile" : "All \(profiles)"): \(first.outcome.words)"
            text += results == 1 ? " (\(first.verdict.resultName) \(first.verdict.code))." : ", with \(results) different device results."
        } else {
            text = "\(profiles): \(counts.joined(separator: ", ")) — \(outcomes) different outcomes, \(plural(results, "different device result"))."
        }
        let failing = entries.filter { !$0.outcome.isSuccess }.count
        if failing == 0 {
            text += " Exit status 0: every profile ends updated or with no update."
        } else if failing == entries.count {
            text += " Exit status 1: \(entries.count == 1 ? "it does not end" : "none of them ends") updated or with no update."
        } else {
            text += " Exit status 1: \(failing) of \(entries.count) do not end updated or with no update."
        }
        return text
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
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
