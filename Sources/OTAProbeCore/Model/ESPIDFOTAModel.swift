/// ESP-IDF's `esp_https_ota()` (or the begin/get_img_desc/perform/finish sequence with
/// `advancedAPI`) over `esp_http_client`, as a pure state machine (spec part B, part E wins).
///
/// The decisions live in their source order: `_http_connect`'s loop over redirects and 401s
/// (`statusDecision`), `read_header` plus the chip checks (`checkImageHeader`), the body loop
/// of `esp_https_ota_perform` with its Range requests (`responseBodyEnded`), and
/// `esp_https_ota_finish` (`finishOTA`). Results are `esp_err_t` values with their names, and
/// the `E (…) tag: text` lines the device logs.
public struct ESPIDFOTAModel: DeviceModel {
    public let profile: ESPIDFProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public private(set) var exchanges: [Exchange] = []
    public private(set) var verdict: Verdict?

    private enum Purpose: Sendable, Equatable {
        /// The partial-download HEAD, made by `esp_http_client_perform()`.
        case probeHead
        /// A GET of `_http_connect` (the first, a redirect or 401 retry, or a later Range).
        case get
    }

    /// Why the device sends a request: names the loop when a request comes back.
    private enum Reason: Sendable, Equatable {
        case first, redirect, unauthorized, nextRange, fallback
    }

    private enum Phase: Sendable {
        case notStarted
        case connecting(ConnectionPlan, Purpose)
        case readingHead(ESPIDFResponseReader, Purpose)
        case readingBody(ESPIDFBodyReader)
        /// `_http_handle_response_code` reading a redirect's or 401's body to its end before
        /// the loop sends the next request on the same connection (v5.4.4 esp_https_ota.c:122-133).
        case draining(ESPIDFBodyReader, Reason)
        case finished
    }

    /// The connection esp_http_client holds: a redirect to the same host and port reuses it.
    private var held: ESPHTTPClientConnection?

    private var phase: Phase = .notStarted
    private var url: DeviceURL?
    private var hostHeader = ""
    private var range: String?
    private var log: [String] = []
    private var performRedirects = 0
    private var authRetriesLeft: Int?
    private var authAttempts = 0
    /// `image_length`: the HEAD's (partial) or the GET's Content-Length, -1 when absent.
    private var imageLength = -1
    /// `binary_file_len`: bytes written to the OTA partition.
    private var written = 0
    private var headerBytes: [UInt8] = []
    private var headerChecked = false
    private var image = ESP32ImageParser()
    /// Only when the user asked to compare digests (`settings.computeDigests`), and not for a
    /// resumed download, whose first bytes were written by an earlier boot.
    private lazy var digests: WrittenImageDigests? = settings.computeDigests ? WrittenImageDigests() : nil
    /// `handle->ota_resumption` (v5.5): every answer must then be 206; cleared by the one
    /// fallback in begin.
    private var otaResumption = false
    /// State ESP_HTTPS_OTA_RESUME: `binary_file_len` came from `ota_image_bytes_written`, so
    /// the image header is not read again and the bytes before it are not the probe's to check.
    private var resuming = false
    private var lastBodyByteAt = 0
    private var loopGuard = RequestLoopGuard()

    public init(profile: ESPIDFProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.authRetriesLeft = profile.ota.unauthorizedRetries
    }

    private var rangeSize: Int { settings.rangeSize ?? profile.ota.defaultRangeBytes }

    /// A sum the device computes in a 32-bit `int`, wrapped the way its two's-complement
    /// arithmetic wraps (signed overflow is undefined in C; the generated code wraps) [derived].
    static func cInt(_ value: Int) -> Int { Int(Int32(truncatingIfNeeded: value)) }
    private var timeoutMs: Int { settings.clientTimeoutMs ?? profile.timeouts.timeoutMs }
    private var partial: Bool { settings.partialDownload }

    public var nextAction: DeviceAction {
        switch phase {
        case .notStarted, .finished: return .finished
        case .connecting(let plan, _): return .open(plan)
        case .readingHead(let reader, _):
            if case .needMore(let deadline) = reader.outcome { return .receive(deadline: deadline) }
            return .finished
        case .readingBody, .draining:
            return .receive(deadline: lastBodyByteAt + timeoutMs)
        }
    }

    // MARK: Events

