/// Where to connect, exactly as the device would: the host string it parsed from the firmware URL,
/// the port, and whether it speaks TLS there.
///
/// Why a value of its own (not a URL): the device's URL parser is part of what is being emulated,
/// so the caller hands over the pieces the *device* extracted; Transport never reparses a URL.
public struct TransportEndpoint: Sendable, Hashable {
    /// Host name or IPv4 literal, as the device parsed it from the URL.
    public var host: String
    /// TCP port.
    public var port: Int
    /// TLS parameters, or nil for plain TCP.
    public var tls: TLSSettings?

    public init(host: String, port: Int, tls: TLSSettings? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}
