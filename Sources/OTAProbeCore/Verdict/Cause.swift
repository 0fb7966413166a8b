/// Why the device ended where it did, as data: the explanation layer turns it into plain
/// sentences and fixes, and tests assert on it directly.
public enum Cause: Sendable, Equatable {
    case updated
    /// The probe stopped at one of its own bounds; the device had not decided yet.
    case probeStopped(ProbeStop)
    case notModified
    /// `begin()` refused the URL, so nothing was sent.
    case urlRefused(DeviceURL.Refusal)
    case connectFailed(ConnectionFailure)
    case sendFailed(detail: String)
    /// 2.5.2 wrote a path-only redirect onto the socket the server had already closed.
    case sendFailedOnReusedSocket
    /// ESP-IDF sent a redirect's or 401 retry's request over the connection it kept open
    /// (same host and port), but the server had closed it after the previous answer.
    case reusedConnectionClosed(url: String)
    case connectionLostBeforeHeaders
    case headerTimeout
    case unsupportedTransferEncoding(String)
    case noHTTPServer(firstLine: String?)
    /// A negative code parsed from the status line, passed through by old cores.
    case negativeStatus(Int)
    case statusNotHandled(Int)
    case redirectNotFollowed(code: Int, location: String?, reason: RedirectRefusal)
    case fileNotFound
    case forbidden
    case unauthorized(asWrongCode: Bool)
    case lengthNotReported(contentLength: String?, chunked: Bool)
    case notEnoughSpace(length: Int, available: Int, filesystem: Bool)
    case streamGoneAfterHeaders
    case crashOnClosedStream
    /// The device's TLS code faults during the handshake (the sentence says where and why).
    case tlsCrash(String)
    /// ESP-IDF: no cert_pem, global CA store or bundle configured, so begin refuses at once.
    case tlsNoServerVerification
    case tooFewBytesForHeaderCheck(received: Int)
    /// The first body segment held fewer than 4 bytes; the peek copies from it alone.
    case peekSawShortSegment(bytes: Int)
    case badMagic(firstByte: UInt8)
    case imageTooBigForFlash(imageFlashSize: Int, chipSize: Int)
    case md5HeaderMalformed(String)
    case bodyEndedEarly(received: Int, expected: Int, closed: Bool)
    case bodyLongerThanLength(extra: Int)
    case md5Mismatch(expected: String, calculated: String)
    case magicAfterDownload(firstByte: UInt8, secondByte: UInt8)

