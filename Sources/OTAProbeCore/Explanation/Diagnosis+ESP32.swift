/// Why and what to change for the ESP32 stacks (arduino-esp32 `HTTPUpdate`, ESP-IDF
/// `esp_https_ota`), where their answers differ from the ESP8266's.
extension Diagnosis {
    private var isIDF: Bool { profile.family == .espIDF }
    private var stackName: String { isIDF ? "esp_https_ota" : "HTTPUpdate" }

    /// nil = the shared (ESP8266-worded) explanation fits this stack too.
    func esp32Explanation(_ verdict: Verdict, last: Exchange?, body: BodyKind) -> (String, [String])? {
        let code = verdict.codeHex.map { "\(verdict.name) (\($0))" } ?? "\(verdict.code)"
        switch verdict.cause {
        case .updated where profile.family == .tasmota:
            // Tasmota's own copies: HTTPUpdateLight over TasUpdate (spec T3.4-T3.5), and the
            // restart is Tasmota's, after it publishes the result (support_tasmota.ino:1523-1535).
            return ("The server sent the image with a Content-Length, the first byte was 0xE9, and TasUpdate's end() had esp_ota_set_boot_partition() verify it (chip, checksum, SHA-256); HTTPUpdateLight returns HTTP_UPDATE_OK, Tasmota publishes {\"Upgrade\":\"Successful. Restarting\"} and restarts into the new firmware.", [])
        case .updated:
            return isIDF
                ? ("The image arrived whole, passed the chip-id check and esp_image_verify(); esp_https_ota() returns ESP_OK and the app reboots into it.", [])
                : ("The server sent the image with a Content-Length, the first byte was 0xE9, and Update.end() verified it (chip, checksum, SHA-256); HTTPUpdate returns HTTP_UPDATE_OK and reboots.", [])
        case .tlsNoServerVerification:
            return ("The http_config has no cert_pem, use_global_ca_store or crt_bundle_attach, so esp_https_ota_begin() refuses with \(code) before connecting (unless the build sets CONFIG_ESP_HTTPS_OTA_ALLOW_HTTP).",
                    ["Set crt_bundle_attach = esp_crt_bundle_attach (public CAs) or cert_pem = your server's root CA in esp_http_client_config_t."])
        case .updatedWithoutBootSwitch:
            return ("The partial-download HEAD gave no usable Content-Length (or the ranges delivered more than it said), so esp_https_ota_perform never reaches its SUCCESS state: the image is written and esp_ota_end() passes, but esp_ota_set_boot_partition() is never called. \(settings.advancedAPI ? "The advanced API sees esp_https_ota_is_complete_data_received() false." : "esp_https_ota() still returns ESP_OK, and the device keeps booting the old firmware.")",
                    ["Make the server send Content-Length on HEAD requests for the image (static file servers do).", "Or turn partial_http_download off."])
        case .notModified:
            if isIDF {
                return profile.espIDFRules?.ota.notModifiedIsError == true
                    ? ("The server answered 304 Not Modified; v5.5 reports it as ESP_ERR_HTTP_NOT_MODIFIED (0x7009) without logging an error.", ["Nothing to change if the device is up to date; otherwise answer 200 with the image."])
                    : ("The server answered 304. This IDF version accepts it as a success status, then finds no body: 'Complete headers were not received', ESP_FAIL.", ["Answer 200 with the image, or have the app skip the update itself; esp_https_ota has no 'no update' result before v5.5."])
            }
            return nil
        case .urlRefused(.invalidPort(let text)) where isIDF:
            return ("esp_http_client parses the URL with http_parser_parse_url(), which accepts a port of 1–5 digits up to 65535; '\(Self.printable(text))' is not one, so esp_http_client_init() fails ('Error parse url', 'Failed to set URL') and esp_https_ota_begin returns ESP_FAIL before connecting. (The Arduino cores instead keep the low 16 bits and connect to another port.)",
                    ["Write the server's real port (1–65535) in the URL."])
        case .urlRefused:
            guard isIDF else { return nil }
            if case .urlRefused(.unparsable(let byte)) = verdict.cause {
                return ("esp_http_client could not parse the URL: http_parser stops at byte 0x\(Self.hex(byte)) (a space, tab or line break), so nothing was sent.",
                        ["Trim the URL (a line end read with it from a file or a reply) and encode spaces as %20."])
            }
            return ("esp_http_client could not parse the URL, so nothing was sent.", ["Write the URL as http(s)://host/path."])
        case .connectFailed(let failure):
            guard isIDF else {
                return failure.kind == .tlsHandshake
                    ? ("The TLS handshake failed (\(failure.detail)); HTTPClient reports every connect or TLS failure as -1 'connection refused'.", ["Check setCACert()/setInsecure() in the sketch and that the server offers TLS 1.2."])
                    : nil
            }
            let target = last.map { "\($0.host):\($0.port)" } ?? "the server"
            return ("The connection to \(target) failed (\(failure.kind.words): \(failure.detail)); esp_http_client reports ESP_ERR_HTTP_CONNECT, and esp_https_ota() returns \(code).",
                    ["Check that the server listens there and is reachable from the device (IPv4 first, then IPv6).", "The real begin error is visible with the advanced API or in the log lines."])
        case .headerTimeout:
            guard isIDF else { return nil }
            return ("No response bytes arrived within timeout_ms (\(timeout) ms); the begin fails and esp_https_ota() returns \(code).",
                    ["Make the server answer within \(timeout / 1000) s, or raise http_config.timeout_ms."])
        case .headerNeverCompleted(let bytes, let closed, let parser):
            let first = last?.head?.firstLine.map { " The first line was '\(Self.printable($0))'." } ?? ""
            let stop = parser.map { " http_parser stopped with \($0.rawValue) (\($0.meaning))." } ?? ""
            return ("esp_http_client's parser never completed the response head (\(bytes) bytes seen).\(first)\(stop) It does not report parse errors: it waits until the peer \(closed ? "closed, then the begin fails" : "is silent for timeout_ms"), and esp_https_ota() returns \(code).",
                    ["Send a standard head: 'HTTP/1.1 200 OK', header lines with ':', one Content-Length of at most 19 digits, a blank line, and under 80 KB in total."])
        case .bodyFramingRefused(let error, let written, let closed):
            let end = closed
                ? "the server closed, the read failed and esp_https_ota_perform returned ESP_FAIL"
                : "the server went silent: each read times out after \(timeout) ms, perform answers IN_PROGRESS and is called again, forever"
            return ("The chunked body's framing stopped http_parser with \(error.rawValue) (\(error.meaning)) after \(written) image bytes. esp_http_client ignores the parser's error, so the device read and dropped everything that followed until \(end).",
                    ["Send the body with Content-Length, or chunk sizes of plain hex (at most 15 digits) followed by CRLF."])
        case .parserStoppedServerStillSending(let error, let read, let inBody):
            return ("http_parser stopped with \(error.rawValue) (\(error.meaning)) \(inBody ? "in the chunked body" : "in the response head"). esp_http_client ignores the parser's error and goes on reading and dropping whatever the server sends: the device returns only when the server closes (ESP_FAIL) or stays silent for \(timeout) ms\(inBody ? " (then it retries forever)" : " (then the header timeout)"). The server was still sending after \(read) bytes, where otaprobe stopped: its limit, not the device's.",
                    inBody ? ["Send the body with Content-Length, or chunk sizes of plain hex followed by CRLF."] : ["Send a standard head: one Content-Length of at most 19 digits, header lines under 80 KB in total."])
        case .connectionLostBeforeHeaders:
            return isIDF ? ("The server closed the connection before the end of the headers; the begin fails and esp_https_ota() returns \(code).", ["Check the server's error log for the request (HTTP/1.1, User-Agent 'ESP32 HTTP Client/1.0')."]) : nil
        case .fileNotFound, .forbidden, .statusRejected:
            guard isIDF else { return nil }
            let status = last?.head?.code ?? 0
            return ("The server answered \(status); _http_handle_response_code logs it and the begin fails, so esp_https_ota() returns \(code).",
                    status == 404 ? ["Check the path and its case on the server; for GitHub use the release asset link."] : ["Make the URL answer 200 with the image for the device's request (see it with --verbose)."])
        case .unauthorized:
            return ("The server answered 401. HTTPUpdate has no special code for it here (on arduino-esp32, -108 means 'no partition'), so it is -104 'Wrong HTTP Code'.",
                    profile.esp32ArduinoRules?.request.supportsSetAuthorization == true
                        ? ["Put the credentials in the URL (http://user:pass@host/…) or call httpUpdate.setAuthorization(user, pass)."]
                        : ["Put the credentials in the URL (http://user:pass@host/…); this core has no HTTPUpdate::setAuthorization()."])
        case .unauthorizedRetries(let cap):
            if let cap {
                return ("The server answered 401 to the request and to all \(cap) retries (max_authorization_retries); esp_https_ota() returns \(code).",
                        ["Set http_config.username/password with auth_type = HTTP_AUTH_TYPE_BASIC, or serve the image without authentication."])
            }
            return ("The server answers every request with 401, and this IDF version retries without limit: once esp_http_client_add_auth() has spent its own 10 tries, the device sends the same request again and again. otaprobe replayed it \(Limits.loopReplays) more times and got 401 each time, so esp_https_ota() never returns.",
                    ["Configure credentials (username/password/auth_type) or remove authentication for the image."])
        case .unauthorizedNotSupported:
            return ("The server asks for Basic authentication, which the default build does not enable (CONFIG_ESP_HTTP_CLIENT_ENABLE_BASIC_AUTH=n); v5.5 fails at once with ESP_ERR_NOT_SUPPORTED (0x106).",
                    ["Set auth_type = HTTP_AUTH_TYPE_BASIC with username/password in http_config, or enable the Kconfig option."])
        case .rangeNotSatisfiable:
            return ("The server answered 416 Range Not Satisfiable; v5.5 reports ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE (0x700A).", ["Serve the file with Range support, or turn partial download off."])
        case .redirectNotFollowed(let code, let location, let reason) where !isIDF:
            let target = location.map { " to \($0)" } ?? ""
            var why = "The server answered \(code), redirecting\(target). "
            switch reason {
            case .disabled: why += "HTTPUpdate does not follow redirects unless the sketch calls httpUpdate.setFollowRedirects(HTTPC_STRICT_FOLLOW_REDIRECTS); the 3xx becomes -104 'Wrong HTTP Code'. curl and browsers follow it, which is why the URL 'works' there."
            case .codeNotFollowed: why += "HTTPClient follows only 301, 302, 303 and 307; a \(code) (308 in particular) is handed back as -104."
            case .schemeChange: why += "HTTPClient only follows a Location with the same scheme, so http→https or https→http ends as -104."
            default: why += "HTTPClient does not follow it (\(reason.words)), so it is -104."
            }
            let fix = reason == .disabled ? ["Or call httpUpdate.setFollowRedirects(HTTPC_STRICT_FOLLOW_REDIRECTS) before update()."] : []
            return withRedirectTarget(location: location, last: last, why: why, fix: fix)
        case .redirectLoop(let cycle):
            let turn = (cycle + cycle.prefix(1)).map(Self.printable).joined(separator: " → ")
            return ("esp_https_ota follows 301–308 itself with no hop limit (max_redirection_count only limits esp_http_client_perform()). The redirects go round a loop, \(turn), and the device requests the same URLs in the same state again and again: otaprobe replayed the loop \(Limits.loopReplays) more times and got the same answers, so esp_https_ota() never returns.",
                    ["Break the redirect loop on the server, or point the device at the final URL."])
        case .redirectRejected(let status, let location, let reason):
            let detail: String
            switch reason {
            case .missingLocation: detail = "the \(status) has no Location header"
            case .schemeChange where verdict.code == 0x700D: detail = "v5.5 refuses a redirect from an https URL to anything but https:// (\(location ?? ""))"
            case .relativeWithoutSlash: detail = "the Location '\(location ?? "")' is relative without a leading '/', which esp_http_client cannot parse"
            case .limitReached: detail = "esp_http_client_perform() (the partial-download HEAD) stopped after \(profile.espIDFRules?.redirects.performLimit ?? 10) redirects"
            case .invalidPort: detail = "the Location '\(Self.printable(location ?? ""))' has a port that is not 1–65535, so http_parser_parse_url() refuses it ('Error parse url') and esp_http_client_set_url() returns ESP_ERR_INVALID_ARG"
            default: detail = "the Location '\(location ?? "")' cannot be followed"
            }
            guard location?.isEmpty == false else {
                return ("The redirect fails: \(detail); esp_https_ota() returns \(code).", ["Send an absolute https:// Location, or point the device at the final URL."])
            }
            return withRedirectTarget(location: location, last: last, why: "The redirect fails: \(detail); esp_https_ota() returns \(code).",
                                      fix: ["Or send an absolute https:// Location the device can follow."])
        case .lengthNotReported(_, let chunked):
            guard !isIDF else { return nil }
            let idf = espIDFWouldAccept(last, chunked: chunked).map { " " + $0 } ?? ""
            return ("HTTPUpdate needs a positive Content-Length (\(chunked ? "the body is chunked" : "there is none")) and stops with -101.\(idf)",
                    ["Serve the .bin as a static file with Content-Length, and disable compression/buffering that switches to chunked."])
        case .noOTAPartition:
            return ("The device has no OTA partition to write to (partition table without ota_0/ota_1): -108 'Partition Could Not be Found'.", ["Flash a partition scheme with two OTA slots (e.g. 'Default 4MB with spiffs') over serial once."])
        case .notEnoughSpace(let length, let available, _) where !isIDF:
            return ("The image is \(length) bytes but the next OTA partition holds \(available); HTTPUpdate refuses before reading (-100).", ["Choose a partition scheme with larger app slots (e.g. 'Minimal SPIFFS'), or shrink the image."])
        case .tooFewBytesForHeaderCheck where !isIDF:
            let tls = last?.tls ?? false
            return (tls ? "No body byte arrived within the secure client's Stream timeout after the headers, so peek() returned -1 and HTTPUpdate reports -106."
                        : "HTTPUpdate waits 100 ms after the headers and then peeks without blocking; no body byte had arrived by then, so peek() returned -1 and it reports -106, even if the image follows later.",
                    ["Send the body right after the headers (static file serving does); scripts that pause or flush only the headers trigger this."])
        case .badMagic(let first) where !isIDF:
            var why = "An ESP32 image starts with 0xE9; this body starts with 0x\(Self.hex(first)): \(body.summary). HTTPUpdate's peek() sees it and reports -106."
            var fixes = ["Serve the application .bin the build writes (not a web page, a merged factory image or an ELF)."]
            if let advice = HostingAdvisor.advise(url: last?.url ?? settings.url, body: body, prefix: last?.body.prefix ?? []) {
                why += " \(advice.host): \(advice.problem)."
                if let raw = advice.rawURL { fixes.insert("Use the raw file link: \(raw).", at: 0) }
            }
            return (why, fixes)
        case .md5Mismatch(let expected, let calculated) where !isIDF:
            let caseOnly = expected.lowercased() == calculated && expected != calculated
            return (caseOnly ? "The x-MD5 is right but upper-case, and this core compares it case-sensitively with its lower-case result: error 7 after the whole download." : "The MD5 of the downloaded bytes (\(calculated)) differs from the expected \(expected): error 7 after the download.",
                    caseOnly ? ["Send x-MD5 in lower case (3.x lower-cases it itself)."] : ["Regenerate the MD5 from the exact file served."])
        case .bodyEndedEarly(let received, let expected, let closed):
            if isIDF {
                return ("The connection \(closed ? "closed" : "failed") after \(received) of \(expected) bytes; esp_https_ota_perform returns ESP_FAIL.", ["Make Content-Length match the file and check proxies or scripts that cut transfers short."])
            }
            return ("The body stopped at \(received) of \(expected) bytes. Update.writeStream() retries readBytes() 300 times, each waiting the Stream timeout plus 100 ms, then fails with error 6 'Stream Read Timeout' — about \(verdict.deviceTimeMs / 60000) minutes on the device.",
                    ["Make Content-Length equal to the file size and keep the transfer going (proxies, scripts, slow storage)."])
        case .imageRejected(let line):
            return isIDF
                ? ("The whole image was written, but esp_ota_end()'s esp_image_verify() refused it: '\(line)'. esp_https_ota() returns ESP_ERR_OTA_VALIDATE_FAILED (0x1503).", ["Serve the .bin built for this chip and IDF version, complete and unmodified."])
                : imageRejectedExplanation(line, last: last)
        case .chipIDMismatch(let expected, let found):
            return chipIDExplanation(expected: expected, found: found, last: last, body: body)
        case .chipRevisionMismatch(let line):
            return ("The image's chip revision range excludes this chip (\(identity.esp32.revisionText)): '\(line)'. v5.5 checks it before writing and returns 0x10A.", ["Rebuild with a minimum chip revision this chip meets (CONFIG_ESP32_REV_MIN), or pass --chip-revision."])
        case .imageHeaderIncomplete(let received, let needed):
            return ("esp_https_ota reads the first \(needed) bytes of the body before any check; only \(received) arrived before the body ended ('Complete headers were not received'), so it returns ESP_FAIL.",
                    ["Serve the real image (it is far larger than \(needed) bytes); an empty, 304 or tiny error body gives this."])
        case .invalidMagicOnWrite(let byte):
            return ("The chip id bytes matched by chance, but the first byte is 0x\(Self.hex(byte)), not 0xE9: esp_ota_write fails with ESP_ERR_OTA_VALIDATE_FAILED (0x1503).", ["Serve the application .bin, not another file."])
        case .partitionOverflow(let written, let partition):
            return ("The body (\(written) bytes so far) does not fit the \(partition)-byte OTA partition; esp_ota_write fails with ESP_ERR_INVALID_SIZE (0x104).", ["Use a partition table with larger OTA slots, or shrink the image; check --partition-size."])
        case .bodyStalledForever(let received):
            return ("The body stopped arriving after \(received) bytes while the connection stayed open. esp_http_client_read times out after \(timeout) ms, esp_https_ota_perform answers IN_PROGRESS and is called again — forever: esp_https_ota() never returns (TCP keep-alive is off by default).",
                    ["Fix the server or proxy that stalls; on the device, use the advanced API with your own overall deadline."])
        case .headStatus(let status):
            return ("Partial download starts with a HEAD, which must answer exactly 200; it answered \(status) ('Received incorrect http status'), so the begin fails and esp_https_ota() returns \(code).",
                    ["Make the server answer HEAD like GET (200 with Content-Length), or turn partial_http_download off."])
        case .closeDelimitedBodyRejected:
            return ("The body had neither Content-Length nor chunked framing, so it ends at the server's FIN; IDF v4.4's reader then fails ('data read -1, errno 0') and returns ESP_FAIL. v5.x accepts such a body.",
                    ["Send Content-Length (static file serving does)."])
        case .appDescriptorMissing:
            return ("esp_https_ota_get_img_desc() found no app descriptor magic (0xABCD5432) at offset 32: 'Incorrect app descriptor magic', ESP_FAIL — the body is not an app image.", ["Serve the application .bin."])
        case .requestLineTooLong(let length):
            return ("The request line (path and query: \(length) bytes) does not fit the 512-byte transmit buffer: 'Out of buffer', and the request is never sent.", ["Shorten the URL (signed URLs are long) or raise http_config.buffer_size_tx."])
        case .rangeMadeNoProgress(let offset):
            return ("A Range request from offset \(offset) returned no bytes; the next loop sends the same Range again (otaprobe replayed it \(Limits.loopReplays) more times with the same answer), so the device loops forever.", ["Make the HEAD's Content-Length match the file, and answer ranges correctly."])
        case .resumeOffsetBeyondPartition(let offset, let partition):
            return ("The server answered the resumption Range with 206, but the resumed offset (\(offset) bytes written) lies past the end of the \(partition)-byte OTA partition: esp_ota_resume() refuses it and esp_https_ota_perform returns ESP_ERR_INVALID_ARG (0x102).",
                    ["Store ota_image_bytes_written only from a download into this partition, and reset it when the partition table or image changes."])
        case .reusedConnectionClosed(let url):
            return ("The next request (\(url)) stayed on the same host and port, so esp_http_client wrote it over the connection it already had open instead of connecting again — but the server had closed that connection after its previous answer. The read of the new answer meets the close, and esp_https_ota_begin fails with \(code).",
                    ["Keep the connection open after the redirect or 401 (HTTP/1.1 keep-alive, no 'Connection: close'), as most web servers do by default.",
                     "Or point the device at the final URL, or redirect to another host or port (which makes esp_http_client connect anew)."])
        case .resumptionNeedsAdvancedAPI:
            return ("esp_https_ota() refuses ota_resumption ('OTA resumption is not supported in esp_https_ota API') and returns ESP_ERR_NOT_SUPPORTED (0x106).", ["Use esp_https_ota_begin/perform/finish for resumption (--advanced-api)."])
        default:
            return nil
        }
    }

