/// The report to paste: `--format markdown` for check, matrix and inspect. The people this tool
/// serves take their problem to a forum or a GitHub issue, so this is the report shaped for a
/// post — the device's own line and the outcome first, then the profile, why and what to
/// change, and the request/response exchange folded in a `<details>` block so the post stays
/// short but whoever helps can open it. It ends by saying it was made by otaprobe and how.
///
/// Everything passes the terminal gate first (escape, redact, clip), then `MarkdownText`, so a
/// secret from the URL never reaches the post and a server's bytes never become markup in it.
public struct MarkdownReport: Sendable {
    public let redactor: Redactor
    /// The command line that made the report, as typed (it is redacted here like the rest).
    public let command: String
    public let version: String

    public init(redactor: Redactor, command: String, version: String) {
        self.redactor = redactor
        self.command = command
        self.version = version
    }

    /// A string as terminal output would carry it: control bytes escaped, secrets masked,
    /// cut to the line limit. The Markdown rules come after this, never before: a secret with
    /// an `_` in it must still be found by the redactor.
    func clean(_ text: String) -> String {
        redactor.redact(TerminalText.escape(text)).clipped(to: Limits.lineCharactersShown)
    }

    func prose(_ text: String, atLineStart: Bool = false) -> String { MarkdownText.inline(clean(text), atLineStart: atLineStart) }
    func code(_ text: String, inTable: Bool = false) -> String { MarkdownText.code(clean(text), inTable: inTable) }

    // MARK: check (and inspect of a URL)

    public func render(_ report: ProbeReport) -> String {
        let verdict = report.verdict
        let outcome = report.outcome
        var out: [String] = []
        out.append("**Device:** \(code(verdict.deviceLine))")
        out.append("")
        out.append("**Outcome: \(OutputLine.mark(outcome.isSuccess)) \(prose(outcome.words))** — \(prose(Self.afterWords(report.outcomeSentence, outcome)))")
        out.append("")
        var facts = ["Profile \(code(report.profile.name))", "device time \(prose(HumanReport.seconds(verdict.deviceTimeMs)))"]
        if let hex = verdict.codeHex {
            facts.append("returns \(code("\(verdict.resultName) = \(verdict.code) (\(hex))"))")
        } else if !verdict.name.isEmpty {
            facts.append(code(verdict.name))
        }
        facts.append("URL \(code(report.url))")
        out.append(facts.joined(separator: " · "))
        out += section("Why", paragraph: verdict.why)
        out += section("What to change", items: verdict.fix)
        // A post stays short: the image only when there was one to judge, the Range answer
        // only when this device sends Range (the terminal report shows both always).
        if let image = report.image, image.kind != .empty, !report.fit.isEmpty {
            let summary = image.summary.split(separator: "\n").map(String.init)
            out += section("Image", items: summary.prefix(1).map { $0 } + report.fit.map { "\(OutputLine.mark($0.ok)) \($0.message)" })
        }
        out += section("Integrity", items: report.integrity.map { "\(OutputLine.mark($0.matches)) \($0.message)" })
        if let range = report.range, range.usedByDevice {
            let mark = OutputLine.mark(range.support == .honoured ? true : range.support == .unknown ? nil : false)
            out += section("Range requests", items: ["\(mark) \(range.summary)"])
        }
        out += section("Notes", items: verdict.notes)
        out += details(report)
        out += footer()
        return out.joined(separator: "\n") + "\n"
    }

    /// The outcome sentence without its leading words, which the report puts in bold.
    static func afterWords(_ sentence: String, _ outcome: Outcome) -> String {
        let prefix = outcome.words + " — "
        return sentence.hasPrefix(prefix) ? String(sentence.dropFirst(prefix.count)) : sentence
    }

