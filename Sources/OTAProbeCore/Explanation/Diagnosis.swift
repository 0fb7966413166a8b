/// Turns a verdict's `Cause` into the two things a user needs: *why* in plain sentences, and
/// *what to change*. It reads the recorded exchanges (Location, body prefix) but decides
/// nothing: the verdict is already fixed by the model.
public struct Diagnosis: Sendable {
    public let profile: DeviceProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    /// Where a redirect the device stopped at leads, as the probe found it (nil when it was
    /// not fetched): the redirect advice names the target only when the device succeeds there.
    public var redirectTarget: RedirectTarget?

    public init(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings, redirectTarget: RedirectTarget? = nil) {
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.redirectTarget = redirectTarget
    }

    /// The verdict with `why`, `fix` and `notes` filled in.
    public func explain(_ verdict: Verdict, exchanges: [Exchange]) -> Verdict {
        var verdict = verdict
        let last = exchanges.last
        let body = BodyKind.recognize(devicePrefix(last))
        var (why, fix) = explanation(verdict, last: last, body: body)
        let delivered = DeliveredBody.prefix(of: last)
        (why, fix) = withServerWords(verdict, last: last, delivered: delivered, why: why, fix: fix)
        (why, fix) = withCompression(verdict, last: last, delivered: delivered, why: why, fix: fix)
        (why, fix) = withDirectoryRedirect(verdict, exchanges: exchanges, why: why, fix: fix)
        if case .tasmota(let tasmota) = profile {
            (why, fix) = TasmotaAdvice.adapt(verdict, why: why, fix: fix, profile: tasmota, attempts: verdict.attempts)
        }
        let misread = misreadPortSentence(exchanges)
        verdict.why = [misread, why].compactMap { $0 }.joined(separator: " ")
        verdict.fix = (misread == nil ? [] : ["Write the port the server listens on (1–65535) in the URL."]) + fix
        // The model's own notes (what only it saw: an unterminated MD5 buffer, reads that never
        // found the socket empty, a same-host redirect body in the image) come first; the
        // diagnosis adds its own after them, each note once.
        verdict.notes = Self.once(verdict.notes + notes(verdict, exchanges: exchanges) + SettingNotes.notes(profile: profile, settings: settings)
            + RequestSplitting.notes(identity: identity, settings: settings, exchanges: exchanges))
        verdict.summary = summary(verdict.cause, body: body)
        if profile.family == .tasmota { verdict.summary = TasmotaAdvice.summary(verdict.summary, attempts: verdict.attempts) }
        if let tls = verdict.tls { explainTLS(tls, in: &verdict) }
        explainTLSOverHTTP(in: &verdict, exchanges: exchanges)
        return verdict
    }

    /// `notes` in their first order, each text once (explaining an explained verdict again, or a
    /// model and the diagnosis saying the same thing, must not repeat it).
    static func once(_ notes: [String]) -> [String] {
        var seen = Set<String>()
        return notes.filter { seen.insert($0).inserted }
    }

    /// A TLS failure is one connect error to the sketch; the device's TLS client knows the
    /// cause, so its words replace the generic connect explanation (a crash keeps its own).
    private func explainTLS(_ tls: TLSFinding, in verdict: inout Verdict) {
        defer { verdict.notes = Self.once(verdict.notes + tls.notes) }
        guard tls.result == "failed" else { return }
        let text = verdict.message.isEmpty ? verdict.name : verdict.message
        var sees = verdict.codeHex.map { "the app only sees \(verdict.resultName) (\($0))" } ?? "the sketch only sees \(verdict.code) '\(text)'"
        if let errors = profile.tlsCapabilities?.connectErrors, let number = tls.deviceError, number != 0 {
            // Tasmota's HTTPClientLight: GET() returns base - getLastError() (§T3.4).
            sees = "GET() returns \(errors.base) - \(number) = \(errors.base - number), which HTTPUpdateLight logs as 'OTA: TLS connection error \(number) after … ms'; the console only says \(verdict.deviceLine)"
        }
        let detail = tls.deviceError.map { " \(tls.errorCall) returns \($0)\(tls.deviceErrorText.map { " (\($0))" } ?? "");" } ?? ""
        verdict.why = "The device's TLS client stops at the \(tls.decidedAt): \(tls.reason).\(detail) \(sees)."
        verdict.summary = "TLS: " + (tls.deviceErrorName.map { name in name + (tls.deviceError.map { " (\($0))" } ?? "") } ?? tls.reason)
        verdict.fix = tls.fix
    }

