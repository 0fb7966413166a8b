import CurlTransport
import OTAProbeCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Asks the server for the first bytes with `Range` and reports what it does with it: the
/// finding beside the verdict that ESP-IDF partial download and resumption depend on.
///
/// It costs the run nothing: it sends the device's own request for the chosen profile (so an
/// update script that checks the User-Agent or the `x-ESP8266-*` headers answers it as it
/// answers the device) on its own connection and thread, started beside the probe, and when
/// the probe is done it is read without waiting past the device's own time.
public enum RangeCheck {
    /// What the check sends and where: the device's first request plus `Range`.
    public struct Request: Sendable, Equatable {
        public let url: DeviceURL
        public let bytes: [UInt8]
        public let connectTimeoutMs: Int
        /// How long the device itself waits for a response head.
        public let headTimeoutMs: Int
        public let usedByDevice: Bool
        public let profile: String
        /// The device's client is plain even for https (Tasmota's `WiFiClient`).
        public var plaintext = false
        /// The device's client makes TLS even for http (ESPHome's ESP8266 `WiFiClientSecure`
        /// for a URL containing "https:").
        public var tlsOverHTTP = false
    }

    /// The device's first GET for this profile with `Range` added; nil when the device sends
    /// nothing (a URL its client refuses).
    public static func request(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings) -> Request? {
        // The plain GET: a partial download starts with a HEAD, resumption with its own Range.
        var plain = settings
        plain.partialDownload = false
        plain.resumeFrom = nil
        plain.advancedAPI = false
        // ESPHome fetches `md5_url` first and sends nothing without an MD5: the question is
        // about the image's server, so the check asks as the device's firmware GET would.
        if profile.family == .esphome {
            plain.md5URL = nil
            plain.expectedMD5 = String(repeating: "0", count: 32)
        }
        var model = profile.makeModel(identity: identity, settings: plain)
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { return nil }
        var request = Request(url: plan.url, bytes: RangeFinding.request(to: plan.request), connectTimeoutMs: plan.connectTimeoutMs,
                              headTimeoutMs: profile.clientTimeoutMs(settings), usedByDevice: profile.family == .espIDF, profile: profile.name)
        request.plaintext = plan.plaintext
        request.tlsOverHTTP = plan.tlsOverHTTP
        return request
    }

    /// Starts the check on its own thread; read it with `Pending.finish(deviceTimeMs:)`.
    public static func start(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings) -> Pending? {
        guard let request = request(profile: profile, identity: identity, settings: settings) else { return nil }
        let pending = Pending(request: request)
        let work: @Sendable () -> Void = { pending.complete(with: exchange(request, cancelled: pending.isCancelled)) }
        if ProbeThread.start(detached: true, work) == nil { work() }
        return pending
    }

    /// Runs the check and waits for it (within its own bound): for tests and other callers
    /// that have no probe running beside it.
    public static func run(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings) -> RangeFinding? {
        guard let request = request(profile: profile, identity: identity, settings: settings) else { return nil }
        return exchange(request, cancelled: { false })
    }

    /// A check under way on its own thread.
    public final class Pending: Sendable {
        let request: Request
        let started = ContinuousClock.now
        private let state = Mutex<RangeFinding?>(nil)
        private let cancelled = Atomic<Bool>(false)

        init(request: Request) { self.request = request }

        func complete(with finding: RangeFinding) {
            state.withLock { $0 = finding }
        }

        var isCancelled: @Sendable () -> Bool {
            { [self] in cancelled.load(ordering: .relaxed) }
        }

        /// The finding, waiting at most until the device's own time (`deviceTimeMs` after the
        /// start, or `Limits.rangeCheckGraceMs` when the device decided sooner) has passed; past
        /// it, "no answer within the device's time", and the check stops at its next look at
        /// the clock.
        public func finish(deviceTimeMs: Int) -> RangeFinding {
            let deadline = started + .milliseconds(max(deviceTimeMs, Limits.rangeCheckGraceMs))
            while true {
                if let finding = state.withLock({ $0 }) { return finding }
                if ContinuousClock.now >= deadline { break }
                usleep(2000)
            }
            cancelled.store(true, ordering: .relaxed)
            let elapsed = Probe.milliseconds(ContinuousClock.now - started)
            return RangeFinding.noAnswer(withinMs: max(deviceTimeMs, elapsed), requestedLength: RangeFinding.probeLength,
                                         usedByDevice: request.usedByDevice, profile: request.profile)
        }
    }

    /// Connects, sends, and reads until a head is complete, the device's own waits pass, or
    /// `cancelled` says the probe is done.
    static func exchange(_ request: Request, cancelled: @Sendable () -> Bool) -> RangeFinding {
        func judged(_ status: Int?, _ contentRange: String?) -> RangeFinding {
            RangeFinding.judge(status: status, contentRange: contentRange, requestedLength: RangeFinding.probeLength,
                               usedByDevice: request.usedByDevice, profile: request.profile)
        }
        let url = request.url
        let endpoint = TransportEndpoint(host: url.host, port: url.port, tls: (url.usesTLS ? !request.plaintext : request.tlsOverHTTP) ? TLSSettings() : nil)
        guard let connection = try? RawConnection.open(to: endpoint, connectTimeoutMilliseconds: request.connectTimeoutMs) else {
            return judged(nil, nil)
        }
        defer { connection.close() }
        guard (try? connection.sendAll(request.bytes, timeoutMilliseconds: request.connectTimeoutMs)) != nil else {
            return judged(nil, nil)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var head: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(request.headTimeoutMs)
        while true {
            // Parsed before the bound is tested: one read can bring the head and 16 KiB of body.
            if let parsed = RangeFinding.parseHead(head) { return judged(parsed.status, parsed.contentRange) }
            if head.count >= Limits.headBytesKept || cancelled() { return judged(nil, nil) }
            // Short slices, so a finished probe is noticed within 50 ms.
            let slice = min(deadline, ContinuousClock.now + .milliseconds(50))
            switch connection.receive(into: buffer, deadline: slice) {
            case .data(let count): head += buffer[..<count]
            case .deadlineReached where ContinuousClock.now < deadline: continue
            case .closed, .reset, .deadlineReached, .tlsRecordTooLarge:
                let parsed = RangeFinding.parseHead(head + Array("\r\n\r\n".utf8))
                return judged(parsed?.status, parsed?.contentRange)
            }
        }
    }
}
