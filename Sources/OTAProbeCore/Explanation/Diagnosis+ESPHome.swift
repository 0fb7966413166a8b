/// Why and what to change for ESPHome's `ota.http_request` (spec esphome-and-tasmota.md part E),
/// in ESPHome's terms: the YAML keys a user can change (`md5_url:`, `buffer_size_tx:`,
/// `redirect_limit:`, `timeout:`) and the server's part.
extension Diagnosis {
    /// nil = no ESPHome-specific words for this cause (the shared ones fit).
    func esphomeExplanation(_ verdict: Verdict, last: Exchange?, body: BodyKind) -> (String, [String])? {
        let result = "\(verdict.resultName) (\(verdict.code))"
        if let client = profile.esphomeRules?.arduino, let special = esphomeArduinoExplanation(verdict, client: client, last: last, body: body) { return special }
        switch verdict.cause {
        case .updated:
            let size = last?.head?.size ?? 0
            return ("The server answered 200 with \(size) bytes and a Content-Length; the MD5 of what the device read matches the expected one, and esp_ota_end() verified the image, so do_ota_() returns OTA_RESPONSE_OK and the device reboots into it.", [])
        case .esphomeNoMD5:
            return ("ESPHome downloads nothing without an expected MD5: with neither md5: nor md5_url: set (or an empty one), do_ota_() returns OTA_MD5_INVALID (16) before any request and prints no line about it.",
                    ["Give the action md5: <32 lower-case hex digits> or md5_url: <URL of a file whose first 32 bytes are the MD5> (otaprobe: --expected-md5 or --md5-url)."])
        case .esphomeMD5URLFailed(let reason):
            let why: String
            switch reason {
            case .noAnswer: why = "The md5_url request got no answer at all (`Failed to connect to MD5 URL`)"
            case .emptyLength: why = "The md5_url answer had no usable Content-Length (absent, 0 or chunked, which esp_http_client reports as 0), so http_get_md5_() gives up without a line"
            case .tooShort(let length): why = "The md5_url answer's Content-Length is \(length), under the 32 bytes ESPHome reads"
            case .shortRead(let count): why = count == 0 ? "The md5_url answer gave no bytes to read" : "The last read of the md5_url answer returned \(count) bytes, not 32 (its bytes came in two parts with a pause of the timeout between, or the server closed)"
            }
            return ("\(why); do_ota_() returns \(result) and the image is never requested.",
                    ["Serve the MD5 file with a Content-Length of at least 32 and its 32 hex digits first (an md5sum line works), not chunked.", "Or give md5: in the YAML instead of md5_url:."])
        case .esphomeStatusNot200(let code):
            let detail = code == -1
                ? "No response head was read (the server closed or stayed silent for \(timeout) ms), so the status stays -1"
                : "The server's final answer was \(code); ESPHome's OTA goes on only with exactly 200 (ota_http_request.cpp:108), so \(code) is \(verdict.resultName) (\(verdict.code))"
            let fix = code == -1
                ? ["Make the server answer within \(timeout / 1000) s (http_request: timeout:)."]
                : (200..<300).contains(code)
                    ? ["Answer the GET with 200 and the whole image; ESPHome never asks for a range."]
                    : ["Make the URL answer 200 with the image for the device's request (see the request bytes with --verbose)."]
            return (detail + ". The http layer logs the URL and the code; the OTA code itself is not printed by flash().", fix)
        case .esphomeRedirectFailed(let code, let location, let reason):
            let target = location.map { " to \(Self.printable($0))" } ?? ""
            switch reason {
            case .limitReached:
                let limit = profile.esphomeRules?.redirects.limit ?? 3
                return ("The server answered \(code)\(target) after \(limit) redirects already followed; ESPHome's http layer follows at most redirect_limit (\(limit)) hops, logs `Reach redirect limit`, and the OTA fails with \(result).",
                        ["Point the device at the final URL, or raise http_request: redirect_limit:."])
            case .missingLocation:
                return ("The server answered \(code) without a usable Location, so esp_http_client_set_redirection() fails and perform() returns no answer: \(result).", ["Send a Location header with an absolute URL or a path starting with '/'."])
            default:
                return ("The server answered \(code)\(target), which esp_http_client cannot follow (\(reason.words)): \(result).", ["Redirect to an absolute http(s):// URL or a path starting with '/'."])
            }
        case .requestLineTooLong(let length):
            let buffer = profile.esphomeRules?.request?.txBufferBytes ?? 512
            return ("The request line for a \(length)-byte path does not fit esp_http_client's transmit buffer (buffer_size_tx: \(buffer)), so it logs `Out of buffer` and the open fails: \(result). Long signed redirect URLs (GitHub release assets) hit this.",
                    ["Set http_request: buffer_size_tx: 1024 (or 2048) in the YAML.", "Or serve the image from a URL with a shorter path and query."])
        case .esphomeStreamError(let received, let expected, let closed):
            let stop = Self.esphomeLineText(verdict, fallback: "Stream closed with error")
            return (closed
                    ? "The server closed the connection after \(received) of \(expected) bytes; the next read fails and ESPHome stops with `\(stop)`: \(result)."
                    : "The body stopped at \(received) of \(expected) bytes and no byte came for \(timeout) ms; the read times out and ESPHome stops with `\(stop)`: \(result).",
                    ["Make the server send the whole body it announced in Content-Length without pauses of \(timeout / 1000) s or more."])
        case .esphomeNothingRead(let chunked, let contentLength):
            let what = chunked ? "a chunked body" : contentLength == nil ? "no Content-Length" : "Content-Length \(Self.printable(contentLength ?? ""))"
            return ("The answer had \(what), which esp_http_client_fetch_headers() reports as length 0, so ESPHome's read loop reads nothing (`Done in 0 seconds`) and compares the MD5 of nothing with the expected one: \(result). The partition was erased for an image of unknown size all the same.",
                    ["Serve the image with a Content-Length (a static file, not a script streaming it chunked)."])
        case .esphomeImageTooBig(let length, let partition):
            return ("The Content-Length \(length) is bigger than the OTA partition (\(partition) bytes), so esp_ota_begin() refuses with ESP_ERR_INVALID_SIZE: \(result), logged as `backend->begin error: 137`.",
                    ["Build a smaller image, or use a partition table with bigger OTA slots (--partition-size tells otaprobe the device's)."])
        case .invalidMagicOnWrite(let byte) where last?.reusedConnection == true && devicePrefix(last).first.map { $0 != byte } == true:
            // The device's first write is not the served body's first byte: the body of the
            // same-host 3xx before it came first (spec E4.1) [derived, not run].
            return ("The device's first write began with 0x\(Self.hex(byte)), the body of the same-host redirect before the image: esp_http_client keeps the bytes that came with the 3xx head and returns them first over the reused connection, and ESPHome's redirect loop reads nothing in between, so the image the server sent (\(body.summary)) reached esp_ota_write() behind them. esp_ota_write() refuses the first write: \(result) [derived from the IDF source, not run on a device].",
                    ["Send the redirect without a body (Content-Length: 0), or redirect to another host or port, so esp_http_client drops the 3xx bytes and opens a new connection."])
        case .invalidMagicOnWrite(let byte):
            return ("The first byte of the body is 0x\(Self.hex(byte)), not the image magic 0xE9: esp_ota_write() refuses the first write and ESPHome stops with \(result). The body is \(body.summary).",
                    ["Serve the .ota.bin / firmware.bin of the ESP32 build (not a factory image, gzip, or an HTML page)."])
        case .md5Mismatch(let expected, let calculated):
            let upper = expected.count >= 32 && expected.prefix(32).lowercased() == calculated && expected.prefix(32) != calculated
            let why = upper
                ? "The expected MD5 '\(Self.printable(expected))' matches the download only when case is ignored; ESPHome compares with strncmp, so upper-case hex never matches: \(result)."
                : "The MD5 of the \(last?.body.bytesConsumedByDevice ?? 0) bytes the device read is \(calculated), not the expected '\(Self.printable(expected))' (only its first 32 characters count): \(result) after the whole download."
            return (why, upper ? ["Write the MD5 in lower-case hex."] : ["Publish the MD5 of exactly the file served at the URL (md5sum firmware.ota.bin).", "Check that the server sends that file unchanged (no compression, no proxy rewriting)."])
        case .imageRejected(let problem):
            return ("The whole image arrived and its MD5 matched, but esp_ota_end() refused it (\(problem)), so the backend ends with \(result) and the device keeps its firmware.",
                    ["Serve an image built for this chip and complete (esptool.py image_info shows both)."])
        case .connectFailed(let failure):
            let target = last.map { "\($0.host):\($0.port)" } ?? "the server"
            return ("The connection to \(target) failed (\(failure.kind.words): \(failure.detail)); esp_http_client returns ESP_ERR_HTTP_CONNECT and ESPHome reports \(result).",
                    failure.kind == .tlsHandshake
                        ? ["With verify_ssl: true the server's chain must end at a root in ESP-IDF's certificate bundle; otherwise set verify_ssl: false."]
                        : ["Check that the server listens there and is reachable from the device."])
        case .connectionLostBeforeHeaders, .headerTimeout:
            return ("No complete response head arrived (the server \(verdict.cause == .headerTimeout ? "was silent for \(timeout) ms" : "closed first")); esp_http_client_fetch_headers() fails, the status stays -1 and ESPHome reports \(result).",
                    ["Make the server answer the GET within \(timeout / 1000) s (http_request: timeout:)."])
        case .esphomeUpToDate(let version):
            return (version.isEmpty
                    ? "The manifest's version is empty, which the update entity takes as nothing new: UPDATE_STATE_NO_UPDATE, nothing is downloaded."
                    : "The manifest offers version \(Self.printable(version)), which is the version the device runs (ESPHOME_PROJECT_VERSION, or ESPHome's own; --current-version): the update entity is UPDATE_STATE_NO_UPDATE and nothing is downloaded. ESPHome compares the strings for equality only.",
                    ["Nothing to change if the device is up to date; otherwise publish a different version string."])
        case .esphomeManifestUnusable(let problem):
            switch problem {
            case .fetchFailed(let code):
                return (code == -1 ? "The manifest request got no answer with a status line, so update_task logs `Failed to fetch manifest` and the entity shows the error; nothing is installed."
                        : "The manifest URL answered \(code); the update entity needs exactly 200, logs `Failed to fetch manifest` and installs nothing.",
                        ["Serve the manifest with 200 at the update component's source: URL."])
            case .allocationFailed(let bytes):
                return (bytes == 0
                        ? "The manifest came without a Content-Length (chunked or length-less), which esp_http_client reports as 0; update_task allocates a buffer of that size, gets none, and logs `Failed to allocate 0 bytes for manifest`: no update is ever seen."
                        : "The manifest came without a Content-Length (chunked or length-less), which Arduino's HTTPClient reports as -1, 4294967295 as the size_t ESPHome keeps; update_task asks for a buffer of that size, gets none, and logs `Failed to allocate \(bytes) bytes for manifest`: no update is ever seen.",
                        ["Serve the manifest as a static file with a Content-Length."])
            case .parseError(let error):
                return ("The manifest is not JSON the device can read (\(error)), so update_task logs `Failed to parse JSON` and installs nothing.",
                        ["Serve valid JSON with a Content-Length that covers all of it."])
            case .cutShort(let received, let expected, let pause, let error):
                return ("The server sent \(received) of the manifest's \(expected) bytes and then paused (nothing new for more than \(pause) ms). ESPHome 2025.12's read on the Arduino framework does not wait: a read that finds the socket buffer empty returns 0, update_task's loop ends, and it parses the part it has (\(error)): `Failed to parse JSON`, nothing is installed. Over Wi-Fi such gaps are common, so the same server can fail at random.",
                        ["Send the manifest in one write (a static file: a manifest fits in one TCP segment).", "Or move the device to ESPHome 2026.x, whose read loop waits for data."])
            case .missingFields:
                return ("The manifest lacks what ESPHome requires: string `name` and `version`, a `builds` list whose every build up to the device's has a string `chipFamily`, and for the device's build an `ota` object with string `path` and `md5`.",
                        ["Add the missing fields (an ESP Web Tools manifest needs `ota` added for ESPHome)."])
            case .noBuild(let variant):
                return ("No build in the manifest has `chipFamily` \(variant), the device's variant, so update_task logs only `Failed to parse JSON` and installs nothing.",
                        ["Add a build with \"chipFamily\": \"\(variant)\" (the exact, case-sensitive name), or check --chip."])
            case .urlInvalid(let url):
                return ("The build's ota.path resolves to '\(Self.printable(url))', which set_url() refuses (it must start with \"http\", contain \"://\" and be 8 characters or more), so flash() finds no URL and returns without a result: the entity stays installing.",
                        ["Write ota.path as an absolute http(s):// URL or a path relative to the manifest without \"http\" elsewhere in it."])
            }
        case .tlsNoServerVerification:
            return ("The http:// URL redirected to https://. ESPHome attaches the certificate bundle only when the URL it was given contains \"https:\", so the TLS connection after the redirect has no way to verify the server, and with verify_ssl: true esp-tls refuses before the handshake: ESP_ERR_HTTP_CONNECT, \(result).",
                    ["Give the device the https:// URL itself (then the bundle is attached).", "Or serve the image over plain http:// without the redirect, or set verify_ssl: false."])
        case .reusedConnectionClosed(let url):
            return ("The redirect to \(Self.printable(url)) kept the host and port, so esp_http_client sent the next request over the connection it already had (ESPHome's redirect loop closes nothing), but the server had closed it: no status line comes back (Code: -1) and ESPHome reports \(result).",
                    ["Keep the connection alive after a same-host redirect (HTTP/1.1 keep-alive, as nginx and Apache do), or redirect to another host or port.", "Or point the device at the final URL."])
        case .urlRefused where verdict.result != .deviceCrash:
            return ("username: and password: are set, so ESPHome puts them after the URL's '://', but the URL has none at position 4 or later: `Incorrect URL prefix`, \(result), and nothing is sent.",
                    ["Write the URL as http(s)://host/path."])
        case .urlRefused:
            return ("esp_http_client_init() could not parse the URL and returned NULL; ESPHome 2025.12.7 uses the handle without checking it (http_request_idf.cpp:112-125), so the device crashes and reboots [derived from the source].",
                    ["Write the URL as http(s)://host[:port]/path, without spaces or line breaks."])
        case .sendFailed(let detail):
            return ("The request could not be written (\(detail)); ESPHome reports \(result).", ["Check the server's connection handling."])
        default:
            return nil
        }
    }

