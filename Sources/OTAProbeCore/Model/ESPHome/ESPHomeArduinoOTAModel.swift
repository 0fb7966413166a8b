import Crypto
import FoundationEssentials

/// ESPHome's `OtaHttpRequestComponent::flash()` on the Arduino framework (2025.12.7), as a
/// pure state machine: `do_ota_()` (E25 http_request/ota/ota_http_request.cpp:86-204) over
/// `HttpRequestArduino::perform()` (http_request_arduino.cpp), which drives the core's
/// HTTPClient — on an ESP8266 (core 3.1.2) through the `ArduinoESP8266OTABackend` over the
/// core's `Updater`, on an ESP32 (arduino-esp32 3.3.x) through `IDFOTABackend`
/// (`ESPHomeIDFOTABackend`, shared with the esp-idf model). The profile's `arduino.backend`
/// says which (spec E7).
///
/// What it shares with `ESP8266UpdaterModel` is HTTPClient: the request bytes
/// (`UpdateRequestBuilder`, with ESPHome's lines and `setReuse(true)`), the head parser
/// (`ResponseHeadReader`), the redirect rules in FORCE mode (`RedirectPolicy`) and the
/// Updater's end checks (`UpdateDecisionTree.magicFlashChipSize`). What it shares with the
/// ESP-IDF ESPHome model is ESPHome's own steps (`ESPHomeOTASteps`, `ESPHomeLog`). What is its
/// own: the container's non-blocking read (E4.3) — a read that finds the socket buffer empty
/// returns 0, and 2025.12's loop then breaks — and the raw socket read, chunk framing and all.
///
/// "Found the buffer empty" is read off the transport's arrival times: the device drains the
/// buffer as bytes arrive; a pause longer than `emptyBufferGapMs` while it still expects bytes
/// is the moment its next read found nothing.
public struct ESPHomeArduinoOTAModel: DeviceModel {
    public let profile: ESPHomeProfile
    public let client: ESPHomeProfile.ArduinoClient
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public private(set) var exchanges: [Exchange] = []
    public private(set) var verdict: Verdict?


    private enum Phase: Sendable {
        case notStarted
        case connecting(ConnectionPlan)
        case readingHead(ResponseHeadReader)
        /// The container is back; its reads take what the socket holds, never wait.
        case readingBody
        case finished
    }

    private var phase = Phase.notStarted
    private var fetch = ESPHomeOTASteps.Fetch.firmware
    private var log = ESPHomeLog()
    /// The URL `perform()` was given (credentials spliced in): its log lines print it.
    private var performURL = ""
    /// The client perform() chose for this call: on the ESP8266 `WiFiClientSecure` exactly
    /// when the URL contains "https:" anywhere (true) or `WiFiClient` (false), kept across
    /// redirects; nil where HTTPClient makes the client the scheme names (ESP32, spec E2).
    private var secureClient: Bool?
    private var url: DeviceURL?
    /// HTTPClient's `_base64Authorization`, from the URL's userinfo (3.1.2:HC:158-163).
    private var authorization: String?
    private var followed = 0
    private var timeouts: PhaseTimeouts
    /// `md5_expected_`: `md5:` as given, or the 32 bytes read from `md5_url`.
    private var md5Expected: [UInt8] = []
    /// `update_start_time`, taken before the MD5 fetch (ota_http_request.cpp:89).
    private var startedAt = 0
    /// `url_`: the URL `flash()` downloads: the setting, or the manifest build's resolved path.
    private var firmwareURL = ""
    /// The manifest's bytes, as `update_task`'s reads collect them.
    private var manifestBytes: [UInt8] = []
    /// The version the manifest offered, when the check led to an install.
    private var manifestInstall: String?
    /// The update entity's decision, shared with the ESP-IDF model (`ESPHomeUpdateEntity`).
    private var entity: ESPHomeUpdateEntity { ESPHomeUpdateEntity(profile: profile, identity: identity, source: settings.url) }

    // The body (`container->read()` over the socket).
    /// `(size_t) getSize()`: -1 (no Content-Length, or chunked) is 4294967295 (E4).
    private var contentLength = 0
    private var bytesRead = 0
    /// When the last bytes arrived: the device drained them at once.
    private var lastArrivalAt = 0
    private var closedByServer = false
    /// Bytes of a followed 3xx's declared body still to come on a reused socket.
    private var undrained = 0
    /// The MD5 file's bytes waiting in the socket until 32 are there (E5.1).
    private var md5Buffer: [UInt8] = []
    private var lastProgressAt: Int?
    private var md5 = Insecure.MD5()
    /// The first bytes written: `_verifyEnd` reads them back from flash (A312:UPR:485-525).
    private var firstBytes: [UInt8] = []
    private var written = 0
    private lazy var digests: WrittenImageDigests? = settings.computeDigests ? WrittenImageDigests() : nil
    /// `IDFOTABackend` when the profile's backend is `esp-idf` (ESP32); nil = the ESP8266 Updater.
    private var idfBackend: ESPHomeIDFOTABackend?

