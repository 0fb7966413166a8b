/// Who watches a server's requests as they are answered: `otaprobe serve` decodes each request
/// and predicts what the device will make of the answer. Tests leave it out.
///
/// Both calls run on the connection's own thread, so an observer that takes its time (a
/// prediction waits as long as the device would) delays only that connection's end, never the
/// server's other connections, and never the answer itself.
public struct ServeObserver: Sendable {
    /// Called when a request head has arrived and its scenario is known, before any answer is
    /// sent; returns what to call once the answer is over.
    public let requestArrived: @Sendable (ArrivedRequest) -> @Sendable (ServedAnswer) -> Void

    public init(requestArrived: @escaping @Sendable (ArrivedRequest) -> @Sendable (ServedAnswer) -> Void) {
        self.requestArrived = requestArrived
    }
}

/// A request head that has just arrived.
public struct ArrivedRequest: Sendable {
    public let request: RecordedRequest
    /// `a.b.c.d:port` of the client, when the socket tells.
    public let peer: String?
    /// `a.b.c.d:port` the client connected to.
    public let local: String?
    /// The scenario that answers, nil when the path names none (the plain 404).
    public let scenario: String?
}

/// What the server did with a request, once the connection is over.
public struct ServedAnswer: Sendable, Equatable {
    /// How the connection ended.
    public enum Ending: String, Sendable, Equatable {
        /// Orderly close (FIN) by the server, after the script or when it ended.
        case closed
        /// The script reset the connection (TCP RST).
        case reset
        /// The client went away before the script was over.
        case clientLeft = "client-left"
        /// The connection's lifetime cap ended the script.
        case lifetimeOver = "lifetime-over"
        /// The server was stopped.
        case serverStopped = "server-stopped"
    }

    public let bytesSent: Int
    /// The first bytes written (up to 1 KiB), as sent.
    public let firstBytes: [UInt8]
    public let ending: Ending
    /// From the end of the request head to the end of the connection.
    public let milliseconds: Int

    public init(bytesSent: Int, firstBytes: [UInt8], ending: Ending, milliseconds: Int) {
        self.bytesSent = bytesSent
        self.firstBytes = firstBytes
        self.ending = ending
        self.milliseconds = milliseconds
    }

    /// The first status line sent that is not an interim `1xx` (`100 Continue` comes before the
    /// real answer), without its line end; nil when no line starting `HTTP/` was sent.
    public var statusLine: String? {
        var lines = firstBytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        lines = lines.filter { $0.starts(with: Array("HTTP/".utf8)) }[...]
        let chosen = lines.first { Self.code(in: $0).map { !(100...199).contains($0) } ?? true } ?? lines.last
        guard let chosen else { return nil }
        let text = chosen.last == 0x0D ? chosen.dropLast() : chosen[...]
        return String(decoding: text, as: UTF8.self)
    }

    /// The status code of `statusLine`: the digits after the first space (nil if there are none).
    public var status: Int? {
        statusLine.flatMap { Self.code(in: Array($0.utf8)[...]) }
    }

    private static func code(in line: some Collection<UInt8>) -> Int? {
        guard let space = line.firstIndex(of: 0x20) else { return nil }
        let digits = line[line.index(after: space)...].prefix { (0x30...0x39).contains($0) }
        guard (1...3).contains(digits.count) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}
