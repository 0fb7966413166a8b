import FoundationEssentials

/// The `--json` output, schema `otaprobe/1`. Keys are sorted so the output is stable;
/// fields are only ever added, never renamed (README, "JSON output").
public enum JSONReport {
    public static func render(_ report: ProbeReport, redactor: Redactor) -> String {
        encode(Document(report, redactor: redactor))
    }

    /// A fleet entry's line: the `check --json` object plus `fleet` (which entry, and whether
    /// it met its expectation).
    public static func render(_ report: ProbeReport, fleet result: FleetResult, redactor: Redactor) -> String {
        var document = Document(report, redactor: redactor)
        document.fleet = FleetTag(index: result.index, name: redactor.redact(result.name), expect: result.expect.outcomes.map(\.rawValue), met: result.met)
        return encode(document)
    }

    struct FleetTag: Encodable {
        let index: Int
        let name: String
        let expect: [String]
        let met: Bool
    }

    /// Every `otaprobe/1` document is written the same way: sorted keys, so output is stable.
    static func encode(_ document: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{\"schema\":\"otaprobe/1\",\"error\":\"encoding failed\"}" }
        return String(decoding: data, as: UTF8.self)
    }

    struct Document: Encodable {
        let schema = "otaprobe/1"
        let url: String
        let profile: String
        let device: Device
        let verdict: VerdictObject
        let exchanges: [ExchangeObject]
        let integrity: [IntegrityCheck.Finding]
        let image: ImageObject?
        let fit: [DeviceFit.Finding]
        let range: RangeFinding?
        let redirectTarget: RedirectTarget?
        /// Only in `fleet --json` lines.
        var fleet: FleetTag?

        init(_ report: ProbeReport, redactor: Redactor) {
            range = report.range
            redirectTarget = report.redirectTarget.map { $0.redacted(by: redactor) }
            url = redactor.redact(report.url)
            profile = report.profile.name
            device = Device(report)
            verdict = VerdictObject(report.verdict, outcome: report.outcome, redactor: redactor)
            exchanges = report.exchanges.map { ExchangeObject($0, redactor: redactor) }
            image = report.image.map(ImageObject.init)
            fit = report.fit
            integrity = report.integrity.map {
                .init(source: $0.source, algorithm: $0.algorithm, expected: $0.expected, served: $0.served, matches: $0.matches, message: redactor.redact($0.message))
            }
        }
    }

    /// The parsed body: the fields esptool's image_info also reports, and a summary.
    public struct ImageObject: Encodable {
        let kind: String
        let length: Int
        let summary: String
        let chip: String?
        let flashMode: String?
        let flashSize: String?
        let flashFrequency: String?
        let segments: Int?
        let checksumValid: Bool?
        let sha256Valid: Bool?
        let appVersion: String?
        let projectName: String?

        public init(_ image: FirmwareImageReport) {
            kind = image.kind.summary
            length = image.length
            summary = image.summary
            let esp8266 = image.esp8266?.updaterHeader
            let esp32 = image.esp32 ?? image.merged?.app
            chip = esp32.map { $0.chip.name } ?? (esp8266 != nil ? "ESP8266" : nil)
            let flash = esp8266?.flash ?? esp32?.flash
            flashMode = flash.map { "\($0.mode)" }
            flashSize = flash?.sizeName
            flashFrequency = flash?.frequencyName
            segments = (image.esp8266?.app ?? esp8266)?.segments.count ?? esp32?.segments.count
            let checksum = (image.esp8266?.app ?? esp8266)?.checksum ?? esp32?.checksum
            checksumValid = checksum.flatMap { $0 == .unavailable ? nil : $0.isValid }
            sha256Valid = esp32.flatMap { digest in
                switch digest.sha256 {
                case .valid: return true
                case .invalid: return false
                default: return nil
                }
            }
            appVersion = esp32?.appDescriptor?.version
            projectName = esp32?.appDescriptor?.projectName
        }
    }

    struct Device: Encodable {
        let mode: String
        let flashLayout: String
        let flashChipSize: Int
        let freeSketchSpace: Int
        let sketchSize: Int
        let currentVersion: String
        let followRedirects: String
        let clientTimeoutMs: Int

        init(_ report: ProbeReport) {
            mode = report.identity.mode.rawValue
            flashLayout = report.identity.layout.name
            flashChipSize = report.identity.realFlashChipSize
            freeSketchSpace = report.identity.freeSketchSpace
            sketchSize = report.identity.sketchSize
            currentVersion = report.identity.currentVersion
            followRedirects = report.settings.redirectMode.rawValue
            clientTimeoutMs = report.profile.clientTimeoutMs(report.settings)
        }
    }

    public struct VerdictObject: Encodable {
        /// What the run means for the user (`updated`, `no-update`, `failed`, `fails-to-boot`,
        /// `crashes`, `hangs`); the exit status follows it.
        let outcome: String
        let result: String
        let code: Int
        let name: String
        let message: String
        let deviceLine: String
        let stage: String
        let deviceTimeMs: Int
        let why: String
        let fix: [String]
        let notes: [String]
        /// ESP-IDF and ESPHome: the code in hex (`0x10A`, `-0x7007`, `0x8B`); absent for Arduino results.
        let hex: String?
        /// The device's log lines, oldest first (ESP-IDF `E (…) tag: …`).
        let log: [String]
        /// https: the device's TLS conclusion (`deviceError` is what getLastSSLError() returns).
        let tls: TLSFinding?
        /// Tasmota: each call of the core's updater in its retry sequence, in order (absent
        /// for a single call); attempt n is exchange n.
        let attempts: [AttemptObject]?

