/// arduino-esp32's `HTTPUpdate::handleUpdate` as a pure state machine (spec part A).
///
/// Same shape as `ESP8266UpdaterModel`, because the two cores share HTTPClient's lineage:
/// `ResponseHeadReader` parses the head (with the ESP32 profile's rules), `RedirectPolicy`
/// decides redirects, `ESP32UpdateDecisionTree` holds the status switch (-100 … -108), and
/// `ESP32UpdaterBodyWriter` the peek, download and `Update.end()`.
public struct ESP32HTTPUpdateModel: ArduinoStreamModel {
    public let profile: ESP32ArduinoProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public internal(set) var exchanges: [Exchange] = []
    public private(set) var verdict: Verdict?
    /// What `GET()` returned (the last hop's status, or a negative HTTPClient error) and when:
    /// Tasmota's HTTPUpdateLight logs its INFO lines from these (spec §T3.4 step 1).
    public private(set) var requestResult: (code: Int, atMs: Int)?

    var phase: ArduinoPhase<ESP32UpdaterBodyWriter> = .notStarted
    private var currentURL: DeviceURL?
    /// HTTPClient's `_base64Authorization`.
    private var authorization: String?
    private var timeouts: PhaseTimeouts
    private var followed = 0
    private let catalog: ErrorCatalog

    public init(profile: ESP32ArduinoProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.catalog = ErrorCatalog(profile.errors)
        self.timeouts = Self.timeouts(profile: profile, settings: settings, tls: false)
    }

    /// Plain: the client timeout everywhere (HTTPClient sets it as the Stream timeout).
    /// Secure: the Stream timeout of the secure client (1 s before 3.x), connect plus handshake.
    static func timeouts(profile: ESP32ArduinoProfile, settings: UpdaterSettings, tls: Bool) -> PhaseTimeouts {
        let client = settings.clientTimeoutMs.map(ClientTimeout.arduinoHTTPClient) ?? profile.timeouts.clientMs
        let connect = profile.timeouts.connectMs > 0 ? profile.timeouts.connectMs : profile.timeouts.blockingConnectCapMs
        guard tls else { return PhaseTimeouts(idleMs: client, lineByteMs: client, peekMs: client, readByteMs: client, connectMs: connect) }
        let stream = profile.timeouts.tlsStreamTimeoutMs
        return PhaseTimeouts(idleMs: client, lineByteMs: stream, peekMs: stream, readByteMs: stream, connectMs: connect + profile.timeouts.tlsHandshakeMs)
    }

    public var nextAction: DeviceAction {
        switch phase {
        case .notStarted, .finished: return .finished
        case .connecting(let plan): return .open(plan)
        case .readingHead(let reader):
            if case .needMore(let deadline) = reader.outcome { return .receive(deadline: deadline) }
            return .finished
        case .readingBody(let writer):
            if case .needMore(let deadline) = writer.outcome { return .receive(deadline: deadline) }
            return .finished
        }
    }

