import FoundationEssentials

/// An earlier run's `--json` lines, and what changed since: the question a nightly job asks.
/// Entries are matched by name (`fleet.name`), which the fleet file keeps unique.
public struct FleetBaseline: Sendable {
    /// What one entry was in the baseline.
    public struct Past: Sendable, Equatable {
        public let outcome: String
        public let result: String
        public let code: Int
        public let met: Bool
    }

    public struct Change: Sendable, Encodable, Equatable {
        public enum Kind: String, Sendable, Encodable {
            /// Met its expectation then, not now: listed first.
            case regression
            /// Missed it then, meets it now.
            case fixed
            /// Same verdict on its expectation, different outcome, result or code.
            case changed
            /// Not in the baseline.
            case added
            /// In the baseline, not in this run.
            case removed
        }
        public let kind: Kind
        public let name: String
        public let was: String?
        public let now: String?

        /// Names and results come from the fleet file and the baseline file: masked like any
        /// other output before they reach JSON.
        public func redacted(by redactor: Redactor) -> Change {
            Change(kind: kind, name: redactor.redact(name), was: was.map(redactor.redact), now: now.map(redactor.redact))
        }

        public var line: String {
            switch kind {
            case .added: return "added      \(name): \(now ?? "")"
            case .removed: return "removed    \(name) (was \(was ?? ""))"
            default: return "\(kind.rawValue.padding(10)) \(name): \(was ?? "") → \(now ?? "")"
            }
        }
    }

    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public let entries: [String: Past]

    /// Reads `fleet --json` output; the summary line and blank lines are skipped.
    public static func read(_ text: String, file: String) throws(ReadError) -> FleetBaseline {
        struct Line: Decodable {
            struct Verdict: Decodable { let outcome: String?; let result: String; let code: Int }
            struct Fleet: Decodable { let name: String; let met: Bool? }
            let verdict: Verdict?
            let fleet: Fleet?
            let fleetSummary: [String: JSONValue]?
        }
        var entries: [String: Past] = [:]
        let decoder = JSONDecoder()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.allSatisfy(\.isWhitespace) { continue }
            guard let line = try? decoder.decode(Line.self, from: Data(raw.utf8)) else {
                throw ReadError(file: file, line: number + 1, message: "not a JSON object from `otaprobe fleet --json`")
            }
            if line.fleetSummary != nil { continue }
            guard let fleet = line.fleet, let verdict = line.verdict else {
                throw ReadError(file: file, line: number + 1, message: "a JSON object without `fleet` and `verdict`: not a line of `otaprobe fleet --json`")
            }
            let outcome = verdict.outcome ?? "unknown"
            entries[fleet.name] = Past(outcome: outcome, result: verdict.result, code: verdict.code,
                                       met: fleet.met ?? ["updated", "no-update"].contains(outcome))
        }
        return FleetBaseline(entries: entries)
    }

    public init(entries: [String: Past]) { self.entries = entries }

    /// Regressions first, then fixes, changes, additions and removals; by name within each.
    public func changes(to results: [FleetResult]) -> [Change] {
        var changes: [Change] = []
        var seen: Set<String> = []
        for result in results {
            seen.insert(result.name)
            let now = Self.describe(result.outcome.rawValue, result.result, result.code) + (result.met ? "" : FleetSummary.shortfall(result))
            guard let past = entries[result.name] else {
                changes.append(Change(kind: .added, name: result.name, was: nil, now: now))
                continue
            }
            let was = Self.describe(past.outcome, past.result, past.code)
            if past.met && !result.met {
                changes.append(Change(kind: .regression, name: result.name, was: was, now: now))
            } else if !past.met && result.met {
                changes.append(Change(kind: .fixed, name: result.name, was: was, now: now))
            } else if was != now {
                changes.append(Change(kind: .changed, name: result.name, was: was, now: now))
            }
        }
        for (name, past) in entries where !seen.contains(name) {
            changes.append(Change(kind: .removed, name: name, was: Self.describe(past.outcome, past.result, past.code), now: nil))
        }
        let order: [Change.Kind] = [.regression, .fixed, .changed, .added, .removed]
        return changes.sorted {
            let (a, b) = (order.firstIndex(of: $0.kind)!, order.firstIndex(of: $1.kind)!)
            return a != b ? a < b : $0.name < $1.name
        }
    }

    static func describe(_ outcome: String, _ result: String, _ code: Int) -> String {
        code == 0 ? "\(outcome) (\(result))" : "\(outcome) (\(result) \(code))"
    }
}

/// Any JSON value: the summary line's fields are skipped, not read.
struct JSONValue: Decodable, Sendable {
    init(from decoder: Decoder) throws {}
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