    public mutating func start(at time: Int) {
        if settings.resumeFrom != nil, !settings.advancedAPI {
            // v5.5.5 esp_https_ota.c:982-985
            return fail(0x106, tag: "esp_https_ota", "OTA resumption is not supported in esp_https_ota API", cause: .resumptionNeedsAdvancedAPI, stage: .url, at: time, beginError: false)
        }
        guard case .success(let parsed) = DeviceURL.parse(settings.url, schemeCaseInsensitive: true) else {
            return initFailed(.noScheme, at: time)
        }
        // http_parser's URL parser (strict) is dead at a space, CR, LF, tab or form feed
        // (v5.5 http_parser.c:490-499), so esp_http_client_init fails and nothing is sent
        // (v5.5 esp_http_client.c:1115-1118, 931; esp_https_ota.c:338-342).
        if let bad = settings.url.utf8.first(where: { [0x20, 0x0D, 0x0A, 0x09, 0x0C].contains($0) }) {
            log.append(line("HTTP_CLIENT", "Error parse url \(settings.url)"))
            return fail(-1, tag: "esp_https_ota", "Failed to initialise HTTP connection", cause: .urlRefused(.unparsable(bad)), stage: .url, at: time, beginError: true)
        }
        if parsed.usesTLS, case .none = settings.tls.trust {
            // No cert_pem, global CA store or bundle: begin refuses before connecting
            // (v4.4.8 esp_https_ota.c:195-201; v5.1.7 :268-274; v5.4.4 :289-295; v5.5.5 :317-323).
            return fail(0x102, tag: "esp_https_ota", "No option for server verification is enabled in esp_http_client config.",
                        cause: .tlsNoServerVerification, stage: .url, at: time, beginError: true)
        }
        if let port = Self.refusedPort(of: parsed) {
            return initFailed(.invalidPort(port), at: time)
        }
        url = parsed
        hostHeader = ESPIDFRequestBuilder.hostHeader(for: parsed)
        if let resumeFrom = settings.resumeFrom, profile.ota.supportsResumption {
            otaResumption = true
            // Only from DEFAULT_OTA_BUF_SIZE (= IMAGE_HEADER_SIZE) written bytes on; the Range
            // goes out either way, `bytes=0-` for a fresh start (v5.5.5 esp_https_ota.c:22-26,
            // 355-362, 387-397).
            if resumeFrom >= profile.ota.imageHeaderBytes {
                written = resumeFrom
                resuming = true
            }
            if !partial { range = "bytes=\(written)-" }
        }
        if partial {
            plan(method: "HEAD", purpose: .probeHead, reason: .first, at: time)
        } else {
            plan(method: "GET", purpose: .get, reason: .first, at: time)
        }
    }

    /// `esp_http_client_init()` → `esp_http_client_set_url()` failed, so begin returns ESP_FAIL
    /// before any connection (v5.5.5 esp_http_client.c:959-962, 1161-1164; esp_https_ota.c:365-369;
    /// v4.4.8 esp_http_client.c:727-730, 885-888).
    private mutating func initFailed(_ refusal: DeviceURL.Refusal, at time: Int) {
        log.append(line("HTTP_CLIENT", "Error parse url \(settings.url)"))
        log.append(line("HTTP_CLIENT", "Failed to set URL"))
        fail(-1, tag: "esp_https_ota", "Failed to initialise HTTP connection", cause: .urlRefused(refusal), stage: .url, at: time, beginError: true)
    }