    public mutating func start(at time: Int) {
        // `begin()` compares the scheme case-sensitively (A3.2.0 HTTPClient.cpp:135-139).
        switch DeviceURL.parse(settings.url, schemeCaseInsensitive: false) {
        case .failure(let error):
            // `begin()` failed: update() returns HTTP_UPDATE_FAILED without touching _lastError.
            finish(Verdict(result: .failed, code: 0, name: "", message: "", stage: .url, deviceTimeMs: time, cause: .urlRefused(error.refusal)))
        case .success(let url):
            authorization = UpdateRequestBuilder.authorization(from: url)
            if profile.request.supportsSetAuthorization {
                for sketch in settings.authorization { authorization = sketch.apply(to: authorization) }
            }
            plan(url, hop: 0, keepsHeaders: true, at: time)
        }
    }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectedAtMs = time
        exchanges[exchanges.count - 1].remoteAddress = remoteAddress
        phase = .readingHead(ResponseHeadReader(rules: profile.response, timeouts: timeouts, startedAt: time))
    }

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectFailure = failure
        exchanges[exchanges.count - 1].ending = .neverConnected
        // Any connect or TLS failure is -1 "connection refused" (A5.2 step 2) — unless the
        // secure client reports its own error through GET() (Tasmota's HTTPClientLight, §T3.4).
        let secure = currentURL?.usesTLS ?? false
        let code = secure ? profile.tls?.connectErrors?.requestResult(for: failure) ?? -1 : -1
        requestResult = (code, time)
        if code > 0 {
            // `-1000 - (-1001)` = 1 and the like: HTTPUpdateLight takes it for an HTTP status
            // and its switch ends in the default branch (HTTPUpdateLight.cpp:384-401).
            conclude(code: -104, stage: .connect, cause: .connectFailed(failure), at: time)
            return
        }
        conclude(code: code, stage: .connect, cause: .connectFailed(failure), at: time)
    }

    public mutating func sendFailed(detail: String, at time: Int) {
        exchanges[exchanges.count - 1].ending = .closedByServer
        requestResult = (-2, time)
        conclude(code: -2, stage: .request, cause: .sendFailed(detail: detail), at: time)
    }

    // MARK: Steps

    private mutating func plan(_ url: DeviceURL, hop: Int, keepsHeaders: Bool, at time: Int) {
        currentURL = url
        let request = ESP32ArduinoRequestBuilder(profile: profile, identity: identity).request(for: url, keepsHeaders: keepsHeaders, authorization: authorization)
        timeouts = Self.timeouts(profile: profile, settings: settings, tls: url.usesTLS)
        let plan = ConnectionPlan(url: url, connectTimeoutMs: timeouts.connectMs, request: request, hop: hop)
        exchanges.append(Exchange(url: url, request: request, startedAtMs: time))
        phase = .connecting(plan)
    }

    mutating func decide(code: Int, head: ResponseHead?, at time: Int, leftover: [UInt8]) {
        let index = exchanges.count - 1
        leftover.withUnsafeBytes { exchanges[index].body.record($0) }
        requestResult = (code, time)
        if let head, let url = currentURL {
            let policy = RedirectPolicy(rules: profile.redirects, mode: settings.redirectMode)
            switch policy.decide(code: code, location: head.location, current: url, followedSoFar: followed, schemeCaseInsensitive: false) {
            case .follow(let next, let pathOnly)?:
                exchanges[index].endedAtMs = exchanges[index].endedAtMs ?? time
                followed += 1
                if let fromLocation = UpdateRequestBuilder.authorization(from: next) { authorization = fromLocation }
                // `setURL()` clears the headers for a path-only Location; 1.0.6's
                // `beginInternal()` clears them for any (A1.2).
                let keeps = !pathOnly && profile.request.absoluteRedirectKeepsHeaders
                plan(next, hop: followed, keepsHeaders: keeps, at: time)
                return
            case .refuse(let reason)?:
                conclude(code: -104, stage: .status, cause: .redirectNotFollowed(code: code, location: head.location, reason: reason), at: time)
                return
            case nil:
                break
            }
        }
        switch ESP32UpdateDecisionTree(identity: identity).decide(code: code, head: head) {
        case .fail(let code, let stage, let cause):
            conclude(code: code, stage: stage, cause: cause, at: time)
        case .noUpdates:
            finish(Verdict(result: .noUpdates, code: 0, name: "", message: "", stage: .status, deviceTimeMs: time, cause: .notModified))
        case .download(let length):
            // 3.x: `setMD5sum()` wins over the `x-MD5` header (A3.2.0 HTTPUpdate.cpp:232-237).
            let md5 = profile.update.supportsSetMD5 ? (settings.expectedMD5 ?? head?.md5Header) : head?.md5Header
            var writer = ESP32UpdaterBodyWriter(
                profile: profile, identity: identity, length: length, tls: currentURL?.usesTLS ?? false,
                streamTimeoutMs: timeouts.readByteMs, md5Header: md5, headerEndedAt: time, computeDigests: settings.computeDigests,
                updaterLeftRunning: settings.updaterLeftRunning)
            if !leftover.isEmpty { leftover.withUnsafeBytes { writer.receive($0, at: time) } }
            phase = .readingBody(writer)
            advanceBody(writer)
        }
    }

    mutating func advanceBody(_ writer: ESP32UpdaterBodyWriter) {
        let index = exchanges.count - 1
        exchanges[index].body.bytesConsumedByDevice = writer.consumed
        switch writer.outcome {
        case .needMore:
            return
        case .succeeded(let at):
            exchanges[index].body.md5 = writer.calculatedMD5
            exchanges[index].body.sha256 = writer.calculatedSHA256
            finish(Verdict(result: .ok, code: 0, name: "", message: "", stage: .done, deviceTimeMs: at, cause: .updated))
        case .failed(let code, let stage, let cause, let at):
            exchanges[index].body.md5 = writer.calculatedMD5
            exchanges[index].body.sha256 = writer.calculatedSHA256
            conclude(code: code, stage: stage, cause: cause, at: at)
        }
    }

    private mutating func conclude(code: Int, stage: Verdict.Stage, cause: Cause, at time: Int) {
        let entry = catalog.entry(for: code)
        var verdict = Verdict(result: .failed, code: code, name: entry.name, message: entry.message, stage: stage, deviceTimeMs: time, cause: cause)
        if case .imageRejected(let line) = cause { verdict.log = ["E (…) esp_image: \(line)"] }
        finish(verdict)
    }

    private mutating func finish(_ verdict: Verdict) {
        if !exchanges.isEmpty, exchanges[exchanges.count - 1].endedAtMs == nil {
            exchanges[exchanges.count - 1].endedAtMs = verdict.deviceTimeMs
        }
        self.verdict = verdict
        phase = .finished
    }
}