    public init(profile: ESPHomeProfile, client: ESPHomeProfile.ArduinoClient, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.client = client
        self.identity = identity
        self.settings = settings
        self.timeouts = PhaseTimeouts(timeouts: client.timeouts, clientTimeoutMs: settings.clientTimeoutMs, tls: false)
        if client.otaBackend == .espIDF { idfBackend = ESPHomeIDFOTABackend(esp32: identity.esp32) }
        self.log.linesUnknown = profile.ota.logLinesKnown == false
    }

    /// 2026.6: a 0 read is "no data yet"; the loops wait up to the http `timeout` for data.
    private var idleLoop: Bool { profile.ota.idleTimeoutLoop }
    /// `get_timeout()`: the loops' idle timeout (`--client-timeout` replaces it, as it does
    /// `setTimeout`).
    private var readTimeoutMs: Int { settings.clientTimeoutMs ?? profile.timeouts.timeoutMs }
    /// When a read last returned data (`last_data_time`), for the 2026.6 idle timeout.
    private var lastDataAt = 0
    /// 2026.6's decoder, while the answer is read as chunked (`is_chunked_`).
    private var chunked: ESPHomeChunkedDecoder?

    /// The 4294967295 a length-less answer gives, as the `size_t` the loop compares against.
    static let unknownLength = Int(UInt32.max)

    public var nextAction: DeviceAction {
        switch phase {
        case .notStarted, .finished: return .finished
        case .connecting(let plan): return .open(plan)
        case .readingHead(let reader):
            if case .needMore(let deadline) = reader.outcome { return .receive(deadline: deadline) }
            return .finished
        case .readingBody: return .receive(deadline: idleLoop ? lastDataAt + readTimeoutMs : lastArrivalAt + client.emptyBufferGapMs)
        }
    }

    // MARK: flash() and do_ota_()

    public mutating func start(at time: Int) {
        firmwareURL = settings.url
        // `md5:` of the action (a manifest's `ota.md5` replaces it, set_md5 in perform()).
        md5Expected = Array((settings.expectedMD5 ?? "").utf8)
        if settings.manifest {
            // update_task (http_request_update.cpp:50-53): the manifest's GET comes first,
            // through the same perform() as the image's (spec E8).
            fetch = .manifest
            return perform(settings.url, at: time)
        }
        flash(at: time)
    }

    /// `flash()`: `ESPHomeOTASteps.flash`, then the GET it asks for.
    private mutating func flash(at time: Int) {
        startedAt = time
        proceed(ESPHomeOTASteps.flash(md5Expected: md5Expected, md5URL: settings.md5URL, firmwareURL: firmwareURL, authorization: settings.authorization,
                                      encoded: profile.ota.urlEncodesCredentials == true, log: &log), at: time)
    }

    /// From `MD5 expected` on: the image's GET (`ESPHomeOTASteps.download`).
    private mutating func download(at time: Int) {
        proceed(ESPHomeOTASteps.download(md5Expected: md5Expected, firmwareURL: firmwareURL, authorization: settings.authorization,
                                         encoded: profile.ota.urlEncodesCredentials == true, log: &log), at: time)
    }

    private mutating func proceed(_ next: ESPHomeOTASteps.Next, at time: Int) {
        switch next {
        case .get(let what, let target):
            fetch = what
            perform(target, at: time)
        case .done(let code, let cause):
            finish(code: code, cause: cause, stage: .url, at: time)
        }
    }

    // MARK: HttpRequestArduino::perform()

    /// `begin(client, url)`, `setReuse(true)`, `setTimeout`, `setUserAgent`, `sendRequest("GET")`.
    private mutating func perform(_ target: String, at time: Int) {
        performURL = target
        followed = 0
        undrained = 0
        // `secure = url.find("https:") != npos` (http_request_arduino.cpp:32): anywhere in the
        // string, so `http://h/fw.bin?from=https://x` gets the TLS client (spec E2).
        secureClient = client.chosenClient == .httpsAnywhere ? target.contains("https:") : nil
        if let warning = client.plainHTTPWarning, !target.contains("https:") {
            // Logged for every plain-HTTP request on core >= 3.1 (http_request_arduino.cpp:65-70).
            log.add(.warning, "http_request.arduino", 67, warning)
        }
        switch DeviceURL.parse(target, schemeCaseInsensitive: client.request.schemeCaseInsensitive) {
        case .failure(let error):
            // `begin()` false → W `HTTP Request failed; URL: %s` → nullptr (:83-88).
            log.add(.warning, "http_request.arduino", 84, "HTTP Request failed; URL: \(target)")
            noContainer(.urlRefused(error.refusal), stage: .url, at: time)
        case .success(let parsed):
            authorization = UpdateRequestBuilder.authorization(from: parsed)
            plan(parsed, reuse: false, at: time)
        }
    }

