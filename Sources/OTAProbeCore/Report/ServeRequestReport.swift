/// One request `otaprobe serve` answered: who asked (decoded from the request's bytes), what
/// was served, and what that device will report for it. Rendered as a short human block or as
/// one JSON line; like every report it only renders, it decides nothing.
public struct ServeRequestReport: Sendable {
    /// What the server sent back, in the server's own terms.
    public struct Served: Sendable, Equatable {
        /// The scenario's name; nil when the path named none (a plain 404 was sent).
        public var scenario: String?
        /// The status line sent (nil when none starting `HTTP/` was), and its code.
        public var statusLine: String?
        public var status: Int?
        public var bytes: Int
        /// `closed`, `reset`, `client-left`, `lifetime-over`, `server-stopped`.
        public var ending: String
        public var milliseconds: Int

        public init(scenario: String?, statusLine: String?, status: Int?, bytes: Int, ending: String, milliseconds: Int) {
            self.scenario = scenario
            self.statusLine = statusLine
            self.status = status
            self.bytes = bytes
            self.ending = ending
            self.milliseconds = milliseconds
        }
    }

    /// Local wall-clock time the request arrived, `HH:MM:SS`.
    public var time: String
    /// `a.b.c.d:port` of the client.
    public var peer: String?
    public var recognition: DeviceRecognition
    public var served: Served
    /// The device's run against the same scenario, when a profile matched.
    public var prediction: ProbeReport?
    /// Why there is no prediction, when there is none.
    public var predictionMissing: String?

    public init(time: String, peer: String?, recognition: DeviceRecognition, served: Served,
                prediction: ProbeReport?, predictionMissing: String?) {
        self.time = time
        self.peer = peer
        self.recognition = recognition
        self.served = served
        self.prediction = prediction
        self.predictionMissing = predictionMissing
    }

    // MARK: Human

