/// One thing the server does on a connection.
///
/// A scenario is a list of these rather than a handler with free rein, so every misbehaviour is
/// data: it can be printed, compared in tests, and replayed byte for byte. The server runs the
/// steps in order after it has read the request head (or at once, see `Scenario.readsRequest`);
/// if the list does not end in `close`, `reset` or `holdOpen`, the server closes afterwards.
///
/// Every wait is still bounded by the connection's lifetime cap and by `ScenarioServer.stop()`.
public enum ScriptStep: Sendable, Equatable {
    /// Write all of these bytes (large buffers are streamed in 64 KiB writes).
    case send([UInt8])
    /// Write these bytes `chunk` bytes at a time, sleeping `intervalMilliseconds` between chunks,
    /// to reproduce servers (or links) slow enough to trip per-byte or per-line timeouts.
    case sendSlowly([UInt8], chunk: Int, intervalMilliseconds: Int)
    /// Write these bytes `times` times, sleeping `intervalMilliseconds` between repeats (0: at
    /// full speed). With `times: .max` the stream never ends by itself: it stops when the client
    /// leaves (the next write fails), at the lifetime cap, or on `stop()`. The way to script an
    /// endless header stream, a never-ending body or a drip without holding it all in memory.
    case sendRepeatedly([UInt8], times: Int, intervalMilliseconds: Int)
    /// Send nothing for this long and keep the socket open, then go on with the next step.
    case pause(milliseconds: Int)
    /// Orderly close: FIN first (`shutdown(SHUT_WR)`), then close the socket.
    case close
    /// Abortive close: `SO_LINGER {1, 0}` then close, so the peer sees a TCP RST. Waits first
    /// (at most 2 s) until the client has acknowledged the bytes already sent, so "send, then
    /// reset" delivers the bytes and then the RST, rather than an RST that discards them.
    case reset
    /// Stay silent this long (never beyond the lifetime cap), then close orderly. Ends early if
    /// the client closes its side first: the rest of the silence could not be observed anyway.
    case holdOpen(milliseconds: Int)
    /// Keep the connection and read the client's next request head on it (recorded like the
    /// first), as a keep-alive server does; close if none comes. For clients that send a second
    /// request over the same connection, such as ESP-IDF after a same-host redirect.
    case awaitRequest
}

extension ScriptStep {
    /// A duration for `holdOpen`/`pause` that only the connection's lifetime cap (or `stop()`) ends:
    /// the way to say "a server that never answers".
    public static let untilLifetimeCap = Int.max
}
