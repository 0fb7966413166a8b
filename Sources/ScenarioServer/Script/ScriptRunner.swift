/// Plays a scenario's steps on one connection and guarantees the connection is closed at the end.
enum ScriptRunner {
    /// What the client was actually given, for `otaprobe serve`'s per-request report.
    struct Outcome: Sendable, Equatable {
        /// Bytes written to the socket (a write the client refused midway is not counted).
        var bytesSent = 0
        /// The first bytes written, up to `keptBytes`: enough for the status line.
        var firstBytes: [UInt8] = []
        /// How the connection ended.
        var ending: ServedAnswer.Ending = .closed

        static let keptBytes = 1024

        mutating func sent(_ bytes: some Collection<UInt8>) {
            bytesSent += bytes.count
            if firstBytes.count < Self.keptBytes { firstBytes += bytes.prefix(Self.keptBytes - firstBytes.count) }
        }
    }

    @discardableResult
    /// `record` receives each further request head read by `awaitRequest`.
    static func run(_ steps: [ScriptStep], on connection: ClientConnection, record: (RecordedRequest) -> Void = { _ in }) -> Outcome {
        var outcome = Outcome()
        do throws(ClientConnection.Interruption) {
            for step in steps {
                switch step {
                case .send(let bytes):
                    try connection.send(bytes)
                    outcome.sent(bytes)
                case .sendSlowly(let bytes, let chunk, let interval):
                    try sendSlowly(bytes, chunk: chunk, intervalMilliseconds: interval, on: connection, outcome: &outcome)
                case .sendRepeatedly(let bytes, let times, let interval):
                    for index in 0..<max(0, times) {
                        if index > 0 && interval > 0 { try connection.stayQuiet(milliseconds: interval) }
                        try connection.send(bytes)
                        outcome.sent(bytes)
                    }
                case .pause(let milliseconds):
                    try connection.stayQuiet(milliseconds: milliseconds)
                case .close:
                    connection.closeOrderly(lingering: true)
                    return outcome
                case .reset:
                    connection.reset()
                    outcome.ending = .reset
                    return outcome
                case .awaitRequest:
                    let (head, end) = connection.readRequestHead(
                        maximumBytes: ServerCore.requestHeadByteLimit, timeoutMilliseconds: ServerCore.requestHeadTimeoutMilliseconds)
                    guard case .blankLineSeen = end else {
                        connection.closeOrderly(lingering: false)
                        return outcome
                    }
                    record(RecordedRequest(bytes: head))
                case .holdOpen(let milliseconds):
                    try connection.stayQuiet(milliseconds: milliseconds, endingEarlyIfClientCloses: true)
                    connection.closeOrderly(lingering: true)
                    return outcome
                }
            }
            // A script that just ends behaves like a normal HTTP/1.0 server: it closes.
            connection.closeOrderly(lingering: true)
        } catch {
            // The client left, the lifetime cap passed, or stop() was called: close now, without
            // lingering for a client that is gone or a server that is shutting down.
            connection.closeOrderly(lingering: false)
            switch error {
            case .peerGone: outcome.ending = .clientLeft
            case .lifetimeOver: outcome.ending = .lifetimeOver
            case .stopRequested: outcome.ending = .serverStopped
            }
        }
        return outcome
    }

    private static func sendSlowly(
        _ bytes: [UInt8], chunk: Int, intervalMilliseconds: Int, on connection: ClientConnection, outcome: inout Outcome
    ) throws(ClientConnection.Interruption) {
        let chunkSize = max(1, chunk)
        var offset = 0
        while offset < bytes.count {
            if offset > 0 { try connection.stayQuiet(milliseconds: intervalMilliseconds) }
            let end = min(bytes.count, offset + chunkSize)
            try connection.send(Array(bytes[offset..<end]))
            outcome.sent(bytes[offset..<end])
            offset = end
        }
    }
}
