import CurlTransport
import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs one check: the device model decides, the transport connects and moves bytes, and
/// the probe waits exactly until the deadlines the model sets — so a silent server costs the
/// same 8 s here as on the device.
public struct Probe: Sendable {
    public var profile: DeviceProfile
    public var identity: DeviceIdentity
    public var settings: UpdaterSettings
    /// After the device stops, read up to this much more of the body (for the report only).
    public var diagnosticReadBytes = BodyFacts.prefixLimit
    public var diagnosticReadMs = 300
    /// The whole run's ceiling (`--max-time`): past it the probe stops and the verdict says the
    /// device would still be waiting. The device's own deadlines are never shortened by it.
    public var maxTimeMs = Limits.defaultMaxTimeMs
    /// When the device stops at a redirect, fetch its target once, the device's way, so the
    /// advice can say what is there (off for that fetch itself: no recursion).
    public var checksRedirectTarget = true
    /// Called about once a second while the device would be waiting (for a countdown).
    public var onWait: (@Sendable (Wait) -> Void)?

    /// A wait the device would make, for progress display.
    public struct Wait: Sendable {
        public let remainingMs: Int
        public let elapsedMs: Int
    }

    public init(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
    }

    public func run() -> ProbeReport {
        run { _, _ in }
    }

    /// Runs the check and hands every body chunk the device received to `observeBody`, with
    /// the index of its exchange, as it streams (for image inspection; nothing is held).
    public func run(observingBody observeBody: (UnsafeRawBufferPointer, Int) -> Void) -> ProbeReport {
        // The body of the last exchange is parsed as it streams, bounded in memory.
        var sniffer = FirmwareImageSniffer()
        var sniffedExchange = -1
        func observe(_ chunk: UnsafeRawBufferPointer, _ index: Int) {
            if index != sniffedExchange {
                sniffer = FirmwareImageSniffer()
                sniffedExchange = index
            }
            sniffer.feed(chunk)
            observeBody(chunk, index)
        }
        let clock = ContinuousClock()
        let start = clock.now
        func now() -> Int { Self.milliseconds(clock.now - start) }

        var model = profile.makeModel(identity: identity, settings: settings)
        var connection: RawConnection?
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate(); connection?.close() }

        // The device's TLS conclusion for the latest https connection, and a crash it causes.
        var tlsFinding: TLSFinding?
        var tlsAdvice: TLSAdvice?
        var tlsOutcome: TLSOutcome?
        var tlsCrash: (description: String, at: Int)?

        // Set when the probe stops at one of its own bounds before the device decided.
        var stopped: ProbeStop?
        /// The connect timeout the device uses, cut to what is left of `--max-time`.
        func connectTimeout(_ plan: ConnectionPlan) -> Int { max(1, min(plan.connectTimeoutMs, maxTimeMs - now())) }
        /// A connect that failed only because `--max-time` cut it short is the probe's stop.
        func cutShort(_ plan: ConnectionPlan) -> Bool { now() >= maxTimeMs && plan.connectTimeoutMs > connectTimeout(plan) }

