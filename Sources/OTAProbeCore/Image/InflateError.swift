/// Why a DEFLATE stream could not be decoded: the data is not what RFC 1951 allows.
///
/// Running out of input is not an error here (a probe often has only a prefix); that is reported
/// in `InflateResult.status`.
public enum InflateError: Error, Sendable, Equatable {
    /// BTYPE 3 (reserved).
    case reservedBlockType
    /// A stored block whose LEN and NLEN are not complements.
    case storedLengthMismatch
    /// A code-length table that is over-subscribed, or a repeat with no previous length.
    case invalidCodeLengths
    /// A bit pattern that is no code, or a length/distance symbol outside the table.
    case invalidSymbol
    /// A back-reference before the start of the output.
    case distanceTooFar
}