    /// The Arduino cores keep the port in a `uint16_t` set with `toInt()` (3.1.2:HC.h:250,
    /// 3.1.2:HC:172; arduino-esp32 HTTPClient.h `uint16_t _port`, A3.2.0 HTTPClient.cpp:241-295):
    /// a port they cannot hold is silently replaced, so the why names both. ESP-IDF refuses such
    /// a URL instead (its own cause).
    private func misreadPortSentence(_ exchanges: [Exchange]) -> String? {
        guard profile.family != .espIDF, profile.family != .esphome, let exchange = exchanges.first(where: { $0.writtenPort != nil }),
              let written = exchange.writtenPort else { return nil }
        let text = Self.printable(written)
        if !written.isEmpty, written.utf8.allSatisfy(\.isDigit) {
            return "The URL says port \(text), which does not fit in 16 bits: HTTPClient keeps the port in a uint16_t (`_port = host.toInt()`), so the device connects to port \(exchange.port), not \(text)."
        }
        return "HTTPClient reads the URL's port '\(text)' with toInt() into a uint16_t, so the device connects to port \(exchange.port)."
    }

    private var version: String { profile.title }
    var timeout: Int { profile.clientTimeoutMs(settings) }
    /// The Arduino cores' redirect rules (nil for ESP-IDF, whose rules are its own).
    private var redirectRules: ESP8266ArduinoProfile.RedirectRules? {
        switch profile {
        case .esp8266(let p): return p.redirects
        case .esp32Arduino(let p): return p.redirects
        case .espIDF: return nil
        case .esphome: return nil
        case .tasmota(let p): return p.redirects
        }
    }
    /// Tasmota on the ESP8266 is the ESP8266 core's client (`esp8266` is its core).
    private var isESP32: Bool { profile.esp8266 == nil }