        model.start(at: now())
        loop: while true {
            if now() >= maxTimeMs, model.verdict == nil {
                stopped = .maxTime(ms: maxTimeMs)
                break loop
            }
            switch model.nextAction {
            case .finished:
                break loop
            case .open(let plan):
                if plan.reusesConnection, let live = connection {
                    // The device writes over the connection it holds (ESP-IDF's redirect and
                    // 401 loop on the same host and port): no connect, no handshake.
                    Self.send(plan, over: live, to: &model, now: now)
                    continue
                }
                connection?.close()
                connection = nil
                if model.exchanges.count > Limits.requestsPerRun {
                    stopped = .requestLimit(requests: model.exchanges.count - 1)
                    break loop
                }
                let timeoutMs = connectTimeout(plan)
                if plan.makesTLS, let capabilities = profile.tlsCapabilities {
                    let attempt = DeviceTLSConnector(capabilities: capabilities, settings: settings.tls)
                        .connect(host: plan.url.host, port: plan.url.port, timeoutMs: timeoutMs)
                    if let failure = attempt.transportFailure {
                        if case .timedOut = failure, cutShort(plan) { stopped = .maxTime(ms: maxTimeMs); break loop }
                        var connectFailure = Self.failure(failure)
                        connectFailure.handshakeStarted = attempt.handshakeStarted
                        model.connectFailed(connectFailure, at: now())
                        continue
                    }
                    guard let advice = attempt.advice else { continue }
                    tlsOutcome = attempt.outcome
                    tlsAdvice = advice
                    tlsFinding = advice.finding(for: attempt.outcome)
                    switch attempt.outcome.result {
                    case .established:
                        guard let opened = attempt.connection else { continue }
                        connection = opened
                        Self.send(plan, over: opened, to: &model, now: now)
                    case .failed(let error):
                        model.connectFailed(ConnectionFailure(kind: .tlsHandshake, detail: attempt.outcome.reason, bearSSLError: error.engine,
                                                              handshakeStarted: true), at: now())
                    case .refusedBeforeHandshake:
                        model.connectFailed(ConnectionFailure(kind: .tlsHandshake, detail: attempt.outcome.reason), at: now())
                    case .mbedTLSFailed(let error):
                        model.connectFailed(ConnectionFailure(kind: .tlsHandshake, detail: attempt.outcome.reason, tlsLibraryError: error.code), at: now())
                    case .crash(let description):
                        tlsCrash = (description, now())
                        model.connectFailed(ConnectionFailure(kind: .tlsHandshake, detail: description), at: now())
                    }
                    continue
                }
                let tls: TLSSettings? = plan.makesTLS ? TLSSettings() : nil
                let endpoint = TransportEndpoint(host: plan.url.host, port: plan.url.port, tls: tls)
                do {
                    let opened = try RawConnection.open(to: endpoint, connectTimeoutMilliseconds: timeoutMs)
                    connection = opened
                    Self.send(plan, over: opened, to: &model, now: now)
                } catch {
                    if case .timedOut = error, cutShort(plan) { stopped = .maxTime(ms: maxTimeMs); break loop }
                    model.connectFailed(Self.failure(error), at: now())
                }
            case .pause(let until):
                // The device closed its connection and waits with nothing on the network.
                connection?.close()
                connection = nil
                while now() < min(until, maxTimeMs) {
                    let left = min(until, maxTimeMs) - now()
                    if onWait != nil, left > 1500 { onWait?(Wait(remainingMs: until - now(), elapsedMs: now())) }
                    usleep(UInt32(min(left, 1000)) * 1000)
                }
                if now() >= until { model.deadlinePassed(at: max(now(), until)) }
            case .receive(let deadline):
                guard let live = connection else {
                    model.connectionClosed(at: now(), reset: false)
                    continue
                }
                var wake = min(deadline, maxTimeMs)
                if onWait != nil, wake - now() > 1500 { wake = now() + 1000 }
                let event = live.receive(into: buffer, deadline: start + .milliseconds(wake))
                let time = now()
                switch event {
                case .data(let count):
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
                    let exchangeIndex = model.exchanges.count - 1
                    let before = model.exchanges.last?.body.bytesReceived ?? 0
                    model.receive(chunk, at: time)
                    // Body bytes follow the head within a chunk: they are its last `delta` bytes.
                    if model.exchanges.count - 1 == exchangeIndex, let after = model.exchanges.last?.body.bytesReceived, after > before {
                        observe(UnsafeRawBufferPointer(rebasing: chunk[(count - (after - before))...]), exchangeIndex)
                    }
                    if model.verdict == nil, let last = model.exchanges.last, last.head == nil, last.responseHeadBytes > Limits.headBytesRead {
                        stopped = .headNeverEnds(bytes: last.responseHeadBytes)
                        break loop
                    }
                case .closed:
                    model.connectionClosed(at: time, reset: false)
                case .reset:
                    model.connectionClosed(at: time, reset: true)
                case .tlsRecordTooLarge(let length):
                    // The device's engine fails on the record header: to its HTTP client the
                    // stream simply ends (available() 0, connected() false).
                    if let outcome = tlsOutcome, let advice = tlsAdvice {
                        tlsFinding = advice.finding(for: outcome, oversizedRecord: length)
                    }
                    live.close()
                    connection = nil
                    model.connectionClosed(at: time, reset: false)
                case .deadlineReached:
                    if time >= deadline {
                        model.deadlinePassed(at: max(time, deadline))
                    } else if time < maxTimeMs {
                        onWait?(Wait(remainingMs: deadline - time, elapsedMs: time))
                    }
                }
            }
        }

