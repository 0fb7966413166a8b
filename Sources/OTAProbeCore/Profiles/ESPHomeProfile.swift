/// ESPHome's `ota.http_request` over one platform's HTTP client, as data (spec
/// esphome-and-tasmota.md part E). The request and response rules of the client ESPHome drives
/// are the ones its stack already has (`ESPIDFProfile.RequestRules` for esp_http_client), so
/// they are the same types, not copies; what is ESPHome's own — the redirect loop, the OTA
/// loop's read size, its response codes and log lines — lives here. Each fact is cited in `cite`.
public struct ESPHomeProfile: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var aliases: [String]
    public var family: String
    public var title: String
    public var description: String
    public var source: String
    /// The HTTP implementation ESPHome compiles in: `esp-idf` (HttpRequestIDF over
    /// esp_http_client, `request`/`response` set), `esp8266` (HttpRequestArduino over the
    /// ESP8266 core's HTTPClient, `arduino` set) or `esp32-arduino` (HttpRequestArduino over
    /// arduino-esp32's HTTPClient, `arduino` set, written through the IDF OTA backend). The
    /// decoder refuses any other rather than predict with the wrong client.
    public var platform: String
    /// `__version__`, as the default User-Agent and the version the manifest flow compares.
    public var esphomeVersion: String
    /// esp_http_client's rules (platform `esp-idf`).
    public var request: ESPIDFProfile.RequestRules?
    public var response: ESPIDFProfile.ResponseRules?
    /// HTTPClient as ESPHome drives it (platforms `esp8266` and `esp32-arduino`).
    public var arduino: ArduinoClient?
    public var redirects: RedirectRules
    public var ota: OTARules
    public var timeouts: Timeouts
    /// `OTAResponseTypes` (ota_backend.h) and `OtaHttpRequestError` (ota_http_request.h).
    public var codes: [Code]
    public var tls: TLSCapabilities?
    public var cite: [String: String]

    public struct RedirectRules: Codable, Sendable, Equatable {
        /// `is_redirect()` (http_request.h): the codes the http layer's own loop follows.
        public var codesFollowed: [Int]
        /// `redirect_limit` (default 3): hops followed before `Reach redirect limit`.
        public var limit: Int
        /// IDF 5.5.1's `esp_http_client_set_url` has no https → http check (spec E4.1).
        public var httpsDowngradeRefused: Bool
    }

    public struct OTARules: Codable, Sendable, Equatable {
        /// `HTTP_RECV_BUFFER`: bytes asked of each `container->read()` in `do_ota_`.
        public var readBytes: Int
        /// `MD5_SIZE`: characters `strncmp` compares, and bytes read from an `md5_url`.
        public var md5Size: Int
        /// `buffer_size_rx` (512): the size of fetch_headers' reads, which decides how much of
        /// an undrained same-host 3xx body esp_http_client caches for the next read.
        public var rxBufferBytes: Int
        /// How `do_ota_`, `http_get_md5_` and the manifest loop treat a read of 0: nil or
        /// `break-on-zero` (2025.12: the loop ends, E5 step 6), or `idle-timeout` (2026.6:
        /// 0 is "no data yet", retried until `timeout` passes without data, negative is an
        /// error; `http_read_loop_result`, spec E11).
        public var readLoop: String?
        /// 2026.6 percent-encodes `username`/`password` before splicing them into the URL
        /// (`set_username`/`set_password`, spec E11); nil or false: spliced as given.
        public var urlEncodesCredentials: Bool?
        /// 2026.6 checks `esp_http_client_init()` for NULL (E `HTTP Request failed; client could
        /// not be initialized`, nullptr) where 2025.12 used the handle unchecked (spec E3.1, E11).
        public var checksClientInit: Bool?
        /// false when the source lines of this release's log calls were not read (the log then
        /// prints `?` where ESPHome prints the line); nil or true: the lines are known.
        public var logLinesKnown: Bool?
        /// 2026.6 leaves an empty manifest `ota.path` empty (`!firmware_url.empty() && …`), so the
        /// install stops at `URL not set`; nil or false: 2025.12 joins it to the manifest's
        /// directory (spec E8, E11).
        public var manifestKeepsEmptyPath: Bool?

        /// The 2026.6 read loop: a 0 read waits, the http timeout ends it.
        public var idleTimeoutLoop: Bool { readLoop == "idle-timeout" }
    }

    public struct Timeouts: Codable, Sendable, Equatable {
        /// `timeout` (4.5 s): `timeout_ms` of esp_http_client: connect, headers, each read.
        public var timeoutMs: Int
    }

    /// HttpRequestArduino over a core's HTTPClient (E25 http_request_arduino.cpp): the core's
    /// own request, head and redirect rules — the same types the ESP8266 and arduino-esp32
    /// profiles read (arduino-esp32's HTTPClient shares the ESP8266 one's lineage, and its
    /// profile already uses these response and redirect types) — with the settings ESPHome
    /// gives them (User-Agent, `setReuse(true)`, FORCE redirects, limit 3, `setTimeout(4500)`),
    /// and which OTA backend the build writes through.
    public struct ArduinoClient: Codable, Sendable, Equatable {
        /// The core ESPHome builds with (`esp8266-arduino-3.1.2`, `esp32-arduino-3.3.2`): which
        /// core's rules these are.
        public var core: String
        /// The OTA backend ESPHome compiles in for this platform (spec E7, E11): `esp8266-updater`
        /// (2025.12's `ArduinoESP8266OTABackend` over the core's Updater), `esp8266-native`
        /// (2026.6's `ESP8266OTABackend`, writing flash itself, tag `ota.esp8266`) or `esp-idf`
        /// (`IDFOTABackend`, every ESP32 build, Arduino framework included). Absent =
        /// `esp8266-updater`.
        public var backend: String?
        public var request: ESP8266ArduinoProfile.RequestRules
        public var response: ESP8266ArduinoProfile.ResponseRules
        public var redirects: ESP8266ArduinoProfile.RedirectRules
        public var timeouts: ESP8266ArduinoProfile.Timeouts
        /// `HTTPClient::errorToString()`: the text of each negative `sendRequest` result.
        public var clientErrors: [Code]
        /// Logged before every plain-HTTP request on core 3.1+ (http_request_arduino.cpp:65-70).
        public var plainHTTPWarning: String?
        /// The probe's reading of "the socket buffer ran empty" [derived]: the container's read
        /// is non-blocking (`available()` 0 → 0 → the 2025.12 loop breaks), and the device turns
        /// its loop far faster than a network pauses, so a pause in arrival longer than this,
        /// while the device still expects bytes, is the moment its next read found nothing.
        /// Shorter pauses are loopback scheduling, not a server pausing.
        public var emptyBufferGapMs: Int
        /// arduino-esp32's socket reuse (absent = false, the ESP8266 core's rule): `connect()`
        /// writes over any socket that is still connected, and `setURL()` keeps it for an
        /// absolute Location too (`_canReuse = true; disconnect(true)`), closing it only when
        /// `beginInternal()` sees another host. The ESP8266 core reuses only a path-only
        /// Location's socket, and only when the answer allowed it (`_canReuse`).
        public var reusesConnectedSocket: Bool?

        public enum Backend: String, Sendable, CaseIterable {
            case esp8266Updater = "esp8266-updater"
            case esp8266Native = "esp8266-native"
            case espIDF = "esp-idf"
        }

        /// `backend` as a value; nil for a name the decoder refuses.
        public var otaBackend: Backend? {
            guard let backend else { return .esp8266Updater }
            return Backend(rawValue: backend)
        }
        /// 2026.6's `read_chunked_()`: an answer whose `getSize()` is -1 (chunked, or no
        /// Content-Length at all) is decoded as chunk framing, and the final chunk sets the
        /// length to what was decoded (E26 http_request_arduino.cpp, spec E11). nil or false:
        /// the raw socket bytes are read (2025.12, E4.3).
        public var decodesChunked: Bool?
        /// How perform() picks the client for the whole call, redirects included (spec E2):
        /// `https-anywhere` (ESP8266: `url.find("https:") != npos` anywhere in the URL makes a
        /// `WiFiClientSecure`, else a `WiFiClient`, and `begin(client, url)` keeps the client it
        /// is given whatever the scheme says) or `scheme` (absent; ESP32: `begin(url)` lets
        /// HTTPClient make the client the URL's scheme names).
        public var clientChoice: String?

        public enum ClientChoice: String, Sendable, CaseIterable {
            case httpsAnywhere = "https-anywhere"
            case scheme
        }

        /// `clientChoice` as a value; nil for a name the decoder refuses.
        public var chosenClient: ClientChoice? {
            guard let clientChoice else { return .scheme }
            return ClientChoice(rawValue: clientChoice)
        }
    }

    /// The ESP8266 build (HttpRequestArduino over core 3.1.2, the Updater backend): its image
    /// rules, demo rows and explanations are the ESP8266's.
    public var isESP8266: Bool { platform == "esp8266" }

    /// 2026.6's ESP8266 backend, whose refusals and staging lines are its own.
    public var writesThroughNativeESP8266Backend: Bool { arduino?.otaBackend == .esp8266Native }

    public struct Code: Codable, Sendable, Equatable {
        public var code: Int
        public var name: String
    }

    /// The code's name as the source spells it, `ERROR 0x..` for a value it does not name.
    public func codeName(_ code: Int) -> String {
        codes.first { $0.code == code }?.name ?? "ERROR 0x" + String(code, radix: 16, uppercase: true)
    }
}