    private func explanation(_ verdict: Verdict, last: Exchange?, body: BodyKind) -> (String, [String]) {
        if profile.family == .esphome, let special = esphomeExplanation(verdict, last: last, body: body) { return special }
        if isESP32, let special = esp32Explanation(verdict, last: last, body: body) { return special }
        switch verdict.cause {
        case .noOTAPartition, .imageRejected, .chipIDMismatch, .chipRevisionMismatch, .imageHeaderIncomplete, .invalidMagicOnWrite,
             .partitionOverflow, .redirectLoop, .redirectRejected, .unauthorizedRetries, .unauthorizedNotSupported, .statusRejected,
             .rangeNotSatisfiable, .bodyStalledForever, .headerNeverCompleted, .bodyFramingRefused, .parserStoppedServerStillSending, .headStatus, .updatedWithoutBootSwitch,
             .closeDelimitedBodyRejected, .appDescriptorMissing, .requestLineTooLong, .rangeMadeNoProgress, .resumptionNeedsAdvancedAPI, .resumeOffsetBeyondPartition, .tlsNoServerVerification, .reusedConnectionClosed:
            return esp32Explanation(verdict, last: last, body: body) ?? ("", [])
        case .esphomeNoMD5, .esphomeMD5URLFailed, .esphomeStatusNot200, .esphomeRedirectFailed, .esphomeStreamError, .esphomeNothingRead, .esphomeImageTooBig, .esphomeManifestUnusable, .esphomeUpToDate, .esphomeBufferRanEmpty:
            return esphomeExplanation(verdict, last: last, body: body) ?? ("", [])
        case .probeStopped(let stop):
            return probeStopExplanation(stop, last: last)
        case .updated:
            let size = last?.head?.size ?? 0
            return ("The server sent \(size) bytes with a matching Content-Length and an image the device accepts; it would flash it and reboot.", [])
        case .notModified:
            return ("The server answered 304 Not Modified, which httpUpdate reports as HTTP_UPDATE_NO_UPDATES (getLastError() keeps its previous value, 0 after a boot).",
                    ["Nothing to change if the device already runs the newest firmware; otherwise make the server answer 200 with the image."])
        case .urlRefused(.noScheme):
            return ("The URL has no scheme, so HTTPClient::begin() fails and GET() returns -1 without sending anything.", ["Write the URL as http://host/path."])
        case .urlRefused(.unparsable(let byte)):
            return ("The URL holds a byte (0x\(Self.hex(byte))) that the URL parser refuses, so nothing was sent.", ["Trim the URL (a line end read with it) and encode spaces as %20."])
        case .urlRefused(.invalidPort(let text)):
            return ("The URL's port '\(Self.printable(text))' is not a port number from 1 to 65535, so the URL is refused and nothing is sent.", ["Write the server's real port in the URL."])
        case .urlRefused(.unsupportedScheme(let scheme)):
            let lower = scheme.lowercased()
            if lower == "http" || lower == "https" {
                return ("This core compares the scheme case-sensitively: '\(scheme)' is not 'http' or 'https', so begin() fails and GET() returns -1 without sending a byte.",
                        ["Write the scheme in lower case: \(lower)://…"])
            }
            return ("HTTPClient only knows http and https; '\(scheme)' makes begin() fail, and GET() returns -1 without sending anything.", ["Serve the firmware over http:// or https://."])
        case .connectFailed(let failure):
            return connectExplanation(failure, last: last)
        case .sendFailed(let detail):
            return ("The connection was closed before the request could be written (\(detail)); HTTPClient reports -2.",
                    ["Check that the server (or a firewall) does not drop connections right after accepting them."])
        case .sendFailedOnReusedSocket:
            return ("This core writes a path-only redirect onto the old socket while the redirect's body is still buffered; the server had already closed it, so sending fails with -2.",
                    ["Point the device at the final URL instead of relying on the redirect.", "Or send the redirect with an absolute Location URL (http://host/path), which opens a new connection."])
        case .connectionLostBeforeHeaders:
            let got = last?.responseHead.count ?? 0
            let what = got == 0 ? "without sending anything" : "after \(got) bytes, before the blank line that ends the headers"
            return ("The server closed the connection \(what); HTTPClient reports -5 (a faster close can show as -4 on the device).",
                    ["Look at the server's error log: the script or proxy likely crashed or rejected the request (the device sends HTTP/1.0 with x-ESP8266-* headers).",
                     "Try the exact request with `otaprobe check --verbose` to see the bytes sent."])
        case .headerTimeout:
            return ("No complete header line arrived for \(timeout) ms (the client timeout), so HTTPClient gave up with -11.",
                    ["Make the server answer within \(timeout / 1000) s (slow scripts, sleeping backends, or a port that accepts but never answers).",
                     "Or raise the timeout in the sketch (setClientTimeout() on 3.1.2, the ESP8266HTTPUpdate constructor before)."])
        case .unsupportedTransferEncoding(let encoding):
            return ("The response has 'Transfer-Encoding: \(encoding)'. HTTPClient accepts only 'chunked'; anything else ends header parsing with -9.",
                    ["Serve the .bin as a static file with a Content-Length and no transfer coding (disable compression for it)."])
        case .noHTTPServer(let firstLine):
            let seen = firstLine.map { "'\(Self.printable($0))'" } ?? "nothing usable"
            let hint: String
            if let line = firstLine, line.hasPrefix("HTTP/2") { hint = " The server answered with HTTP/2, which the device cannot read." }
            else if let line = firstLine, line.lowercased().hasPrefix("http/1.") { hint = " The status line is not upper-case 'HTTP/1.', which the device requires." }
            else { hint = "" }
            return ("The device looks for a line starting 'HTTP/1.' with a numeric code; the first line was \(seen).\(hint) It reports \(verdict.code) (\(verdict.message)).",
                    ["Make sure the URL points at an HTTP/1.x server (not a TLS port with http://, not another protocol).",
                     "Serve a standard status line such as 'HTTP/1.1 200 OK'."])
        case .negativeStatus(let code):
            return ("The status line carries a negative code (\(code)); this core passes it through as the error code.", ["Send a standard status line such as 'HTTP/1.1 200 OK'."])
        case .statusNotHandled(let code):
            return statusExplanation(code, last: last)
        case .redirectNotFollowed(let code, let location, let reason):
            return redirectExplanation(code: code, location: location, reason: reason, last: last)
        case .fileNotFound:
            return ("The server answered 404 Not Found for \(last?.url ?? "the URL").", ["Check the path and its upper/lower case on the server; for GitHub, link the release asset (…/releases/download/TAG/FILE), not the page."])
        case .forbidden:
            return ("The server answered 403 Forbidden.", ["Check file permissions, IP allow-lists, hot-link protection, or an expired signed URL (S3/CloudFront)."])
        case .unauthorized(let asWrongCode):
            let fix = profile.esp8266?.update.unauthorizedCode != nil
                ? ["Put the credentials in the URL (http://user:pass@host/…) or call ESPhttpUpdate.setAuthorization(user, pass)."]
                : ["Put the credentials in the URL (http://user:pass@host/…): this core has no setAuthorization()."]
            return ("The server answered 401 Unauthorized\(asWrongCode ? "; this core has no special code for it, so it is 'Wrong HTTP Code'" : "").", fix)
        case .lengthNotReported(let contentLength, let chunked):
            return lengthExplanation(contentLength: contentLength, chunked: chunked, compressed: Compression.detect(last, delivered: DeliveredBody.prefix(of: last)) != nil)
        case .notEnoughSpace(let length, let available, let filesystem):
            let space = filesystem
                ? "the filesystem partition of layout \(identity.layout) is \(available) bytes"
                : "the free sketch space is \(available) bytes (layout \(identity.layout), running sketch \(identity.sketchSize) bytes)"
            return ("The image is \(length) bytes but \(space), so httpUpdate refuses before reading the body (-100).",
                    ["Choose a flash layout with a smaller filesystem (e.g. 4M1M instead of 4M2M) and flash it by serial once.",
                     "Or make the image smaller, or update in two steps through a minimal intermediate sketch."])
        case .streamGoneAfterHeaders:
            return ("The server closed the connection right after the headers, without a body; this core notices the missing stream and reports -5.",
                    ["Make the server send the file after the headers: a handler that answers like HEAD, or a script that exits before writing the body, causes this."])
        case .crashOnClosedStream:
            return ("The server closed the connection right after the headers, without a body. This core then dereferences a null stream (no check before 3.1.2): the device raises an exception and reboots instead of returning a code.",
                    ["Make the server send the body after the headers.", "Core 3.1.2 reports this case as -5 instead of crashing."])
        case .tlsCrash(let description):
            return ("During the TLS handshake \(description). The sketch prints nothing: the update call never returns.",
                    ["Serve a certificate with an RSA key of at most 4096 bits (2048 is usual) or an ECDSA P-256 key."])
        case .tooFewBytesForHeaderCheck(let received):
            return ("httpUpdate peeks at the first 4 body bytes and waits up to \(timeout) ms for them; only \(received) arrived, so it reports -106.",
                    ["Make the server send the body promptly after the headers, and serve a real image (at least its 4-byte header)."])
        case .peekSawShortSegment(let bytes):
            return ("The first TCP segment of the body carried only \(bytes) byte\(bytes == 1 ? "" : "s"); httpUpdate's 4-byte peek copies from that one segment (lwIP pbuf), gets fewer than 4 and reports -106, even though the rest of the image follows.",
                    ["Send the headers and the start of the body together, or the headers alone and then the body in large writes (static file serving does this).",
                     "A script that flushes the headers plus a few bytes and then pauses triggers this."])
        case .badMagic(let first):
            let expected = profile.esp8266?.update.acceptedMagic.contains(0x1F) == true ? "0xE9 (or 0x1F for a gzip image)" : "0xE9"
            var why = "An ESP8266 image starts with \(expected); this body starts with 0x\(Self.hex(first)): \(body.summary)."
            var fixes = magicFixes(body)
            if let advice = HostingAdvisor.advise(url: last?.url ?? settings.url, body: body, prefix: last?.body.prefix ?? []) {
                why += " \(advice.host): \(advice.problem)."
                if let raw = advice.rawURL { fixes.insert("Use the raw file link: \(raw).", at: 0) }
            }
            return (why, fixes)
        case .imageTooBigForFlash(let imageFlash, let chip):
            return ("The image header says it was built for a \(Self.size(imageFlash)) flash, but the chip has \(Self.size(chip)); httpUpdate refuses it (-107).",
                    ["Rebuild with the board's real Flash Size option (Tools → Flash Size), or pass --flash-size if the probe's chip size is wrong."])
        case .md5HeaderMalformed(let value):
            let twice = value.contains(",") ? " It looks like the header was sent twice and the device joined the values with ','." : ""
            return ("The expected MD5 must be exactly 32 hex characters; the device got '\(value)' (\(value.utf8.count) characters).\(twice) Update.setMD5() fails (-105), and the Updater stays busy until reboot, so later attempts fail with code 0.",
                    ["Send one x-MD5 header with the 32-character hex MD5 of the exact file, or none."])
        case .updaterStillRunning:
            return ("An earlier attempt in this boot failed with -105 (an x-MD5 that is not 32 characters) and returned without ending the Updater, so this attempt's Update.begin() fails without an error: code 0 and an empty text, whatever the server sends now, until the device restarts.",
                    ["Send one x-MD5 header with the 32-character hex MD5 of the exact file, or none, then restart the device before the next update."])
        case .bodyEndedEarly(let received, let expected, let closed):
            return ("The server promised \(expected) bytes (Content-Length) but \(closed ? "closed the connection" : "stopped sending") after \(received); the Updater waits, then fails with 'Stream Read Timeout'.",
                    ["Make Content-Length equal to the file's real size, and check proxies or scripts that cut the transfer short."])
        case .bodyLongerThanLength(let extra):
            return ("The server sent \(extra) bytes more than Content-Length; this core reads past the length into its buffer and the write never lines up, so it fails with error 6.",
                    ["Make Content-Length equal to the exact number of bytes sent."])
        case .md5Mismatch(let expected, let calculated):
            let caseOnly = expected.lowercased() == calculated && expected != calculated
            let why = caseOnly
                ? "The expected MD5 is right but in upper case, and this core compares it case-sensitively with its lower-case result."
                : "The MD5 the device computed over the bytes it received (\(calculated)) does not match the expected one (\(expected))."
            return (why + " It only finds out after downloading the whole image.",
                    caseOnly ? ["Send x-MD5 in lower-case hex."] : ["Regenerate x-MD5 from the exact file served (a different build, or the wrong file, is the usual cause)."])
        case .magicAfterDownload(let first, let second):
            return ("The body starts with 0x\(Self.hex(first)) 0x\(Self.hex(second)): httpUpdate's pre-check accepts a leading 0x1F as gzip, but after the download the Updater requires 1F 8B or 0xE9 and fails (error 10).",
                    ["Serve a real image (.bin) or a real gzip of it (.bin.gz)."])
        }
    }

