/// What the emulated device puts into its ClientHello, in OpenSSL's vocabulary.
///
/// Why: a server chooses its version, suite, curve and signature from the ClientHello; a desktop
/// client offers far more than an ESP8266 (TLS 1.3, RSA-PSS, X448 …) and so gets answers the
/// device never sees. Restricting libcurl's OpenSSL to this offer makes the server answer the
/// device's question. Built by the probe from the profile's TLS capabilities and the user's
/// `--tls-*` settings.
public struct DeviceTLSOffer: Sendable, Hashable {
    /// OpenSSL cipher names (TLS ≤ 1.2) in the device's order, `@SECLEVEL=0` included so that
    /// SHA-1 signatures, 3DES and small keys stay possible as on the device.
    public var cipherList: String
    /// `SSL_CTX_set1_groups_list` form ("X25519:P-256:P-384:P-521").
    public var groups: String
    /// `SSL_CTX_set1_sigalgs_list` form ("ECDSA+SHA256:RSA+SHA256:…").
    public var signatureAlgorithms: String
    /// RFC 6066 max_fragment_length code (1 = 512 … 4 = 4096), nil = not requested.
    public var maxFragmentCode: Int?
    /// The server_name sent, exactly the host string (also when it is an IP literal).
    public var serverName: String?
    /// Incoming encrypted records longer than this (bytes of the record body) would not fit the
    /// device's receive buffer; the transport reports the first such record after the handshake.
    public var recordLimit: Int?

    public init(cipherList: String, groups: String, signatureAlgorithms: String, maxFragmentCode: Int?,
                serverName: String?, recordLimit: Int?) {
        self.cipherList = cipherList
        self.groups = groups
        self.signatureAlgorithms = signatureAlgorithms
        self.maxFragmentCode = maxFragmentCode
        self.serverName = serverName
        self.recordLimit = recordLimit
    }
}