    /// `http_parser_parse_url()`, run by `esp_http_client_set_url()` on the URL and on every
    /// Location, accepts only 1–5 digits up to 0xffff after the host's `:` (http_parser.c
    /// :2265-2270, :2345-2357, :2455-2462; byte-identical in v4.4.8 … v5.5.5). Where the
    /// Arduino cores wrap `:99999` into 16 bits, esp_http_client refuses the URL: returns the
    /// port text it refuses, nil when the port is fine.
    static func refusedPort(of url: DeviceURL) -> String? {
        guard let text = url.portText else { return nil }
        // The Arduino split keeps a `?query` without a path in the host; the IDF parser ends
        // the port there.
        let port = text.prefix { $0 != "?" && $0 != "#" }
        guard !port.isEmpty, port.utf8.allSatisfy(\.isDigit), let value = url.writtenPortValue, value <= 0xFFFF else { return text }
        return nil
    }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        guard case .connecting(let plan, let purpose) = phase else { return }
        if !plan.reusesConnection { held = ESPHTTPClientConnection(host: plan.url.host, port: plan.url.port, tls: plan.url.usesTLS) }
        exchanges[exchanges.count - 1].connectedAtMs = time
        exchanges[exchanges.count - 1].remoteAddress = remoteAddress
        phase = .readingHead(ESPIDFResponseReader(timeoutMs: timeoutMs, maxHeaderBytes: profile.response.maxHeaderBytes, startedAt: time), purpose)
    }

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        guard case .connecting(_, let purpose) = phase else { return }
        exchanges[exchanges.count - 1].connectFailure = failure
        exchanges[exchanges.count - 1].ending = .neverConnected
        if let code = failure.tlsLibraryError, code < 0 {
            // esp_mbedtls_handshake (v4.4.8 esp_tls_mbedtls.c:186; v5.1.7 :229; v5.4.4 :254; v5.5.5 :308).
            log.append(line("esp-tls-mbedtls", "mbedtls_ssl_handshake returned -0x" + String(String(-code, radix: 16, uppercase: true).leftPadded(to: 4))))
        }
        log.append(line("HTTP_CLIENT", "Connection failed, sock < 0"))
        if purpose == .probeHead {
            return headFailed(0x7002, cause: .connectFailed(failure), at: time)
        }
        connectionFailed(0x7002, cause: .connectFailed(failure), stage: .connect, at: time)
    }

    public mutating func sendFailed(detail: String, at time: Int) {
        exchanges[exchanges.count - 1].ending = .closedByServer
        log.append(line("HTTP_CLIENT", "Connection failed, sock < 0"))
        connectionFailed(0x7003, cause: .sendFailed(detail: detail), stage: .request, at: time)
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard !bytes.isEmpty, !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if exchanges[index].firstByteAtMs == nil { exchanges[index].firstByteAtMs = time }
        switch phase {
        case .readingHead(var reader, let purpose):
            reader.receive(bytes, at: time)
            exchanges[index].responseHead = reader.rawHead
            exchanges[index].responseHeadBytes = reader.received
            phase = .readingHead(reader, purpose)
            advanceHead(reader, purpose: purpose)
        case .readingBody(var body):
            exchanges[index].body.record(bytes)
            // `timeout_ms` bounds each transport read: any byte restarts it, even one the parser
            // drops (esp_http_client.c esp_http_client_read()).
            lastBodyByteAt = time
            let decoded = body.feed(bytes)
            phase = .readingBody(body)
            bodyBytes(decoded, body: body, at: time)
            if verdict == nil, let error = body.parserError, body.discarded > Limits.headBytesRead {
                stopProbe(.parserStoppedServerStillSending(error, read: exchanges[index].body.bytesReceived, inBody: true), stage: .download, at: time)
            }
        case .draining(var body, let reason):
            exchanges[index].body.record(bytes)
            lastBodyByteAt = time
            _ = body.feed(bytes)
            phase = .draining(body, reason)
            if body.isComplete { drained(reason, at: time) }
        default:
            break
        }
    }

    public mutating func connectionClosed(at time: Int, reset: Bool) {
        guard !exchanges.isEmpty else { return }
        exchanges.serverClosedLast(reset: reset, at: time)
        held?.closedByServer = true
        switch phase {
        case .draining(_, let reason):
            // The read ends at the FIN (0 or -1: `data_read <= 0` → ESP_OK), and the loop goes
            // on with a connection that is gone.
            drained(reason, at: time)
        case .readingHead(var reader, let purpose):
            reader.connectionClosed(at: time)
            phase = .readingHead(reader, purpose)
            advanceHead(reader, purpose: purpose)
        case .readingBody(var body):
            if !reset { body.closed() }
            phase = .readingBody(body)
            if body.isComplete, !(body.framing == .untilClose && !profile.response.closeDelimitedBodyAccepted) {
                return responseBodyEnded(at: time)
            }
            bodyInterrupted(reset: reset, body: body, at: time)
        default:
            break
        }
    }

    public mutating func deadlinePassed(at time: Int) {
        switch phase {
        case .readingHead(var reader, let purpose):
            reader.deadlinePassed(at: time)
            phase = .readingHead(reader, purpose)
            advanceHead(reader, purpose: purpose)
        case .readingBody(let body):
            guard time >= lastBodyByteAt + timeoutMs else { return }
            // `esp_http_client_read` returns -ESP_ERR_HTTP_EAGAIN, perform answers IN_PROGRESS,
            // and `esp_https_ota()` calls it again, forever (v5.4.4 esp_https_ota.c:604-607, 791-796).
            // A stopped parser changes nothing: the read still only ends at a FIN.
            let cause = body.parserError.map { Cause.bodyFramingRefused($0, written: written, closed: false) } ?? .bodyStalledForever(received: written)
            hang(cause, at: lastBodyByteAt + timeoutMs)
        case .draining(_, let reason):
            // `esp_http_client_read` times out with -ESP_ERR_HTTP_EAGAIN, `data_read <= 0`
            // ends the drain with ESP_OK, and the next request goes onto the same connection.
            guard time >= lastBodyByteAt + timeoutMs else { return }
            drained(reason, at: lastBodyByteAt + timeoutMs)
        default:
            break
        }
    }

    // MARK: Requests

    private mutating func plan(method: String, purpose: Purpose, reason: Reason, at time: Int, reuse: Bool = false) {
        guard let url else { return }
        // Every other request of the OTA path follows an `esp_http_client_close()`: after the
        // HEAD (v5.4.4 esp_https_ota.c:353), before a next Range (:624) or the v5.5 fallback (:463).
        if !reuse { held = nil }
        let builder = ESPIDFRequestBuilder(profile: profile)
        guard builder.requestLineFits(method: method, url: url) else {
            log.append(line("HTTP_CLIENT", "Out of buffer"))
            return connectionFailed(-1, cause: .requestLineTooLong(url.requestTarget.utf8.count), stage: .request, at: time)
        }
        let request = builder.request(method: method, url: url, hostHeader: hostHeader, authorization: nil, range: purpose == .get ? range : nil)
        // Everything that decides what the device does next: the target, the bytes, and the
        // counters that can still end the sequence. An equal state means the same future.
        let state = "\(url.display)\n\(String(decoding: request, as: UTF8.self))\nhead-hops \(performRedirects) auth \(authRetriesLeft.map(String.init) ?? "-") "
            + "add-auth \(min(authAttempts, Self.addAuthTries)) written \(written) body \(bodyStarted) resuming \(resuming) \(otaResumption)"
        switch loopGuard.admit(state: state, label: url.display) {
        case .send:
            break
        case .loop(let cycle):
            switch reason {
            case .unauthorized: return hang(.unauthorizedRetries(nil), stage: .status, at: time)
            case .nextRange: return hang(.rangeMadeNoProgress(offset: written), stage: .download, at: time)
            case .first, .redirect, .fallback: return hang(.redirectLoop(cycle: cycle), stage: .status, at: time)
            }
        case .probeLimit(let requests):
            return stopProbe(.probeStopped(.requestLimit(requests: requests)), stage: bodyStarted ? .download : .status, at: time)
        }
        var plan = ConnectionPlan(url: url, connectTimeoutMs: timeoutMs, request: request, hop: exchanges.count)
        var exchange = Exchange(url: url, request: request, startedAtMs: time)
        if reuse, let held {
            plan.reusesConnection = true
            exchange.reusedConnection = true
            exchange.tls = held.tls
            if held.closedByServer {
                // The request goes into a socket whose peer has closed (lwIP still accepts the
                // write), and `esp_http_client_fetch_headers()` reads the FIN: ESP_FAIL, which
                // `_http_connect` returns (v5.4.4 esp_http_client.c:1495-1504; esp_https_ota.c:175-178).
                exchange.connectedAtMs = time
                exchange.ending = .closedByServer
                exchange.endedAtMs = time
                exchanges.append(exchange)
                return connectionFailed(-1, cause: .reusedConnectionClosed(url: url.display), stage: .headers, at: time)
            }
        }
        exchanges.append(exchange)
        phase = .connecting(plan, purpose)
    }

    /// The redirect's or 401's body has been read (or the read gave up): the loop's next request.
    private mutating func drained(_ reason: Reason, at time: Int) {
        plan(method: "GET", purpose: .get, reason: reason, at: time, reuse: held != nil)
    }

    /// `_http_handle_response_code` read the rest of a redirect or 401 answer before the loop
    /// goes on; only a connection still held needs that, the others are gone anyway.
    private mutating func continueLoop(_ head: ResponseHead, leftover: [UInt8], reason: Reason, at time: Int) {
        guard held != nil else { return plan(method: "GET", purpose: .get, reason: reason, at: time) }
        var body = ESPIDFBodyReader(framing: ESPIDFBodyReader.framing(for: head, method: "GET"), maxHeaderBytes: profile.response.maxHeaderBytes)
        _ = leftover.withUnsafeBytes { body.feed($0) }
        lastBodyByteAt = time
        phase = .draining(body, reason)
        if body.isComplete || held?.closedByServer == true { drained(reason, at: time) }
    }

    // MARK: Response heads

    private mutating func advanceHead(_ reader: ESPIDFResponseReader, purpose: Purpose) {
        let index = exchanges.count - 1
        switch reader.outcome {
        case .needMore:
            return
        case .closed(let head, let at):
            exchanges[index].head = head
            var cause = Cause.headerNeverCompleted(bytes: reader.received, closed: true, parser: reader.parserError)
            if exchanges[index].reusedConnection, reader.received == 0 { cause = .reusedConnectionClosed(url: exchanges[index].url) }
            if purpose == .probeHead { return headFailed(0x7004, cause: cause, at: at) }
            connectionFailed(-1, cause: cause, stage: .headers, at: at)
        case .timedOut(let head, let at):
            exchanges[index].head = head
            let cause = reader.rawHead.isEmpty ? Cause.headerTimeout : .headerNeverCompleted(bytes: reader.received, closed: false, parser: reader.parserError)
            if purpose == .probeHead { return headFailed(0x7004, cause: cause, at: at) }
            log.append(line("HTTP_CLIENT", "Connection timed out before data was ready!"))
            // v5.x: -ESP_ERR_HTTP_EAGAIN comes back as the esp_err_t (-0x7007); v4.4: ESP_FAIL.
            connectionFailed(profile.timeouts.headerTimeoutIsEAGAIN ? -0x7007 : -1, cause: cause, stage: .headers, at: at)
        case .probeStopped(let head, let at):
            exchanges[index].head = head
            stopProbe(.parserStoppedServerStillSending(reader.parserError ?? .headerOverflow, read: reader.received, inBody: false), stage: .headers, at: at)
        case .complete(let head, let at):
            exchanges[index].head = head
            if purpose == .probeHead {
                headAnswered(head, at: at)
            } else {
                statusDecision(head, leftover: reader.leftover, at: at)
            }
        }
    }

    /// `esp_http_client_perform()` for the partial-download HEAD: it follows redirects up to
    /// `max_redirection_count` itself, then the status must be exactly 200 (v5.4.4 :332-367).
    private mutating func headAnswered(_ head: ResponseHead, at time: Int) {
        if profile.redirects.codesFollowed.contains(head.code), let location = head.location, !location.isEmpty {
            guard performRedirects < profile.redirects.performLimit else {
                log.append(line("HTTP_CLIENT", "Error, reach max_redirection_count count=\(performRedirects)"))
                return headFailed(0x7001, cause: .redirectRejected(code: head.code, location: location, reason: .limitReached), at: time)
            }
            if case .follow(let next) = resolveRedirect(location, code: head.code) {
                performRedirects += 1
                moveTo(next)
                return plan(method: "HEAD", purpose: .probeHead, reason: .redirect, at: time)
            }
        }
        guard head.code == 200 else {
            log.append(line("esp_https_ota", "Received incorrect http status \(head.code)"))
            return beginFailed(-1, cause: .headStatus(head.code), stage: .status, at: time)
        }
        imageLength = head.size >= 0 ? head.size : -1
        if written > 0 || imageLength > rangeSize {
            let start = written
            // All `int` sums (v5.5 esp_https_ota.c:390-395): a max_http_request_size near
            // INT_MAX wraps, as the device's 32-bit arithmetic does.
            let end = imageLength > Self.cInt(start + rangeSize) ? Self.cInt(start + rangeSize - 1) : imageLength
            // v5.5 skips the header when it would cover the whole image.
            if imageLength < 0 { range = nil } else if start > 0 || Self.cInt(end - start) < imageLength { range = "bytes=\(start)-\(end)" }
        }
        plan(method: "GET", purpose: .get, reason: .first, at: time)
    }

    /// `_http_handle_response_code` inside `_http_connect`'s loop (v5.4.4 :93-191; v5.5.5 :102-160).
    private mutating func statusDecision(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        let code = head.code
        let index = exchanges.count - 1
        leftover.withUnsafeBytes { exchanges[index].body.record($0) }
        if profile.redirects.codesFollowed.contains(code) {
            switch resolveRedirect(head.location, code: code) {
            case .follow(let next):
                // No hop limit on this path in any version (profile cite `redirects.noHopLimit`):
                // the loop guard in `plan` tells a long chain from a loop.
                moveTo(next)
                return continueLoop(head, leftover: leftover, reason: .redirect, at: time)
            case .fail(let error, let reason, let text):
                if let text { log.append(line("HTTP_CLIENT", text)) }
                log.append(line("esp_https_ota", "URL redirection Failed"))
                return connectionFailed(error, cause: .redirectRejected(code: code, location: head.location, reason: reason), stage: .status, at: time)
            }
        }
        if code == 304, profile.ota.notModifiedIsError {
            log.append("I (…) esp_https_ota: OTA image not modified since last request (status code: 304)")
            return connectionFailed(0x7009, cause: .notModified, stage: .status, at: time, establishLine: false)
        }
        if code == 416, profile.ota.rangeNotSatisfiableIsError {
            log.append("I (…) esp_https_ota: Requested range is incorrect (status code: 416)")
            return rangeNotSatisfiable(at: time)
        }
        if code == 401 {
            if profile.ota.unauthorizedBasicNotSupported, head.header("WWW-Authenticate")?.lowercased().hasPrefix("basic") == true {
                log.append(line("HTTP_CLIENT", "This authentication method is not supported: Basic"))
                log.append(line("esp_https_ota", "Authorization Failed"))
                return connectionFailed(0x106, cause: .unauthorizedNotSupported, stage: .status, at: time)
            }
            authAttempts += 1
            if let left = authRetriesLeft {
                guard left > 0 else {
                    log.append(line("esp_https_ota", "Reached max_authorization_retries (401)"))
                    return connectionFailed(-1, cause: .unauthorizedRetries(profile.ota.unauthorizedRetries), stage: .status, at: time)
                }
                authRetriesLeft = left - 1
            }
            // v4.4 has no cap here (v4.4.8 esp_https_ota.c:84-85): the request repeats until
            // the loop guard in `plan` sees it come back.
            return continueLoop(head, leftover: leftover, reason: .unauthorized, at: time)
        }
        if code == 404 || code == 403 {
            log.append(line("esp_https_ota", "File not found(\(code))"))
            return connectionFailed(-1, cause: code == 404 ? .fileNotFound : .forbidden, stage: .status, at: time)
        }
        if (400..<500).contains(code) {
            log.append(line("esp_https_ota", "Client error (\(code))"))
            return connectionFailed(-1, cause: .statusRejected(code), stage: .status, at: time)
        }
        if code >= 500 {
            log.append(line("esp_https_ota", "Server error (\(code))"))
            return connectionFailed(-1, cause: .statusRejected(code), stage: .status, at: time)
        }
        if otaResumption, code != 206 {
            // Every answer under ota_resumption must be 206, partial download included: the
            // `#if CONFIG_ESP_HTTPS_OTA_ENABLE_PARTIAL_DOWNLOAD` exception is compiled out in
            // v5.5 (v5.5.5 esp_https_ota.c:137-145; spec B1.3).
            log.append("W (…) esp_https_ota: Server ignored the requested Range header")
            log.append("W (…) esp_https_ota: OTA resumption requires server with range request support.")
            return rangeNotSatisfiable(at: time)
        }
        // Accepted: 2xx (206 included), 1xx, other 3xx, and 304 before v5.5.
        if !partial { imageLength = head.size >= 0 ? head.size : -1 }
        if !bodyStarted {
            log.append("I (…) esp_https_ota: Starting OTA...")
            log.append(profile.ota.writingLogNamesLabel ? "I (…) esp_https_ota: Writing to <ota_1> partition at offset 0x1d0000" : "I (…) esp_https_ota: Writing to partition subtype 17 at offset 0x1d0000")
            let partition = identity.esp32.partitionSize
            if resuming, written > partition {
                // The first perform in state RESUME: esp_ota_resume() refuses an offset past
                // the partition (v5.5.5 esp_ota_ops.c:220-222; esp_https_ota.c:754-760).
                log.append(line("esp_https_ota", "esp_ota_resume failed (ESP_ERR_INVALID_ARG)"))
                return fail(0x102, tag: nil, nil, cause: .resumeOffsetBeyondPartition(offset: written, partition: partition), stage: .download, at: time, beginError: false)
            }
        }
        bodyStarted = true
        lastBodyByteAt = time
        var body = ESPIDFBodyReader(framing: ESPIDFBodyReader.framing(for: head, method: "GET"), maxHeaderBytes: profile.response.maxHeaderBytes)
        let decoded = leftover.withUnsafeBytes { body.feed($0) }
        phase = .readingBody(body)
        bodyBytes(decoded, body: body, at: time)
    }

    private var bodyStarted = false

    /// Where `esp_http_client_set_redirection` leads, or its error (an `esp_err_t`, the
    /// refusal, and the HTTP_CLIENT line it logs). Shared with ESPHome's http layer, which
    /// calls the same function in its own loop.
    enum RedirectOutcome: Equatable {
        case follow(DeviceURL)
        case fail(Int, RedirectRefusal, String?)
    }

    private func resolveRedirect(_ location: String?, code: Int) -> RedirectOutcome {
        Self.resolveRedirect(location, from: url, httpsDowngradeRefused: profile.redirects.httpsDowngradeRefused)
    }

    /// `esp_http_client_set_redirection` → `esp_http_client_set_url` (v5.4.4 esp_http_client.c:1007-1177;
    /// v5.5.5 :1071-1099 refuses https → non-https).
    static func resolveRedirect(_ location: String?, from current: DeviceURL?, httpsDowngradeRefused: Bool) -> RedirectOutcome {
        guard let location, !location.isEmpty, let current else {
            return .fail(0x102, .missingLocation, nil)
        }
        if httpsDowngradeRefused, current.usesTLS, !location.lowercased().hasPrefix("https://") {
            return .fail(0x700D, .schemeChange, "HTTPS origin can only redirect to https:// targets (got \(location))")
        }
        if location.hasPrefix("/") {
            return .follow(DeviceURL(scheme: current.scheme, host: current.host, port: current.port, uri: location, userInfo: current.userInfo))
        }
        guard location.contains("://") else { return .fail(0x102, .relativeWithoutSlash, "Error parse url \(location)") }
        switch DeviceURL.parse(location, schemeCaseInsensitive: true) {
        case .success(let next):
            if Self.refusedPort(of: next) != nil { return .fail(0x102, .invalidPort, "Error parse url \(location)") }
            return .follow(next)
        case .failure: return .fail(0x102, .schemeChange, "Error parse url \(location)")
        }
    }

    /// A new host rewrites `Host` without a port; a new port alone keeps the old `Host` (spec E).
    /// Either closes the held connection; hosts compare with strcasecmp (v5.4.4 esp_http_client.c:1094-1133).
    private mutating func moveTo(_ next: DeviceURL) {
        if let current = url, next.host.lowercased() != current.host.lowercased() {
            hostHeader = next.host
            held = nil
        }
        if let held, held.port != next.port { self.held = nil }
        url = next
    }

    // MARK: Body

    private mutating func bodyBytes(_ decoded: [UInt8], body: ESPIDFBodyReader, at time: Int) {
        if !decoded.isEmpty {
            lastBodyByteAt = time
            decoded.withUnsafeBytes { consume($0, at: time) }
            guard verdict == nil else { return }
        }
        let index = exchanges.count - 1
        exchanges[index].body.bytesConsumedByDevice = body.decodedCount
        if body.isComplete { responseBodyEnded(at: time) }
    }

    /// `read_header` (IMAGE_HEADER_SIZE bytes), the chip checks, then `esp_ota_write`.
    private mutating func consume(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        var rest = bytes[...]
        if !headerChecked, !resuming {
            let need = profile.ota.imageHeaderBytes - headerBytes.count
            headerBytes.append(contentsOf: rest.prefix(need))
            rest = rest.dropFirst(need)
            guard headerBytes.count == profile.ota.imageHeaderBytes else { return }
            headerChecked = true
            guard checkImageHeader(at: time) else { return }
            headerBytes.withUnsafeBytes { write($0, at: time) }
            guard verdict == nil else { return }
        }
        if !rest.isEmpty { write(UnsafeRawBufferPointer(rebasing: rest), at: time) }
    }

    /// After `read_header`: the app descriptor (advanced API), chip id, chip revision (v5.5),
    /// and `esp_ota_write`'s magic byte (v5.4.4 :501-511, esp_ota_ops.c:261-264).
    private mutating func checkImageHeader(at time: Int) -> Bool {
        let header = headerBytes
        if settings.advancedAPI, profile.ota.imageDescriptorMagicChecked {
            let magic = header.count >= 36 ? UInt32(header[32]) | UInt32(header[33]) << 8 | UInt32(header[34]) << 16 | UInt32(header[35]) << 24 : 0
            if magic != 0xABCD5432 {
                log.append(line("esp_https_ota", "Incorrect app descriptor magic"))
                fail(-1, tag: nil, nil, cause: .appDescriptorMissing, stage: .imageHeader, at: time, beginError: false)
                return false
            }
        }
        let found = Int(header[12]) | Int(header[13]) << 8
        let expected = Int(identity.esp32.chip.id)
        if found != expected {
            fail(0x10A, tag: "esp_https_ota", "Mismatch chip id, expected \(expected), found \(found)", cause: .chipIDMismatch(expected: expected, found: found), stage: .imageHeader, at: time, beginError: false)
            return false
        }
        if profile.ota.checksChipRevisionEarly {
            var parser = ESP32ImageParser()
            parser.feed(header)
            if let info = parser.finish(), let problem = ESP32ImageVerification.revisionFailure(of: info, revision: identity.esp32.revision) {
                fail(0x10A, tag: "boot_comm", problem, cause: .chipRevisionMismatch(problem), stage: .imageHeader, at: time, beginError: false)
                return false
            }
        }
        if header[0] != 0xE9 {
            log.append(line("esp_ota_ops", "OTA image has invalid magic byte (expected 0xE9, saw 0x\(String(byte: header[0])))"))
            fail(0x1503, tag: "esp_https_ota", "Error: esp_ota_write failed! err=0x1503", cause: .invalidMagicOnWrite(header[0]), stage: .imageHeader, at: time, beginError: false)
            return false
        }
        return true
    }

    private mutating func write(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        let partition = identity.esp32.partitionSize
        if written + bytes.count > partition {
            fail(0x104, tag: "esp_https_ota", "Error: esp_ota_write failed! err=0x104", cause: .partitionOverflow(written: written + bytes.count, partition: partition), stage: .download, at: time, beginError: false)
            return
        }
        written += bytes.count
        if !resuming {
            image.feed(bytes)
            digests?.update(bytes)
        }
    }

    /// One response's body is complete: the next Range, or the end of `perform`.
    private mutating func responseBodyEnded(at time: Int) {
        guard verdict == nil else { return }
        if !headerChecked, !resuming {
            log.append(line("esp_https_ota", "Complete headers were not received"))
            return fail(-1, tag: nil, nil, cause: .imageHeaderIncomplete(received: headerBytes.count, needed: profile.ota.imageHeaderBytes), stage: .imageHeader, at: time, beginError: false)
        }
        guard partial else { return finishOTA(switchBoot: true, at: time) }
        if imageLength == written { return finishOTA(switchBoot: true, at: time) }
        if imageLength > written {
            // An empty answer sends the same Range again (spec B5.5); the loop guard in
            // `plan` sees the repeated state. `binary_file_len + max_http_request_size - 1` is
            // an int sum (v5.5 esp_https_ota.c:773-776).
            range = imageLength - written > rangeSize ? "bytes=\(written)-\(Self.cInt(written + rangeSize - 1))" : "bytes=\(written)-"
            return plan(method: "GET", purpose: .get, reason: .nextRange, at: time)
        }
        // Longer than the HEAD said, or no length at all: perform returns ESP_OK in state
        // IN_PROGRESS, so finish runs esp_ota_end but never switches the boot partition.
        finishOTA(switchBoot: false, at: time)
    }

    private mutating func bodyInterrupted(reset: Bool, body: ESPIDFBodyReader, at time: Int) {
        if let error = body.parserError {
            // The FIN ends the read with -1 (nothing read, message incomplete): read_header logs
            // and gives up, perform logs `data read` (v5.5.5 esp_http_client.c:1391-1396;
            // esp_https_ota.c:562-575, 794-800).
            if !headerChecked, !resuming {
                log.append(line("esp_https_ota", "Connection closed, errno = \(reset ? 104 : 0)"))
                log.append(line("esp_https_ota", "Complete headers were not received"))
            } else {
                log.append(line("esp_https_ota", "data read -1, errno \(reset ? 104 : 0)"))
            }
            return fail(-1, tag: nil, nil, cause: .bodyFramingRefused(error, written: written, closed: true), stage: headerChecked || resuming ? .download : .imageHeader, at: time, beginError: false)
        }
        if body.framing == .untilClose, !profile.response.closeDelimitedBodyAccepted {
            log.append(line("esp_https_ota", "data read -1, errno 0"))
            return fail(-1, tag: nil, nil, cause: .closeDelimitedBodyRejected, stage: .download, at: time, beginError: false)
        }
        if !headerChecked, !resuming {
            log.append(line("esp_https_ota", "Complete headers were not received"))
            return fail(-1, tag: nil, nil, cause: .imageHeaderIncomplete(received: headerBytes.count, needed: profile.ota.imageHeaderBytes), stage: .imageHeader, at: time, beginError: false)
        }
        let expected = imageLength > 0 ? imageLength : written
        if reset {
            log.append(line("esp_https_ota", "data read -1, errno 104"))
        } else {
            log.append(line("esp_https_ota", "Connection closed before complete data was received!"))
        }
        fail(-1, tag: nil, nil, cause: .bodyEndedEarly(received: written, expected: expected, closed: true), stage: .download, at: time, beginError: false)
    }

    /// `esp_https_ota_finish`: `esp_ota_end` (image verification) and, in state SUCCESS,
    /// `esp_ota_set_boot_partition` (v5.4.4 :653-704).
    private mutating func finishOTA(switchBoot: Bool, at time: Int) {
        let esp32 = identity.esp32
        if !resuming, let problem = ESP32ImageVerification.failure(of: image.finish(), written: written, chip: esp32.chip, revision: esp32.revision, partitionSize: esp32.partitionSize) {
            log.append(line("esp_image", problem))
            return fail(0x1503, tag: nil, nil, cause: .imageRejected(problem), stage: .verify, at: time, beginError: false)
        }
        if settings.advancedAPI, !switchBoot {
            // advanced_https_ota_example: `esp_https_ota_is_complete_data_received()` is false.
            log.append(line("advanced_https_ota_example", "Complete data was not received."))
            return fail(-1, tag: nil, nil, cause: .updatedWithoutBootSwitch, stage: .done, at: time, beginError: false)
        }
        var verdict = Verdict(result: .espOK, code: 0, name: "ESP_OK", message: "", stage: .done, deviceTimeMs: time, cause: switchBoot ? .updated : .updatedWithoutBootSwitch)
        verdict.log = log
        finish(verdict)
    }

    // MARK: Results

    private func line(_ tag: String, _ text: String) -> String { "E (…) \(tag): \(text)" }

    /// `esp_http_client_add_auth()`'s own tries (DEFAULT_MAX_AUTH_RETRIES, shared with the
    /// redirect counter): after them it only logs, so v4.4's endless 401 retries send the
    /// same request from the same state (v4.4.8 esp_http_client.c:140, 417-418, 1540-1543).
    private static let addAuthTries = 10

    private func name(of code: Int) -> String {
        if let row = profile.errors.first(where: { $0.code == code }) { return row.name }
        // `-ESP_ERR_HTTP_EAGAIN` comes back negated from fetch_headers (v5.4.4 :1498-1502).
        if code < -1, let row = profile.errors.first(where: { $0.code == -code }) { return row.name }
        return "ERROR 0x\(String(code, radix: 16, uppercase: true))"
    }

    /// A failure while `_http_connect` runs inside begin: log the code's line, then
    /// `Failed to establish HTTP connection`.
    private mutating func connectionFailed(_ code: Int, cause: Cause, stage: Verdict.Stage, at time: Int, establishLine: Bool = true) {
        if code == 0x7002 || code == 0x7003 {
            log.append(line("esp_https_ota", "Failed to open HTTP connection: \(name(of: code))"))
        }
        if exchanges.count > 1 && bodyStarted {
            // A later Range connection: perform logs and returns ESP_FAIL whatever
            // `_http_connect` returned (v5.4.4 :641-645; v5.5.5 :833-837).
            log.append(line("esp_https_ota", "Failed to establish HTTP connection"))
            return fail(-1, tag: nil, nil, cause: cause, stage: stage, at: time, beginError: false)
        }
        beginFailed(code, cause: cause, stage: stage, at: time, establishLine: establishLine)
    }

    /// `_http_connect` returned ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE (a 416, or a non-206 under
    /// ota_resumption). Begin falls back once, with resumption off and from offset 0, and
    /// takes whatever that second `_http_connect` returns (v5.5.5 esp_https_ota.c:443-466).
    private mutating func rangeNotSatisfiable(at time: Int) {
        guard otaResumption, !bodyStarted else {
            return connectionFailed(0x700A, cause: .rangeNotSatisfiable, stage: .status, at: time)
        }
        log.append(line("esp_https_ota", "OTA resumption failed with err: \(0x700A)."))
        log.append("I (…) esp_https_ota: Falling back to OTA without resumption and restarting download from beginning")
        otaResumption = false
        resuming = false
        written = 0
        range = partial && imageLength > rangeSize ? "bytes=0-\(rangeSize - 1)" : nil
        plan(method: "GET", purpose: .get, reason: .fallback, at: time)
    }

    /// The HEAD of partial download failed inside `esp_http_client_perform`.
    private mutating func headFailed(_ code: Int, cause: Cause, at time: Int) {
        log.append(line("esp_https_ota", "ESP HTTP client perform failed: \(code)"))
        beginFailed(code, cause: cause, stage: .connect, at: time)
    }

    /// begin returned `code`; `esp_https_ota()` before v5.5 turns it into ESP_FAIL.
    private mutating func beginFailed(_ code: Int, cause: Cause, stage: Verdict.Stage, at time: Int, establishLine: Bool = true) {
        if establishLine, !log.contains(line("esp_https_ota", "Failed to establish HTTP connection")) {
            log.append(line("esp_https_ota", "Failed to establish HTTP connection"))
        }
        let returned = settings.advancedAPI || profile.ota.wrapperPassesBeginError ? code : -1
        fail(returned, tag: nil, nil, cause: cause, stage: stage, at: time, beginError: true, actual: code)
    }

    private mutating func fail(_ code: Int, tag: String?, _ text: String?, cause: Cause, stage: Verdict.Stage, at time: Int, beginError: Bool, actual: Int? = nil) {
        guard verdict == nil else { return }
        if let tag, let text { log.append(line(tag, text)) }
        // The message is the most telling E line: the first one after the connection's own.
        let message = log.first { $0.hasPrefix("E ") && !$0.contains("Failed to establish HTTP connection") } ?? log.last ?? ""
        var verdict = Verdict(result: .espError, code: code, name: name(of: code), message: message, stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log
        if let actual, actual != code {
            verdict.notes.append("esp_https_ota_begin returned \(name(of: actual)) (0x\(String(actual < 0 ? -actual : actual, radix: 16, uppercase: true))); this IDF version's esp_https_ota() reports every begin failure as ESP_FAIL.")
        }
        finish(verdict)
    }

    private mutating func hang(_ cause: Cause, stage: Verdict.Stage = .download, at time: Int) {
        guard verdict == nil else { return }
        var verdict = Verdict(result: .deviceHangs, code: 0, name: "", message: log.last ?? "", stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log
        finish(verdict)
    }

    /// The probe's own limit ended the run before the device did (`DEVICE_STILL_WAITING`).
    private mutating func stopProbe(_ cause: Cause, stage: Verdict.Stage, at time: Int) {
        guard verdict == nil else { return }
        var verdict = Verdict(result: .stillWaiting, code: 0, name: "", message: log.last ?? "", stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log
        finish(verdict)
    }

    private mutating func finish(_ verdict: Verdict) {
        exchanges.closeLast(at: verdict.deviceTimeMs, digestsOfWritten: resuming ? nil : digests, written: written)
        self.verdict = verdict
        phase = .finished
    }
}
