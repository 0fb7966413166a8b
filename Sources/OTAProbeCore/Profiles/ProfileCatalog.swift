import FoundationEssentials

/// The profiles shipped in `profiles/`, found beside the executable (or through
/// `OTAPROBE_PROFILES`), plus any file a user names by path.
public struct ProfileCatalog: Sendable {
    public let directory: String
    public let profiles: [DeviceProfile]

    public static let defaultName = "esp8266-arduino-3.1.2"

    /// Loads every `*.json` in `directory`; one bad file fails the whole catalogue loudly.
    public init(directory: String) throws(ProfileError) {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
        var loaded: [DeviceProfile] = []
        for name in names { loaded.append(try Self.load(path: directory + "/" + name)) }
        self.profiles = loaded.sorted { $0.name > $1.name }
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
        if let match = profiles.first(where: { $0.name == wanted || $0.aliases.contains(wanted) }) { return match }
        throw .unknown(name: reference, available: profiles.map(\.name) + profiles.flatMap(\.aliases))
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
