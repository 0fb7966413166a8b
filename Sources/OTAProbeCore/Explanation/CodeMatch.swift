/// One code as a run of profiles of one stack has it: identical name and text across versions
/// are shown once, with the versions listed ("esp8266-arduino 2.7.4–3.1.2"). Causes and fixes
/// that only some of those versions have carry their versions in brackets.
public struct CodeMatch: Sendable, Equatable {
    public let family: DeviceProfile.Family
    public let profiles: [String]
    /// The versions of `profiles`, runs joined with "–" ("2.4.2–2.7.4, 3.1.2").
    public let versions: String
    public let code: Int
    /// `0x1503`, `-0x7007` for esp_err_t; nil on the Arduino cores.
    public let hex: String?
    public let name: String
    /// Exactly what the device prints (`getLastErrorString()` / `esp_err_to_name()`).
    public let text: String
    public let meaning: String
    public let causes: [String]
    public let fixes: [String]

    /// The function whose output `text` is.
    public var textSource: String { family == .espIDF ? "esp_err_to_name()" : family == .esphome ? "the OTA response name (ota_backend.h)" : "getLastErrorString()" }

    /// Groups entries (of profiles listed in `order`) by stack, code, name and text.
    static func group(_ entries: [CodeGuide.Entry], order: [DeviceProfile]) -> [CodeMatch] {
        struct Key: Hashable { let family: String; let code: Int; let name: String; let text: String }
        var keys: [Key] = []
        var members: [Key: [CodeGuide.Entry]] = [:]
        for entry in entries {
            let key = Key(family: entry.family.rawValue, code: entry.code, name: entry.name, text: entry.message)
            if members[key] == nil { keys.append(key) }
            members[key, default: []].append(entry)
        }
        return keys.map { key in
            let group = members[key]!
            let family = group[0].family
            let familyProfiles = order.filter { $0.family == family }.map(\.name)
            let label: ([String]) -> String = { Self.versionLabel(of: $0, within: familyProfiles, family: family) }
            let names = group.map(\.profile)
            return CodeMatch(family: family, profiles: names, versions: label(names), code: key.code, hex: group[0].hex, name: key.name, text: key.text,
                             meaning: group.last!.meaning,
                             causes: Self.union(group.map { ($0.profile, $0.causes) }, all: names, label: label),
                             fixes: Self.union(group.map { ($0.profile, $0.fixes) }, all: names, label: label))
        }
    }

    /// Every item once, in first-seen order; one that not every member has says which have it.
    private static func union(_ lists: [(String, [String])], all: [String], label: ([String]) -> String) -> [String] {
        var items: [String] = []
        var holders: [String: [String]] = [:]
        // Newest first: the current wording leads, older versions' extras follow it.
        for (profile, list) in lists.reversed() {
            for item in list {
                if holders[item] == nil { items.append(item) }
                holders[item, default: []].append(profile)
            }
        }
        return items.map { item in
            let have = holders[item]!
            return have.count == all.count ? item : "\(item) (\(label(have)))"
        }
    }

    /// "2.4.2–2.7.4, 3.1.2": consecutive profiles of the family collapse into a range.
    static func versionLabel(of members: [String], within family: [String], family name: DeviceProfile.Family) -> String {
        let prefix = name.rawValue + "-"
        let version: (String) -> String = { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        let positions = members.compactMap { family.firstIndex(of: $0) }.sorted()
        guard positions.count == members.count else { return members.map(version).joined(separator: ", ") }
        var runs: [String] = []
        var runStart = 0
        while runStart < positions.count {
            var runEnd = runStart
            while runEnd + 1 < positions.count, positions[runEnd + 1] == positions[runEnd] + 1 { runEnd += 1 }
            let first = version(family[positions[runStart]])
            runs.append(runEnd == runStart ? first : first + "–" + version(family[positions[runEnd]]))
            runStart = runEnd + 1
        }
        return runs.joined(separator: ", ")
    }
}
