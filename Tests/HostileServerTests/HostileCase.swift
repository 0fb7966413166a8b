import ScenarioServer

/// The three stack families every behaviour is run against.
enum Stack: String, CaseIterable, Sendable {
    case esp8266 = "esp8266-arduino-3.1.2"
    case esp32 = "esp32-arduino-3.2"
    case idf = "esp-idf-5.5"

    /// The path segment that tells a routed scenario which stack asked (so it can serve that
    /// stack's valid image).
    var tag: String {
        switch self {
        case .esp8266: return "e8266"
        case .esp32: return "e32"
        case .idf: return "idf"
        }
    }

    var isArduino: Bool { self != .idf }

    /// A valid image for the stack with its default flags (4M2M ESP8266; ESP32 chip rev 3.0).
    var image: [UInt8] { self == .esp8266 ? HostileBodies.esp8266Image : HostileBodies.esp32Image }

    static func tagged(_ tag: Substring) -> Stack? { allCases.first { $0.tag == tag } }
}

/// What a hostile scenario knows when it answers one connection.
struct Served: Sendable {
    /// Which stack's run this connection belongs to (from the path; .esp8266 when the scenario
    /// acts before any request arrives).
    let stack: Stack
    /// `http://127.0.0.1:<port>` of the serving server.
    let origin: String
    /// The request, nil for a scenario that acts on accept.
    let request: RecordedRequest?

    /// The request target split on `/`: ["", name, tag, rest…].
    var pathParts: [Substring] { (request?.target ?? "").split(separator: "/", omittingEmptySubsequences: false) }

    /// The stack's valid image.
    var image: [UInt8] { stack.image }

    /// An absolute URL on this server for scenario `name`, in this stack's namespace.
    func url(_ name: String, _ rest: String = "fw.bin") -> String { "\(origin)/\(name)/\(stack.tag)/\(rest)" }
}

/// One named hostile server behaviour and what the probe may take to deal with it.
struct HostileCase: Sendable {
    enum Group: String, Sendable, CaseIterable {
        case headerBomb = "header bombs"
        case endlessHead = "endless and dripping heads"
        case endlessBody = "endless and dripping bodies"
        case lengthOverflow = "length overflows"
        case chunkOverflow = "chunk-size overflows"
        case redirect = "redirect loops and chains"
        case foreignLocation = "foreign schemes and bad ports in Location"
        case controlBytes = "control bytes and NULs"
        case reset = "resets and closes at each phase"
        case compression = "compression bombs"
        case tls = "TLS garbage"
        case oddResponse = "odd responses"
    }

    /// How long the *device* may take, which bounds how long the probe may take.
    enum DeviceTime: Sendable {
        /// The device gives up or finishes after at most this many client timeouts (`--timeout-ms`)
        /// plus the time the bytes take at loopback speed.
        case waits(Int)
        /// The device would wait, read or loop past any bound (or it is not verified that it
        /// would not): only `--max-time` ends the run.
        case unbounded
    }

    let name: String
    let group: Group
    /// One plain-English line: what the server does.
    let summary: String
    let deviceTime: DeviceTime
    /// The URL is https (the server still speaks whatever the script says).
    let https: Bool
    /// Served by a server of its own that acts on accept, before any request byte is read.
    let actsOnAccept: Bool
    /// Arduino stacks get `--follow-redirects force`, so every Location is acted on.
    let followRedirects: Bool
    /// The server mostly waits (drips, stalls, silence): the run costs time, not CPU, so it may
    /// run beside the CPU-bound ones (see `HostileJobPool`).
    let paced: Bool
    /// Extra flags a stack needs for this behaviour (e.g. `--advanced-api --resume-from`).
    let extraArguments: @Sendable (Stack) -> [String]
    let respond: @Sendable (Served) -> [ScriptStep]

    init(_ name: String, _ group: Group, _ summary: String, deviceTime: DeviceTime,
         https: Bool = false, actsOnAccept: Bool = false, followRedirects: Bool = false, paced: Bool = false,
         extraArguments: @escaping @Sendable (Stack) -> [String] = { _ in [] },
         respond: @escaping @Sendable (Served) -> [ScriptStep]) {
        self.name = name
        self.group = group
        self.summary = summary
        self.deviceTime = deviceTime
        self.https = https
        self.actsOnAccept = actsOnAccept
        self.followRedirects = followRedirects
        self.paced = paced
        self.extraArguments = extraArguments
        self.respond = respond
    }

    var isUnbounded: Bool { if case .unbounded = deviceTime { return true } else { return false } }
}
