/// The TLS settings of the sketch, each named after the `WiFiClientSecure` call that sets it.
public struct TLSClientSettings: Sendable, Equatable {
    public var trust: TLSTrustMode
    /// True when the user chose the trust mode; false when the probe assumed it (reported).
    public var trustGiven: Bool
    /// `setBufferSizes(rx, tx)`; nil = the profile's defaults.
    public var receiveBuffer: Int?
    public var sendBuffer: Int?
    /// `setSSLVersion(min, max)` as "1.0"…"1.2"; nil = the profile's defaults.
    public var minVersion: String?
    public var maxVersion: String?
    /// `setCiphersLessSecure()` (true) or `setCiphers(list)` (ids); default: the profile's list.
    public var lessSecureCiphers: Bool
    public var cipherSuites: [String]?
    /// The device clock (Unix seconds) used for certificate dates; nil = the probe's clock
    /// (a device that ran `configTime()` / SNTP before updating).
    public var deviceTime: Int64?
    /// ESP-IDF `skip_cert_common_name_check = true`: no SNI and no name check.
    public var skipCommonNameCheck = false

    public init(trust: TLSTrustMode = .insecure, trustGiven: Bool = false, receiveBuffer: Int? = nil, sendBuffer: Int? = nil,
                minVersion: String? = nil, maxVersion: String? = nil, lessSecureCiphers: Bool = false,
                cipherSuites: [String]? = nil, deviceTime: Int64? = nil) {
        self.trust = trust
        self.trustGiven = trustGiven
        self.receiveBuffer = receiveBuffer
        self.sendBuffer = sendBuffer
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.lessSecureCiphers = lessSecureCiphers
        self.cipherSuites = cipherSuites
        self.deviceTime = deviceTime
    }
}

/// The ClientHello and buffer limits that follow from a profile's capabilities and the sketch's
/// settings — the single place where `setBufferSizes`, `setSSLVersion` and `setCiphers*` are
/// turned into what goes on the wire.
public struct TLSClientOffer: Sendable, Equatable {
    public var minVersion: String
    public var maxVersion: String
    public var cipherSuites: [CipherSuite]
    /// Suites the device offers that the emulating OpenSSL client cannot (static ECDH).
    public var suitesNotEmulated: [String]
    public var groups: [Int]
    public var signatureAlgorithms: [String]
    /// RFC 6066 code (1 = 512 … 4 = 4096), nil when no max_fragment_length is requested.
    public var maxFragmentCode: Int?
    /// Receive / send buffer sizes after clamping (what `setBufferSizes` keeps).
    public var receiveBuffer: Int
    public var sendBuffer: Int
    /// Longest encrypted record body the device can take (`ibuf_len - 5`,
    /// bearssl src/ssl/ssl_engine.c:683-690).
    public var recordLimit: Int
    public var serverName: String?

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unsupportedVersion(String, supported: [String])
        case versionRange(String, String)
        case unknownSuite(String)
        public var description: String {
            switch self {
            case .unsupportedVersion(let version, let supported):
                return "TLS \(version) is not something this device can speak (it knows \(supported.joined(separator: ", ")))"
            case .versionRange(let low, let high): return "the TLS version range \(low)-\(high) is empty"
            case .unknownSuite(let suite): return "unknown cipher suite \(suite) (give 4-hex-digit IANA ids such as C02F)"
            }
        }
    }

    public init(capabilities: TLSCapabilities, settings: TLSClientSettings, host: String) throws(Problem) {
        let low = settings.minVersion ?? capabilities.defaultMinVersion
        let high = settings.maxVersion ?? capabilities.defaultMaxVersion
        for version in [low, high] where !capabilities.versions.contains(version) {
            throw .unsupportedVersion(version, supported: capabilities.versions)
        }
        guard low <= high else { throw .versionRange(low, high) }
        minVersion = low
        maxVersion = high
        let ids = settings.cipherSuites ?? (settings.lessSecureCiphers ? capabilities.lessSecureCipherSuites : capabilities.cipherSuites)
        var suites: [CipherSuite] = []
        for id in ids {
            guard let suite = CipherSuite.lookup(id) else { throw .unknownSuite(id) }
            suites.append(suite)
        }
        cipherSuites = suites
        suitesNotEmulated = suites.filter { $0.openSSLName == nil }.map(\.name)
        groups = capabilities.groups
        signatureAlgorithms = capabilities.signatureAlgorithms
        let buffers = capabilities.buffers
        receiveBuffer = max(buffers.minimum, min(buffers.maximum, settings.receiveBuffer ?? buffers.receive))
        sendBuffer = max(buffers.minimum, min(buffers.maximum, settings.sendBuffer ?? buffers.send))
        let inputLength = receiveBuffer + buffers.receiveOverhead
        let outputLength = sendBuffer + buffers.sendOverhead
        recordLimit = inputLength - 5
        if buffers.requestsMaxFragmentLength {
            // br_ssl_engine_set_buffers_bidi (ssl_engine.c:420-440): the largest 2^u, u = 14…9,
            // that fits both buffers; 2^13 is not a legal value and becomes 2^12; 2^14 sends none.
            var exponent = 14
            while exponent >= 9 {
                let fragment = 1 << exponent
                if outputLength >= fragment + buffers.sendOverhead && inputLength >= fragment + buffers.receiveOverhead { break }
                exponent -= 1
            }
            if exponent == 13 { exponent = 12 }
            maxFragmentCode = exponent >= 9 && exponent <= 12 ? exponent - 8 : nil
        } else {
            maxFragmentCode = nil
        }
        switch capabilities.serverName {
        case _ where settings.skipCommonNameCheck: serverName = nil
        case "hostname-only": serverName = Self.isIPv4Literal(host) ? nil : host
        default: serverName = host
        }
    }

    public var maxFragmentLength: Int? { maxFragmentCode.map { 256 << $0 } }

    static func isIPv4Literal(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Maps a version string to its wire value (0x0301 …).
    public static func wireVersion(_ version: String) -> UInt16 {
        switch version {
        case "1.0": return 0x0301
        case "1.1": return 0x0302
        case "1.3": return 0x0304
        default: return 0x0303
        }
    }
}
