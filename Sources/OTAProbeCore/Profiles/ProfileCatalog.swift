import FoundationEssentials

/// The profiles shipped in `profiles/`, found beside the executable (or through
/// `OTAPROBE_PROFILES`), plus any file a user names by path.
public struct ProfileCatalog: Sendable {
    public let directory: String
    /// Loaded on first use: a check names one profile, and decoding all of them at start-up
    /// was a measurable part of a run (Benchmarks/README.md).
    public var profiles: [DeviceProfile] { get throws(ProfileError) { try Self.loadAll(in: directory) } }

    public static let defaultName = "esp8266-arduino-3.1.2"

    /// A catalogue over `directory`; profiles are read when asked for.
    public init(directory: String) throws(ProfileError) {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory else {
            throw .unreadable(path: directory, reason: "no such directory")
        }
        self.directory = directory
    }

    /// Every `*.json` in `directory`, newest first; one bad file fails the listing loudly.
    static func loadAll(in directory: String) throws(ProfileError) -> [DeviceProfile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
        var loaded: [DeviceProfile] = []
        for name in names { loaded.append(try Self.load(path: directory + "/" + name)) }
        return loaded.sorted { $0.name > $1.name }
    }

    /// Finds the shipped profiles: `$OTAPROBE_PROFILES`, then `profiles/` in a parent of the
    /// executable (a `swift build` tree), then the install locations.
    public static func locate(environment: [String: String], executablePath: String?) throws(ProfileError) -> ProfileCatalog {
        var candidates: [String] = []
        if let explicit = environment["OTAPROBE_PROFILES"], !explicit.isEmpty { candidates.append(explicit) }
        if let executablePath {
            var directory = parent(of: executablePath)
            for _ in 0..<6 where directory.count > 1 {
                candidates.append(directory + "/profiles")
                directory = parent(of: directory)
            }
        }
        candidates += ["/usr/local/share/otaprobe/profiles", "/usr/share/otaprobe/profiles"]
        for candidate in candidates {
            var isDirectory = false
            if FileManager.default.fileExists(atPath: candidate + "/" + defaultName + ".json", isDirectory: &isDirectory) {
                return try ProfileCatalog(directory: candidate)
            }
        }
        throw .noProfileDirectory(searched: candidates)
    }

    public static func load(path: String) throws(ProfileError) -> DeviceProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(path: path, reason: exists ? "permission denied or not a file" : "no such file")
        }
        return try ProfileDecoder.decode(Array(data), path: path)
    }

    /// `--profile` takes a name, an alias, or a path (anything with a `/` or ending `.json`).
    public func resolve(_ reference: String) throws(ProfileError) -> DeviceProfile {
        if reference.contains("/") || reference.hasSuffix(".json") { return try Self.load(path: reference) }
        let wanted = reference.lowercased()
        // A profile's file is named after it: read just that one when it exists.
        let direct = directory + "/" + wanted + ".json"
        if FileManager.default.fileExists(atPath: direct) {
            let profile = try Self.load(path: direct)
            if profile.name == wanted { return profile }
        }
        let all = try profiles
        if let match = all.first(where: { $0.name == wanted || $0.aliases.contains(wanted) }) { return match }
        throw .unknown(name: reference, available: all.map(\.name) + all.flatMap(\.aliases))
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