    private mutating func plan(_ next: DeviceURL, reuse: Bool, at time: Int) {
        url = next
        let request = UpdateRequestBuilder(rules: client.request, identity: identity).request(for: next, redirected: followed > 0, authorization: .some(authorization))
        guard exchanges.count <= Limits.requestsPerRun else {
            return finishVerdict(Verdict(result: .stillWaiting, code: 0, name: "", message: log.headline, stage: .status, deviceTimeMs: time, cause: .probeStopped(.requestLimit(requests: exchanges.count))))
        }
        let tls = makesTLS(next)
        timeouts = PhaseTimeouts(timeouts: client.timeouts, clientTimeoutMs: settings.clientTimeoutMs, tls: tls)
        var plan = ConnectionPlan(url: next, connectTimeoutMs: timeouts.connectMs, request: request, hop: followed)
        // `begin(client, url)` keeps the client it was handed (3.1.2:HC:72-91): TLS to an
        // http:// URL's port, or plain HTTP to an https:// one.
        plan.tlsOverHTTP = tls && !next.usesTLS
        plan.plaintext = !tls && next.usesTLS
        var exchange = Exchange(url: next, request: request, startedAtMs: time)
        exchange.tls = tls
        if reuse {
            plan.reusesConnection = true
            exchange.reusedConnection = true
            exchange.tls = exchanges.last?.tls ?? tls
        }
        exchanges.append(exchange)
        phase = .connecting(plan)
    }

