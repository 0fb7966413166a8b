/// What the device's TLS client concluded about one handshake, and the facts behind it.
public struct TLSOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// The device would finish the handshake.
        case established
        /// The device's engine fails with this error; the HTTP client reports a connect failure.
        case failed(BearSSLError)
        /// The device's own code faults (exception and reboot) instead of failing cleanly.
        case crash(String)
        /// An ESP32 stack's mbedTLS handshake fails with this error.
        case mbedTLSFailed(MbedTLSError)
        /// The client refuses to start a handshake at all (arduino-esp32 with no CA, bundle or
        /// setInsecure: `start_ssl_client()` returns -1, spec A7).
        case refusedBeforeHandshake
    }

    public var result: Result
    /// Where the device decided ("ServerHello", "Certificate", "ServerKeyExchange", …).
    public var decidedAt: String
    /// One sentence naming the cause in device terms.
    public var reason: String
    public var version: UInt16?
    public var suite: CipherSuite?
    public var chain: [X509Certificate]
    /// The max_fragment_length the device asked for, and whether the server echoed it.
    public var maxFragmentLength: Int?
    public var maxFragmentLengthEchoed: Bool
    /// An alert the server sent, if any.
    public var serverAlert: UInt8?
    /// Facts the probe could not observe exactly and inferred (said in the report).
    public var notes: [String]

    public init(result: Result, decidedAt: String, reason: String, version: UInt16? = nil, suite: CipherSuite? = nil,
                chain: [X509Certificate] = [], maxFragmentLength: Int? = nil, maxFragmentLengthEchoed: Bool = false,
                serverAlert: UInt8? = nil, notes: [String] = []) {
        self.result = result
        self.decidedAt = decidedAt
        self.reason = reason
        self.version = version
        self.suite = suite
        self.chain = chain
        self.maxFragmentLength = maxFragmentLength
        self.maxFragmentLengthEchoed = maxFragmentLengthEchoed
        self.serverAlert = serverAlert
        self.notes = notes
    }

    public static func versionName(_ version: UInt16?) -> String? {
        switch version {
        case 0x0301: return "TLS 1.0"
        case 0x0302: return "TLS 1.1"
        case 0x0303: return "TLS 1.2"
        case 0x0304: return "TLS 1.3"
        case .some(let value): return "0x" + String(value, radix: 16)
        case .none: return nil
        }
    }
}