    func esp32Summary(_ cause: Cause) -> String? {
        switch cause {
        case .noOTAPartition: return "no OTA partition"
        case .reusedConnectionClosed: return "next request sent over a connection the server had closed"
        case .tlsNoServerVerification: return "no server verification configured"
        case .imageRejected(let line): return "image rejected at the end: \(line)"
        case .chipIDMismatch(let expected, let found): return "chip id \(found) ≠ \(expected)"
        case .chipRevisionMismatch: return "chip revision outside the image's range"
        case .imageHeaderIncomplete(let received, let needed): return "only \(received) of \(needed) header bytes"
        case .invalidMagicOnWrite: return "first byte is not 0xE9"
        case .partitionOverflow: return "image larger than the OTA partition"
        case .redirectLoop(let cycle): return "redirect loop of \(cycle.count) URL\(cycle.count == 1 ? "" : "s"): never returns"
        case .redirectRejected(let code, _, let reason): return "\(code) redirect refused (\(reason.words))"
        case .unauthorizedRetries(let cap): return cap.map { "401 after \($0) retries" } ?? "401 forever: never returns"
        case .unauthorizedNotSupported: return "401 Basic challenge not supported"
        case .statusRejected(let code): return "status \(code) rejected"
        case .rangeNotSatisfiable: return "416 Range Not Satisfiable"
        case .bodyStalledForever(let received): return "body stalled at \(received) B: never returns"
        case .headerNeverCompleted(_, let closed, let parser):
            return (parser.map { "\($0.rawValue): " } ?? "") + (closed ? "head never completed, then closed" : "head never completed")
        case .bodyFramingRefused(let error, _, let closed): return "\(error.rawValue) in the chunked body\(closed ? "" : ": never returns")"
        case .parserStoppedServerStillSending(let error, let read, _): return "\(error.rawValue), server still sending after \(read) B; otaprobe stopped"
        case .headStatus(let code): return "HEAD answered \(code), not 200"
        case .updatedWithoutBootSwitch: return "written, but boot partition not switched"
        case .closeDelimitedBodyRejected: return "close-delimited body rejected (v4.4)"
        case .appDescriptorMissing: return "no app descriptor"
        case .requestLineTooLong: return "request line over 512 bytes"
        case .rangeMadeNoProgress: return "empty Range answer: loops forever"
        case .resumptionNeedsAdvancedAPI: return "resumption needs the advanced API"
        case .resumeOffsetBeyondPartition: return "resume offset past the OTA partition"
        case .unauthorized where profile.family == .esp32Arduino: return "401: Wrong HTTP Code"
        case .updated where isIDF: return "image written and verified: boot partition switched"
        default: return nil
        }
    }