    /// A short phrase for tables.
    private func summary(_ cause: Cause, body: BodyKind) -> String {
        if profile.family == .esphome, let special = esphomeSummary(cause) { return special }
        if let special = esp32Summary(cause) { return special }
        switch cause {
        case .noOTAPartition, .imageRejected, .chipIDMismatch, .chipRevisionMismatch, .imageHeaderIncomplete, .invalidMagicOnWrite,
             .partitionOverflow, .redirectLoop, .redirectRejected, .unauthorizedRetries, .unauthorizedNotSupported, .statusRejected,
             .rangeNotSatisfiable, .bodyStalledForever, .headerNeverCompleted, .bodyFramingRefused, .parserStoppedServerStillSending, .headStatus, .updatedWithoutBootSwitch,
             .closeDelimitedBodyRejected, .appDescriptorMissing, .requestLineTooLong, .rangeMadeNoProgress, .resumptionNeedsAdvancedAPI, .resumeOffsetBeyondPartition, .tlsNoServerVerification, .reusedConnectionClosed:
            return ""
        case .esphomeNoMD5, .esphomeMD5URLFailed, .esphomeStatusNot200, .esphomeRedirectFailed, .esphomeStreamError, .esphomeNothingRead, .esphomeImageTooBig, .esphomeManifestUnusable, .esphomeUpToDate, .esphomeBufferRanEmpty:
            return ""
        case .probeStopped(let stop): return probeStopSummary(stop)
        case .updated: return "valid image with Content-Length: flashed, device reboots"
        case .notModified: return "304: no update"
        case .urlRefused: return "URL refused by begin(); nothing sent"
        case .connectFailed(let failure): return "connect failed: \(failure.kind.words)"
        case .sendFailed, .sendFailedOnReusedSocket: return "request could not be written"
        case .connectionLostBeforeHeaders: return "server closed before the end of the headers"
        case .headerTimeout: return "no header line within \(timeout) ms"
        case .unsupportedTransferEncoding(let encoding): return "Transfer-Encoding '\(encoding)' is not supported"
        case .noHTTPServer: return "no usable HTTP/1.x status line"
        case .negativeStatus(let code): return "negative status code \(code) passed through"
        case .statusNotHandled(let code): return "status \(code) is not 200 or 304"
        case .redirectNotFollowed(let code, let location, let reason):
            return "\(code) → \(location ?? "(no Location)") not followed (\(reason.words))"
        case .fileNotFound: return "404 from the server"
        case .forbidden: return "403 from the server"
        case .unauthorized: return "401 from the server"
        case .lengthNotReported(_, let chunked): return chunked ? "chunked body, no Content-Length" : "no positive Content-Length"
        case .notEnoughSpace(let length, let available, _): return "image \(length) B > \(available) B free"
        case .streamGoneAfterHeaders: return "closed after the headers, no body"
        case .crashOnClosedStream: return "closed after the headers: null stream crash"
        case .tlsCrash: return "TLS handshake: device exception and reboot"
        case .tooFewBytesForHeaderCheck(let received): return "only \(received) body bytes for the 4-byte check"
        case .peekSawShortSegment(let bytes): return "first body segment had only \(bytes) bytes for the 4-byte peek"
        case .badMagic: return "body is \(body.summary)"
        case .imageTooBigForFlash(let image, let chip): return "image for \(Self.size(image)) flash, chip has \(Self.size(chip))"
        case .md5HeaderMalformed: return "expected MD5 is not 32 characters"
        case .updaterStillRunning: return "Updater still busy after an earlier -105"
        case .bodyEndedEarly(let received, let expected, _): return "body ended at \(received) of \(expected) bytes"
        case .bodyLongerThanLength(let extra): return "\(extra) bytes beyond Content-Length"
        case .md5Mismatch: return "MD5 of the download does not match"
        case .magicAfterDownload: return "downloaded data is neither 0xE9 nor gzip"
        }
    }

