import OTAProbeCore
import YAMLReader

/// Which profile checks a manifest build, by its `chipFamily`, and which flags tell the
/// profile the chip. `--profile-for CHIP=PROFILE` replaces an entry.
///
/// Defaults: ESPHome's own updater, which takes the build's `ota.md5` as the device does —
/// on ESP-IDF for every ESP32 variant (`esphome-2025.12-esp-idf`), on core 3.1.2 for the
/// ESP8266 (`esphome-2025.12-esp8266`).
public struct ManifestProfiles: Sendable {
    public private(set) var byChip: [String: String]

    public static let defaults = ManifestProfiles(byChip: [
        "ESP8266": "esphome-2025.12-esp8266",
        "ESP32": "esphome-2025.12-esp-idf", "ESP32-S2": "esphome-2025.12-esp-idf", "ESP32-S3": "esphome-2025.12-esp-idf",
        "ESP32-C2": "esphome-2025.12-esp-idf", "ESP32-C3": "esphome-2025.12-esp-idf", "ESP32-C6": "esphome-2025.12-esp-idf",
        "ESP32-H2": "esphome-2025.12-esp-idf", "ESP32-P4": "esphome-2025.12-esp-idf",
    ])

    public init(byChip: [String: String]) { self.byChip = byChip }

    /// Adds `CHIP=PROFILE`; nil when the text is not of that form.
    public mutating func set(_ assignment: String) -> Bool {
        let parts = assignment.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        byChip[String(parts[0])] = String(parts[1])
        return true
    }

    /// The `--chip` flag an ESP32 profile needs for this family (`ESP32-C3` → `esp32c3`), when
    /// otaprobe knows that chip.
    static func chipFlags(for family: String) -> [String] {
        let chip = family.lowercased().split(separator: "-").joined()
        let known = ["esp32", "esp32s2", "esp32s3", "esp32c2", "esp32c3", "esp32c6", "esp32h2", "esp32p4"]
        return known.contains(chip) ? ["--chip", chip] : []
    }
}

/// An ESPHome / ESP Web Tools manifest read as ESPHome's `update: platform: http_request` reads
/// it (spec E8; ESPHome 2025.12.7 http_request_update.cpp:87-150): `name`, `version` and
/// `builds` are required, every build needs a `chipFamily`, and a build's `ota` holds `path`
/// and `md5`. Fleet checks every build, not only the first per chip as a device does, so a
/// build no device would pick is still said.
enum ESPHomeManifest {
    static func plan(_ top: [(key: YAMLNode, value: YAMLNode)], root: YAMLNode, reader: NodeReader, sourceURL: String?, profileFor: ManifestProfiles) throws(FleetFileError) -> FleetFile.Plan {
        for key in ["name", "version"] {
            guard let node = top.value(for: key), node.string != nil else {
                throw reader.error(at: root, "an ESPHome manifest needs a string `\(key)` (the device logs \"Manifest does not contain required fields\")")
            }
        }
        let manifestName = try reader.string(top.value(for: "name")!, what: "name")
        guard let buildsNode = top.value(for: "builds"), let builds = buildsNode.sequence else {
            throw reader.error(at: root, "`builds` must be a list")
        }
        var entries: [FleetEntry] = []
        var skipped: [String] = []
        var seenChips: [String: Int] = [:]
        for (index, node) in builds.enumerated() {
            let what = "builds[\(index)]"
            let build = try reader.mapping(node, what: what)
            guard let chipNode = build.value(for: "chipFamily") else {
                throw reader.error(at: node, "\(what) has no `chipFamily` (ESPHome stops parsing the manifest there)")
            }
            let chip = try reader.string(chipNode, what: "\(what).chipFamily")
            guard let otaNode = build.value(for: "ota") else {
                throw reader.error(at: node, "\(what) (\(chip)) has no `ota` block with `path` and `md5`: an ESPHome device cannot update from it")
            }
            let ota = try reader.mapping(otaNode, what: "\(what).ota")
            guard let pathNode = ota.value(for: "path") else { throw reader.error(at: otaNode, "\(what).ota has no `path`") }
            guard let md5Node = ota.value(for: "md5") else {
                throw reader.error(at: otaNode, "\(what).ota has no `md5`: ESPHome will not download an image without one")
            }
            let path = try reader.string(pathNode, what: "\(what).ota.path")
            let md5 = try reader.string(md5Node, what: "\(what).ota.md5")
            guard let url = resolve(path, against: sourceURL) else {
                throw reader.error(at: pathNode, "\(what).ota.path '\(path)' is relative: give the manifest's URL (fleet URL, or --base-url) to resolve it")
            }
            if let problem = URLSyntax.problem(url) { throw reader.error(at: pathNode, "\(what).ota.path: \(problem)") }
            guard let profile = profileFor.byChip[chip] else {
                skipped.append("\(what) \(chip): no profile for this chip family (give --profile-for \(chip)=PROFILE)")
                continue
            }
            seenChips[chip, default: 0] += 1
            let name = seenChips[chip]! > 1 ? "\(manifestName) \(chip) #\(seenChips[chip]!)" : "\(manifestName) \(chip)"
            let flags = profile.hasPrefix("esp8266") ? [] : ManifestProfiles.chipFlags(for: chip)
            entries.append(FleetEntry(index: entries.count + skipped.count, name: name, url: url, profile: profile, flags: flags,
                                      expect: .success, publishedMD5: md5, location: reader.location(of: node)))
        }
        guard !entries.isEmpty || !skipped.isEmpty else { throw reader.error(at: buildsNode, "`builds` is empty: nothing to check") }
        return FleetFile.Plan(entries: entries, skipped: skipped)
    }

    /// `ota.path` as ESPHome resolves it (http_request_update.cpp:140-150): a path containing
    /// "http" anywhere is taken verbatim; one starting with `/` is joined to the manifest URL's
    /// `scheme://host[:port]` (up to the first `/` from offset 8); anything else replaces what
    /// follows the manifest URL's last `/`. No `..` normalisation, as on the device.
    static func resolve(_ path: String, against source: String?) -> String? {
        ESPHomeManifestReader.resolve(path, against: source)
    }
}
