/// Which profiles a matrix runs: all of them, or the ones a user chose by family (`--family`)
/// and by name (`--profiles`).
///
/// Both lists add up (a union): `--family esp8266 --profiles esp-idf` is every ESP8266 core
/// plus the newest ESP-IDF. An intersection would make the second list a filter of the first,
/// which nobody needs when `--profiles` alone already names single profiles. The rows keep the
/// catalogue's order (newest first within a family), whatever order the lists were given in.
public struct ProfileSelection: Sendable, Equatable {
    public var families: [DeviceProfile.Family]
    /// Names, aliases or paths, as `--profile` takes them.
    public var names: [String]

    public init(families: [DeviceProfile.Family] = [], names: [String] = []) {
        self.families = families
        self.names = names
    }

    /// Nothing chosen: every core profile runs (frameworks only when named, see `isFramework`).
    public var isEverything: Bool { families.isEmpty && names.isEmpty }

    /// The names `--family` accepts: each family's own name, and the short `esp8266` / `esp32`
    /// the newest profile of the family answers to as an alias.
    public static let familyNames: [String] = DeviceProfile.Family.allCases.map(\.rawValue)

    /// A family by its name or short name (case-insensitive).
    public static func family(named text: String) throws(ProfileError) -> DeviceProfile.Family {
        let wanted = text.lowercased()
        if let family = DeviceProfile.Family(rawValue: wanted) { return family }
        switch wanted {
        case "esp8266": return .esp8266Arduino
        case "esp32": return .esp32Arduino
        case "idf", "espidf", "esp_idf": return .espIDF
        case "esp-home", "esp_home": return .esphome
        default: throw .unknownFamily(name: text, available: ["esp8266"] + familyNames.dropFirst())
        }
    }

    /// The chosen profiles from `catalog`, in its order, each once; a profile read from a path
    /// (not in the catalogue) comes after them, in the order given.
    public func select(from catalog: ProfileCatalog) throws(ProfileError) -> [DeviceProfile] {
        let all = try catalog.profiles
        if isEverything { return all.filter { !$0.family.isFramework } }
        var wanted = Set<String>()
        for family in families {
            let members = all.filter { $0.family == family }
            if members.isEmpty { throw .emptyFamily(name: family.rawValue, directory: catalog.origin) }
            wanted.formUnion(members.map(\.name))
        }
        var outside: [DeviceProfile] = []
        for name in names {
            let profile = try catalog.resolve(name)
            if all.contains(where: { $0.name == profile.name && $0 == profile }) {
                wanted.insert(profile.name)
            } else if !outside.contains(where: { $0.name == profile.name }) {
                outside.append(profile)
            }
        }
        return all.filter { wanted.contains($0.name) } + outside
    }
}
