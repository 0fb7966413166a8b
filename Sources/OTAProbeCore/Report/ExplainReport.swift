/// `otaprobe explain`'s output: the matches of one query as human lines (through `OutputLine`,
/// so profile text from a user's file is escaped like anything else) or as one JSON object.
public struct ExplainReport: Sendable {
    public let query: String
    public let matches: [CodeMatch]
    /// The profile asked for with `--profile`, or nil when every stack was searched.
    public let profile: String?

    public init(query: String, matches: [CodeMatch], profile: String?) {
        self.query = query
        self.matches = matches
        self.profile = profile
    }

    /// `esp8266-arduino 2.7.4–3.1.2: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE "Wrong HTTP Code"`.
    public static func headline(_ match: CodeMatch) -> String {
        let code = match.hex.map { "\($0) (\(match.code))" } ?? String(match.code)
        return "\(match.family.rawValue) \(match.versions): \(code) \(match.name) \"\(match.text)\""
    }

    public var lines: [OutputLine] {
        var lines: [OutputLine] = []
        var previous: CodeMatch?
        for match in matches {
            let sameNotes = previous.map { $0.family == match.family && $0.code == match.code && $0.meaning == match.meaning && $0.causes == match.causes && $0.fixes == match.fixes } ?? false
            if !sameNotes, previous != nil { lines.append("") }
            lines.append(.heading(Self.headline(match)))
            previous = match
            if sameNotes { continue }
            lines.append(OutputLine("  " + match.meaning))
            if !match.causes.isEmpty {
                lines.append(.heading("  Usual causes"))
                lines += match.causes.map { OutputLine("    • " + $0) }
            }
            if !match.fixes.isEmpty {
                lines.append(.heading("  What to change"))
                lines += match.fixes.map { OutputLine("    • " + $0) }
            }
        }
        lines.append("")
        let target = profile ?? matches.first.flatMap { match in match.profiles.last } ?? "esp8266"
        lines.append(.dim("Check a URL to see which cause applies: otaprobe check --profile \(target) URL"))
        return lines
    }

    /// One line for `ambiguous` and `unknown`: what fits, for the user to pick from.
    public static func candidates(_ matches: [CodeMatch], limit: Int = 8) -> String {
        var seen = Set<String>()
        var items: [String] = []
        for match in matches {
            let item = "\(match.hex ?? String(match.code)) \(match.name) \"\(match.text)\""
            if seen.insert(item).inserted { items.append(item) }
        }
        let shown = items.prefix(limit).joined(separator: "; ")
        return items.count > limit ? shown + "; and \(items.count - limit) more" : shown
    }

    public func json(redactor: Redactor) -> String {
        struct Match: Encodable {
            let stack: String
            let profiles: [String]
            let versions: String
            let code: Int
            let hex: String?
            let name: String
            let text: String
            let textSource: String
            let meaning: String
            let causes: [String]
            let fixes: [String]
        }
        struct Document: Encodable {
            let schema = "otaprobe/1"
            let query: String
            let profile: String?
            let matches: [Match]
        }
        let document = Document(query: redactor.redact(query), profile: profile, matches: matches.map {
            Match(stack: $0.family.rawValue, profiles: $0.profiles, versions: $0.versions, code: $0.code, hex: $0.hex, name: $0.name, text: $0.text,
                  textSource: $0.textSource, meaning: $0.meaning, causes: $0.causes, fixes: $0.fixes)
        })
        return JSONReport.encode(document)
    }
}