        var exchanges = model.exchanges
        var verdict: Verdict
        if let stopped {
            // The probe's bound, not the device's decision: the connection is left as it was.
            if let index = exchanges.indices.last {
                if exchanges[index].ending == .open { exchanges[index].ending = .closedByDevice }
                if exchanges[index].endedAtMs == nil { exchanges[index].endedAtMs = now() }
            }
            verdict = .stillWaiting(stopped, stage: Self.stage(of: exchanges.last), at: now(), log: model.logSoFar)
            verdict.attempts = model.attemptsSoFar
        } else {
            // Only when the device stopped early (an error page, a chunked body): a device that
            // consumed its whole body has nothing more to show.
            let deviceReadItAll = model.verdict?.result == .ok || model.verdict?.result == .espOK
            if let connection, var last = exchanges.last, last.ending == .open, !deviceReadItAll {
                readDiagnosticBody(from: connection, into: &last, buffer: buffer) { observe($0, exchanges.count - 1) }
                exchanges[exchanges.count - 1] = last
            }
            // The model only reports `.finished` after `finish(_:)` has set a verdict.
            guard let decided = model.verdict else { preconditionFailure("the device model finished without a verdict") }
            verdict = decided
        }
        if let crash = tlsCrash {
            verdict = Verdict(result: .deviceCrash, code: 0, name: "", message: "", stage: .connect, deviceTimeMs: crash.at, cause: .tlsCrash(crash.description))
        }
        verdict.tls = tlsFinding
        let image = sniffedExchange == exchanges.count - 1 && !exchanges.isEmpty ? sniffer.finish() : nil
        connection?.close()
        connection = nil
        let target = stopped == nil && tlsCrash == nil ? redirectTarget(of: verdict, exchanges: exchanges, remainingMs: maxTimeMs - now()) : nil
        return .assemble(profile: profile, identity: identity, settings: settings, verdict: verdict, exchanges: exchanges, lastBodyImage: image,
                         redirectTarget: target)
    }

    /// The device stopped at a redirect: what it would get if it were pointed at the target.
    /// One more check with the same profile, identity and sketch settings, only the URL
    /// changed, within what is left of `--max-time`; that check fetches no target of its own.
    private func redirectTarget(of verdict: Verdict, exchanges: [Exchange], remainingMs: Int) -> RedirectTarget? {
        guard checksRedirectTarget, let last = exchanges.last, let location = RedirectTarget.location(of: verdict.cause),
              let url = RedirectTarget.resolve(location, against: RedirectTarget.base(of: last, writtenURL: settings.url)) else { return nil }
        guard remainingMs > 0 else { return RedirectTarget(url: url, location: location) }
        guard url.utf8.count <= Limits.redirectTargetURLBytes else {
            var target = RedirectTarget(url: String(url.prefix(80)) + "…", location: String(location.prefix(80)) + "…")
            target.notFetched = "the Location is \(location.utf8.count) bytes long, beyond the \(Limits.redirectTargetURLBytes) bytes otaprobe follows; no firmware host writes such a URL"
            return target
        }
        var targetSettings = settings
        targetSettings.url = url
        var probe = Probe(profile: profile.singleCall, identity: identity, settings: targetSettings)
        probe.maxTimeMs = remainingMs
        probe.checksRedirectTarget = false
        let report = probe.run()
        return RedirectTarget(url: url, location: location, verdict: report.verdict, exchanges: report.exchanges)
    }

    /// The device stopped reading (a 404 page, a chunked body …); read a little more so the
    /// report can say what the body was. This never changes the verdict.
    private func readDiagnosticBody(from connection: RawConnection, into exchange: inout Exchange, buffer: UnsafeMutableRawBufferPointer, observe: (UnsafeRawBufferPointer) -> Void) {
        let until = ContinuousClock.now + .milliseconds(diagnosticReadMs)
        while exchange.body.prefix.count < diagnosticReadBytes {
            switch connection.receive(into: buffer, deadline: until) {
            case .data(let count):
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
                exchange.body.record(chunk)
                observe(chunk)
            case .closed:
                exchange.ending = .closedByServer
                return
            case .reset, .tlsRecordTooLarge:
                exchange.ending = .resetByServer
                return
            case .deadlineReached:
                exchange.body.truncated = true
                exchange.ending = .closedByDevice
                return
            }
        }
        exchange.body.truncated = true
        exchange.ending = .closedByDevice
    }

    /// Where the device was when the probe stopped it.
    static func stage(of last: Exchange?) -> Verdict.Stage {
        guard let last, last.connectedAtMs != nil else { return .connect }
        return last.head == nil ? .headers : .download
    }

    static func failure(_ error: CurlTransport.ConnectFailure) -> ConnectionFailure {
        switch error {
        case .nameResolution(let host, let detail): return ConnectionFailure(kind: .nameResolution, detail: "\(host): \(detail)")
        case .refused(let address, let detail): return ConnectionFailure(kind: .refused, detail: "\(address): \(detail)")
        case .timedOut(let after, let detail): return ConnectionFailure(kind: .timedOut, detail: "after \(after) ms: \(detail)")
        case .tlsHandshake(let detail): return ConnectionFailure(kind: .tlsHandshake, detail: detail)
        case .other(let error): return ConnectionFailure(kind: .other, detail: error.description)
        }
    }

    /// Sends the planned request (on a fresh connection, or the one the device kept) and tells
    /// the model how it went.
    private static func send(_ plan: ConnectionPlan, over connection: RawConnection, to model: inout any DeviceModel, now: () -> Int) {
        do {
            try connection.sendAll(plan.request, timeoutMilliseconds: plan.connectTimeoutMs)
            model.connected(remoteAddress: connection.remoteAddress, at: now())
        } catch {
            model.sendFailed(detail: error.description, at: now())
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
