/// Why writing to an open connection failed.
///
/// Receive-side outcomes are ``ReceiveEvent`` values instead, because for reads the peer closing or
/// going quiet is information, not an error.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer closed or reset the connection while we were writing.
    case sendFailed(detail: String)
    /// The peer stopped reading and the send buffer stayed full for this long.
    case sendTimedOut(afterMilliseconds: Int)
    /// A receive failed (e.g. connection reset while reading).
    case receiveFailed(detail: String)

    public var description: String {
        switch self {
        case .sendFailed(let detail):
            return "sending the request failed: \(detail)"
        case .sendTimedOut(let ms):
            return "sending the request timed out after \(ms) ms (the server stopped reading)"
        case .receiveFailed(let detail):
            return "receiving failed: \(detail)"
        }
    }
}
