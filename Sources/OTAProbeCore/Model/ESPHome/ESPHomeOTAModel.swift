import Crypto
import FoundationEssentials

/// ESPHome's `OtaHttpRequestComponent::flash()` on an ESP32 built with esp-idf (2025.12.7), as a
/// pure state machine: `do_ota_()` (E25 http_request/ota/ota_http_request.cpp:86-204) over
/// ESPHome's own http layer `HttpRequestIDF::perform()` (http_request_idf.cpp:55-211), which
/// drives esp_http_client itself — not esp_https_ota.
///
/// What it shares with `ESPIDFOTAModel` is esp_http_client: the request bytes
/// (`ESPIDFRequestBuilder`), the response head parser (`ESPIDFResponseReader`), the body framing
/// (`ESPIDFBodyReader`), `esp_http_client_set_url` for a Location, and the image verification
/// of `esp_ota_end`. What is ESPHome's own: the MD5 it must have before it downloads (from
/// `md5:` or a first GET of `md5_url:`), its redirect loop (3 hops, nothing drained), status
/// exactly 200, a read loop bounded by the Content-Length fetch_headers returned (0 for a
/// chunked or length-less answer), its `strncmp` MD5 check, and its response codes and log.
public struct ESPHomeOTAModel: DeviceModel {
    public let profile: ESPHomeProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public private(set) var exchanges: [Exchange] = []
    public private(set) var verdict: Verdict?


    private enum Phase: Sendable {
        case notStarted
        case connecting(ConnectionPlan)
        case readingHead(ESPIDFResponseReader)
        case readingBody(ESPIDFBodyReader)
        case finished
    }

    private var phase = Phase.notStarted
    private var fetch = ESPHomeOTASteps.Fetch.firmware
    /// The URL `perform()` was given (credentials spliced in): its log lines print it.
    private var performURL = ""
    private var url: DeviceURL?
    private var hostHeader = ""
    private var authorization: String?
    private var redirectsLeft = 0
    /// The connection esp_http_client holds (IDF v5.5.1 esp_http_client.c:1538, 1149, 1174): a
    /// same-host redirect reuses it.
    private var held: ESPHTTPClientConnection?
    /// Body bytes of a same-host 3xx that arrived with its head: esp_http_client keeps them in
    /// its response buffer and `esp_http_client_read()` returns them first (IDF v5.5.1
    /// esp_http_client.c:304-325, 1293-1310) [derived in spec E4.1, not run].
    private var cached: [UInt8] = []
    private var prefixedBytes = 0
    private var log = ESPHomeLog()
    /// `md5_expected_`: `md5:` as given, or the 32 bytes read from `md5_url` (NULs until written).
    private var md5Expected: [UInt8] = []
    /// `update_start_time`, taken before the MD5 fetch (ota_http_request.cpp:89).
    private var startedAt = 0
    /// `url_`: the URL `flash()` downloads: the setting, or the manifest build's resolved path.
    private var firmwareURL = ""
    /// The manifest's bytes, as `update_task` collects them.
    private var manifestBytes: [UInt8] = []

    // The read loop (`container->read()` over `esp_http_client_read()`).
    private var contentLength = 0
    private var bytesRead = 0
    /// Bytes of the read in progress: esp_http_client_read returns only when it has them all,
    /// the message is complete, or a transport read times out or ends.
    private var fill: [UInt8] = []
    private var waitingSince = 0
    private var lastProgressAt: Int?
    private var md5 = Insecure.MD5()
    /// `IDFOTABackend`, shared with ESPHome's ESP32 Arduino build.
    private var backend: ESPHomeIDFOTABackend
    private var written: Int { backend.written }
    private lazy var digests: WrittenImageDigests? = settings.computeDigests ? WrittenImageDigests() : nil

    public init(profile: ESPHomeProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.backend = ESPHomeIDFOTABackend(esp32: identity.esp32)
        self.log.linesUnknown = profile.ota.logLinesKnown == false
    }

    /// 2026.6's loops (`http_read_loop_result`, `http_read_fully`): a negative read is an
    /// error with its own line; the MD5 file's reads add up (spec E11).
    private var idleLoop: Bool { profile.ota.idleTimeoutLoop }

    private var timeoutMs: Int { settings.clientTimeoutMs ?? profile.timeouts.timeoutMs }

    /// esp_http_client's rules: the decoder requires them for platform `esp-idf`, the only one
    /// `makeModel` hands this model; the defaults stand in only for a profile built in code.
    private var idfRequest: ESPIDFProfile.RequestRules {
        profile.request ?? .init(httpVersion: "HTTP/1.1", userAgent: "ESPHome/\(profile.esphomeVersion) (https://esphome.io)", sendsContentLengthZero: false, txBufferBytes: 512)
    }
    private var idfResponse: ESPIDFProfile.ResponseRules {
        profile.response ?? .init(maxHeaderBytes: 81920, closeDelimitedBodyAccepted: true)
    }