    /// Whether the client of this perform() makes TLS to `url`.
    private func makesTLS(_ url: DeviceURL) -> Bool { secureClient ?? url.usesTLS }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectedAtMs = time
        exchanges[exchanges.count - 1].remoteAddress = remoteAddress
        phase = .readingHead(ResponseHeadReader(rules: client.response, timeouts: timeouts, startedAt: time))
    }

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        guard case .connecting = phase else { return }
        exchanges[exchanges.count - 1].connectFailure = failure
        exchanges[exchanges.count - 1].ending = .neverConnected
        requestFailed(-1, cause: .connectFailed(failure), stage: .connect, at: time)
    }

    /// As `ESP8266UpdaterModel.sendFailed`: over plain TCP the device learns of the server's
    /// close only while reading the head (-5); a TLS client fails the send (-2).
    public mutating func sendFailed(detail: String, at time: Int) {
        if case .connecting(let plan) = phase, !plan.makesTLS {
            connected(remoteAddress: nil, at: time)
            return connectionClosed(at: time, reset: true)
        }
        exchanges[exchanges.count - 1].ending = .closedByServer
        requestFailed(-2, cause: .sendFailed(detail: detail), stage: .request, at: time)
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard !bytes.isEmpty, !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if undrained > 0, case .readingHead = phase, index > 0 {
            let drained = min(undrained, bytes.count)
            undrained -= drained
            exchanges[index - 1].body.record(UnsafeRawBufferPointer(rebasing: bytes.prefix(drained)))
            if drained == bytes.count { return }
            return receive(UnsafeRawBufferPointer(rebasing: bytes.dropFirst(drained)), at: time)
        }
        if exchanges[index].firstByteAtMs == nil { exchanges[index].firstByteAtMs = time }
        switch phase {
        case .readingHead(var reader):
            reader.receive(bytes, at: time)
            exchanges[index].responseHead = reader.rawHead
            exchanges[index].responseHeadBytes = reader.bytesSeen
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody:
            exchanges[index].body.record(bytes)
            arrived(Array(bytes), at: time)
        default:
            break
        }
    }

    public mutating func connectionClosed(at time: Int, reset: Bool) {
        guard !exchanges.isEmpty else { return }
        exchanges.serverClosedLast(reset: reset, at: time)
        closedByServer = true
        switch phase {
        case .readingHead(var reader):
            reader.connectionClosed(at: time)
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody:
            // Everything that came was read at once; the next read asks getStreamPtr(), which
            // is null once the peer closed and nothing is buffered (3.1.2:HC:620-628, 242-248).
            vanished(at: time)
        default:
            break
        }
    }

    public mutating func deadlinePassed(at time: Int) {
        switch phase {
        case .readingHead(var reader):
            reader.deadlinePassed(at: time)
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody:
            if idleLoop {
                guard time >= lastDataAt + readTimeoutMs else { return }
                return readTimedOut(at: lastDataAt + readTimeoutMs)
            }
            guard time >= lastArrivalAt + client.emptyBufferGapMs else { return }
            bufferRanEmpty(at: time)
        default:
            break
        }
    }

    // MARK: HTTPClient's answer

    private mutating func advanceHead(_ reader: ResponseHeadReader) {
        let index = exchanges.count - 1
        switch reader.outcome {
        case .needMore:
            return
        case .failed(let code, let head, let at):
            exchanges[index].head = head
            requestFailed(code, cause: UpdateDecisionTree.headerCause(code: code, head: head), stage: .headers, at: at)
        case .complete(let code, let head, let at):
            exchanges[index].head = head
            answered(code, head: head, leftover: reader.leftover, at: at)
        }
    }

    /// `sendRequest()`'s redirect loop in FORCE mode (3.1.2:HC:478-535), then perform()'s checks.
    private mutating func answered(_ code: Int, head: ResponseHead, leftover: [UInt8], at time: Int) {
        let index = exchanges.count - 1
        if let current = url {
            let policy = RedirectPolicy(rules: client.redirects, mode: .force)
            if case .follow(let next, let pathOnly)? = policy.decide(code: code, location: head.location, current: current, followedSoFar: followed, schemeCaseInsensitive: client.request.schemeCaseInsensitive) {
                leftover.withUnsafeBytes { exchanges[index].body.record($0) }
                exchanges[index].endedAtMs = exchanges[index].endedAtMs ?? time
                followed += 1
                if let fromLocation = UpdateRequestBuilder.authorization(from: next) { authorization = fromLocation }
                // A path-only Location keeps the client (`setURL`, 3.1.2:HC:321-327); with
                // `_reuse` and a reusable answer `connect()` writes over the same socket after
                // draining what is buffered (:879-889). A new URL disconnects (:334-337).
                // arduino-esp32 keeps any still-connected socket to the same host
                // (`reusesConnectedSocket`); an answer that announced its close is taken as
                // closed by then, its FIN coming with it [derived].
                let kept = client.reusesConnectedSocket == true ? pathOnly || next.host == current.host : pathOnly
                let reusable = kept && Self.canReuse(head, code: code) && !closedByServer
                if !reusable { exchanges[index].ending = exchanges[index].ending == .open ? .closedByDevice : exchanges[index].ending }
                closedByServer = false
                // The rest of a declared 3xx body is what `connect()` drains before it writes
                // the next request: the server writes it right behind the head, so the probe
                // counts it drained even when loopback scheduling hands it over a moment later
                // [derived].
                undrained = reusable ? max(0, head.size - leftover.count) : 0
                return plan(next, reuse: reusable, at: time)
            }
        }
        if !(200..<300).contains(code) {
            // `!is_success` → E line, container returned all the same (:122-126).
            log.add(.error, "http_request.arduino", 124, "HTTP Request failed; URL: \(performURL); Code: \(code)")
        }
        let size = head.size
        log.add(.debug, "http_request.arduino", 141, "Content-Length: \(size)")
        contentLength = Int(UInt32(truncatingIfNeeded: size))
        bytesRead = 0
        // 2026.6: `set_chunked(content_length == -1)` — chunked or no Content-Length at all.
        chunked = client.decodesChunked == true && size == -1 ? ESPHomeChunkedDecoder() : nil
        switch fetch {
        case .manifest:
            manifestAnswer(code, leftover: leftover, at: time)
        case .md5:
            md5Answer(head, leftover: leftover, at: time)
        case .firmware:
            // ota_http_request.cpp:106-110: only exactly 200 goes on; no OTA line otherwise.
            guard code == 200 else {
                closeByDevice(at: time)
                let cause: Cause = RedirectPolicy.redirectCodes.contains(code)
                    ? .esphomeRedirectFailed(code: code, location: head.location, reason: redirectRefusal(code, head: head))
                    : .esphomeStatusNot200(code)
                return finish(code: 0x12, cause: cause, stage: .status, at: time)
            }
            begin(leftover: leftover, at: time)
        }
    }

    /// Why HTTPClient returned this 3xx instead of following it.
    private func redirectRefusal(_ code: Int, head: ResponseHead) -> RedirectRefusal {
        guard let current = url else { return .codeNotFollowed }
        let policy = RedirectPolicy(rules: client.redirects, mode: .force)
        if case .refuse(let reason)? = policy.decide(code: code, location: head.location, current: current, followedSoFar: followed, schemeCaseInsensitive: client.request.schemeCaseInsensitive) {
            return reason
        }
        return .codeNotFollowed
    }

    /// `_canReuse` after the head (3.1.2:HC:988, 1008-1010, 1021-1026): HTTP/1.1, a code
    /// under 500, and no `Connection` with `close` but without `keep-alive`.
    static func canReuse(_ head: ResponseHead, code: Int) -> Bool {
        guard let line = head.firstLine, line.hasPrefix("HTTP/1."), !line.hasPrefix("HTTP/1.0"), code > 0, code < 500 else { return false }
        if let connection = head.header("Connection"), connection.contains("close"), !connection.contains("keep-alive") { return false }
        return true
    }

    /// `sendRequest` < 0: W `HTTP Request failed; URL: …; Error: …` and nullptr (:114-120).
    private mutating func requestFailed(_ code: Int, cause: Cause, stage: Verdict.Stage, at time: Int) {
        let text = client.clientErrors.first { $0.code == code }?.name ?? ""
        log.add(.warning, "http_request.arduino", 116, "HTTP Request failed; URL: \(performURL); Error: \(text)")
        closeByDevice(at: time)
        noContainer(cause, stage: stage, at: time)
    }

    private mutating func noContainer(_ cause: Cause, stage: Verdict.Stage, at time: Int) {
        switch fetch {
        case .manifest:
            finishVerdict(entity.fetchFailed(-1, log: &log, at: time))
        case .md5:
            log.add(.error, "http_request.ota", 239, "Failed to connect to MD5 URL")
            finish(code: 0x10, cause: .esphomeMD5URLFailed(.noAnswer), stage: stage, at: time, detail: cause)
        case .firmware:
            finish(code: 0x12, cause: cause, stage: stage, at: time)
        }
    }

    // MARK: The update entity's manifest (E8)

    /// `update_task` after perform(): exactly 200 (:55-60; the container is not ended), then a
    /// buffer of exactly `content_length` (:62-70) — 4294967295 for a chunked or length-less
    /// manifest, which no allocator gives.
    private mutating func manifestAnswer(_ code: Int, leftover: [UInt8], at time: Int) {
        guard code == 200 else { return finishVerdict(entity.fetchFailed(code, log: &log, at: time)) }
        guard ESPHomeUpdateEntity.allocates(contentLength) else {
            closeByDevice(at: time)
            return finishVerdict(entity.allocationFailed(contentLength, log: &log, at: time))
        }
        guard contentLength <= Limits.manifestBytesKept else {
            closeByDevice(at: time)
            return finishVerdict(Verdict(result: .stillWaiting, code: 0, name: "", message: log.headline, stage: .size, deviceTimeMs: time, cause: .probeStopped(.manifestTooLong(bytes: contentLength))))
        }
        manifestBytes = []
        enterBody(leftover: leftover, at: time)
    }

    /// The read loop ended — every byte read, or (2025.12) a read ≤ 0 broke it: `end()`, then
    /// the shared parse, choose, compare and resolve (:73-190).
    private mutating func manifestDone(at time: Int) {
        closeByDevice(at: time)
        let cut = emptyPause.flatMap { manifestBytes.count < contentLength ? (contentLength, $0) : nil }
        switch entity.decide(manifestBytes, cut: cut, log: &log, at: time) {
        case .done(let verdict):
            finishVerdict(verdict)
        case .install(let url, let md5, let latest):
            // perform(): set_md5, set_url, flash() in the next loop (:195-207; ota_http_request.cpp:36-48).
            md5Expected = Array(md5.utf8)
            firmwareURL = url
            manifestInstall = latest
            emptyPause = nil
            flash(at: time)
        }
    }

    // MARK: md5_url (E5.1)

    /// `http_get_md5_()` after the container came back; the status is not looked at (:242-251).
    private mutating func md5Answer(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        guard contentLength > 0 else {
            closeByDevice(at: time)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.emptyLength), stage: .status, at: time)
        }
        guard contentLength >= profile.ota.md5Size else {
            log.add(.error, "http_request.ota", 248, "MD5 file must be \(profile.ota.md5Size) bytes; \(contentLength) bytes reported by HTTP server. Aborting")
            closeByDevice(at: time)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.tooShort(contentLength)), stage: .status, at: time)
        }
        md5Buffer = []
        enterBody(leftover: leftover, at: time)
    }

    /// The 32-byte read must find all 32 in the socket at once: a read that finds fewer returns
    /// what is there and the loop wants 32 from its last read, one that finds none returns 0;
    /// either way `http_get_md5_()` fails without a line (E5.1) [derived].
    private mutating func md5Arrived(_ bytes: [UInt8], at time: Int) {
        md5Buffer += bytes
        // A decoded MD5 file that ends early is COMPLETE for http_read_fully: what came is used.
        let ended = chunked?.isComplete == true
        guard md5Buffer.count >= profile.ota.md5Size || ended else { return }
        md5Expected = Array(md5Buffer.prefix(profile.ota.md5Size))
        bytesRead = md5Expected.count
        exchanges[exchanges.count - 1].body.bytesConsumedByDevice = bytesRead
        closeByDevice(at: time)
        download(at: time)
    }

    // MARK: The image

    /// `backend->begin(content_length)` (ota_backend_arduino_esp8266.cpp): 0 becomes the free
    /// space less a sector; `Update.begin` refuses a rounded size the sketch area cannot hold
    /// (error 4 → 0x88, A312:UPR:114-137). A 4294967295 length rounds to 0 in 32 bits and
    /// passes [derived, spec E7].
    private mutating func begin(leftover: [UInt8], at time: Int) {
        if let backend = idfBackend {
            if let failure = backend.begin(length: contentLength, log: &log) {
                closeByDevice(at: time)
                return finish(code: failure.code, cause: failure.cause, stage: .size, at: time)
            }
            enterBody(leftover: leftover, at: time)
            if contentLength == 0, verdict == nil, case .readingBody = phase { loopEnded(at: time) }
            return
        }
        if client.otaBackend == .esp8266Native {
            let size = ESPHomeESP8266NativeBackend.imageSize(contentLength: contentLength, identity: identity)
            guard let start = ESPHomeESP8266NativeBackend.startAddress(imageSize: size, identity: identity) else {
                log.add(.warning, "http_request.ota", 120, "backend->begin error: \(0x88)")
                closeByDevice(at: time)
                return finish(code: 0x88, cause: .notEnoughSpace(length: contentLength, available: identity.freeSketchSpace, filesystem: false), stage: .size, at: time)
            }
            nativeStart = (start, size)
            enterBody(leftover: leftover, at: time)
            if contentLength == 0, verdict == nil, case .readingBody = phase { loopEnded(at: time) }
            return
        }
        let free = identity.freeSketchSpace
        let asked = contentLength == 0 ? Int((UInt32(truncatingIfNeeded: free) &- 0x1000) & 0xFFFF_F000) : contentLength
        let rounded = Int((UInt32(truncatingIfNeeded: asked) &+ 4095) & ~UInt32(4095))
        if asked == 0 || rounded > free {
            // UPDATE_ERROR_SIZE (5) for 0 falls to `Begin error: 5` → 0xFF; SPACE (4) → 0x88.
            let code = asked == 0 ? 0xFF : 0x88
            if asked == 0 { log.add(.error, "ota.arduino_esp8266", 41, "Begin error: 5") }
            log.add(.warning, "http_request.ota", 120, "backend->begin error: \(code)")
            closeByDevice(at: time)
            return finish(code: code, cause: .notEnoughSpace(length: contentLength, available: free, filesystem: false), stage: .size, at: time)
        }
        enterBody(leftover: leftover, at: time)
        if contentLength == 0, verdict == nil, case .readingBody = phase { loopEnded(at: time) }
    }

    /// The container is back: what came with the head is in the socket buffer.
    private mutating func enterBody(leftover: [UInt8], at time: Int) {
        phase = .readingBody
        lastArrivalAt = time
        lastDataAt = time
        let index = exchanges.count - 1
        leftover.withUnsafeBytes { exchanges[index].body.record($0) }
        if !leftover.isEmpty { arrived(leftover, at: time) }
        // The server may have closed with the head: the first read then finds the end.
        if verdict == nil, case .readingBody = phase, closedByServer { vanished(at: time) }
    }

    /// Bytes reached the socket: the device's reads take them at once, `min(256, left)` each.
    private mutating func arrived(_ raw: [UInt8], at time: Int) {
        lastArrivalAt = time
        var bytes = raw
        if var decoder = chunked {
            // Framing bytes alone return 0 from read(): they do not count as data.
            bytes = decoder.feed(raw[...])
            chunked = decoder
        }
        if !bytes.isEmpty { lastDataAt = time }
        if fetch == .md5 { return md5Arrived(bytes, at: time) }
        if fetch == .manifest { return manifestArrived(bytes, at: time) }
        var rest = bytes[...]
        while verdict == nil, bytesRead < contentLength, !rest.isEmpty {
            let take = rest.prefix(min(profile.ota.readBytes, contentLength - bytesRead))
            rest = rest.dropFirst(take.count)
            write(Array(take), at: time)
        }
        if verdict == nil, let decoder = chunked, decoder.isComplete {
            // The final chunk: `content_length = bytes_read_`, and the loop condition ends it.
            contentLength = bytesRead
        }
        if verdict == nil, bytesRead >= contentLength { loopEnded(at: time) }
    }

    /// The manifest's reads, `min(256, left, available)` each, into the buffer (:73-85); the
    /// loop ends when `bytes_read` reaches `content_length`.
    private mutating func manifestArrived(_ bytes: [UInt8], at time: Int) {
        let take = bytes.prefix(contentLength - bytesRead)
        manifestBytes += take
        bytesRead += take.count
        exchanges[exchanges.count - 1].body.bytesConsumedByDevice = bytesRead
        if bytesRead >= contentLength { manifestDone(at: time) }
    }

    /// One pass of the loop body (:146-171): MD5, `backend->write` (ESP8266: `Update.write`, no
    /// magic check while writing, A312:UPR:375-434; ESP32: `esp_ota_write`'s first-byte check),
    /// progress.
    private mutating func write(_ bytes: [UInt8], at time: Int) {
        bytes.withUnsafeBytes { md5.update(bufferPointer: $0) }
        if let failure = idfBackend?.write(bytes, offset: bytesRead, contentLength: contentLength, log: &log) {
            closeByDevice(at: time)
            return finish(code: failure.code, cause: failure.cause, stage: .imageHeader, at: time)
        }
        if firstBytes.count < 4 { firstBytes += bytes.prefix(4 - firstBytes.count) }
        written += bytes.count
        bytesRead += bytes.count
        exchanges[exchanges.count - 1].body.bytesConsumedByDevice = bytesRead
        bytes.withUnsafeBytes { digests?.update($0) }
        if lastProgressAt.map({ time - $0 > 1000 }) ?? true || bytesRead == contentLength {
            lastProgressAt = time
            log.add(.debug, "http_request.ota", 167, "Progress: \(ESPHomeLog.percent(bytesRead, of: contentLength))%")
        }
    }

    /// The read found nothing buffered: it returned 0 and the loop broke (:142-144).
    private mutating func bufferRanEmpty(at time: Int) {
        if fetch == .md5 {
            closeByDevice(at: lastArrivalAt)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(md5Buffer.count)), stage: .download, at: lastArrivalAt)
        }
        emptyPause = time - lastArrivalAt
        // `read_bytes <= 0` → break, and what was read is parsed (update :79-82).
        if fetch == .manifest { return manifestDone(at: lastArrivalAt) }
        loopEnded(at: lastArrivalAt)
    }

    /// 2026.6: no data for the http `timeout`: TIMEOUT from `http_read_loop_result`.
    private mutating func readTimedOut(at time: Int) {
        closeByDevice(at: time)
        if fetch == .manifest { return finishVerdict(entity.readFailed(timedOut: true, error: 0, log: &log, at: time)) }
        if fetch == .md5 {
            log.add(.error, "http_request.ota", 261, "Timeout reading MD5")
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(md5Buffer.count)), stage: .download, at: time)
        }
        log.add(.error, "http_request.ota", 138, "Timeout reading data")
        finish(code: 0x12, cause: .esphomeStreamError(received: bytesRead, expected: contentLength, closed: false), stage: .download, at: time)
    }

    /// Where the native backend writes and the size it stages (2026.6).
    private var nativeStart: (start: UInt32, size: Int)?

    /// How long the server was silent when the device's read found the buffer empty.
    private var emptyPause: Int?

    /// The peer closed and the buffer is drained: `Stream pointer vanished!`, -1 (:152-155),
    /// then `Stream closed with error` (ota_http_request.cpp:136-141).
    private mutating func vanished(at time: Int) {
        if idleLoop {
            // 2026.6: -1 (HTTP_ERROR_CONNECTION_CLOSED) → ERROR in http_read_loop_result.
            log.add(.error, "http_request.arduino", 154, "Stream pointer vanished!")
            closeByDevice(at: time)
            if fetch == .manifest { return finishVerdict(entity.readFailed(timedOut: false, error: -1, log: &log, at: time)) }
            if fetch == .md5 {
                log.add(.error, "http_request.ota", 263, "Error reading MD5: -1")
                return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(md5Buffer.count)), stage: .download, at: time)
            }
            log.add(.error, "http_request.ota", 140, "Error reading data: -1")
            return finish(code: 0x12, cause: .esphomeStreamError(received: bytesRead, expected: contentLength, closed: true), stage: .download, at: time)
        }
        if fetch == .manifest {
            // -1 ends the loop; what was read is parsed (update :79-82).
            log.add(.error, "http_request.arduino", 154, "Stream pointer vanished!")
            return manifestDone(at: time)
        }
        if fetch == .md5 {
            log.add(.error, "http_request.arduino", 154, "Stream pointer vanished!")
            closeByDevice(at: time)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(md5Buffer.count)), stage: .download, at: time)
        }
        log.add(.error, "http_request.arduino", 154, "Stream pointer vanished!")
        log.add(.error, "http_request.ota", 138, "Stream closed with error")
        closeByDevice(at: time)
        finish(code: 0x12, cause: .esphomeStreamError(received: bytesRead, expected: contentLength, closed: true), stage: .download, at: time)
    }

    /// After the loop (:174-203): `Done in`, the MD5 compare, then `backend->end()`.
    private mutating func loopEnded(at time: Int) {
        log.add(.info, "http_request.ota", 174, "Done in \(ESPHomeLog.seconds(time - startedAt)) seconds")
        let computed = md5.finalize().map { String(byte: $0) }.joined()
        if !ESPHomeOTASteps.strncmpEqual(Array(computed.utf8), md5Expected, count: profile.ota.md5Size) {
            log.add(.error, "http_request.ota", 181, "MD5 computed: \(computed) - Aborting due to MD5 mismatch")
            closeByDevice(at: time)
            let cause: Cause = bytesRead < contentLength
                ? .esphomeBufferRanEmpty(received: bytesRead, expected: contentLength, pauseMs: emptyPause ?? client.emptyBufferGapMs)
                : .md5Mismatch(expected: ESPHomeOTASteps.cString(md5Expected), calculated: computed)
            return finish(code: 0x8B, cause: cause, stage: .verify, at: time)
        }
        closeByDevice(at: time)
        if let backend = idfBackend {
            if let failure = backend.end(log: &log, nothingWritten: .esphomeNothingRead(chunked: false, contentLength: exchanges.last?.head?.header("Content-Length"))) {
                return finish(code: failure.code, cause: failure.cause, stage: .verify, at: time)
            }
            return updated(at: time)
        }
        if let native = nativeStart {
            if let failure = ESPHomeESP8266NativeBackend.endFailure(firstBytes: firstBytes, written: written, identity: identity) {
                log.add(.error, ESPHomeESP8266NativeBackend.tag, 0, failure.line)
                log.add(.warning, "http_request.ota", 197, "Error ending update! error_code: \(failure.code)")
                return finish(code: failure.code, cause: failure.cause, stage: .verify, at: time)
            }
            log.add(.info, ESPHomeESP8266NativeBackend.tag, 0, ESPHomeESP8266NativeBackend.stagedLine(start: native.start, imageSize: native.size))
            return updated(at: time)
        }
        // `Update.end(false)`: strict, every byte; nothing written is NO_DATA (13); then
        // `_verifyEnd` reads the first bytes back (A312:UPR:212-232, 485-525).
        if let error = Self.endError(firstBytes: firstBytes, written: written, complete: bytesRead >= contentLength, identity: identity) {
            log.add(.error, "ota.arduino_esp8266", 76, "End error: \(error.updater)")
            log.add(.warning, "http_request.ota", 197, "Error ending update! error_code: \(0x84)")
            return finish(code: 0x84, cause: error.cause, stage: .verify, at: time)
        }
        updated(at: time)
    }

    /// `Update complete`, then `App.safe_reboot()` (ota_http_request.cpp:202; application.cpp:228).
    private mutating func updated(at time: Int) {
        log.add(.info, "http_request.ota", 202, "Update complete")
        log.add(.info, "app", 228, "Rebooting safely")
        finish(code: 0x00, cause: .updated, stage: .done, at: time)
    }

    /// `Update.end(false)` and `_verifyEnd()` for what was written: the Updater error and why.
    static func endError(firstBytes: [UInt8], written: Int, complete: Bool, identity: DeviceIdentity) -> (updater: Int, cause: Cause)? {
        if written == 0 { return (13, .esphomeNothingRead(chunked: false, contentLength: "0")) }
        let first = firstBytes.first ?? 0
        let second = firstBytes.count > 1 ? firstBytes[1] : 0
        if first == 0x1F, second == 0x8B { return nil }
        guard first == 0xE9 else { return (10, .magicAfterDownload(firstByte: first, secondByte: second)) }
        if !identity.flashMapSupport, firstBytes.count > 3 {
            let imageFlash = UpdateDecisionTree.magicFlashChipSize(firstBytes[3] >> 4)
            if imageFlash > identity.realFlashChipSize {
                return (9, .imageTooBigForFlash(imageFlashSize: imageFlash, chipSize: identity.realFlashChipSize))
            }
        }
        return nil
    }

    // MARK: Results

    /// `container->end()`: `HTTPClient::end()` closes the socket.
    private mutating func closeByDevice(at time: Int) {
        guard !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if exchanges[index].ending == .open { exchanges[index].ending = .closedByDevice }
        if exchanges[index].endedAtMs == nil { exchanges[index].endedAtMs = time }
        phase = .notStarted
        closedByServer = false
    }

    private mutating func finish(code: Int, cause: Cause, stage: Verdict.Stage, at time: Int, detail: Cause? = nil) {
        guard verdict == nil else { return }
        // A success leads with no line: the plain-HTTP warning is not its result.
        var verdict = Verdict(result: code == 0 ? .esphomeOK : .esphomeError, code: code, name: profile.codeName(code),
                              message: code == 0 ? "" : log.headline, stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log.lines
        if code == 0x8B, !idleLoop, ESPHomeOTASteps.cString(md5Expected).count >= 32 {
            verdict.notes.append("On the device the computed MD5 in that line is followed by stray characters: ESPHome 2025.12.7 never terminates the 33-byte buffer (ota_http_request.cpp:91, 178-179).")
        }
        if fetch == .firmware, !idleLoop, bytesRead > 0, code == 0 || code == 0x84 {
            verdict.notes.append("Every read of this run found bytes waiting: the server never paused more than \(client.emptyBufferGapMs) ms while the device still expected some. ESPHome 2025.12.7 on the \(profile.isESP8266 ? "ESP8266" : "ESP32 with the Arduino framework") ends the download at the first read that finds the socket buffer empty (E4.3), so over Wi-Fi, where segments arrive with gaps, the same server can end in OTA_RESPONSE_ERROR_MD5_MISMATCH (139) at a random point.")
        }
        if case .connectFailed(let failure)? = detail {
            verdict.notes.append("The MD5 URL could not be fetched: \(failure.detail).")
        }
        if let latest = manifestInstall {
            verdict.notes.append(entity.installNote(latest: latest))
        }
        if code == 0, let native = nativeStart, UInt32(truncatingIfNeeded: native.size) == UInt32.max {
            verdict.notes.append("The backend staged the size begin() was given, 4294967295 (no Content-Length): eboot is told to copy that many bytes at the next boot, and the write started at the filesystem's first sector because the size rounded to 0 (spec E7/E11, derived from ota_backend_esp8266.cpp; not run on a device). Serve the image with a Content-Length.")
        }
        finishVerdict(verdict)
    }

    private mutating func finishVerdict(_ verdict: Verdict) {
        exchanges.closeLast(at: verdict.deviceTimeMs, digestsOfWritten: digests, written: written)
        self.verdict = verdict
        phase = .finished
    }
}
