import OTAProbeCore
import YAMLReader

/// Reads a fleet: a checks file (YAML or JSON) or an ESPHome / ESP Web Tools manifest.
///
/// Strict on purpose: scripts generate these files, and a misspelt key (`exepct:`) that were
/// silently ignored would turn a failing fleet green. Every refusal names file, line and column.
/// libyaml reads both: JSON is read as the YAML it is, with the same positions.
public enum FleetFile {
    /// What a file held: checks ready to run, and the manifest builds no profile was given for.
    public struct Plan: Sendable {
        public var entries: [FleetEntry]
        /// Manifest builds skipped, with the reason (a chip family no profile is mapped to).
        public var skipped: [String]
    }

    /// - Parameters:
    ///   - name: the file name or URL, for error locations.
    ///   - sourceURL: where a manifest lives, to resolve relative `ota.path` as ESPHome does.
    ///   - profileFor: chip family → profile (and extra flags) for manifest builds.
    public static func parse(_ text: String, name: String, sourceURL: String?, profileFor: ManifestProfiles) throws(FleetFileError) -> Plan {
        let parsed: YAMLNode?
        do {
            parsed = try YAMLDocument.parse(text)
        } catch {
            throw FleetFileError(FleetFileLocation(file: name, line: error.mark.line, column: error.mark.column), "not valid YAML or JSON: \(error.problem)")
        }
        guard let root = parsed else {
            throw FleetFileError(FleetFileLocation(file: name, line: 1, column: 1), "the file is empty: expected `checks:` or an ESPHome manifest")
        }
        let reader = NodeReader(file: name)
        let mapping = try reader.mapping(root, what: "the top level")
        if mapping.contains(where: { $0.key.string == "builds" }) {
            return try ESPHomeManifest.plan(mapping, root: root, reader: reader, sourceURL: sourceURL, profileFor: profileFor)
        }
        return try checksPlan(mapping, root: root, reader: reader)
    }

    /// `defaults:` and `checks:`, exactly the shape the README documents.
    static func checksPlan(_ top: [(key: YAMLNode, value: YAMLNode)], root: YAMLNode, reader: NodeReader) throws(FleetFileError) -> Plan {
        try reader.onlyKeys(top, ["defaults", "checks"], in: "the top level")
        var defaultProfile: String?
        var defaultFlags: [String] = []
        var defaultExpect = FleetExpectation.success
        if let defaults = top.value(for: "defaults") {
            let map = try reader.mapping(defaults, what: "defaults")
            try reader.onlyKeys(map, ["profile", "flags", "expect"], in: "defaults")
            defaultProfile = try map.value(for: "profile").map { node throws(FleetFileError) in try reader.string(node, what: "defaults.profile") }
            defaultFlags = try map.value(for: "flags").map { node throws(FleetFileError) in try reader.strings(node, what: "defaults.flags") } ?? []
            defaultExpect = try map.value(for: "expect").map { node throws(FleetFileError) in try reader.expectation(node, what: "defaults.expect") } ?? .success
        }
        guard let checksNode = top.value(for: "checks") else {
            throw reader.error(at: root, "no `checks:` list (and no `builds:`, so not an ESPHome manifest either)")
        }
        guard let checks = checksNode.sequence else {
            throw reader.error(at: checksNode, "`checks` must be a list of entries, each with a `url`")
        }
        var entries: [FleetEntry] = []
        var names: [String: FleetFileLocation] = [:]
        for (index, node) in checks.enumerated() {
            let what = "checks[\(index)]"
            let map = try reader.mapping(node, what: what)
            try reader.onlyKeys(map, ["name", "url", "profile", "flags", "expect"], in: what)
            guard let urlNode = map.value(for: "url") else { throw reader.error(at: node, "\(what) has no `url`") }
            let url = try reader.string(urlNode, what: "\(what).url")
            if let problem = URLSyntax.problem(url) { throw reader.error(at: urlNode, "\(what).url: \(problem)") }
            let name = try map.value(for: "name").map { node throws(FleetFileError) in try reader.string(node, what: "\(what).name") } ?? String(index)
            let location = reader.location(of: node)
            if let earlier = names[name] {
                throw reader.error(at: node, "\(what): the name '\(name)' is already used at line \(earlier.line); names identify entries in reports and baselines")
            }
            names[name] = location
            let profile = try map.value(for: "profile").map { node throws(FleetFileError) in try reader.string(node, what: "\(what).profile") } ?? defaultProfile
            let flags = try map.value(for: "flags").map { node throws(FleetFileError) in try reader.strings(node, what: "\(what).flags") } ?? []
            let expect = try map.value(for: "expect").map { node throws(FleetFileError) in try reader.expectation(node, what: "\(what).expect") } ?? defaultExpect
            entries.append(FleetEntry(index: index, name: name, url: url, profile: profile, flags: defaultFlags + flags, expect: expect, location: location))
        }
        guard !entries.isEmpty else { throw reader.error(at: checksNode, "`checks` is empty: nothing to check") }
        return Plan(entries: entries, skipped: [])
    }
}

/// Reads YAML nodes with positions, so every type error says where it is.
struct NodeReader {
    let file: String

    func location(of node: YAMLNode) -> FleetFileLocation {
        FleetFileLocation(file: file, line: node.mark.line, column: node.mark.column)
    }

    func error(at node: YAMLNode, _ message: String) -> FleetFileError {
        FleetFileError(location(of: node), message)
    }

    func mapping(_ node: YAMLNode, what: String) throws(FleetFileError) -> [(key: YAMLNode, value: YAMLNode)] {
        guard let mapping = node.mapping else { throw error(at: node, "\(what) must be a mapping of keys to values") }
        return mapping
    }

    func onlyKeys(_ mapping: [(key: YAMLNode, value: YAMLNode)], _ allowed: [String], in what: String) throws(FleetFileError) {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                throw error(at: key, "unknown key '\(key.string ?? "?")' in \(what); expected \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// A scalar as text: `1695744` in a flags list is the word the command line would hold.
    func string(_ node: YAMLNode, what: String) throws(FleetFileError) -> String {
        guard let scalar = node.string else { throw error(at: node, "\(what) must be a single value, not a list or mapping") }
        return scalar
    }

    func strings(_ node: YAMLNode, what: String) throws(FleetFileError) -> [String] {
        guard let sequence = node.sequence else { throw error(at: node, "\(what) must be a list, e.g. [\"--free-space\", \"1695744\"]") }
        var values: [String] = []
        for (index, item) in sequence.enumerated() {
            values.append(try string(item, what: "\(what)[\(index)]"))
        }
        return values
    }

    func expectation(_ node: YAMLNode, what: String) throws(FleetFileError) -> FleetExpectation {
        let words = node.sequence != nil ? try strings(node, what: what) : [try string(node, what: what)]
        var outcomes: [Outcome] = []
        for word in words {
            guard let outcome = Outcome(rawValue: word) else {
                throw error(at: node, "\(what): '\(word)' is not an outcome; expected one or a list of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            outcomes.append(outcome)
        }
        guard !outcomes.isEmpty else { throw error(at: node, "\(what) is empty") }
        return FleetExpectation(outcomes: outcomes)
    }
}

extension Array where Element == (key: YAMLNode, value: YAMLNode) {
    func value(for key: String) -> YAMLNode? {
        first { $0.key.string == key }?.value
    }
}