    private func connectExplanation(_ failure: ConnectionFailure, last: Exchange?) -> (String, [String]) {
        let target = last.map { "\($0.host):\($0.port)" } ?? "the server"
        let text = profile.esp8266?.errors.httpClient.first { $0.code == -1 }?.text ?? "connection failed"
        if let host = last?.host, host.hasPrefix("[") {
            return ("The URL holds an IPv6 literal. The device's URL parser splits the host at the first ':', so it tries host '\(host)' on port \(last?.port ?? 0), and its default build has no IPv6 anyway: -1 '\(text)'.",
                    ["Use an IPv4 address or a host name with an A record."])
        }
        switch failure.kind {
        case .nameResolution:
            return ("The host name could not be resolved (\(failure.detail)). The device reports every failed connect as -1 '\(text)'.",
                    ["Check the host name; the device uses the DNS server its Wi-Fi network hands out, and resolves IPv4 only."])
        case .refused:
            return ("Nothing accepted a TCP connection on \(target) (\(failure.detail)). The device reports it as -1 '\(text)'.",
                    ["Check that the server listens on that port and interface, and that no firewall rejects the device."])
        case .timedOut:
            return ("Connecting to \(target) timed out (\(failure.detail)). The device reports it as -1 '\(text)'.",
                    ["Check routing and firewalls between the device and the server; the device only uses IPv4."])
        case .tlsHandshake:
            return ("The TLS handshake with \(target) failed (\(failure.detail)). The device reports every TLS failure as -1 '\(text)'; the detail is only in getLastSSLError().",
                    ["Check the trust setting in the sketch (setInsecure, setFingerprint, setTrustAnchors) and that the server offers TLS 1.2."])
        case .other:
            return ("The connection to \(target) failed (\(failure.detail)); the device reports -1 '\(text)'.", ["Check that the server is reachable from the device's network."])
        }
    }