    func esp32Notes(_ verdict: Verdict, exchanges: [Exchange]) -> [String] {
        var notes: [String] = []
        let gets = exchanges.filter { $0.request.starts(with: Array("GET".utf8)) }.count
        if isIDF {
            if exchanges.count > 1 {
                let reused = exchanges.filter(\.reusedConnection).count
                let connections = reused == 0 ? "each was a new connection here" : "\(exchanges.count - reused) connection\(exchanges.count - reused == 1 ? "" : "s"), \(reused) request\(reused == 1 ? "" : "s") sent over the connection already open"
                notes.append("The device made \(exchanges.count) requests (\(exchanges.count - gets) HEAD, \(gets) GET); \(connections).")
            }
            if let plain = exchanges.first(where: { $0.reusedConnection && !$0.tls && $0.url.prefix(8).lowercased() == "https://" }) {
                notes.append("The redirect to \(plain.url) kept the host and port, so esp_http_client sent the request over the plain connection it already had: no TLS handshake, no certificate check (esp_http_client_set_url closes the connection only for a new host or port).")
            }
            if !(exchanges.first?.tls ?? false) {
                notes.append("Plain http:// needs CONFIG_ESP_HTTPS_OTA_ALLOW_HTTP and no certificate option; without it esp_https_ota_begin refuses with ESP_ERR_INVALID_ARG before sending anything.")
            }
        } else if profile.family != .esphome, exchanges.count > max(1, verdict.attempts.count), profile.esp32ArduinoRules?.request.absoluteRedirectKeepsHeaders == false || exchanges.dropFirst().contains(where: { !String(decoding: $0.request, as: UTF8.self).contains("x-ESP32-") }) {
            // ESPHome never sends them (spec §1.1): nothing was cleared.
            notes.append("The redirected request carried no Cache-Control or x-ESP32-* headers (HTTPClient cleared them).")
        }
        if exchanges.contains(where: \.tls), profile.tlsCapabilities == nil {
            notes.append("This profile has no \"tls\" section: TLS was made with certificate checks off, like setInsecure(), without the device's mbedTLS limits and trust settings.")
        }
        return notes
    }
}

extension DeviceProfile {
    var espIDFRules: ESPIDFProfile? { if case .espIDF(let p) = self { return p } else { return nil } }
    var esp32ArduinoRules: ESP32ArduinoProfile? {
        if case .esp32Arduino(let p) = self { return p }
        // Tasmota's HTTPClientLight/HTTPUpdateLight are written in the same schema.
        if case .tasmota(let p) = self, case .esp32(let core) = p.updater { return core }
        return nil
    }
}