    // arduino-esp32 and ESP-IDF
    /// No passive OTA partition (`esp_ota_get_next_update_partition()` is NULL).
    case noOTAPartition
    /// The body reached its end but `esp_image_verify()` refused it (Arduino error 9,
    /// IDF ESP_ERR_OTA_VALIDATE_FAILED); the string is the bootloader_support log line.
    case imageRejected(String)
    /// IDF: bytes 12–13 of the body are not the firmware's chip id (`esp_ota_verify_chip_id`).
    case chipIDMismatch(expected: Int, found: Int)
    /// IDF v5.5: the image's min/max chip revision excludes this chip.
    case chipRevisionMismatch(String)
    /// IDF: fewer than `IMAGE_HEADER_SIZE` bytes before the body ended.
    case imageHeaderIncomplete(received: Int, needed: Int)
    /// IDF: `esp_ota_write` saw a first byte other than 0xE9.
    case invalidMagicOnWrite(UInt8)
    /// IDF: writing went past the end of the OTA partition.
    case partitionOverflow(written: Int, partition: Int)
    /// IDF follows redirects with no hop limit, and a request came back: the URLs of one turn
    /// of the cycle, oldest first (the last redirects to the first). Replayed
    /// `Limits.loopReplays` times before the verdict, so the server answered the same way.
    case redirectLoop(cycle: [String])
    /// IDF: a redirect it refuses or cannot parse (missing or relative Location, https → http).
    case redirectRejected(code: Int, location: String?, reason: RedirectRefusal)
    /// IDF: 401 answered to every retry; nil = no cap (v4.4 retries forever).
    case unauthorizedRetries(Int?)
    /// IDF v5.5: a 401 with a Basic challenge and no Basic auth configured.
    case unauthorizedNotSupported
    /// IDF: a 4xx/5xx that ends `_http_handle_response_code` (`Client error (%d)` …).
    case statusRejected(Int)
    /// IDF v5.5: 416 → ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE.
    case rangeNotSatisfiable
    /// IDF: the body stopped arriving and the connection stayed open; the OTA loop retries
    /// `esp_http_client_read` forever.
    case bodyStalledForever(received: Int)
    /// IDF: the header read made no progress (malformed head, or over the parser's limit) and
    /// the peer closed; or the header timeout ended the begin. `parser`: where http_parser
    /// stopped, when it did (the device itself never says).
    case headerNeverCompleted(bytes: Int, closed: Bool, parser: HTTPParserError?)
    /// IDF: http_parser refused the chunked framing of the body (`written` image bytes before);
    /// the device discarded what followed until the server closed (`closed`, ESP_FAIL) or went
    /// silent, when it retries the read forever.
    case bodyFramingRefused(HTTPParserError, written: Int, closed: Bool)
    /// IDF: http_parser had stopped and the server kept sending; the device reads and drops it
    /// all, returning only at a FIN or `timeout_ms` of silence. The probe stopped after `read`
    /// bytes (`Limits.headBytesRead` past the stop): not a device fact.
    case parserStoppedServerStillSending(HTTPParserError, read: Int, inBody: Bool)
    /// IDF partial download: the HEAD's status was not exactly 200.
    case headStatus(Int)
    /// IDF partial download: the HEAD had no Content-Length, so the image is written but the
    /// boot partition is never switched, and `esp_https_ota()` still returns ESP_OK.
    case updatedWithoutBootSwitch
    /// IDF v4.4: a body without Content-Length or chunking ends with a read error at the FIN.
    case closeDelimitedBodyRejected
    /// IDF advanced API: `esp_https_ota_get_img_desc` found no app descriptor magic.
    case appDescriptorMissing
    /// IDF: the request line does not fit the 512-byte transmit buffer (`Out of buffer`).
    case requestLineTooLong(Int)
    /// IDF partial download ran out of ranges without reaching the HEAD's length.
    case rangeMadeNoProgress(offset: Int)
    /// IDF v5.5: `esp_https_ota()` refuses `ota_resumption` (the advanced API is needed).
    case resumptionNeedsAdvancedAPI
    /// IDF v5.5: the resumed offset (`ota_image_bytes_written`) lies past the OTA partition,
    /// so `esp_ota_resume()` refuses it.
    case resumeOffsetBeyondPartition(offset: Int, partition: Int)

    // ESPHome
    /// ESPHome: no `md5:` and no `md5_url:`, so `do_ota_()` returns OTA_MD5_INVALID before
    /// any request, without a log line.
    case esphomeNoMD5
    /// ESPHome: the `md5_url` fetch gave no usable MD5 (see the reason).
    case esphomeMD5URLFailed(ESPHomeMD5URLFailure)
    /// ESPHome: the firmware answer's final status was not exactly 200 (after the http
    /// layer's redirects); -1 when no status line was read.
    case esphomeStatusNot200(Int)
    /// ESPHome: the http layer gave up on a redirect (Location, open failure, hop limit).
    case esphomeRedirectFailed(code: Int, location: String?, reason: RedirectRefusal)
    /// ESPHome: the OTA loop stopped with a read error (`Stream closed with error`): the
    /// server closed (`closed`) or went silent for `timeout` before Content-Length.
    case esphomeStreamError(received: Int, expected: Int, closed: Bool)
    /// ESPHome on ESP-IDF: Content-Length was 0 (absent, 0 or chunked), so the loop read
    /// nothing and hashed an empty image.
    case esphomeNothingRead(chunked: Bool, contentLength: String?)
    /// ESPHome: `esp_ota_begin` refused the Content-Length (bigger than the OTA partition).
    case esphomeImageTooBig(length: Int, partition: Int)
    /// ESPHome's update entity: the manifest could not be used (see the problem).
    case esphomeManifestUnusable(ESPHomeManifestProblem)
    /// ESPHome's update entity: the manifest's version equals the running one (or is empty).
    case esphomeUpToDate(version: String)
    /// ESP8266: an earlier update call of the same boot returned after -105 without ending
    /// the Updater, so this call's `Update.begin()` fails without an error: code 0, no text
    /// (esp8266-arduino.md §5.6; Tasmota's retries run into it).
    case updaterStillRunning
    /// ESPHome 2025.12 on an Arduino core: a read found the socket buffer empty (the server
    /// paused `pauseMs` or more) before `expected` bytes, the container's non-blocking read
    /// returned 0 and the OTA loop broke after `received` bytes (E4.3, E5 step 6).
    case esphomeBufferRanEmpty(received: Int, expected: Int, pauseMs: Int)
}