    /// `verify_ssl: false` (CONFIG_ESP_TLS_SKIP_SERVER_CERT_VERIFY): `--tls insecure` given.
    private var verifySSLOff: Bool {
        if settings.tls.trustGiven, case .insecure = settings.tls.trust { return true }
        return false
    }

    public var nextAction: DeviceAction {
        switch phase {
        case .notStarted, .finished: return .finished
        case .connecting(let plan): return .open(plan)
        case .readingHead(let reader):
            if case .needMore(let deadline) = reader.outcome { return .receive(deadline: deadline) }
            return .finished
        case .readingBody: return .receive(deadline: waitingSince + timeoutMs)
        }
    }

    // MARK: flash() and do_ota_()

    public mutating func start(at time: Int) {
        firmwareURL = settings.url
        // `md5:` of the action (a manifest's `ota.md5` replaces it, set_md5 in perform()).
        md5Expected = Array((settings.expectedMD5 ?? "").utf8)
        if settings.manifest {
            // update_task (http_request_update.cpp:50-53): the manifest's GET comes first.
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

    // MARK: HttpRequestIDF::perform()

    private mutating func perform(_ target: String, at time: Int) {
        performURL = target
        firstHop = exchanges.count
        held = nil
        cached = []
        redirectsLeft = profile.redirects.limit
        guard case .success(let parsed) = DeviceURL.parse(target, schemeCaseInsensitive: true),
              ESPIDFOTAModel.refusedPort(of: parsed) == nil,
              !target.utf8.contains(where: { [0x20, 0x0D, 0x0A, 0x09, 0x0C].contains($0) }) else {
            // esp_http_client_init() returns NULL (`Error parse url`), and perform() uses the
            // handle unchecked (http_request_idf.cpp:112-125) [derived in spec E3.1].
            log.idf(.error, "HTTP_CLIENT", "Error parse url \(target)")
            if profile.ota.checksClientInit == true {
                // 2026.6 checks the handle: E line, nullptr (spec E11).
                log.add(.error, "http_request.idf", 0, "HTTP Request failed; client could not be initialized")
                return noContainer(.urlRefused(.noScheme), stage: .url, at: time)
            }
            return crash(.urlRefused(.noScheme), at: time)
        }
        url = parsed
        hostHeader = ESPIDFRequestBuilder.hostHeader(for: parsed)
        // auth_type = HTTP_AUTH_TYPE_BASIC with the URL's userinfo: sent before any 401
        // (http_request_idf.cpp:91; IDF v5.5.1 esp_http_client.c:617-635, 690-695).
        authorization = parsed.userInfo.map { Data($0.utf8).base64EncodedString() }
        open(first: true, at: time)
    }

    /// `esp_http_client_open()`: the request line must fit `buffer_size_tx`, then connect (or
    /// write over the held connection) and send.
    private mutating func open(first: Bool, at time: Int) {
        guard let url else { return }
        let builder = ESPIDFRequestBuilder(rules: idfRequest)
        guard builder.requestLineFits(method: "GET", url: url) else {
            log.idf(.error, "HTTP_CLIENT", "Out of buffer")
            return openFailed("ESP_FAIL", first: first, cause: .requestLineTooLong(url.requestTarget.utf8.count), stage: .request, at: time)
        }
        let request = builder.request(method: "GET", url: url, hostHeader: hostHeader, authorization: authorization, range: nil)
        guard exchanges.count <= Limits.requestsPerRun else {
            return stillWaiting(.probeStopped(.requestLimit(requests: exchanges.count)), stage: .status, at: time)
        }
        var plan = ConnectionPlan(url: url, connectTimeoutMs: timeoutMs, request: request, hop: exchanges.count)
        var exchange = Exchange(url: url, request: request, startedAtMs: time)
        if let held, held.isKept(forHost: url.host, port: url.port) {
            plan.reusesConnection = true
            exchange.reusedConnection = true
            exchange.tls = held.tls
            if held.closedByServer {
                // Written into a socket the server has closed; fetch_headers reads the end and
                // the status stays -1 (spec E4.1) [derived].
                exchange.connectedAtMs = time
                exchange.ending = .closedByServer
                exchange.endedAtMs = time
                exchanges.append(exchange)
                return headFailed(.reusedConnectionClosed(url: url.display), at: time)
            }
        } else {
            held = nil
            cached = []
            pendingOnSocket = []
            if url.usesTLS, !performURL.contains("https:"), !verifySSLOff {
                // `crt_bundle_attach` is set only when the URL perform() was given contains
                // "https:" (http_request_idf.cpp:82, 92-96); after a redirect from http:// the SSL
                // transport has no verification option, and with verify_ssl: true the build does
                // not skip verification, so esp-tls refuses before the handshake (IDF v5.5.1
                // esp-tls/esp_tls_mbedtls.c:124-127, 940-943; esp_tls.c:519-521;
                // tcp_transport/transport_ssl.c:118; esp_http_client.c:1565).
                exchange.connectFailure = ConnectionFailure(kind: .tlsHandshake, detail: "no server verification option: the certificate bundle is attached only for a URL containing \"https:\"")
                exchange.ending = .neverConnected
                exchanges.append(exchange)
                log.idf(.error, "esp-tls-mbedtls", "No server verification option set in esp_tls_cfg_t structure. Check esp_tls API reference")
                log.idf(.error, "esp-tls-mbedtls", "Failed to set client configurations, returned [0x8017] (ESP_ERR_MBEDTLS_SSL_SETUP_FAILED)")
                log.idf(.error, "esp-tls", "create_ssl_handle failed")
                log.idf(.error, "transport_base", "Failed to open a new connection")
                log.idf(.error, "HTTP_CLIENT", "Connection failed, sock < 0")
                return openFailed("ESP_ERR_HTTP_CONNECT", first: first, cause: .tlsNoServerVerification, stage: .connect, at: time)
            }
        }
        exchanges.append(exchange)
        phase = .connecting(plan)
    }

    /// `esp_http_client_open()` failed: the first request logs `HTTP Request failed: %s`
    /// (:125-131), a redirect's `esp_http_client_open failed: %s` (:182-188); either way
    /// perform() returns nullptr.
    private mutating func openFailed(_ error: String, first: Bool, cause: Cause, stage: Verdict.Stage, at time: Int) {
        if first {
            log.add(.error, "http_request.idf", 128, "HTTP Request failed: \(error)")
        } else {
            log.add(.error, "http_request.idf", 184, "esp_http_client_open failed: \(error)")
        }
        noContainer(cause, stage: stage, at: time)
    }

    /// perform() returned nullptr.
    private mutating func noContainer(_ cause: Cause, stage: Verdict.Stage, at time: Int) {
        switch fetch {
        case .manifest:
            manifestFetchFailed(-1, at: time)
        case .md5:
            log.add(.error, "http_request.ota", 239, "Failed to connect to MD5 URL")
            finish(code: 0x10, cause: .esphomeMD5URLFailed(.noAnswer), stage: stage, at: time, detail: cause)
        case .firmware:
            finish(code: 0x12, cause: cause, stage: stage, at: time)
        }
    }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        guard case .connecting(let plan) = phase else { return }
        if !plan.reusesConnection { held = ESPHTTPClientConnection(host: plan.url.host, port: plan.url.port, tls: plan.url.usesTLS) }
        exchanges[exchanges.count - 1].connectedAtMs = time
        exchanges[exchanges.count - 1].remoteAddress = remoteAddress
        var reader = ESPIDFResponseReader(timeoutMs: timeoutMs, maxHeaderBytes: idfResponse.maxHeaderBytes, startedAt: time)
        if plan.reusesConnection, !pendingOnSocket.isEmpty {
            // The rest of an undrained 3xx body is still in the socket: this parser reads it first.
            pendingOnSocket.withUnsafeBytes { reader.receive($0, at: time) }
        }
        pendingOnSocket = []
        phase = .readingHead(reader)
        if plan.reusesConnection { advanceHead(reader) }
    }

    /// Bytes of a same-host 3xx that came after the reads fetch_headers made.
    private var pendingOnSocket: [UInt8] = []
    /// Bytes of the last complete head (for what fetch_headers' reads covered).
    private var headBytes = 0

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        guard case .connecting(let plan) = phase else { return }
        exchanges[exchanges.count - 1].connectFailure = failure
        exchanges[exchanges.count - 1].ending = .neverConnected
        if let code = failure.tlsLibraryError, code < 0 {
            log.idf(.error, "esp-tls-mbedtls", "mbedtls_ssl_handshake returned -0x" + String(String(-code, radix: 16, uppercase: true).leftPadded(to: 4)))
        }
        log.idf(.error, "HTTP_CLIENT", "Connection failed, sock < 0")
        openFailed("ESP_ERR_HTTP_CONNECT", first: plan.hop == firstHop, cause: .connectFailed(failure), stage: .connect, at: time)
    }

