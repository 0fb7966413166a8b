import FoundationEssentials

/// The end of a fleet run: counts, the table a person reads (failures first, one line each
/// with the device line and the cause), and the summary object that ends `--json` output.
public struct FleetSummary: Sendable {
    public let results: [FleetResult]
    /// Manifest builds not checked, with why.
    public let skipped: [String]
    /// Entries that asked the same question as an earlier one and shared its run.
    public let shared: Int
    public let startedAt: Int
    public let durationMs: Int
    public let changes: [FleetBaseline.Change]?

    public init(results: [FleetResult], skipped: [String], shared: Int, startedAt: Int, durationMs: Int, changes: [FleetBaseline.Change]?) {
        self.results = results.sorted { $0.index < $1.index }
        self.skipped = skipped
        self.shared = shared
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.changes = changes
    }

    public var failing: [FleetResult] { results.filter { !$0.met } }

    /// 0 when every entry met its expectation, 1 otherwise (README, "fleet").
    public var exitCode: Int32 { failing.isEmpty ? 0 : 1 }

    public func lines() -> [OutputLine] {
        var out: [OutputLine] = []
        let ordered = failing + results.filter(\.met)
        let rows = [["", "name", "outcome", "device", "cause"]] + ordered.map { result in
            [OutputLine.mark(result.met), result.name, result.outcome.rawValue + Self.shortfall(result),
             result.deviceLine, result.cause]
        }
        out += TextTable.lines(rows)
        out.append("")
        var counts = "\(results.count) entries: \(results.count - failing.count) as expected, \(failing.count) not"
        if shared > 0 { counts += " · \(shared) shared a run with an identical entry" }
        counts += " · \(HumanReport.seconds(durationMs))"
        out.append(OutputLine(counts, tone: failing.isEmpty ? .good : .bad))
        for note in skipped { out.append(.dim("skipped: \(note)")) }
        if let changes {
            out.append("")
            out.append(.heading(changes.isEmpty ? "No change since the baseline" : "Changes since the baseline"))
            for change in changes { out.append("  \(change.line)") }
        }
        return out
    }

    /// The last line of `--json`: a summary object, told apart from entry lines by `fleetSummary`.
    public func json(redactor: Redactor) -> String {
        struct Summary: Encodable {
            let total: Int
            let met: Int
            let failed: Int
            let shared: Int
            let outcomes: [String: Int]
            let failing: [String]
            let skipped: [String]
            let startedAt: Int
            let durationMs: Int
            let changes: [FleetBaseline.Change]?
        }
        struct Document: Encodable {
            let schema = "otaprobe/1"
            let fleetSummary: Summary
        }
        var outcomes: [String: Int] = [:]
        for result in results { outcomes[result.outcome.rawValue, default: 0] += 1 }
        let summary = Summary(total: results.count, met: results.count - failing.count, failed: failing.count, shared: shared,
                              outcomes: outcomes, failing: failing.map { redactor.redact($0.name) }, skipped: skipped.map(redactor.redact),
                              startedAt: startedAt, durationMs: durationMs, changes: changes?.map { $0.redacted(by: redactor) })
        return JSONReport.encode(Document(fleetSummary: summary))
    }

    /// Why a row is not as expected, in a few words beside its outcome.
    static func shortfall(_ result: FleetResult) -> String {
        if !result.expect.isMet(by: result.outcome) { return " (expected \(result.expect.label))" }
        return result.integrityFailed ? " (digest differs)" : ""
    }
}