/// Why ESPHome's `update_task` gave up on a manifest (http_request_update.cpp:53-138), or its
/// install could not start (ota_http_request.cpp:36-48).
public enum ESPHomeManifestProblem: Sendable, Equatable {
    /// No answer, or a status other than 200 (-1: no status line).
    case fetchFailed(Int)
    /// The buffer of `content_length` bytes cannot be allocated: 0 (absent or chunked on
    /// esp_http_client) or 4294967295 (the same on Arduino's HTTPClient).
    case allocationFailed(bytes: Int)
    /// ArduinoJson refused the text (`No data to parse` when empty).
    case parseError(String)
    /// ArduinoJson refused the text because the read loop ended early: on the Arduino framework
    /// 2025.12's read found the socket buffer empty after `received` of `expected` bytes (the
    /// server paused `pauseMs`), and the loop broke (E4.3, E8).
    case cutShort(received: Int, expected: Int, pauseMs: Int, error: String)
    case missingFields
    /// No build whose `chipFamily` is the device's variant.
    case noBuild(variant: String)
    /// The resolved `ota.path` fails `validate_url_`, so the install never starts.
    case urlInvalid(String)
}

/// Why ESPHome's `http_get_md5_()` returned false (ota_http_request.cpp:225-267).
public enum ESPHomeMD5URLFailure: Sendable, Equatable {
    /// The request failed before any answer (`Failed to connect to MD5 URL`).
    case noAnswer
    /// Content-Length 0, absent or chunked: false without a log line.
    case emptyLength
    /// Content-Length under 32 (`MD5 file must be 32 bytes; …`).
    case tooShort(Int)
    /// The last read did not return 32 bytes (a pause of `timeout`, or the server closed).
    case shortRead(Int)
}

/// Why a 3xx was handed to httpUpdate (and became -104) instead of being followed.
public enum RedirectRefusal: String, Sendable, Equatable, Codable {
    case disabled
    case unsupportedByCore
    case codeNotFollowed
    case missingLocation
    case schemeChange
    case relativeWithoutSlash
    case limitReached
    /// ESP-IDF: the Location's port is not 1–5 digits up to 65535 (`http_parser_parse_url`).
    case invalidPort
}

/// A connection that could not be made, in transport-neutral terms.
public struct ConnectionFailure: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case nameResolution, refused, timedOut, tlsHandshake, other
    }
    public let kind: Kind
    public let detail: String
    /// ESP32: the mbedTLS code `mbedtls_ssl_handshake()` returned (negative), for the log line.
    public var tlsLibraryError: Int?
    /// A BearSSL client's engine error for the failed handshake (`br_ssl_engine_last_error()`,
    /// unmasked; 0 = the server closed without an alert), for clients that report it as a code.
    public var bearSSLError: Int?
    /// True when TCP connected and the ClientHello went out before the failure: a timeout then
    /// is the handshake's, not the connect's.
    public var handshakeStarted = false
    public init(kind: Kind, detail: String, tlsLibraryError: Int? = nil, bearSSLError: Int? = nil, handshakeStarted: Bool = false) {
        self.kind = kind
        self.detail = detail
        self.tlsLibraryError = tlsLibraryError
        self.bearSSLError = bearSSLError
        self.handshakeStarted = handshakeStarted
    }
}
