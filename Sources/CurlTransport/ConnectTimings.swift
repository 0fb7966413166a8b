/// How long each connect phase took, in milliseconds from the start of the attempt (libcurl's
/// cumulative `CURLINFO_*_TIME` clock: `connectMs` includes `nameLookupMs`, `tlsMs` includes both).
///
/// Why cumulative: it matches curl's `-w` output, so numbers can be compared with a desktop curl.
public struct ConnectTimings: Sendable, Equatable {
    /// Until name resolution finished (near 0 for an IPv4 literal).
    public let nameLookupMs: Double
    /// Until the TCP connection was established.
    public let connectMs: Double
    /// Until the TLS handshake finished, or nil for plain TCP.
    public let tlsMs: Double?

    public init(nameLookupMs: Double, connectMs: Double, tlsMs: Double?) {
        self.nameLookupMs = nameLookupMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
    }
}
