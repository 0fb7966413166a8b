/// Reads an arriving update request and says which device sent it: the stack, every built-in
/// profile whose request bytes are consistent with what arrived, and what the device reported
/// about itself (`otaprobe serve`).
///
/// A profile matches when the request is one its builder can write: the same method and HTTP
/// version, CR LF line ends, the same header names in the same order (leaving out only lines
/// the device may leave out), the fixed values byte for byte; values the device reports are
/// read back. Anything else — a browser, curl, a proxy that reordered or added a header — is no
/// device of that profile. Profiles whose requests are byte-identical all match (ESP8266 cores
/// 2.7.4, 3.0.2 and 3.1.2 send the same request), so the answer narrows as far as the bytes
/// allow and never drops the true one.
public struct DeviceRecognizer: Sendable {
    /// The profiles compared against, newest first (the catalogue's order).
    public let profiles: [DeviceProfile]
    private let shapes: [[RequestShape]]

    public init(profiles: [DeviceProfile]) {
        self.profiles = profiles
        shapes = profiles.map(RequestShape.all(for:))
    }

    public func recognize(_ bytes: [UInt8]) -> DeviceRecognition {
        let head = ArrivedRequestHead(bytes: bytes)
        var matches: [DeviceRecognition.Match] = []
        var nearest: (profile: String, difference: String, agreeing: Int)?
        for (profile, shapes) in zip(profiles, shapes) {
            var best: (difference: String, agreeing: Int)?
            var matched: DeviceRecognition.Match?
            for shape in shapes {
                switch Self.compare(head, with: shape) {
                case .matches(let identity, let absent):
                    matched = DeviceRecognition.Match(profile: profile, variant: shape.variant, identity: identity, absent: absent)
                case .differs(let difference, let agreeing):
                    if best.map({ agreeing > $0.agreeing }) ?? true { best = (difference, agreeing) }
                }
                if matched != nil { break }
            }
            if let matched {
                matches.append(matched)
            } else if let best, nearest.map({ best.agreeing > $0.agreeing }) ?? true {
                nearest = (profile.name, best.difference, best.agreeing)
            }
        }
        matches = Self.tellingTasmotaApart(matches)
        return DeviceRecognition(head: head, matches: matches,
                                 nearest: matches.isEmpty ? nearest.map { .init(profile: $0.profile, difference: $0.difference) } : nil)
    }

    /// Tasmota's request is the ESP8266 core's, byte for byte; only its version tells it apart:
    /// Tasmota always sends its version with the image name in parentheses
    /// (`15.2.0(release-tasmota)`), a sketch its own string. A Tasmota-form version is read as
    /// Tasmota (the ESP8266 core profiles are dropped), any other as no Tasmota.
    static func tellingTasmotaApart(_ matches: [DeviceRecognition.Match]) -> [DeviceRecognition.Match] {
        guard matches.contains(where: { $0.profile.family == .tasmota }) else { return matches }
        let version = matches.first { $0.profile.family == .tasmota }?.identity[.currentVersion] ?? ""
        let signed = TasmotaProfile.carriesImageName(version)
        // The safeboot image names itself (`15.2.0(release-safeboot)`): only it downloads on a
        // single-OTA layout, only the main firmware on a dual one (spec §T3.6).
        let safeboot = version.lowercased().hasSuffix("safeboot)")
        return matches.filter { match in
            guard match.profile.family == .tasmota else { return !signed }
            guard signed else { return false }
            if case .tasmota(let tasmota) = match.profile, tasmota.chip == "esp32" { return (tasmota.safeboot != nil) == safeboot }
            return true
        }
    }

    enum Comparison {
        /// The fields read, and those whose line the device may leave out and did (an empty
        /// version, an empty sketch MD5).
        case matches([ReportedField: String], absent: Set<ReportedField>)
        /// The first difference, and how many lines agreed before it (to pick the nearest).
        case differs(String, agreeing: Int)
    }