    private func statusExplanation(_ code: Int, last: Exchange?) -> (String, [String]) {
        var why = "httpUpdate only proceeds on 200 (and treats 304 as 'no update'); the server answered \(code), so it is -104 'Wrong HTTP Code'."
        var fix = ["Make the URL answer 200 with the image for the device's request (see the request bytes with --verbose)."]
        switch code {
        case 100..<200:
            why += " An interim 1xx response is returned as the code itself; the device does not wait for the final response."
            fix = ["Do not send 100 Continue or other 1xx responses to an HTTP/1.0 GET."]
        case 206:
            fix = ["Serve the whole file with 200; the device never asks for a range."]
        case 500..<600:
            fix = ["Fix the server-side error (see its error log); a script may choke on the HTTP/1.0 request or the \(updaterHeaders) headers."]
        default: break
        }
        return (why, fix)
    }

    private func redirectExplanation(code: Int, location: String?, reason: RedirectRefusal, last: Exchange?) -> (String, [String]) {
        let target = location.map { " to \($0)" } ?? ""
        var why = "The server answered \(code), redirecting\(target). "
        var fix: [String] = []
        switch reason {
        case .disabled:
            why += "This core does not follow redirects unless the sketch enables it, so the 3xx reaches httpUpdate as 'Wrong HTTP Code'. curl and browsers follow it silently, which is why the URL 'works' there."
            if redirectRules?.modes.contains("force") == true {
                fix.append("Or call ESPhttpUpdate.setFollowRedirects(HTTPC_STRICT_FOLLOW_REDIRECTS) before update() (same-scheme redirects only).")
            } else {
                fix.append("Or call ESPhttpUpdate.followRedirects(true) before update() (same-scheme redirects only).")
            }
        case .unsupportedByCore:
            why += "This core's HTTPClient has no redirect support at all; every 3xx is 'Wrong HTTP Code'."
            fix.append("Or upgrade the core (2.5.0+ can follow same-scheme redirects).")
        case .codeNotFollowed:
            why += "This core follows only \((redirectRules?.codesFollowed ?? []).map(String.init).joined(separator: ", ")) for httpUpdate's GET; \(code) is handed back as 'Wrong HTTP Code'."
            fix.append("Or make the server use a 302 or 301 redirect.")
        case .missingLocation:
            why += "The response has no Location header, so there is nothing to follow."
            fix.append("Add a Location header, or serve the file directly.")
        case .schemeChange:
            why += "The redirect changes the scheme; HTTPClient::setURL() only follows a Location that starts with the current scheme ('\(settingsScheme):', case-sensitive), so http→https (the usual 'force HTTPS' rule) is never followed."
            fix.append("Use the https:// URL directly with a WiFiClientSecure, or exempt the firmware path from the HTTPS redirect.")
        case .relativeWithoutSlash:
            why += "The Location is relative without a leading '/', which HTTPClient cannot follow."
            fix.append("Send an absolute path (/dir/fw.bin) or a full URL in Location.")
        case .limitReached:
            why += "The device had already followed \(redirectRules?.limit ?? 10) redirects, its limit; the next 3xx is 'Wrong HTTP Code' (a redirect loop ends here too)."
            fix.append("Remove the redirect loop or shorten the chain.")
        case .invalidPort:
            why += "The Location's port is not a port number from 1 to 65535, so the URL parser refuses it."
            fix.append("Send a Location with the server's real port.")
        }
        return withRedirectTarget(location: location, last: last, why: why, fix: fix)
    }

