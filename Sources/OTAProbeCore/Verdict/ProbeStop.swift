/// Why the probe stopped before the device had decided: one of its own bounds (`Limits`), never
/// a device fact. The verdict then says the device would still be waiting, and what for.
public enum ProbeStop: Sendable, Equatable {
    /// The whole run reached `--max-time` (milliseconds).
    case maxTime(ms: Int)
    /// The device had opened `Limits.requestsPerRun` connections and was about to open another.
    case requestLimit(requests: Int)
    /// The response head was still arriving after `Limits.headBytesRead` bytes, with no end.
    case headNeverEnds(bytes: Int)
    /// ESPHome's update entity: the manifest's Content-Length is over `Limits.manifestBytesKept`,
    /// the bytes the probe holds to parse it as the device would.
    case manifestTooLong(bytes: Int)
}