    static func compare(_ head: ArrivedRequestHead, with shape: RequestShape) -> Comparison {
        guard head.method == shape.method else {
            return .differs("the method is \(quoted(head.method)), the device sends \(shape.method)", agreeing: 0)
        }
        guard head.version == shape.version else {
            return .differs("the request line ends \(quoted(head.version)), the device sends \(shape.version)", agreeing: 1)
        }
        guard head.crlfLineEnds, head.complete else {
            return .differs("the lines do not all end in CR LF (the device ends every line, and the head, with CR LF)", agreeing: 1)
        }
        var identity: [ReportedField: String] = [:]
        var absent: Set<ReportedField> = []
        var index = 0
        var agreeing = 2
        for line in shape.lines {
            guard index < head.fields.count, head.fields[index].name == line.name else {
                if line.optional {
                    if case .reported(let field) = line.value { absent.insert(field) }
                    continue
                }
                let found = index < head.fields.count ? "\(quoted(head.fields[index].name)) is there instead" : "the head ends there"
                return .differs("\(line.name) is missing (\(found))", agreeing: agreeing)
            }
            let value = head.fields[index].value
            switch line.value {
            case .fixed(let expected):
                guard value == expected else {
                    return .differs("\(line.name) is \(quoted(value)), the device sends \(quoted(expected))", agreeing: agreeing)
                }
            case .reported(let field):
                if field.isNumber, Int(value).map({ $0 < 0 || $0 > Int(UInt32.max) }) ?? true {
                    return .differs("\(line.name) is \(quoted(value)), the device sends a decimal number", agreeing: agreeing)
                }
                identity[field] = value
            case .enumerated(let field, let spellings):
                guard let meaning = spellings[value] else {
                    return .differs("\(line.name) is \(quoted(value)), the device sends \(spellings.keys.sorted().map(quoted).joined(separator: " or "))", agreeing: agreeing)
                }
                identity[field] = meaning
            case .free:
                break
            }
            index += 1
            agreeing += 1
        }
        guard index == head.fields.count else {
            return .differs("\(quoted(head.fields[index].name)) is a header the device does not send there", agreeing: agreeing)
        }
        return .matches(identity, absent: absent)
    }

    private static func quoted(_ text: String) -> String {
        "'" + String(text.prefix(Limits.quotedCharacters)) + "'"
    }
}

/// Who sent a request, as far as its bytes tell.
public struct DeviceRecognition: Sendable {
    public struct Match: Sendable {
        public let profile: DeviceProfile
        /// Which of the device's requests it is (`first request`, `followed redirect`, `GET with Range` …).
        public let variant: String
        public let identity: [ReportedField: String]
        /// Fields whose line the device leaves out when they are empty, and left out.
        public let absent: Set<ReportedField>
    }

    /// For a request no profile matches: the profile that came closest, and where it differs.
    public struct NearestMiss: Sendable, Equatable, Encodable {
        public let profile: String
        public let difference: String
    }

    public let head: ArrivedRequestHead
    /// Every matching profile, newest first.
    public let matches: [Match]
    public let nearest: NearestMiss?

    /// `esp8266-arduino`, `esp32-arduino`, `esp-idf`, or `unknown` when nothing matched.
    public var stack: String {
        guard let family = matches.first?.profile.family, matches.allSatisfy({ $0.profile.family == family }) else { return "unknown" }
        return family.rawValue
    }

    public var profileNames: [String] { matches.map(\.profile.name) }

    /// The newest matching profile: the one a prediction runs.
    public var newest: Match? { matches.first }

    /// What the device reported, from the newest match (every match reads the same lines).
    public var identity: [ReportedField: String] { newest?.identity ?? [:] }

    /// The identity the device's model needs, from what it reported; fields it did not report
    /// keep `check`'s defaults. An ESP8266's flash layout is recognised from its chip size, free
    /// space and sketch size when they fit one of the Arduino IDE's layouts.
    public var deviceIdentity: DeviceIdentity {
        var identity = DeviceIdentity()
        for field in newest?.absent ?? [] { field.apply("", to: &identity) }
        for (field, value) in self.identity { field.apply(value, to: &identity) }
        if let layout = flashLayout { identity.layout = layout }
        return identity
    }

    /// The Arduino "Flash Size" option the ESP8266 was built with, when its reports pin one
    /// down: chip size equal, and free space + sketch size (rounded up to a 4 KiB sector) equal
    /// to the layout's filesystem start (3.1.2:ESP:623-634).
    public var flashLayout: FlashLayout? {
        guard stack == DeviceProfile.Family.esp8266Arduino.rawValue,
              let chip = identity[.chipSize].flatMap({ Int($0) }), let free = identity[.freeSpace].flatMap({ Int($0) }),
              let sketch = identity[.sketchSize].flatMap({ Int($0) }) else { return nil }
        let filesystemStart = (sketch + 4095) / 4096 * 4096 + free
        let fitting = FlashLayout.known.filter { $0.flashSizeBytes == chip && $0.filesystemStart == filesystemStart }
        return fitting.count == 1 ? fitting[0] : nil
    }
}
