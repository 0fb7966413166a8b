/// The ESP8266 Arduino core's `ESPhttpUpdate` at one version, as data.
///
/// Every behaviour that differs between core versions is a field here rather than a branch in
/// the model, so that adding a version means adding a file under `profiles/`, and so that a user
/// can copy a profile, change one fact, and pass it with `--profile ./mine.json`.
/// Field names follow the spec (`../shared/spec/esp8266-arduino.md`); each profile file carries
/// the source citation of every fact in its `cite` table.
public struct ESP8266ArduinoProfile: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var aliases: [String]
    /// The model that interprets this profile: `esp8266-arduino`.
    public var family: String
    public var title: String
    public var description: String
    public var source: String
    public var request: RequestRules
    public var response: ResponseRules
    public var redirects: RedirectRules
    public var update: UpdateRules
    public var timeouts: Timeouts
    public var identityDefaults: IdentityDefaults
    public var errors: ErrorTable
    /// The TLS client's limits (`WiFiClientSecure` / mbedTLS); nil in profiles written before
    /// TLS was modelled, which then keep the old setInsecure-like handshake.
    public var tls: TLSCapabilities?
    /// Fact → citation (`tag:file:line`), keyed by the dotted field path it supports.
    public var cite: [String: String]

    public struct RequestRules: Codable, Sendable, Equatable {
        public var method: String
        public var httpVersion: String
        public var userAgent: String
        /// Header lines in the order the device writes them. `Authorization` appears only with
        /// credentials, `x-ESP8266-version` only when non-empty; other names are always written.
        public var headerOrder: [String]
        /// What survives on a followed redirect: httpUpdate's `addHeader` lines are wiped.
        public var redirectedHeaderOrder: [String]
        /// `x-ESP8266-mode` value for a filesystem update (the literal stayed `spiffs`).
        public var filesystemModeValue: String
        /// 3.x lower-cases the scheme before comparing; older cores demand lower-case input.
        public var schemeCaseInsensitive: Bool
        /// `ESPhttpUpdate.setAuthorization()` exists (3.0.2+).
        public var supportsSetAuthorization: Bool
        /// HTTPClient's `_reuse` (`setReuse(true)`): `Connection: keep-alive` instead of `close`
        /// (3.1.2:HC:951-952). httpUpdate leaves it off; ESPHome's http layer turns it on.
        /// Absent = false.
        public var reuse: Bool?
    }

    public struct ResponseRules: Codable, Sendable, Equatable {
        /// Every line is tested for this prefix, case-sensitively.
        public var statusLinePrefix: String
        /// 2.4.2/2.5.2 `trim()` each line before any test (tolerates leading blanks).
        public var trimLineBeforeParsing: Bool
        /// `_returnCode` before any status line is seen (`0` in 2.7.4+, `-1` before).
        public var initialReturnCode: Int
        /// 3.x returns -7 for any code <= 0; older cores return a non-zero code as-is.
        public var nonPositiveStatusIsNoHTTPServer: Bool
        /// How a repeated collected header (`x-MD5`) is kept: `join` (with ",") or `last`.
        public var repeatedCollectedHeader: String
        /// arduino-esp32 2.x/3.x: the first line is the status line whatever it starts with,
        /// and the code is the text between its first and second space (absent = false).
        public var statusCodeFromFirstLine: Bool?
        /// arduino-esp32 2.x/3.x accept `Transfer-Encoding: identity` (absent = false: -9).
        public var identityTransferEncodingAccepted: Bool?
    }

    public struct RedirectRules: Codable, Sendable, Equatable {
        /// False when HTTPClient has no redirect support at all (2.4.2).
        public var supported: Bool
        /// Status codes followed for httpUpdate's GET when following is enabled.
        public var codesFollowed: [Int]
        /// Maximum number of redirects followed; the next 3xx is returned to httpUpdate.
        public var limit: Int
        /// 2.5.2 writes a path-only redirect onto the old socket while it still looks connected.
        public var reusesSocketOnPathRedirect: Bool
        /// Whether `--follow-redirects force` is a mode of its own in this version's enum.
        public var modes: [String]
    }

    public struct UpdateRules: Codable, Sendable, Equatable {
        /// Code for a 401 answer, or nil when 401 falls to the default branch (-104).
        public var unauthorizedCode: Int?
        /// First image bytes httpUpdate accepts (0xE9 app image, 0x1F gzip from 2.7.4).
        public var acceptedMagic: [Int]
        /// From 2.7.4 the flash-size nibble is only checked for 0xE9 images.
        public var flashSizeCheckOnlyForE9: Bool
        /// 3.1.2 returns -5 when the socket closed before the body; older cores crash.
        public var nullStreamCheck: Bool
        /// 2.4.2 compares MD5 with `!=` against lower-case hex.
        public var md5CaseSensitive: Bool
        /// 2.5.2+ clamp each read to the bytes still expected; 2.4.2 asks for a full buffer.
        public var clampsReadToRemaining: Bool
        /// Updater buffer (one flash sector): reads are aligned to it.
        public var bufferBytes: Int
        /// How the Updater gives up on a stalled body: `two-reads` or `retry-until`.
        public var stallPolicy: String
        /// `retry-until`: ms without data before error 6 (`writeStream(..., 60000)`).
        public var stallTimeoutMs: Int
        /// `delay()` between reads that returned nothing.
        public var stallRetryDelayMs: Int
        /// `delay(100)` between stopping other sockets and peeking the first 4 bytes.
        public var delayBeforePeekMs: Int
        /// Time allowed for a FIN to be seen before `getStreamPtr()` runs (see `Model/`).
        public var nullStreamWindowMs: Int
        /// 2.7.4+ round FS_end down to the filesystem block size (boards.txt.py).
        public var fsEndRoundedToBlockSize: Bool
        /// Whether `setMD5sum()` exists (3.1.2), i.e. whether `--expected-md5` is meaningful.
        public var supportsSetMD5: Bool
    }

    public struct Timeouts: Codable, Sendable, Equatable {
        /// `_httpClientTimeout` / `setClientTimeout()`: header idle, per-byte and peek waits.
        public var clientMs: Int
        /// TCP connect (plain `WiFiClient`).
        public var connectMs: Int
        /// DNS lookup (plain `WiFiClient::connect` passes the client timeout).
        public var dnsMs: Int
        /// A BearSSL client keeps timeouts of its own (spec §7).
        public var tls: TLSTimeouts
    }

    /// How a `WiFiClientSecure` times the phases the plain client bounds with the client timeout.
    public struct TLSTimeouts: Codable, Sendable, Equatable {
        public var dnsMs: Int
        public var tcpConnectMs: Int
        /// 0 = no handshake timeout (≤ 2.5.2: the handshake blocks until TCP gives up).
        public var handshakeMs: Int
        /// Per-byte stream timeout for header lines and body reads; nil = the client timeout.
        public var streamTimeoutMs: Int?
        /// `peekBytes` waits a fixed time for the first body bytes.
        public var peekTimeoutMs: Int
    }

    public struct IdentityDefaults: Codable, Sendable, Equatable {
        public var sdkVersion: String
    }

    public struct ErrorTable: Codable, Sendable, Equatable {
        public var httpClient: [ErrorText]
        public var httpUpdate: [ErrorText]
        public var updater: [ErrorText]
        /// `printError` format: `{code}` and `{text}` are replaced.
        public var updaterFormat: String
        public var httpClientPrefix: String
        public var updaterPrefix: String
    }

    public struct ErrorText: Codable, Sendable, Equatable {
        public var code: Int
        public var name: String
        public var text: String
    }
}