    func esphomeSummary(_ cause: Cause) -> String? {
        if profile.esphomeRules?.arduino != nil, let special = esphomeArduinoSummary(cause) { return special }
        switch cause {
        case .updated: return "valid image, MD5 matches: flashed, device reboots"
        case .esphomeNoMD5: return "no md5 / md5_url: nothing downloaded"
        case .esphomeMD5URLFailed: return "md5_url gave no 32-byte MD5"
        case .esphomeStatusNot200(let code): return code == -1 ? "no response head" : "status \(code), not 200"
        case .esphomeRedirectFailed(let code, _, let reason): return "\(code) redirect not followed (\(reason.words))"
        case .esphomeStreamError(let received, let expected, _): return "body ended at \(received) of \(expected) bytes"
        case .esphomeNothingRead(let chunked, _): return chunked ? "chunked body read as length 0: MD5 of nothing" : "no Content-Length: MD5 of nothing"
        case .esphomeImageTooBig: return "Content-Length larger than the OTA partition"
        case .requestLineTooLong: return "request line over buffer_size_tx"
        case .reusedConnectionClosed: return "same-host redirect sent over a connection the server had closed"
        case .tlsNoServerVerification: return "redirect to https: no certificate bundle attached"
        case .esphomeUpToDate: return "manifest version is the running one: no update"
        case .esphomeManifestUnusable(let problem):
            switch problem {
            case .fetchFailed(let code): return code == -1 ? "manifest not fetched" : "manifest answered \(code), not 200"
            case .allocationFailed: return "manifest without Content-Length: not read"
            case .parseError(let error): return "manifest JSON: \(error)"
            case .cutShort(let received, let expected, _, _): return "buffer ran empty at \(received) of \(expected) manifest bytes: cut short"
            case .missingFields: return "manifest lacks required fields"
            case .noBuild(let variant): return "no build for \(variant)"
            case .urlInvalid: return "ota.path is not a usable URL"
            }
        case .md5Mismatch: return "MD5 of the download does not match"
        case .invalidMagicOnWrite: return "first byte is not 0xE9"
        case .imageRejected(let line): return "image rejected at the end: \(line)"
        default: return nil
        }
    }
}

extension DeviceProfile {
    var esphomeRules: ESPHomeProfile? { if case .esphome(let p) = self { return p } else { return nil } }

}

extension Diagnosis {
    /// The text of the device line a verdict leads with (after `]: `): the words of the
    /// release that produced it (2025.12's `Stream closed with error`, 2026.6's `Error reading
    /// data: -1`), or `fallback` when there is none.
    static func esphomeLineText(_ verdict: Verdict, fallback: String) -> String {
        let parts = verdict.message.split(separator: "]: ", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : fallback
    }
}
