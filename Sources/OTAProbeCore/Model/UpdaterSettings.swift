/// What the sketch (or the IDF app) configured before calling the updater.
public struct UpdaterSettings: Sendable, Equatable {
    public var url: String
    /// `setFollowRedirects(...)`; off unless the sketch says otherwise.
    public var redirectMode: RedirectMode = .disable
    /// `setClientTimeout(ms)` (3.1.2) / the constructor argument; nil = the profile's 8000.
    public var clientTimeoutMs: Int?
    /// `ESPhttpUpdate.setAuthorization(...)` (3.0.2+): replaces the URL's credentials.
    /// Applied in the source's order: `(user, password)` first, then the encoded form.
    public var authorization: [SketchAuthorization] = []
    /// `setMD5sum(...)` (3.1.2 only).
    public var expectedMD5: String?
    /// Not a device setting: hash the downloaded image (MD5 and SHA-256) for the report and
    /// for comparisons the device cannot make. Off by default because hashing costs more than
    /// the transfer itself on loopback; the device's own MD5 check runs whenever it has an
    /// expected MD5, whatever this says.
    public var computeDigests = false

    /// ESP-IDF `partial_http_download`: a HEAD, then `Range` requests on new connections.
    public var partialDownload = false
    /// ESP-IDF `max_http_request_size`; nil = the profile's 65536.
    public var rangeSize: Int?
    /// ESP-IDF v5.5 `ota_resumption` with `ota_image_bytes_written` (advanced API only).
    public var resumeFrom: Int?
    /// ESP-IDF: the app calls `esp_https_ota_begin/get_img_desc/perform/finish` itself (as
    /// the advanced_https_ota example does) instead of the one-call `esp_https_ota()`.
    public var advancedAPI = false

    /// The sketch's `WiFiClientSecure` settings (trust mode, buffers, versions, clock).
    public var tls = TLSClientSettings()
    /// ESPHome `md5_url:`: the device GETs it before the image when no `md5:` is given.
    public var md5URL: String?
    /// ESPHome: `url` is an update manifest (`update: platform: http_request`, `source:`): the
    /// device fetches it, picks its build, compares versions, then installs `ota.path`.
    public var manifest = false
    /// ESP8266: the client handed to `update()` is a plain `WiFiClient` (Tasmota's is): an
    /// https:// URL then only sets port 443 and the request goes out in the clear
    /// (esp8266-arduino.md §1: "A plain WiFiClient with an https:// URL sends plaintext HTTP to
    /// port 443").
    public var plainClient = false
    /// ESP8266: an earlier call in the same boot failed with -105 and left the Updater running
    /// (`runUpdate` returns after `setMD5()` fails without ending it, esp8266-arduino.md §5.6):
    /// this call's `Update.begin()` then fails without setting an error.
    public var updaterLeftRunning = false
    public init(url: String) { self.url = url }
}

/// What the model asks the transport to do next.
public enum DeviceAction: Sendable, Equatable {
    /// Close any current connection, connect to the plan's endpoint and send its request (or,
    /// when the plan reuses the connection, send it over the open one).
    case open(ConnectionPlan)
    /// Wait for bytes or a close until this time (ms on the probe's clock).
    case receive(deadline: Int)
    case finished
    /// The device closes its connection and waits until this time (ms on the probe's clock)
    /// before its next step, with nothing on the network (Tasmota's wait between attempts);
    /// the transport then reports `deadlinePassed`.
    case pause(until: Int)
}

/// One connection the device makes: where, with what budget, and the exact request bytes.
public struct ConnectionPlan: Sendable, Equatable {
    public let url: DeviceURL
    public let connectTimeoutMs: Int
    public let request: [UInt8]
    /// 0 for the first request, then one per followed redirect.
    public let hop: Int
    /// Write the request over the connection already open instead of connecting: ESP-IDF's
    /// `_http_connect` loop keeps the connection while a redirect or 401 retry stays on the
    /// same host and port, whatever the scheme (see `ESPIDFOTAModel`).
    public var reusesConnection = false
    /// Connect without TLS even though the URL says https (a plain client on port 443).
    public var plaintext = false
    /// Make TLS even though the URL says http (a secure client handed an http:// URL, which
    /// then handshakes with port 80: ESPHome on the ESP8266 picks `WiFiClientSecure` for any URL
    /// containing "https:", `ESPHomeArduinoOTAModel`).
    public var tlsOverHTTP = false

    /// Whether this connection makes TLS: the URL's scheme, unless the device's client says otherwise.
    public var makesTLS: Bool { url.usesTLS ? !plaintext : tlsOverHTTP }
}