    /// The device log, the TLS view and every exchange, as the human report shows them, in
    /// one fenced block inside `<details>`: the summary is otaprobe's own words only, since
    /// HTML there is not Markdown and a server's text must not reach it.
    func details(_ report: ProbeReport) -> [String] {
        let human = HumanReport(style: TerminalStyle(enabled: false), redactor: redactor, verbose: false)
        var lines: [OutputLine] = []
        let verdict = report.verdict
        if verdict.log.count > 1 || (verdict.log.count == 1 && verdict.log[0] != verdict.deviceLine) {
            lines.append("Device log")
            lines += verdict.log.map { "  \($0)" }
            lines.append("")
        }
        if let tls = verdict.tls {
            lines += human.tlsLines(tls)
            lines.append("")
        }
        for (index, exchange) in report.exchanges.enumerated() {
            lines += human.exchangeLines(exchange, number: index + 1, of: report.exchanges.count)
            lines.append("")
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { return [] }
        let count = report.exchanges.count
        let title = count == 0 ? "Device log" : count == 1 ? "Request and response" : "Requests and responses (\(count))"
        return ["", "<details><summary>\(title)</summary>", ""] + MarkdownText.codeBlock(lines.map { clean($0.text) }) + ["", "</details>"]
    }

    // MARK: matrix

    public func render(matrixURL url: String, entries: [MatrixReport.Entry]) -> String {
        var out: [String] = []
        let good = MatrixReport.exitCode(entries) == 0
        out.append("**otaprobe matrix:** \(code(url))")
        out.append("")
        out.append("**\(OutputLine.mark(good)) \(prose(MatrixReport.summary(entries)))**")
        out.append("")
        out.append("| profile | outcome | result | code | text | why |")
        out.append("|---|---|---|---|---|---|")
        for entry in entries {
            let verdict = entry.verdict
            let adjustments = entry.adjustments.isEmpty ? "" : " [\(entry.adjustments.joined(separator: "; "))]"
            let cells = [
                code(entry.profile, inTable: true),
                "\(OutputLine.mark(entry.outcome.isSuccess)) \(prose(entry.outcome.words))",
                code(verdict.resultName, inTable: true),
                prose(String(verdict.code)),
                verdict.message.isEmpty ? "-" : prose(verdict.message),
                prose(verdict.summary + adjustments),
            ]
            out.append("| " + cells.joined(separator: " | ") + " |")
        }
        out += footer()
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: inspect of a file

    public func render(_ inspect: InspectReport) -> String {
        let summary = inspect.image.summary.split(separator: "\n").map(String.init)
        var out: [String] = []
        out.append("**File:** \(code(inspect.file)) — \(prose(summary.first ?? ""))")
        out.append("")
        let fits = inspect.fits
        out.append("**\(OutputLine.mark(inspect.fit.isEmpty ? nil : fits)) \(fits ? "Fits" : inspect.fit.isEmpty ? "Nothing to judge" : "Does not fit") \(prose(inspect.profile.name))**, layout \(code(inspect.identity.layout.name)), sketch \(inspect.identity.sketchSize) bytes (\(prose(inspect.identity.mode.rawValue)))")
        var items = summary.dropFirst().map { $0 }
        if inspect.image.kind == .unknown || inspect.image.kind == .empty { items.append("looks like: \(inspect.body.summary)") }
        out += section("Image", items: items)
        out += section("Fit", items: inspect.fit.isEmpty ? ["? not a firmware image: nothing to judge"] : inspect.fit.map { "\(OutputLine.mark($0.ok)) \($0.message)" })
        out.append("")
        out.append("MD5 \(code(inspect.md5)) · SHA-256 \(code(inspect.sha256))")
        out += footer()
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: parts

    func section(_ title: String, paragraph: String) -> [String] {
        paragraph.isEmpty ? [] : ["", "**\(title)**", "", prose(paragraph, atLineStart: true)]
    }

    func section(_ title: String, items: [String]) -> [String] {
        items.isEmpty ? [] : ["", "**\(title)**", ""] + items.map { "- " + prose($0, atLineStart: true) }
    }

    func footer() -> [String] {
        ["", "<sub>Made by otaprobe \(prose(version)): \(code(command))</sub>"]
    }
}
