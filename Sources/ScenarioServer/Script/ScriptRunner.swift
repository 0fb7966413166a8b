/// Plays a scenario's steps on one connection and guarantees the connection is closed at the end.
enum ScriptRunner {
    /// `record` receives each further request head read by `awaitRequest`.
    static func run(_ steps: [ScriptStep], on connection: ClientConnection, record: (RecordedRequest) -> Void = { _ in }) {
        do throws(ClientConnection.Interruption) {
            for step in steps {
                switch step {
                case .send(let bytes):
                    try connection.send(bytes)
                case .sendSlowly(let bytes, let chunk, let interval):
                    try sendSlowly(bytes, chunk: chunk, intervalMilliseconds: interval, on: connection)
                case .sendRepeatedly(let bytes, let times, let interval):
                    for index in 0..<max(0, times) {
                        if index > 0 && interval > 0 { try connection.stayQuiet(milliseconds: interval) }
                        try connection.send(bytes)
                    }
                case .pause(let milliseconds):
                    try connection.stayQuiet(milliseconds: milliseconds)
                case .close:
                    connection.closeOrderly(lingering: true)
                    return
                case .reset:
                    connection.reset()
                    return
                case .awaitRequest:
                    let (head, end) = connection.readRequestHead(
                        maximumBytes: ServerCore.requestHeadByteLimit, timeoutMilliseconds: ServerCore.requestHeadTimeoutMilliseconds)
                    guard case .blankLineSeen = end else {
                        connection.closeOrderly(lingering: false)
                        return
                    }
                    record(RecordedRequest(bytes: head))
                case .holdOpen(let milliseconds):
                    try connection.stayQuiet(milliseconds: milliseconds, endingEarlyIfClientCloses: true)
                    connection.closeOrderly(lingering: true)
                    return
                }
            }
            // A script that just ends behaves like a normal HTTP/1.0 server: it closes.
            connection.closeOrderly(lingering: true)
        } catch {
            // The client left, the lifetime cap passed, or stop() was called: close now, without
            // lingering for a client that is gone or a server that is shutting down.
            connection.closeOrderly(lingering: false)
        }
    }

    private static func sendSlowly(
        _ bytes: [UInt8], chunk: Int, intervalMilliseconds: Int, on connection: ClientConnection
    ) throws(ClientConnection.Interruption) {
        let chunkSize = max(1, chunk)
        var offset = 0
        while offset < bytes.count {
            if offset > 0 { try connection.stayQuiet(milliseconds: intervalMilliseconds) }
            let end = min(bytes.count, offset + chunkSize)
            try connection.send(Array(bytes[offset..<end]))
            offset = end
        }
    }
}
