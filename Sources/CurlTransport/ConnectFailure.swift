/// Why a connection could not be opened.
///
/// The device reports all of these as one code (e.g. HTTPC_ERROR_CONNECTION_REFUSED, -1); the probe
/// shows this real reason beside it, because "refused" vs "DNS" vs "TLS" is what the user must fix.
public enum ConnectFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name did not resolve to an IPv4 address (`CURLE_COULDNT_RESOLVE_HOST`).
    case nameResolution(host: String, detail: String)
    /// Nothing accepted the TCP connection: RST, or unreachable (`CURLE_COULDNT_CONNECT`).
    case refused(address: String, detail: String)
    /// The connect timeout expired during DNS, TCP or TLS (`CURLE_OPERATION_TIMEDOUT`).
    /// `afterMilliseconds` is the configured budget; `detail` carries curl's measured time.
    case timedOut(afterMilliseconds: Int, detail: String)
    /// The TLS handshake failed (`CURLE_SSL_CONNECT_ERROR`, `CURLE_PEER_FAILED_VERIFICATION`, ...).
    case tlsHandshake(detail: String)
    /// Any other libcurl failure (bad option, out of memory, unreadable CA file, ...).
    case other(CurlError)

    public var description: String {
        switch self {
        case .nameResolution(let host, let detail):
            return "could not resolve host name \(host) to an IPv4 address (\(detail))"
        case .refused(let address, let detail):
            return "connection to \(address) was refused or unreachable (\(detail))"
        case .timedOut(let ms, let detail):
            return "connecting timed out after \(ms) ms (\(detail))"
        case .tlsHandshake(let detail):
            return "TLS handshake failed (\(detail))"
        case .other(let error):
            return "could not connect: \(error.message) [\(error.name)]"
        }
    }
}
