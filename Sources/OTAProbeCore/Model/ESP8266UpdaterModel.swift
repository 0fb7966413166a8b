/// `ESP8266HTTPUpdate::handleUpdate` as a pure state machine.
///
/// The transport tells it what happened (connected, bytes at a time, closed, a deadline
/// passed); it answers with the next thing the device would do (`nextAction`) and, at the
/// end, the device's `Verdict`. It never touches a socket or a clock, so every branch is
/// tested with hand-built events, and the probe waits exactly as long as the device would,
/// because the deadlines come from here.
///
/// The steps live in their own types: `ResponseHeadReader` (HTTPClient's parser),
/// `RedirectPolicy`, `UpdateDecisionTree` (the status switch, -100 … -108) and
/// `UpdaterBodyWriter` (peek, download, verify).
public struct ESP8266UpdaterModel: ArduinoStreamModel {
    public let profile: ESP8266ArduinoProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public internal(set) var exchanges: [Exchange] = []
    public private(set) var verdict: Verdict?

    var phase: ArduinoPhase<UpdaterBodyWriter> = .notStarted
    private var currentURL: DeviceURL?
    /// HTTPClient's `_base64Authorization`: set by `begin()` from the URL, replaced by the
    /// sketch's `setAuthorization`, kept across redirects unless a Location brings its own.
    private var authorization: String?
    /// The current connection's waits (plain and TLS clients differ).
    private var timeouts: PhaseTimeouts
    private var followed = 0
    private let catalog: ErrorCatalog

    public init(profile: ESP8266ArduinoProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.catalog = ErrorCatalog(profile.errors)
        self.timeouts = PhaseTimeouts(profile: profile, clientTimeoutMs: settings.clientTimeoutMs, tls: false)
    }

    public var clientTimeoutMs: Int { settings.clientTimeoutMs.map(ClientTimeout.arduinoHTTPClient) ?? profile.timeouts.clientMs }

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

    // MARK: Events from the transport

