
/// One line of a fleet: a firmware URL as one class of device fetches it, and what the user
/// expects of it. Flags are `check` flags, kept as words so the command parses them exactly
/// as `check` would (one parser, one set of errors).
public struct FleetEntry: Sendable, Equatable {
    /// Position in the file, from 0: the default name and the JSON `fleet.index`.
    public let index: Int
    public let name: String
    public let url: String
    /// A profile name, alias or path; nil for the default profile.
    public let profile: String?
    public let flags: [String]
    public let expect: FleetExpectation
    /// An MD5 published beside the URL (an ESPHome manifest's `ota.md5`), compared with what
    /// is served.
    public let publishedMD5: String?
    /// Where the entry is written, for errors about it (file:line:column).
    public let location: FleetFileLocation

    public init(index: Int, name: String, url: String, profile: String?, flags: [String], expect: FleetExpectation,
                publishedMD5: String? = nil, location: FleetFileLocation) {
        self.index = index
        self.name = name
        self.url = url
        self.profile = profile
        self.flags = flags
        self.expect = expect
        self.publishedMD5 = publishedMD5
        self.location = location
    }

    /// Entries with the same key ask the same question and are run once.
    public var runKey: String {
        ([url, profile ?? "", publishedMD5 ?? ""] + flags).joined(separator: "\u{0}")
    }
}

/// The outcomes an entry may end in and still count as good; by default the two successes.
public struct FleetExpectation: Sendable, Equatable {
    public let outcomes: [Outcome]

    public static let success = FleetExpectation(outcomes: [.updated, .noUpdate])

    public init(outcomes: [Outcome]) { self.outcomes = outcomes }

    public func isMet(by outcome: Outcome) -> Bool { outcomes.contains(outcome) }

    /// `updated|no-update`: how the expectation is written back in reports.
    public var label: String { outcomes.map(\.rawValue).joined(separator: "|") }
}

/// A place in a fleet file; line and column count from 1.
public struct FleetFileLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A fleet file that cannot be used, said where: `fleet.yaml:7:5: checks[2] has no url`.
public struct FleetFileError: Error, Sendable, CustomStringConvertible {
    public let location: FleetFileLocation
    public let message: String

    public init(_ location: FleetFileLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