    /// The exchange index of this perform()'s first request.
    private var firstHop = 0

    public mutating func sendFailed(detail: String, at time: Int) {
        exchanges[exchanges.count - 1].ending = .closedByServer
        let first = exchanges.count - 1 == firstHop
        openFailed("ESP_ERR_HTTP_WRITE_DATA", first: first, cause: .sendFailed(detail: detail), stage: .request, at: time)
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard !bytes.isEmpty, !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if exchanges[index].firstByteAtMs == nil { exchanges[index].firstByteAtMs = time }
        switch phase {
        case .readingHead(var reader):
            reader.receive(bytes, at: time)
            exchanges[index].responseHead = reader.rawHead
            exchanges[index].responseHeadBytes = reader.received
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody(var body):
            exchanges[index].body.record(bytes)
            waitingSince = time
            let decoded = body.feed(bytes)
            phase = .readingBody(body)
            arrived(decoded, at: time)
        default:
            break
        }
    }

    public mutating func connectionClosed(at time: Int, reset: Bool) {
        guard !exchanges.isEmpty else { return }
        exchanges.serverClosedLast(reset: reset, at: time)
        held?.closedByServer = true
        switch phase {
        case .readingHead(var reader):
            reader.connectionClosed(at: time)
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody:
            // The read in progress returns what it has; the next one finds the end before
            // Content-Length: ESP_FAIL (IDF v5.5.1 esp_http_client.c:1293-1375; spec E4.2).
            if !fill.isEmpty { completeRead(at: time) }
            guard verdict == nil else { return }
            readFailed(closed: true, at: time)
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
            guard time >= waitingSince + timeoutMs else { return }
            let at = waitingSince + timeoutMs
            if !fill.isEmpty {
                // Timed out with bytes: the read returns them; the next read waits again.
                completeRead(at: at)
                waitingSince = at
                return
            }
            // -ESP_ERR_HTTP_EAGAIN: negative, so `Stream closed with error` (spec E4.2, E5 step 6).
            readFailed(closed: false, at: at)
        default:
            break
        }
    }

