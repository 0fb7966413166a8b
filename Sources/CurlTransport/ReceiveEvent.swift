/// What one ``RawConnection/receive(into:deadline:)`` call observed.
///
/// Why an enum and not `throws`: every case is an ordinary outcome the device model must react to
/// (EOF ends a close-delimited body, a deadline is the device's read timeout, a reset is a
/// transport error), and the call sits on the hot path of large bodies.
public enum ReceiveEvent: Sendable, Equatable {
    /// This many bytes (> 0) were written to the start of the caller's buffer.
    case data(Int)
    /// Orderly end of stream (FIN, or TLS close_notify).
    case closed
    /// Nothing arrived before the deadline.
    case deadlineReached
    /// The connection was reset or the receive failed; `detail` is libcurl's text.
    case reset(detail: String)
    /// An encrypted record longer than the device's receive buffer arrived (its length, in bytes):
    /// the device's TLS engine fails on the record header, so none of its bytes are delivered.
    case tlsRecordTooLarge(length: Int)
}