    /// A short block: the request line, the device, what it reported, what it got, what it
    /// will print. Every line goes out through `TerminalOutput` (escaped, redacted, clipped).
    public func lines() -> [OutputLine] {
        let head = recognition.head
        var lines: [OutputLine] = [.heading("\(time)  \(peer ?? "?")  \(head.method) \(head.target) \(head.version)")]
        lines.append("  device      \(deviceDescription)")
        if let nearest = recognition.nearest {
            lines.append(.dim("              nearest: \(nearest.profile) — \(nearest.difference)"))
        }
        if let summary = identitySummary { lines.append("  reported    \(summary)") }
        let fields = recognition.identity.sorted { $0.key < $1.key }
        if !fields.isEmpty {
            lines.append(.dim("              " + fields.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")))
        }
        let scenario = served.scenario ?? "no such scenario"
        let status = served.statusLine ?? "no status line"
        lines.append("  served      \(scenario): \(status), \(served.bytes) bytes, \(served.ending) after \(served.milliseconds) ms")
        if let prediction {
            let tone: OutputLine.Tone = prediction.outcome.isSuccess ? .good : .bad
            lines.append(OutputLine("  prediction  \(prediction.verdict.deviceLine)", tone: tone))
            lines.append(.dim("              \(prediction.outcomeSentence) (\(prediction.profile.name))"))
        } else {
            lines.append(.dim("  prediction  none: \(predictionMissing ?? "no profile matched")"))
        }
        return lines
    }

    /// `esp8266-arduino 2.7.4, 3.0.2 or 3.1.2 (first request)`, or why nothing matched.
    var deviceDescription: String {
        guard let newest = recognition.newest else {
            return "unknown: no built-in profile sends these bytes"
        }
        let family = newest.profile.family.rawValue
        let versions = recognition.profileNames.reversed().map { $0.hasPrefix(family + "-") ? String($0.dropFirst(family.count + 1)) : $0 }
        let listed = versions.count > 1 ? versions.dropLast().joined(separator: ", ") + " or " + versions.last! : versions[0]
        return "\(family) \(listed) (\(newest.variant))"
    }

    /// `4 MB flash, 1.6 MB free, sketch 400000 bytes, running 1.2.3, update()`.
    var identitySummary: String? {
        let identity = recognition.identity
        guard !identity.isEmpty else { return nil }
        var parts: [String] = []
        if let chip = identity[.chipSize].flatMap({ Int($0) }) { parts.append("\(Self.size(chip)) flash") }
        if let layout = recognition.flashLayout { parts.append("layout \(layout.name)") }
        if let free = identity[.freeSpace].flatMap({ Int($0) }) { parts.append("\(Self.size(free)) free") }
        if let slot = identity[.partitionSize].flatMap({ Int($0) }) { parts.append("\(Self.size(slot)) OTA slot") }
        if let sketch = identity[.sketchSize] { parts.append("sketch \(sketch) bytes") }
        if let version = identity[.currentVersion] { parts.append("running version \(version)") } else { parts.append("no version reported") }
        if let mode = identity[.mode] { parts.append(mode == "fs" ? "updateFS()" : "update()") }
        return parts.joined(separator: ", ")
    }

    /// Sizes the way people say them: 4 MB, 1.6 MB, 960 KB.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            let tenths = (bytes * 10 + (1 << 19)) >> 20
            return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10).\(tenths % 10) MB"
        }
        return bytes >= 1024 ? "\((bytes + 512) / 1024) KB" : "\(bytes) B"
    }

    // MARK: JSON

    /// One JSON object on one line (`--json`), keys sorted.
    public func json(redactor: Redactor) -> String {
        JSONReport.encode(Document(self, redactor: redactor))
    }

    struct Document: Encodable {
        let schema = "otaprobe/1"
        let event = "request"
        let time: String
        let peer: String?
        let request: Request
        let device: Device
        let served: ServedObject
        let prediction: Prediction?
        let predictionMissing: String?

        init(_ report: ServeRequestReport, redactor: Redactor) {
            time = report.time
            peer = report.peer
            let head = report.recognition.head
            request = Request(method: head.method, target: redactor.redact(head.target).clipped(to: Limits.lineCharactersShown),
                              version: head.version,
                              headers: head.fields.prefix(Limits.headersKept).map {
                                  Header(name: $0.name.clipped(to: Limits.lineCharactersShown),
                                         value: redactor.redactHeader(name: $0.name, value: $0.value).clipped(to: Limits.lineCharactersShown))
                              },
                              headerCount: head.fields.count)
            device = Device(report.recognition, redactor: redactor)
            served = ServedObject(scenario: report.served.scenario, status: report.served.status,
                                  statusLine: report.served.statusLine.map { redactor.redact($0).clipped(to: Limits.lineCharactersShown) },
                                  bytes: report.served.bytes, ending: report.served.ending, milliseconds: report.served.milliseconds)
            prediction = report.prediction.map { Prediction($0, redactor: redactor) }
            predictionMissing = report.predictionMissing
        }
    }

    struct Request: Encodable {
        let method: String
        let target: String
        let version: String
        let headers: [Header]
        /// All header lines that arrived (`headers` keeps the first `Limits.headersKept`).
        let headerCount: Int
    }

    struct Header: Encodable {
        let name: String
        let value: String
    }

    struct Device: Encodable {
        let stack: String
        let profiles: [String]
        /// Which of the device's requests it is: `first request`, `followed redirect`, `GET with Range` …
        let request: String?
        let identity: Identity
        /// The ESP8266's Arduino "Flash Size" option, when its reports pin one down.
        let flashLayout: String?
        let nearest: DeviceRecognition.NearestMiss?

        init(_ recognition: DeviceRecognition, redactor: Redactor) {
            stack = recognition.stack
            profiles = recognition.profileNames
            request = recognition.newest?.variant
            identity = Identity(fields: recognition.identity.mapValues { redactor.redact($0).clipped(to: Limits.quotedCharacters) })
            flashLayout = recognition.flashLayout?.name
            nearest = recognition.nearest.map { .init(profile: $0.profile, difference: redactor.redact($0.difference)) }
        }
    }

    /// The reported fields, numbers as numbers.
    struct Identity: Encodable {
        let fields: [ReportedField: String]

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (field, value) in fields {
                let key = Key(stringValue: field.rawValue)
                if field.isNumber, let number = Int(value) { try container.encode(number, forKey: key) } else { try container.encode(value, forKey: key) }
            }
        }
    }

    struct ServedObject: Encodable {
        let scenario: String?
        let status: Int?
        let statusLine: String?
        let bytes: Int
        let ending: String
        let milliseconds: Int
    }

    struct Prediction: Encodable {
        let profile: String
        let result: String
        let code: Int
        let message: String
        let outcome: String
        /// What the sketch prints (`HTTP_UPDATE_FAILED Error (-106): …`).
        let deviceLine: String
        let deviceTimeMs: Int
        let why: String

        init(_ report: ProbeReport, redactor: Redactor) {
            let verdict = JSONReport.VerdictObject(report.verdict, outcome: report.outcome, redactor: redactor)
            profile = report.profile.name
            result = verdict.result
            code = verdict.code
            message = verdict.message
            outcome = verdict.outcome
            deviceLine = verdict.deviceLine
            deviceTimeMs = verdict.deviceTimeMs
            why = verdict.why
        }
    }
}