    // MARK: Response heads

    private mutating func advanceHead(_ reader: ESPIDFResponseReader) {
        let index = exchanges.count - 1
        switch reader.outcome {
        case .needMore:
            return
        case .closed(let head, let at):
            exchanges[index].head = head
            let reused = exchanges[index].reusedConnection && reader.received == 0
            headFailed(reused ? .reusedConnectionClosed(url: exchanges[index].url) : .connectionLostBeforeHeaders, at: at)
        case .timedOut(let head, let at):
            exchanges[index].head = head
            log.idf(.warning, "HTTP_CLIENT", "Connection timed out before data was ready!")
            headFailed(.headerTimeout, at: at)
        case .probeStopped(let head, let at):
            exchanges[index].head = head
            stillWaiting(.parserStoppedServerStillSending(reader.parserError ?? .headerOverflow, read: reader.received, inBody: false), stage: .headers, at: at)
        case .complete(let head, let at):
            exchanges[index].head = head
            headBytes = reader.received
            answered(head, leftover: reader.leftover, at: at)
        }
    }

    /// `esp_http_client_fetch_headers()` failed (its return value is not checked): the status
    /// stays -1, which is neither success nor a redirect (http_request_idf.cpp:156-208).
    private mutating func headFailed(_ cause: Cause, at time: Int) {
        answered(code: -1, head: nil, leftover: [], at: time, failure: cause)
    }

    /// A head, or -1 for none: success returns the container (:162-164, 196-198); inside the
    /// loop every other answer uses up one redirect (:200); a redirect is followed while some
    /// are left (:168); anything else ends perform() (:203-210).
    private mutating func answered(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        answered(code: head.code, head: head, leftover: leftover, at: time, failure: nil)
    }

    private mutating func answered(code: Int, head: ResponseHead?, leftover: [UInt8], at time: Int, failure: Cause?) {
        if let head, (200..<300).contains(code) { return returned(head, leftover: leftover, at: time) }
        if exchanges.count - 1 > firstHop { redirectsLeft -= 1 }
        if let head, profile.redirects.codesFollowed.contains(code), redirectsLeft > 0 {
            return redirect(head, leftover: leftover, at: time)
        }
        var cause = failure
        if cause == nil, let head, profile.redirects.codesFollowed.contains(code) {
            cause = .esphomeRedirectFailed(code: code, location: head.location, reason: .limitReached)
        }
        statusFinal(code, head: head, leftover: leftover, at: time, cause: cause)
    }

