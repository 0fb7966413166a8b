/// The TLS part of a verdict: what the device's client concluded and the facts a user needs to
/// fix it (JSON `verdict.tls`).
public struct TLSFinding: Sendable, Equatable, Encodable {
    public struct Certificate: Sendable, Equatable, Encodable {
        public var subject: String
        public var issuer: String
        public var notBefore: String
        public var notAfter: String
        public var key: String
        public var sha1: String
        public var dnsNames: [String]
        public var ipAddresses: [String]

        public init(_ certificate: X509Certificate) {
            subject = certificate.subjectText
            issuer = certificate.issuerText
            notBefore = UnixTime.date(certificate.notBefore)
            notAfter = UnixTime.date(certificate.notAfter)
            key = certificate.keyDescription
            sha1 = TLSFingerprint.format(certificate.sha1)
            dnsNames = certificate.dnsNames ?? []
            ipAddresses = certificate.ipAddresses
        }
    }

    /// `established`, `failed`, `crash`.
    public var result: String
    /// The trust mode as a flag value, whether the user gave it, and the sketch call.
    public var trust: String
    public var trustAssumed: Bool
    public var sketchCall: String
    /// The call a sketch or app makes to read the TLS error (`getLastSSLError()`,
    /// `client.lastError()`, `esp_http_client_get_and_clear_last_tls_error()`).
    public var errorCall: String = "getLastSSLError()"
    /// What that call returns, the error's name and the text it writes.
    public var deviceError: Int?
    public var deviceErrorName: String?
    public var deviceErrorText: String?
    /// `br_ssl_engine_last_error()` before the core strips the alert bits (BearSSL), or the
    /// mbedTLS code (ESP32).
    public var engineError: Int?
    /// mbedTLS: the `mbedtls_x509_crt_verify_info()` lines of a failed certificate check.
    public var verification: [String]?
    public var decidedAt: String
    public var reason: String
    public var version: String?
    public var suite: String?
    public var serverName: String?
    public var maxFragmentLength: Int?
    public var maxFragmentLengthEchoed: Bool
    public var receiveBuffer: Int
    public var sendBuffer: Int
    public var deviceTime: String
    public var chain: [Certificate]
    /// The leaf's SHA-1 as `setFingerprint` takes it.
    public var leafFingerprint: String?
    /// A record too large for the device arrived after the handshake (its length), mid-body.
    public var oversizedRecord: Int?
    public var fix: [String]
    public var notes: [String]

    public init(result: String, trust: String, trustAssumed: Bool, sketchCall: String, decidedAt: String, reason: String,
                receiveBuffer: Int, sendBuffer: Int, deviceTime: String) {
        self.result = result
        self.trust = trust
        self.trustAssumed = trustAssumed
        self.sketchCall = sketchCall
        self.decidedAt = decidedAt
        self.reason = reason
        self.maxFragmentLengthEchoed = false
        self.receiveBuffer = receiveBuffer
        self.sendBuffer = sendBuffer
        self.deviceTime = deviceTime
        self.chain = []
        self.fix = []
        self.notes = []
    }
}
