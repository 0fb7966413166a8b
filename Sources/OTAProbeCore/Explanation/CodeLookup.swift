/// Finds what a `CodeQuery` stands for in a set of profiles — every stack and version where the
/// code exists, with its exact text — so a code pasted from a forum thread is explained
/// without knowing which core printed it.
public struct CodeLookup: Sendable {
    public enum Outcome: Sendable, Equatable {
        case found([CodeMatch])
        /// Text that fits several different codes: the candidates, for the user to pick from.
        case ambiguous([CodeMatch])
        /// Nothing fits; close names when there are any (a typo in a macro name).
        case unknown(suggestions: [String])
    }

    /// Stacks in `DeviceProfile.Family` order, versions oldest first.
    public let profiles: [DeviceProfile]
    private let entries: [CodeGuide.Entry]

    public init(profiles: [DeviceProfile]) {
        let families = DeviceProfile.Family.allCases
        self.profiles = profiles.sorted {
            let (a, b) = (families.firstIndex(of: $0.family)!, families.firstIndex(of: $1.family)!)
            return a != b ? a < b : Self.versionOrder($0.name, $1.name)
        }
        entries = self.profiles.flatMap { CodeGuide(profile: $0).entries }
    }

    public func find(_ query: CodeQuery) -> Outcome {
        switch query {
        case .number(let code):
            let hits = entries.filter { $0.code == code }
            if !hits.isEmpty { return .found(group(hits)) }
            // A sign lost or added on the way (`-0x1503` for 0x1503): name the real one.
            let flipped = code == Int(Int32.min) ? [] : entries.filter { $0.code == -code && code != 0 }
            return .unknown(suggestions: unique(flipped.map { "\($0.hex ?? String($0.code)) \($0.name)" }))
        case .words(let text):
            return find(words: text)
        }
    }

    private func find(words text: String) -> Outcome {
        let query = text.lowercased()
        // 1. The whole query is a name (`-NAME` for a negated esp_err_t) or a printed text.
        let negatedName = query.hasPrefix("-") ? String(query.dropFirst()) : nil
        let exact = entries.filter { entry in
            let name = entry.name.lowercased()
            if !name.isEmpty, name == query, negatedName == nil { return true }
            if let negatedName, entry.code < 0, name == negatedName { return true }
            return Self.texts(of: entry).contains { $0.fixedLength >= Self.shortestText && $0.isWhole(text) }
        }
        if !exact.isEmpty { return .found(group(exact)) }
        // 2. A pasted line holding a name or a printed text: the longest one found wins.
        var inside: [(CodeGuide.Entry, Int)] = []
        for entry in entries {
            var longest = 0
            if entry.name.count >= 8, query.contains(entry.name.lowercased()) { longest = entry.name.count }
            for printed in Self.texts(of: entry) where printed.fixedLength >= 8 && printed.isInside(text) {
                longest = max(longest, printed.fixedLength)
            }
            if longest > 0 { inside.append((entry, longest)) }
        }
        if let best = inside.map(\.1).max() { return .found(group(inside.filter { $0.1 == best }.map(\.0))) }
        // 3. Part of a name or a printed text: found when it names one code, else the choices.
        let partial = entries.filter { entry in
            entry.name.lowercased().contains(query) || Self.texts(of: entry).contains { $0.contains(text) }
        }
        if !partial.isEmpty {
            let distinct = Set(partial.map { "\($0.family.rawValue) \($0.code) \($0.name)" })
            let names = Set(partial.map(\.name))
            return names.count == 1 || distinct.count == 1 ? .found(group(partial)) : .ambiguous(group(partial))
        }
        return .unknown(suggestions: closeNames(to: query))
    }

    /// Texts shorter than this are too common to stand for one code (`""` for 0, and the
    /// `ERROR` esp_err_to_name() prints for any code it does not know).
    static let shortestText = 6

    /// The texts a user may paste for an entry: what it prints, and the log lines on its way.
    private static func texts(of entry: CodeGuide.Entry) -> [PrintedText] {
        [PrintedText(entry.message)] + entry.printed.map(PrintedText.init)
    }

    private func group(_ hits: [CodeGuide.Entry]) -> [CodeMatch] { CodeMatch.group(hits, order: profiles) }

    /// Names within a few edits of the query (or holding all its words), closest first.
    private func closeNames(to query: String) -> [String] {
        let names = unique(entries.map(\.name).filter { !$0.isEmpty })
        let scored = names.map { ($0, Self.distance($0.lowercased(), query)) }
        let limit = max(2, query.count / 4)
        return scored.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 }.prefix(5).map(\.0)
    }

    private func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// Levenshtein distance, for typo suggestions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// `esp8266-arduino-2.7.4` before `esp8266-arduino-3.0.2`, numerically (`3.2` before `3.10`).
    static func versionOrder(_ a: String, _ b: String) -> Bool {
        let numbers: (String) -> [Int] = { name in
            name.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        }
        let (x, y) = (numbers(a), numbers(b))
        return x == y ? a < b : x.lexicographicallyPrecedes(y)
    }
}