    private var settingsScheme: String {
        let scheme = settings.url.prefix { $0 != ":" }.lowercased()
        return scheme.isEmpty ? "http" : scheme
    }

    /// `compressed`: the server compressed the body, which is why it has no length; the
    /// compression fix goes first (`withCompression`), and "static files get a length" is
    /// not true of a server that compresses them.
    private func lengthExplanation(contentLength: String?, chunked: Bool, compressed: Bool) -> (String, [String]) {
        let why: String
        if chunked && contentLength == nil {
            why = "The server sent the body with 'Transfer-Encoding: chunked' and no Content-Length. httpUpdate needs a positive Content-Length to reserve flash, so it stops with -101. curl and browsers decode chunked bodies, which is why the download 'works' there."
        } else if let contentLength {
            why = "Content-Length is '\(contentLength)', which the device reads as \(ArduinoString.toInt(contentLength)); httpUpdate needs a positive size (-101)."
        } else {
            why = "The response has no Content-Length (the body simply ends when the connection closes). httpUpdate needs a positive Content-Length to reserve flash, so it stops with -101."
        }
        if compressed {
            return (why, ["Disable response buffering in proxies for .bin files too (they switch to chunked)."])
        }
        return (why, [
            "Serve the .bin as a static file: nginx and Apache send Content-Length for files.",
            "In a script, send the size yourself: PHP header('Content-Length: ' . filesize($f)); readfile($f); Node res.setHeader('Content-Length', size).",
            "Disable gzip/compression and response buffering in proxies for .bin files (they switch to chunked).",
        ])
    }

