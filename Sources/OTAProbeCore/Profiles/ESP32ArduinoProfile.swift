/// arduino-esp32's `HTTPUpdate` at one core version, as data (spec part A).
///
/// It shares HTTPClient's lineage with the ESP8266 core, so the response parsing, redirect
/// and error-table shapes are the ESP8266 profile's own types; what differs (the x-ESP32-*
/// headers, a non-blocking peek, the 300-retry stream loop, image verification at the end)
/// has fields of its own here. Each fact is cited in `cite`.
public struct ESP32ArduinoProfile: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var aliases: [String]
    public var family: String
    public var title: String
    public var description: String
    public var source: String
    public var request: RequestRules
    public var response: ESP8266ArduinoProfile.ResponseRules
    public var redirects: ESP8266ArduinoProfile.RedirectRules
    public var update: UpdateRules
    public var timeouts: Timeouts
    public var identityDefaults: IdentityDefaults
    public var errors: ESP8266ArduinoProfile.ErrorTable
    /// The TLS client's limits (`WiFiClientSecure` / mbedTLS); nil in profiles written before
    /// TLS was modelled, which then keep the old setInsecure-like handshake.
    public var tls: TLSCapabilities?
    public var cite: [String: String]

    public struct RequestRules: Codable, Sendable, Equatable {
        public var method: String
        public var httpVersion: String
        public var userAgent: String
        /// Header lines in the order `sendHeader()` writes them (spec A1.2).
        public var headerOrder: [String]
        /// What a path-only redirect keeps: `setURL()` calls `clear()` (all versions).
        public var redirectedHeaderOrder: [String]
        /// 1.0.6 also clears the headers for an absolute Location (`beginInternal`).
        public var absoluteRedirectKeepsHeaders: Bool
        /// `HTTPUpdate::setAuthorization()` exists (3.x).
        public var supportsSetAuthorization: Bool
        /// 1.0.6 drops the path of a URL without one (`GET  HTTP/1.0`); 2.x+ append `/`.
        public var emptyPathSendsNothing: Bool
        public var filesystemModeValue: String
    }

    public struct UpdateRules: Codable, Sendable, Equatable {
        /// `delay(100)` after the status switch, before `peek()`.
        public var delayBeforePeekMs: Int
        /// `readBytes()` returning 0 this many times in a row ends the download with error 6.
        public var streamRetries: Int
        /// `delay(100)` between those reads.
        public var streamRetryDelayMs: Int
        /// 3.0+ lower-case `x-MD5` before comparing; older cores compare case-sensitively.
        public var md5LowerCased: Bool
        /// `HTTPUpdate::setMD5sum()` exists (3.x).
        public var supportsSetMD5: Bool
    }

    public struct Timeouts: Codable, Sendable, Equatable {
        /// `_httpClientTimeout` (8000): header idle wait and plain-client Stream timeout.
        public var clientMs: Int
        /// TCP connect; 0 = blocking connect (1.0.6), bounded here by `blockingConnectCapMs`.
        public var connectMs: Int
        public var blockingConnectCapMs: Int
        /// Stream timeout of a secure client used by `peek()`/`readBytes()` (1 s before 3.x).
        public var tlsStreamTimeoutMs: Int
        public var tlsHandshakeMs: Int
    }

    public struct IdentityDefaults: Codable, Sendable, Equatable {
        /// `esp_get_idf_version()` of the IDF the core was built on.
        public var sdkVersion: String
    }
}
