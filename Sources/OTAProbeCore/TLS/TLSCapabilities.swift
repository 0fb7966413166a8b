/// What a device's TLS client can do, as profile data (the `tls` object of a profile).
///
/// Why data: the limits differ per core version (2.4.2 has no CCM suites, ESP32 uses mbedTLS)
/// and a user may have changed them in their build (`BEARSSL_SSL_BASIC`, other buffer sizes);
/// a profile file can say so without a code change. Each value is cited in the profile's `cite`.
public struct TLSCapabilities: Codable, Sendable, Equatable {
    /// `bearssl` (ESP8266 from 2.5.0, and 2.4.2's fingerprint overload), `mbedtls` (ESP32).
    public var stack: String
    /// Protocol versions the client can speak, as "1.0" … "1.3".
    public var versions: [String]
    /// The default range (`br_ssl_engine_set_versions`, or the mbedTLS defaults).
    public var defaultMinVersion: String
    public var defaultMaxVersion: String
    /// Cipher suites in ClientHello order, as 4-hex-digit IANA ids.
    public var cipherSuites: [String]
    /// The list `setCiphersLessSecure()` installs (BearSSL only; empty elsewhere).
    public var lessSecureCipherSuites: [String]
    /// supported_groups in ClientHello order (IANA numbers: 29 x25519, 23 P-256, 24 P-384, 25 P-521).
    public var groups: [Int]
    /// signature_algorithms in ClientHello order, as 4-hex-digit ids (0403 = ecdsa_secp256r1_sha256).
    public var signatureAlgorithms: [String]
    /// The SNI rule: `host-as-given` (an IP literal too) or `hostname-only` (none for an IP).
    public var serverName: String
    /// Receive / send buffer defaults and the limits `setBufferSizes` clamps to.
    public var buffers: Buffers
    /// Largest RSA modulus the client can use, in bits (BearSSL `BR_MAX_RSA_SIZE`).
    public var maxRSABits: Int
    /// X.509 decoder limits (BearSSL `BR_X509_BUFSIZE_KEY` / `BR_X509_BUFSIZE_SIG`), in bytes.
    public var x509KeyBufferBytes: Int
    public var x509SignatureBufferBytes: Int
    /// Smallest RSA key the CA-mode validator accepts, in bits.
    public var minRSABits: Int
    /// True when certificate names are matched against IP-address SANs too (BearSSL: never).
    public var matchesIPAddressNames: Bool
    /// Trust when the sketch configured none (`none`: every chain is rejected).
    public var defaultTrust: String
    /// What the probe assumes when the user gives no `--tls`: `insecure` (most Arduino OTA
    /// sketches) or `bundle` (ESP-IDF examples attach the certificate bundle). nil = insecure.
    public var assumedTrust: String?
    /// True when `getLastSSLError()` strips the received/sent-alert offsets (256/512) from the
    /// number it returns (ESP8266 3.x; the text still says "SSL received fatal alert - ").
    public var lastErrorMasksAlertBits: Bool
    /// False when the client's PEM public-key decoder mangles EC keys, so `setKnownKey` with an
    /// EC key can never verify the server (the ESP8266 BearSSL fork). nil = usable.
    public var ecKnownKeysUsable: Bool?
    /// A caveat every TLS report on this profile carries (what the profile does not cover).
    public var note: String?
    /// How the HTTP client turns a failed secure connect into `GET()`'s result; nil = every
    /// failed connect is -1 (HTTPC_ERROR_CONNECTION_REFUSED), as in arduino-esp32's HTTPClient.
    public var connectErrors: ConnectErrors?
    /// False when the secure client's `peek()` does not wait for data (Tasmota's BearSSL light:
    /// `available()` runs the engine without blocking), so HTTPUpdate's peek after its
    /// `delay(100)` sees only what already arrived. nil = it waits up to the Stream timeout.
    public var peekWaits: Bool?
    /// False when the firmware builds its TLS client itself and no sketch call or setting
    /// reaches it (Tasmota's HTTPClientLight): `--tls` options are refused and the report does
    /// not say a trust mode was assumed. nil = configurable.
    public var configurable: Bool?

    /// Tasmota's HTTPClientLight: `sendRequest` returns `base - getLastError()` when the secure
    /// client's `getLastError()` is non-zero, else -1 (T:lib/libesp32/HttpClientLight/src/
    /// HttpClientLight.cpp:619-628). `getLastError()` is the client's own negative value when it
    /// set one (name lookup, TCP connect, handshake timeout), else the BearSSL engine's error
    /// (positive, received alerts 256 + n, unmasked).
    public struct ConnectErrors: Codable, Sendable, Equatable {
        public var base: Int
        /// `ERR_CANT_RESOLVE_IP`.
        public var nameResolution: Int
        /// `ERR_TCP_CONNECT`.
        public var tcpConnect: Int
        /// `ERR_TLS_TIMEOUT`: the engine loop gave up waiting for the server.
        public var handshakeTimeout: Int

        /// `GET()`'s result for a failed connect: `base - lastError`, or -1 when it is 0.
        public func requestResult(for failure: ConnectionFailure) -> Int {
            let lastError: Int
            switch failure.kind {
            case .nameResolution: lastError = nameResolution
            case .refused: lastError = tcpConnect
            case .timedOut: lastError = failure.handshakeStarted ? handshakeTimeout : tcpConnect
            case .tlsHandshake: lastError = failure.bearSSLError ?? 0
            case .other: lastError = 0
            }
            return lastError == 0 ? -1 : base - lastError
        }
    }

    public struct Buffers: Codable, Sendable, Equatable {
        public var receive: Int
        public var send: Int
        /// `setBufferSizes` clamps both sizes to this range.
        public var minimum: Int
        public var maximum: Int
        /// Bytes added to the receive / send sizes for record headers, MAC and padding.
        public var receiveOverhead: Int
        public var sendOverhead: Int
        /// True when a max_fragment_length request is derived from the buffers (BearSSL).
        public var requestsMaxFragmentLength: Bool
    }
}