    /// One turn of the loop (:168-201): `esp_http_client_set_redirection()`, then open.
    private mutating func redirect(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        switch ESPIDFOTAModel.resolveRedirect(head.location, from: url, httpsDowngradeRefused: profile.redirects.httpsDowngradeRefused) {
        case .follow(let next):
            let current = url
            url = next
            if let current, next.host.lowercased() != current.host.lowercased() {
                hostHeader = next.host
            }
            let sameConnection = held?.isKept(forHost: next.host, port: next.port) ?? false
            if sameConnection {
                // Nothing drains the 3xx body: what came with the head stays cached for the
                // next read, the rest stays in the socket.
                let framing = ESPIDFBodyReader.framing(for: head, method: "GET")
                var body = ESPIDFBodyReader(framing: framing, maxHeaderBytes: idfResponse.maxHeaderBytes)
                // fetch_headers reads `buffer_size` bytes at a time until the head is complete
                // (IDF v5.5.1 esp_http_client.c:1492-1515): body bytes inside those reads are
                // cached (http_on_body, :304-329); later ones wait in the socket, where the
                // next fetch_headers reads them as the start of the next answer.
                let rx = profile.ota.rxBufferBytes
                let inReads = (headBytes + rx - 1) / rx * rx - headBytes
                let bodyBytes = Array(leftover.prefix(inReads)).withUnsafeBytes { body.feed($0) }
                cached += bodyBytes
                pendingOnSocket = Array(leftover.dropFirst(inReads))
            } else {
                cached = []
            }
            open(first: false, at: time)
        case .fail(let error, let reason, let text):
            if let text { log.idf(.error, "HTTP_CLIENT", text) }
            let name = error == 0x102 ? "ESP_ERR_INVALID_ARG" : "ESP_FAIL"
            log.add(.error, "http_request.idf", 171, "esp_http_client_set_redirection failed: \(name)")
            noContainer(.esphomeRedirectFailed(code: head.code, location: head.location, reason: reason), stage: .status, at: time)
        }
    }