    private func magicFixes(_ body: BodyKind) -> [String] {
        switch body {
        case .html(let title):
            return ["The URL returns a web page\(title.map { " (\"\($0)\")" } ?? ""), not the file: use the raw download link (GitHub: /releases/download/…, raw.githubusercontent.com; Google Drive/Dropbox: the direct-download form), or fix the login/redirect that produces the page."]
        case .xml, .storageError:
            return ["The server returned an XML error document (typical of S3/GCS: expired or unsigned link, missing object): fix or re-sign the link."]
        case .chunkFraming:
            return ["The server sends chunked framing together with Content-Length; send the raw file with Content-Length only."]
        case .utf8ReencodedImage:
            return ["The script re-encodes the binary as UTF-8 text: send it as raw bytes (Node: res.end(buffer) without an encoding; PHP: readfile)."]
        case .shiftedImage(let offset):
            return ["Something prints \(offset) byte\(offset == 1 ? "" : "s") before the image (a BOM, a newline after '?>', an echo): remove it so the body starts with 0xE9."]
        case .gzip:
            return ["This core only accepts a raw 0xE9 image; serve the uncompressed .bin and disable Content-Encoding for it."]
        case .elf:
            return ["Serve the .bin the build writes beside the .elf (Sketch → Export compiled Binary, or build/*.ino.bin)."]
        default:
            return ["Serve the application image that the Arduino build writes (sketch.ino.bin), not an ELF, a merged factory image, or a text file."]
        }
    }

    private func notes(_ verdict: Verdict, exchanges: [Exchange]) -> [String] {
        var notes: [String] = []
        if isESP32 {
            var safeboot: TasmotaProfile.Safeboot?
            if case .tasmota(let tasmota) = profile { safeboot = tasmota.safeboot }
            return esp32Notes(verdict, exchanges: exchanges) + (profile.family == .tasmota ? TasmotaNotes.notes(verdict, exchanges: exchanges, safeboot: safeboot) : [])
        }
        if profile.family == .tasmota {
            notes += TasmotaNotes.notes(verdict, exchanges: exchanges)
        } else if exchanges.count > 1 {
            notes.append("The device followed \(exchanges.count - 1) redirect\(exchanges.count > 2 ? "s" : ""); the redirected request\(exchanges.count > 2 ? "s" : "") carried no x-ESP8266-* headers (HTTPClient clears them).")
        }
        if exchanges.contains(where: \.tls), profile.tlsCapabilities == nil {
            notes.append("This profile has no \"tls\" section: TLS was made with certificate checks off and TLS 1.0-1.2, like setInsecure(), without the device's cipher, buffer and trust limits.")
        }
        if case .badMagic = verdict.cause, let prefix = exchanges.last?.body.prefix, let chip = BodyKind.esp32ChipIDReading(prefix) {
            notes.append("An ESP32 fed these bytes would read chip id \(chip) at offset 12 and print 'Mismatch chip id, expected …, found \(chip)'.")
        }
        if case .connectionLostBeforeHeaders = verdict.cause, exchanges.last?.responseHead.isEmpty ?? true {
            // Why -5 and not -4: see ESP8266UpdaterModel.sendFailed. -4 needs the close to be
            // processed before handleHeaderResponse's first connected() check (3.0.2:HC:948-951):
            // only a yield after the write lets lwIP see it — wait_until_acked()/wait_until_sent()
            // with setDefaultSync(true) (2.5.2+: ClientContext.h `if (_sync)`), or StreamSend's
            // optimistic_yield(1000) in sendAll (3.0.x+, StreamSend.cpp:124) when the close is
            // back within the millisecond the device spends between connect() and its write.
            notes.append("On a real network the device reports -5 here, because it writes the request before it can see the server's close. It reports -4 'not connected' instead only if it notices the close before reading: with WiFiClient::setDefaultSync(true) in the sketch (core 2.5.2 and later), or on 3.x when the server is less than about 1 ms away.")
        }
        return notes
    }

    static func hex(_ byte: UInt8) -> String { String(byte: byte).uppercased() }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes >> 10) KB"
    }

    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "·" : Character($0) }.prefix(100))
    }
}
