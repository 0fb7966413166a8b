/// ESP-IDF's `esp_https_ota` over `esp_http_client` at one IDF version, as data (spec part B,
/// with part E's confirmed facts winning). Each fact is cited in `cite`.
public struct ESPIDFProfile: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var aliases: [String]
    public var family: String
    public var title: String
    public var description: String
    public var source: String
    public var request: RequestRules
    public var response: ResponseRules
    public var redirects: RedirectRules
    public var ota: OTARules
    public var timeouts: Timeouts
    public var errors: [ErrorName]
    /// The TLS client's limits (`WiFiClientSecure` / mbedTLS); nil in profiles written before
    /// TLS was modelled, which then keep the old setInsecure-like handshake.
    public var tls: TLSCapabilities?
    public var cite: [String: String]

    public struct RequestRules: Codable, Sendable, Equatable {
        public var httpVersion: String
        /// `DEFAULT_HTTP_USER_AGENT` (`ESP32 HTTP Client/1.0`).
        public var userAgent: String
        /// `Content-Length: 0` on GET and HEAD (v4.4 … v5.3; dropped in v5.4).
        public var sendsContentLengthZero: Bool
        /// `buffer_size_tx` (512): the request line must fit, else `Out of buffer`.
        public var txBufferBytes: Int
    }

    public struct ResponseRules: Codable, Sendable, Equatable {
        /// `HTTP_MAX_HEADER_SIZE` of the bundled http_parser (80 KiB).
        public var maxHeaderBytes: Int
        /// v4.4 reads a close-delimited body as an error (`data read -1, errno 0`).
        public var closeDelimitedBodyAccepted: Bool
    }

    public struct RedirectRules: Codable, Sendable, Equatable {
        /// Codes `redirection_required()` follows in the OTA path.
        public var codesFollowed: [Int]
        /// v5.5: an https origin may only redirect to `https://` (0x700D).
        public var httpsDowngradeRefused: Bool
        /// v5.5: a Location without `/` or a scheme fails with ESP_ERR_INVALID_ARG.
        public var relativeWithoutSlashRefused: Bool
        /// `esp_http_client_perform()` (the partial-download HEAD) stops at this many hops.
        /// The OTA path's own GET loop has no hop limit in any version (cite
        /// `redirects.noHopLimit`), so there is no field for one: the model follows a chain
        /// to its end and calls it a loop only when a request repeats (`RequestLoopGuard`).
        public var performLimit: Int
    }

    public struct OTARules: Codable, Sendable, Equatable {
        /// `esp_https_ota()` returns ESP_FAIL for any begin failure (≤ v5.4) or its real code (v5.5).
        public var wrapperPassesBeginError: Bool
        /// 401 retries before ESP_FAIL; nil = no cap (v4.4 loops forever).
        public var unauthorizedRetries: Int?
        /// v5.5: a 401 with a Basic challenge fails at once with ESP_ERR_NOT_SUPPORTED (0x106).
        public var unauthorizedBasicNotSupported: Bool
        /// v5.5: 304 → ESP_ERR_HTTP_NOT_MODIFIED; before, it is accepted and then fails.
        public var notModifiedIsError: Bool
        /// v5.5: 416 → ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE; before, `Client error (416)`.
        public var rangeNotSatisfiableIsError: Bool
        /// `IMAGE_HEADER_SIZE`: bytes `read_header()` collects before any check (289 / 1024).
        public var imageHeaderBytes: Int
        /// v5.5 checks min/max chip revision before writing (0x10A).
        public var checksChipRevisionEarly: Bool
        /// Chips this IDF version can be built for (v4.4 has no C2/C6).
        public var chips: [String]
        /// `DEFAULT_REQUEST_SIZE` for partial download.
        public var defaultRangeBytes: Int
        /// v5.5 `ota_resumption` (advanced API only).
        public var supportsResumption: Bool
        /// v5.x `esp_https_ota_get_img_desc` checks the app descriptor magic; v4.4 copies blindly.
        public var imageDescriptorMagicChecked: Bool
        /// `Writing to …` log format (`partition subtype %d` or `<%s> partition`).
        public var writingLogNamesLabel: Bool
    }

    public struct Timeouts: Codable, Sendable, Equatable {
        /// `timeout_ms` (5000): connect, each read, the TLS connect loop.
        public var timeoutMs: Int
        /// v5.x return -ESP_ERR_HTTP_EAGAIN on a header timeout; v4.4 returns ESP_FAIL.
        public var headerTimeoutIsEAGAIN: Bool
    }

    /// An `esp_err_t` value and its name, for `esp_err_to_name()`.
    public struct ErrorName: Codable, Sendable, Equatable {
        public var code: Int
        public var name: String
        /// What `esp_err_to_name()` prints when it is not the name: a negated code such as
        /// `-ESP_ERR_HTTP_EAGAIN` is not in its table, so the device prints `ERROR`.
        public var text: String?

        public init(code: Int, name: String, text: String? = nil) {
            self.code = code
            self.name = name
            self.text = text
        }
    }
}