    /// `begin(url)` then `GET()`: parse the URL the device's way and plan the first connection.
    public mutating func start(at time: Int) {
        switch DeviceURL.parse(settings.url, schemeCaseInsensitive: profile.request.schemeCaseInsensitive) {
        case .failure(let error):
            // `begin()` failed; httpUpdate ignores that and `GET()` returns -1 without sending.
            conclude(code: -1, stage: .url, cause: .urlRefused(error.refusal), at: time)
        case .success(let url):
            authorization = UpdateRequestBuilder.authorization(from: url)
            if profile.request.supportsSetAuthorization {
                for sketch in settings.authorization { authorization = sketch.apply(to: authorization) }
            }
            plan(url, hop: 0, at: time)
        }
    }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectedAtMs = time
        exchanges[exchanges.count - 1].remoteAddress = remoteAddress
        // The request is written at once; parsing starts when it is out.
        phase = .readingHead(ResponseHeadReader(rules: profile.response, timeouts: timeouts, startedAt: time))
    }

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectFailure = failure
        exchanges[exchanges.count - 1].ending = .neverConnected
        conclude(code: -1, stage: .connect, cause: .connectFailed(failure), at: time)
    }

    /// The probe could not write the request because the server had already closed or reset
    /// the connection it just accepted (on loopback that close is back within microseconds).
    ///
    /// Over plain TCP the device never fails here. Its network stack runs only when the sketch
    /// yields, and nothing yields between `ClientContext::connect()` returning (its `delay(1)`
    /// loop, 3.0.2 ClientContext.h:131-164) and the request's `tcp_write`: `HTTPClient::connect()`
    /// returns `connected()`, `sendHeader()` checks `connected()` again, builds the header and
    /// writes it (3.0.2:HC:848-876, 885-940; 2.4.2:HC:925-935) — the `wait_until_acked()` after
    /// the write runs only with `setDefaultSync(true)`, off by default (3.0.2 WiFiClient.cpp:48
    /// `defaultSync = false`, ClientContext.h:498). The server's FIN or RST needs a round trip
    /// to come back, so the device learns of it only inside `handleHeaderResponse`'s loop, which
    /// it entered while still `connected()` (3.0.2:HC:946-1054): -5 'connection lost' on every
    /// core, never -2. (TLS is different: the handshake yields while it waits for the server.)
    public mutating func sendFailed(detail: String, at time: Int) {
        if case .connecting(let plan) = phase, !usesTLS(plan.url) {
            connected(remoteAddress: nil, at: time)
            return connectionClosed(at: time, reset: true)
        }
        exchanges[exchanges.count - 1].ending = .closedByServer
        conclude(code: -2, stage: .request, cause: .sendFailed(detail: detail), at: time)
    }

    // MARK: Steps

    /// A `WiFiClientSecure` makes TLS for https; a plain `WiFiClient` only takes the port (443).
    private func usesTLS(_ url: DeviceURL) -> Bool { url.usesTLS && !settings.plainClient }

    private mutating func plan(_ url: DeviceURL, hop: Int, at time: Int) {
        currentURL = url
        let builder = UpdateRequestBuilder(profile: profile, identity: identity)
        let request = builder.request(for: url, redirected: hop > 0, authorization: .some(authorization))
        timeouts = PhaseTimeouts(profile: profile, clientTimeoutMs: settings.clientTimeoutMs, tls: usesTLS(url))
        var plan = ConnectionPlan(url: url, connectTimeoutMs: timeouts.connectMs, request: request, hop: hop)
        plan.plaintext = url.usesTLS && settings.plainClient
        var exchange = Exchange(url: url, request: request, startedAtMs: time)
        exchange.tls = usesTLS(url)
        exchanges.append(exchange)
        phase = .connecting(plan)
    }

    /// After `GET()` returned: redirect (HTTPClient), else httpUpdate's switch.
    mutating func decide(code: Int, head: ResponseHead?, at time: Int, leftover: [UInt8]) {
        let index = exchanges.count - 1
        if let head, let url = currentURL {
            let policy = RedirectPolicy(rules: profile.redirects, mode: settings.redirectMode)
            switch policy.decide(code: code, location: head.location, current: url, followedSoFar: followed, schemeCaseInsensitive: profile.request.schemeCaseInsensitive) {
            case .follow(let next, let pathOnly)?:
                exchanges[index].endedAtMs = exchanges[index].endedAtMs ?? time
                leftover.withUnsafeBytes { exchanges[index].body.record($0) }
                if pathOnly, profile.redirects.reusesSocketOnPathRedirect, head.size > 0 || !leftover.isEmpty {
                    // 2.5.2: the 3xx body keeps `connected()` true, so the request goes onto
                    // the socket the server already closed (spec §4, §13: -2).
                    conclude(code: -2, stage: .request, cause: .sendFailedOnReusedSocket, at: time)
                    return
                }
                followed += 1
                if let fromLocation = UpdateRequestBuilder.authorization(from: next) { authorization = fromLocation }
                plan(next, hop: followed, at: time)
                return
            case .refuse(let reason)?:
                leftover.withUnsafeBytes { exchanges[index].body.record($0) }
                conclude(code: -104, stage: .status, cause: .redirectNotFollowed(code: code, location: head.location, reason: reason), at: time)
                return
            case nil:
                break
            }
        }
        let tree = UpdateDecisionTree(profile: profile, identity: identity)
        switch tree.decide(code: code, head: head, expectedMD5: settings.expectedMD5) {
        case .fail(let code, let stage, let cause):
            leftover.withUnsafeBytes { exchanges[index].body.record($0) }
            conclude(code: code, stage: stage, cause: cause, at: time)
        case .noUpdates:
            leftover.withUnsafeBytes { exchanges[index].body.record($0) }
            finish(Verdict(result: .noUpdates, code: 0, name: "", message: "", stage: .status, deviceTimeMs: time, cause: .notModified))
        case .download(let length, let md5):
            var writer = UpdaterBodyWriter(
                rules: profile.update, timeouts: timeouts, length: length, md5: md5,
                sketch: identity.mode == .sketch, flashMapSupport: identity.flashMapSupport,
                chipSize: identity.realFlashChipSize, headerEndedAt: time, computeDigests: settings.computeDigests,
                updaterLeftRunning: settings.updaterLeftRunning)
            if !leftover.isEmpty {
                leftover.withUnsafeBytes {
                    exchanges[index].body.record($0)
                    writer.receive($0, at: time)
                }
            }
            phase = .readingBody(writer)
            advanceBody(writer)
        }
    }

    mutating func advanceBody(_ writer: UpdaterBodyWriter) {
        let index = exchanges.count - 1
        exchanges[index].body.bytesConsumedByDevice = writer.consumed
        switch writer.outcome {
        case .needMore:
            return
        case .succeeded(let at):
            exchanges[index].body.md5 = writer.calculatedMD5
            exchanges[index].body.sha256 = writer.calculatedSHA256
            finish(Verdict(result: .ok, code: 0, name: "", message: "", stage: .done, deviceTimeMs: at, cause: .updated))
        case .failed(let code, let stage, let cause, let at, let crash):
            exchanges[index].body.md5 = writer.calculatedMD5
            exchanges[index].body.sha256 = writer.calculatedSHA256
            if crash {
                finish(Verdict(result: .deviceCrash, code: 0, name: "", message: "", stage: stage, deviceTimeMs: at, cause: cause))
            } else {
                conclude(code: code, stage: stage, cause: cause, at: at)
            }
        }
    }

    private mutating func conclude(code: Int, stage: Verdict.Stage, cause: Cause, at time: Int) {
        var values: [String: String] = ["realSize": String(identity.realFlashChipSize), "sdkSize": String(identity.realFlashChipSize)]
        if case .md5Mismatch(let expected, let calculated) = cause {
            values["expected"] = expected
            values["calculated"] = calculated
        }
        let entry = catalog.entry(for: code, values: values)
        finish(Verdict(result: .failed, code: code, name: entry.name, message: entry.message, stage: stage, deviceTimeMs: time, cause: cause))
    }

    private mutating func finish(_ verdict: Verdict) {
        if !exchanges.isEmpty, exchanges[exchanges.count - 1].endedAtMs == nil {
            exchanges[exchanges.count - 1].endedAtMs = verdict.deviceTimeMs
        }
        self.verdict = verdict
        phase = .finished
    }
}