    /// The loop ended on a status that is neither success nor a redirect it may follow: the
    /// limit warning (:203-205), the error line with the URL perform() was given (:208), and
    /// the container is returned all the same.
    private mutating func statusFinal(_ code: Int, head: ResponseHead?, leftover: [UInt8], at time: Int, cause: Cause?) {
        if redirectsLeft == 0 {
            log.add(.warning, "http_request.idf", 204, "Reach redirect limit count=\(profile.redirects.limit)")
        }
        log.add(.error, "http_request.idf", 208, "HTTP Request failed; URL: \(performURL); Code: \(code)")
        switch fetch {
        case .manifest:
            manifestFetchFailed(code, at: time)
        case .md5:
            // http_get_md5_() does not look at the status (ota_http_request.cpp:237-251).
            if let head { return md5Answer(head, leftover: leftover, at: time) }
            // No head: fetch_headers' error became the length and the read that follows
            // finds nothing, so http_get_md5_() returns false without a line [derived].
            closeByDevice(at: time)
            finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(0)), stage: .headers, at: time)
        case .firmware:
            finish(code: 0x12, cause: cause ?? .esphomeStatusNot200(code), stage: .status, at: time)
        }
    }

    /// A 2xx: perform() returns the container (:162-164, 196-198).
    private mutating func returned(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        switch fetch {
        case .manifest:
            manifestAnswer(head, leftover: leftover, at: time)
        case .md5:
            md5Answer(head, leftover: leftover, at: time)
        case .firmware:
            // ota_http_request.cpp:108: only exactly 200 goes on; no OTA log line otherwise.
            guard head.code == 200 else {
                return finish(code: 0x12, cause: .esphomeStatusNot200(head.code), stage: .status, at: time)
            }
            begin(head, leftover: leftover, at: time)
        }
    }

    /// What `esp_http_client_fetch_headers()` returns: the Content-Length, 0 when it is absent,
    /// 0, or the body is chunked (IDF v5.5.1 esp_http_client.c:1514-1519; spec E4).
    static func fetchedLength(_ head: ResponseHead) -> Int {
        if let coding = head.transferEncoding?.lowercased(), coding.hasSuffix("chunked") { return 0 }
        return max(0, head.size)
    }

    // MARK: md5_url

    private mutating func md5Answer(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        let length = Self.fetchedLength(head)
        startBody(head, leftover: leftover, length: length, at: time) { model, time in model.md5Length(length, at: time) }
    }

    /// `http_get_md5_()` after the container came back (:242-251).
    private mutating func md5Length(_ length: Int, at time: Int) {
        guard length > 0 else {
            closeByDevice(at: time)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.emptyLength), stage: .status, at: time)
        }
        guard length >= profile.ota.md5Size else {
            log.add(.error, "http_request.ota", 248, "MD5 file must be \(profile.ota.md5Size) bytes; \(length) bytes reported by HTTP server. Aborting")
            closeByDevice(at: time)
            return finish(code: 0x10, cause: .esphomeMD5URLFailed(.tooShort(length)), stage: .status, at: time)
        }
        md5Expected = Array(repeating: 0, count: profile.ota.md5Size)
        contentLength = length
        bytesRead = 0
        fill = []
        deliverCached(at: time)
    }

    /// One finished `container->read(md5_expected_.data(), 32)`: written at offset 0 each time.
    private mutating func md5Read(_ bytes: [UInt8], at time: Int) {
        // 2025.12 writes every read at offset 0; 2026.6's http_read_fully appends.
        let base = idleLoop ? bytesRead : 0
        for (offset, byte) in bytes.enumerated() where base + offset < md5Expected.count { md5Expected[base + offset] = byte }
        bytesRead += bytes.count
        if bytesRead >= profile.ota.md5Size {
            closeByDevice(at: time)
            guard idleLoop || bytes.count == profile.ota.md5Size else {
                return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(bytes.count)), stage: .download, at: time)
            }
            return download(at: time)
        }
    }

    // MARK: The image

    /// `backend->begin(content_length)` (`ESPHomeIDFOTABackend`).
    private mutating func begin(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        let length = Self.fetchedLength(head)
        if let failure = backend.begin(length: length, log: &log) {
            closeByDevice(at: time)
            return finish(code: failure.code, cause: failure.cause, stage: .size, at: time)
        }
        startBody(head, leftover: leftover, length: length, at: time) { model, time in
            model.contentLength = length
            model.bytesRead = 0
            model.fill = []
            if length == 0 { return model.downloadDone(at: time) }
            model.deliverCached(at: time)
        }
    }

    /// Enters the body phase (so bytes that come with the head are counted once), then runs
    /// `next`, then hands over what had already arrived.
    private mutating func startBody(_ head: ResponseHead, leftover: [UInt8], length: Int, at time: Int, next: (inout ESPHomeOTAModel, Int) -> Void) {
        let index = exchanges.count - 1
        leftover.withUnsafeBytes { exchanges[index].body.record($0) }
        var body = ESPIDFBodyReader(framing: ESPIDFBodyReader.framing(for: head, method: "GET"), maxHeaderBytes: idfResponse.maxHeaderBytes)
        let early = leftover.withUnsafeBytes { body.feed($0) }
        phase = .readingBody(body)
        waitingSince = time
        next(&self, time)
        guard verdict == nil, case .readingBody = phase else { return }
        arrived(early, at: time)
    }

    /// The cached 3xx body comes out of the first reads, before the answer's own body.
    private mutating func deliverCached(at time: Int) {
        guard !cached.isEmpty else { return }
        let bytes = cached
        cached = []
        prefixedBytes = bytes.count
        arrived(bytes, at: time)
    }

    /// Body bytes reached the device: fill the reads `do_ota_` / `http_get_md5_` make.
    private mutating func arrived(_ bytes: [UInt8], at time: Int) {
        var rest = bytes[...]
        while verdict == nil, case .readingBody = phase, bytesRead + fill.count < contentLength, !rest.isEmpty {
            let want = readSize - fill.count
            let take = rest.prefix(want)
            fill += take
            rest = rest.dropFirst(take.count)
            if fill.count == readSize { completeRead(at: time) }
        }
    }

    /// `min(max_len, content_length - bytes_read)` of the read in progress.
    private var readSize: Int {
        // 2026.6's http_read_fully asks for what the MD5 still lacks; 2025.12 asks 32 each time.
        let md5Ask = idleLoop ? profile.ota.md5Size - bytesRead : profile.ota.md5Size
        return min(fetch == .md5 ? md5Ask : profile.ota.readBytes, contentLength - bytesRead)
    }

    // MARK: The update entity's manifest (E8)

    /// The update entity's decision, shared with the Arduino model (`ESPHomeUpdateEntity`).
    private var entity: ESPHomeUpdateEntity { ESPHomeUpdateEntity(profile: profile, identity: identity, source: settings.url) }

    /// `update_task`: container null or status ≠ 200 (:55-60); the container is not ended.
    private mutating func manifestFetchFailed(_ code: Int, at time: Int) {
        finishUpdate(entity.fetchFailed(code, log: &log, at: time))
    }

    /// A 2xx for the manifest: exactly 200, then a buffer of exactly Content-Length (:55-71).
    private mutating func manifestAnswer(_ head: ResponseHead, leftover: [UInt8], at time: Int) {
        guard head.code == 200 else { return manifestFetchFailed(head.code, at: time) }
        let length = Self.fetchedLength(head)
        guard ESPHomeUpdateEntity.allocates(length) else {
            // allocate(0) gives NULL (IDF heap_caps_base.c:113-117): a chunked or length-less
            // manifest is never read (spec E8).
            closeByDevice(at: time)
            return finishUpdate(entity.allocationFailed(length, log: &log, at: time))
        }
        guard length <= Limits.manifestBytesKept else {
            closeByDevice(at: time)
            return stillWaiting(.probeStopped(.manifestTooLong(bytes: length)), stage: .size, at: time)
        }
        startBody(head, leftover: leftover, length: length, at: time) { model, time in
            model.contentLength = length
            model.bytesRead = 0
            model.fill = []
            model.deliverCached(at: time)
        }
    }

    /// One read of the manifest loop (:73-85).
    private mutating func manifestRead(_ bytes: [UInt8], at time: Int) {
        manifestBytes += bytes
        bytesRead += bytes.count
        exchanges[exchanges.count - 1].body.bytesConsumedByDevice = max(0, bytesRead - prefixedBytes)
        if bytesRead >= contentLength { manifestDone(at: time) }
    }

    /// The loop ended (all read, or a read ≤ 0): `container->end()`, parse, choose (:87-190).
    private mutating func manifestDone(at time: Int) {
        closeByDevice(at: time)
        switch entity.decide(manifestBytes, log: &log, at: time) {
        case .done(let verdict):
            finishUpdate(verdict)
        case .install(let url, let md5, let latest):
            // perform(): set_md5, set_url, flash() (:195-207; ota_http_request.cpp:36-48).
            md5Expected = Array(md5.utf8)
            firmwareURL = url
            manifestInstall = latest
            flash(at: time)
        }
    }

    /// The version the manifest offered, when the check led to an install.
    private var manifestInstall: String?

    private mutating func finishUpdate(_ verdict: Verdict) {
        guard self.verdict == nil else { return }
        finish(verdict)
    }

    private mutating func completeRead(at time: Int) {
        let bytes = fill
        fill = []
        waitingSince = time
        switch fetch {
        case .manifest: manifestRead(bytes, at: time)
        case .md5: md5Read(bytes, at: time)
        case .firmware: write(bytes, at: time)
        }
    }

    /// One pass of the loop body (:146-171): MD5, `backend->write`, progress.
    private mutating func write(_ bytes: [UInt8], at time: Int) {
        bytes.withUnsafeBytes { md5.update(bufferPointer: $0) }
        if let failure = backend.write(bytes, offset: bytesRead, contentLength: contentLength, log: &log) {
            closeByDevice(at: time)
            return finish(code: failure.code, cause: failure.cause, stage: .imageHeader, at: time)
        }
        bytesRead += bytes.count
        exchanges[exchanges.count - 1].body.bytesConsumedByDevice = max(0, bytesRead - prefixedBytes)
        bytes.withUnsafeBytes { digests?.update($0) }
        if lastProgressAt.map({ time - $0 > 1000 }) ?? true || bytesRead == contentLength {
            lastProgressAt = time
            log.add(.debug, "http_request.ota", 167, "Progress: \(ESPHomeLog.percent(bytesRead, of: contentLength))%")
        }
        if bytesRead == contentLength { downloadDone(at: time) }
    }

    /// A read returned < 0: the server closed before Content-Length, or a read timed out
    /// with nothing (:136-141).
    private mutating func readFailed(closed: Bool, at time: Int) {
        if idleLoop {
            // esp_http_client_read(): FIN before Content-Length is ESP_FAIL (-1), a transport
            // timeout with nothing read -ESP_ERR_HTTP_EAGAIN (-28679) (spec E4.2); both are
            // negative, so ERROR, with the value in the line. ESPHome's own idle timeout is
            // the same `timeout`, so the blocking read's error comes first [derived].
            let value = closed ? -1 : -0x7007
            closeByDevice(at: time)
            switch fetch {
            case .manifest:
                return finishUpdate(entity.readFailed(timedOut: false, error: value, log: &log, at: time))
            case .md5:
                log.add(.error, "http_request.ota", 0, "Error reading MD5: \(value)")
                return finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(bytesRead)), stage: .download, at: time)
            case .firmware:
                log.add(.error, "http_request.ota", 0, "Error reading data: \(value)")
                return finish(code: 0x12, cause: .esphomeStreamError(received: bytesRead, expected: contentLength, closed: closed), stage: .download, at: time)
            }
        }
        switch fetch {
        case .manifest:
            // `read_bytes <= 0` → break, and what was read is parsed (:79-82).
            manifestDone(at: time)
        case .md5:
            closeByDevice(at: time)
            finish(code: 0x10, cause: .esphomeMD5URLFailed(.shortRead(0)), stage: .download, at: time)
        case .firmware:
            log.add(.error, "http_request.ota", 138, "Stream closed with error")
            closeByDevice(at: time)
            finish(code: 0x12, cause: .esphomeStreamError(received: bytesRead, expected: contentLength, closed: closed), stage: .download, at: time)
        }
    }

    /// After the loop (:174-203): `Done in`, the MD5 compare, then `backend->end()`.
    private mutating func downloadDone(at time: Int) {
        log.add(.info, "http_request.ota", 174, "Done in \(ESPHomeLog.seconds(time - startedAt)) seconds")
        let computed = md5.finalize().map { String(byte: $0) }.joined()
        let computedBytes = Array(computed.utf8)
        if !Self.strncmpEqual(computedBytes, md5Expected, count: profile.ota.md5Size) {
            log.add(.error, "http_request.ota", 181, "MD5 computed: \(computed) - Aborting due to MD5 mismatch")
            closeByDevice(at: time)
            let cause: Cause = contentLength == 0
                ? .esphomeNothingRead(chunked: lastHeadWasChunked, contentLength: exchanges.last?.head?.header("Content-Length"))
                : .md5Mismatch(expected: Self.cString(md5Expected), calculated: computed)
            return finish(code: 0x8B, cause: cause, stage: .verify, at: time)
        }
        closeByDevice(at: time)
        let nothing = Cause.esphomeNothingRead(chunked: lastHeadWasChunked, contentLength: exchanges.last?.head?.header("Content-Length"))
        if let failure = backend.end(log: &log, nothingWritten: nothing) {
            return finish(code: failure.code, cause: failure.cause, stage: .verify, at: time)
        }
        log.add(.info, "http_request.ota", 202, "Update complete")
        log.add(.info, "app", 228, "Rebooting safely")
        finish(code: 0x00, cause: .updated, stage: .done, at: time)
    }

    private var lastHeadWasChunked: Bool {
        exchanges.last?.head?.transferEncoding?.lowercased().hasSuffix("chunked") ?? false
    }

    static func strncmpEqual(_ a: [UInt8], _ b: [UInt8], count: Int) -> Bool { ESPHomeOTASteps.strncmpEqual(a, b, count: count) }
    static func cString(_ bytes: [UInt8]) -> String { ESPHomeOTASteps.cString(bytes) }

    // MARK: Results

    /// `container->end()`: esp_http_client_close.
    private mutating func closeByDevice(at time: Int) {
        guard !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if exchanges[index].ending == .open { exchanges[index].ending = .closedByDevice }
        if exchanges[index].endedAtMs == nil { exchanges[index].endedAtMs = time }
        held = nil
        phase = .notStarted
    }

    private mutating func finish(code: Int, cause: Cause, stage: Verdict.Stage, at time: Int, detail: Cause? = nil) {
        guard verdict == nil else { return }
        let ok = code == 0
        var verdict = Verdict(result: ok ? .esphomeOK : .esphomeError, code: code, name: profile.codeName(code),
                              message: log.headline, stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log.lines
        if prefixedBytes > 0 {
            verdict.notes.append("The first \(prefixedBytes) bytes the device hashed and wrote were the body of the same-host redirect before it: esp_http_client keeps the bytes that came with a head in its buffer and returns them first, and ESPHome's redirect loop reads nothing in between (spec E4.1, derived from the IDF source, not run on a device).")
        }
        if code == 0x8B, !idleLoop, md5Expected.count >= 32, Self.cString(md5Expected).count >= 32 {
            verdict.notes.append("On the device the computed MD5 in that line is followed by stray characters: ESPHome 2025.12.7 never terminates the 33-byte buffer (ota_http_request.cpp:91, 178-179).")
        }
        if let latest = manifestInstall {
            verdict.notes.append(entity.installNote(latest: latest))
        }
        if case .connectFailed(let failure)? = detail {
            verdict.notes.append("The MD5 URL could not be fetched: \(failure.detail).")
        }
        finish(verdict)
    }

    private mutating func crash(_ cause: Cause, at time: Int) {
        guard verdict == nil else { return }
        var verdict = Verdict(result: .deviceCrash, code: 0, name: "", message: log.headline, stage: .url, deviceTimeMs: time, cause: cause)
        verdict.log = log.lines
        finish(verdict)
    }

    private mutating func stillWaiting(_ cause: Cause, stage: Verdict.Stage, at time: Int) {
        guard verdict == nil else { return }
        var verdict = Verdict(result: .stillWaiting, code: 0, name: "", message: log.headline, stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log.lines
        finish(verdict)
    }

    private mutating func finish(_ verdict: Verdict) {
        exchanges.closeLast(at: verdict.deviceTimeMs, digestsOfWritten: digests, written: written)
        self.verdict = verdict
        phase = .finished
    }
}
