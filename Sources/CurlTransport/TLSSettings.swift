/// The TLS limits of the device being emulated.
///
/// Why these defaults: the common OTA sketches call `setInsecure()` (no chain or name check) and
/// the device TLS stacks (BearSSL on ESP8266, mbedTLS on ESP32) negotiate TLS 1.0 to 1.2.
/// Profiles override them.
public struct TLSSettings: Sendable, Hashable {
    /// A TLS protocol version, named like curl's `CURL_SSLVERSION_TLSv1_x`.
    public enum Version: String, Sendable, Hashable {
        case tls1_0, tls1_1, tls1_2, tls1_3
    }

    /// Lowest protocol version offered.
    public var minVersion: Version
    /// Highest protocol version offered.
    public var maxVersion: Version
    /// Verify the certificate chain (false = the device's `setInsecure()`).
    public var verifyPeer: Bool
    /// Verify that the certificate names the host.
    public var verifyHost: Bool
    /// PEM CA bundle to verify against (nil = curl's default store).
    public var caFile: String?

    public init(
        minVersion: Version = .tls1_0,
        maxVersion: Version = .tls1_2,
        verifyPeer: Bool = false,
        verifyHost: Bool = false,
        caFile: String? = nil
    ) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.verifyPeer = verifyPeer
        self.verifyHost = verifyHost
        self.caFile = caFile
    }
}
