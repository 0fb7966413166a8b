import FoundationEssentials

/// The shipped profiles — built into the executable, or read from a directory named by
/// `OTAPROBE_PROFILES` — plus any file a user names by path.
public struct ProfileCatalog: Sendable {
    /// Where the named profiles come from.
    public enum Source: Sendable, Equatable {
        /// `profiles/` as it was when this executable was built (`BuiltInProfiles`): works
        /// wherever the binary is copied.
        case builtIn
        /// Every `*.json` in a directory, read when asked for: `OTAPROBE_PROFILES` (a user's
        /// own set) and the tests that read the repository's files.
        case directory(String)
    }

    public let source: Source

    /// The profiles built into this executable.
    public static let builtIn = ProfileCatalog(source: .builtIn)

    public static let defaultName = "esp8266-arduino-3.1.2"

    private init(source: Source) {
        self.source = source
    }

    /// A catalogue over `directory`; profiles are read when asked for.
    public init(directory: String) throws(ProfileError) {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory else {
            throw .unreadable(path: directory, reason: "no such directory")
        }
        self.source = .directory(directory)
    }

    /// The directory profiles are read from, nil for the built-in ones.
    public var directory: String? {
        if case .directory(let path) = source { return path }
        return nil
    }

    /// Where the profiles come from, for people ("no esp-idf profile in …", "Profiles: …"): a
    /// directory, or the executable itself.
    public var origin: String {
        switch source {
        case .builtIn: return "the built-in profiles (profiles/ as built into this otaprobe)"
        case .directory(let path): return path
        }
    }

    /// Every profile, family by family (in `Family`'s order, so a framework built on a core
    /// comes after the cores) and newest first within a family; one bad file fails the
    /// listing loudly. Decoded when asked
    /// for: a check names one profile, and decoding all of them at start-up was a measurable
    /// part of a run (Benchmarks/README.md).
    public var profiles: [DeviceProfile] {
        get throws(ProfileError) {
            var loaded: [DeviceProfile] = []
            switch source {
            case .builtIn:
                for file in BuiltInProfiles.files { loaded.append(try ProfileDecoder.decode(file.bytes, path: file.path)) }
            case .directory(let directory):
                for name in try Self.fileNames(in: directory) { loaded.append(try Self.load(path: directory + "/" + name)) }
            }
            // Family by family in `Family`'s order (a new family's names would otherwise sort
            // among the others: "esphome-…" > "esp8266-…"), newest first within one.
            let rank = Dictionary(uniqueKeysWithValues: DeviceProfile.Family.allCases.enumerated().map { ($1, $0) })
            return loaded.sorted { (rank[$0.family] ?? 0, $1.name) < (rank[$1.family] ?? 0, $0.name) }
        }
    }

    /// The built-in profiles, unless `$OTAPROBE_PROFILES` names a directory to read instead.
    public static func locate(environment: [String: String]) throws(ProfileError) -> ProfileCatalog {
        if let explicit = environment["OTAPROBE_PROFILES"], !explicit.isEmpty {
            do {
                return try ProfileCatalog(directory: explicit)
            } catch {
                throw .unreadable(path: explicit, reason: "OTAPROBE_PROFILES names no directory (unset it to use the built-in profiles)")
            }
        }
        return .builtIn
    }

    public static func load(path: String) throws(ProfileError) -> DeviceProfile {
        try ProfileDecoder.decode(try read(path: path), path: path)
    }

    /// `--profile` takes a name, an alias, or a path (anything with a `/` or ending `.json`).
    public func resolve(_ reference: String) throws(ProfileError) -> DeviceProfile {
        if Self.isPath(reference) { return try Self.load(path: reference) }
        let wanted = reference.lowercased()
        switch source {
        case .builtIn:
            // The plugin indexed names and aliases: decode just the one asked for.
            if let file = BuiltInProfiles.file(wanted) {
                let profile = try ProfileDecoder.decode(file.bytes, path: file.path)
                if profile.name == wanted || profile.aliases.contains(wanted) { return profile }
            }
        case .directory(let directory):
            // A profile's file is named after it: read just that one when it exists.
            let direct = directory + "/" + wanted + ".json"
            if FileManager.default.fileExists(atPath: direct) {
                let profile = try Self.load(path: direct)
                if profile.name == wanted { return profile }
            }
        }
        let all = try profiles
        if let match = all.first(where: { $0.name == wanted || $0.aliases.contains(wanted) }) { return match }
        throw .unknown(name: reference, available: all.map(\.name) + all.flatMap(\.aliases))
    }

    /// The file behind a name or alias, byte for byte (`profiles --export`): the starting point
    /// for a user's own `--profile ./mine.json`. Decoded first, so only a profile this
    /// executable can read is handed out.
    public func sourceText(of reference: String) throws(ProfileError) -> (profile: DeviceProfile, bytes: [UInt8]) {
        if Self.isPath(reference) { return (try Self.load(path: reference), try Self.read(path: reference)) }
        let profile = try resolve(reference)
        switch source {
        case .builtIn:
            guard let file = BuiltInProfiles.file(profile.name) else { throw .unknown(name: reference, available: []) }
            return (profile, file.bytes)
        case .directory(let directory):
            for name in try Self.fileNames(in: directory) {
                let path = directory + "/" + name
                if (try? Self.load(path: path))?.name == profile.name { return (profile, try Self.read(path: path)) }
            }
            throw .unknown(name: reference, available: [])
        }
    }

    private static func isPath(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".json")
    }

    private static func fileNames(in directory: String) throws(ProfileError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
    }

    private static func read(path: String) throws(ProfileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(path: path, reason: exists ? "permission denied or not a file" : "no such file")
        }
        return Array(data)
    }
}