        struct AttemptObject: Encodable {
            let url: String
            let result: String
            let code: Int
            let message: String
            let startedMs: Int
            let endedMs: Int
        }

        public init(_ verdict: Verdict, outcome: Outcome, redactor: Redactor) {
            self.outcome = outcome.rawValue
            tls = verdict.tls
            hex = verdict.codeHex
            log = verdict.log.map { redactor.redact($0).clipped(to: Limits.lineCharactersShown) }
            result = verdict.resultName
            code = verdict.code
            name = verdict.name
            message = redactor.redact(verdict.message).clipped(to: Limits.lineCharactersShown)
            deviceLine = redactor.redact(verdict.deviceLine).clipped(to: Limits.lineCharactersShown)
            stage = verdict.stage.rawValue
            deviceTimeMs = verdict.deviceTimeMs
            why = redactor.redact(verdict.why).clipped(to: 4 * Limits.lineCharactersShown)
            fix = verdict.fix.map { redactor.redact($0).clipped(to: Limits.lineCharactersShown) }
            notes = verdict.notes.map { redactor.redact($0).clipped(to: Limits.lineCharactersShown) }
            attempts = verdict.attempts.isEmpty ? nil : verdict.attempts.map {
                AttemptObject(url: redactor.redact($0.url).clipped(to: Limits.lineCharactersShown), result: $0.result.rawValue, code: $0.code,
                              message: redactor.redact($0.message).clipped(to: Limits.lineCharactersShown), startedMs: $0.startedAtMs, endedMs: $0.endedAtMs)
            }
        }
    }

    struct ExchangeObject: Encodable {
        let url: String
        let remoteAddress: String?
        let tls: Bool
        /// The bytes sent: the first `Limits.requestBytesShown`; `requestBytes` counts them all.
        let request: String
        let requestBytes: Int
        let connectError: ConnectError?
        let status: Int?
        let statusLine: String?
        /// The first `Limits.headersKept` headers; `headerCount` counts them all.
        let headers: [ResponseHead.HeaderField]
        let headerCount: Int
        /// The first `Limits.headBytesKept` bytes of the head; `responseHeadBytes` counts them all.
        let responseHead: String
        let responseHeadBytes: Int
        let body: Body
        let timing: Timing
        let ending: String

        struct ConnectError: Encodable { let kind: String; let detail: String }
        struct Body: Encodable {
            let bytesReceived: Int
            let bytesReadByDevice: Int
            let firstBytesHex: String
            let firstBytesText: String
            let kind: String
            let md5: String?
            let sha256: String?
        }
        struct Timing: Encodable {
            let startedMs: Int
            let connectedMs: Int?
            let firstByteMs: Int?
            let endedMs: Int?
        }

        init(_ exchange: Exchange, redactor: Redactor) {
            url = redactor.redact(exchange.url).clipped(to: Limits.lineCharactersShown)
            remoteAddress = exchange.remoteAddress
            tls = exchange.tls
            request = String(decoding: redactor.redact(bytes: exchange.request).prefix(Limits.requestBytesShown), as: UTF8.self)
            requestBytes = exchange.request.count
            connectError = exchange.connectFailure.map { ConnectError(kind: $0.kind.rawValue, detail: redactor.redact($0.detail)) }
            status = exchange.head.flatMap { $0.sawStatusLine ? $0.code : nil }
            statusLine = exchange.head?.firstLine.map { redactor.redact($0).clipped(to: Limits.lineCharactersShown) }
            headers = (exchange.head?.headers ?? []).map { .init(name: $0.name, value: redactor.redactHeader(name: $0.name, value: $0.value).clipped(to: Limits.lineCharactersShown)) }
            headerCount = exchange.head?.headerCount ?? 0
            responseHead = String(decoding: redactor.redact(bytes: exchange.responseHead), as: UTF8.self)
            responseHeadBytes = max(exchange.responseHeadBytes, exchange.responseHead.count)
            // Masked as bytes, so a secret the server echoes shows in neither the hex nor the text.
            let prefix = redactor.redact(bytes: exchange.body.prefix)
            body = Body(bytesReceived: exchange.body.bytesReceived, bytesReadByDevice: exchange.body.bytesConsumedByDevice,
                        firstBytesHex: ByteText.hex(prefix, limit: 32),
                        firstBytesText: ByteText.printable(prefix, limit: 64),
                        kind: redactor.redact(BodyKind.recognize(exchange.body.prefix).summary), md5: exchange.body.md5, sha256: exchange.body.sha256)
            timing = Timing(startedMs: exchange.startedAtMs, connectedMs: exchange.connectedAtMs, firstByteMs: exchange.firstByteAtMs, endedMs: exchange.endedAtMs)
            ending = exchange.ending.rawValue
        }
    }
}
