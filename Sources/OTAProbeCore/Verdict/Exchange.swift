/// One request/response on one connection, as the probe saw it: what was sent, what came
/// back, and what the device made of it. Reports are built from these; nothing here decides.
public struct Exchange: Sendable, Equatable {
    public var url: String
    public var host: String
    /// The port the device connects to.
    public var port: Int
    /// The port as the URL (or Location) wrote it, when the device connects to another one:
    /// the Arduino cores keep it in 16 bits, so `:99999` connects to 34463.
    public var writtenPort: String?
    public var tls: Bool
    public var remoteAddress: String?
    public var request: [UInt8]
    /// The raw head as received, whether or not it was complete: its first
    /// `Limits.headBytesKept` bytes.
    public var responseHead: [UInt8] = []
    /// How many head bytes arrived in all (more than `responseHead` holds for a header bomb).
    public var responseHeadBytes = 0
    public var head: ResponseHead?
    public var connectFailure: ConnectionFailure?
    public var body = BodyFacts()
    public var startedAtMs: Int
    public var connectedAtMs: Int?
    public var firstByteAtMs: Int?
    public var endedAtMs: Int?
    /// How the connection ended, as seen by the probe.
    public var ending: Ending = .open
    /// The request went over the previous exchange's connection (no connect, no handshake):
    /// `tls` then says what that connection is, whatever the URL's scheme.
    public var reusedConnection = false

    public enum Ending: String, Sendable, Equatable, Codable {
        case open, closedByServer, resetByServer, closedByDevice, neverConnected
    }

    public init(url: String, host: String, port: Int, tls: Bool, request: [UInt8], startedAtMs: Int) {
        self.url = url
        self.host = host
        self.port = port
        self.tls = tls
        self.request = request
        self.startedAtMs = startedAtMs
    }

    /// The exchange for a request to `url` as the device split it.
    public init(url: DeviceURL, request: [UInt8], startedAtMs: Int) {
        self.init(url: url.display, host: url.host, port: url.port, tls: url.usesTLS, request: request, startedAtMs: startedAtMs)
        writtenPort = url.misreadPort
    }
}

/// What the body looked like, summarised while streaming: never held whole.
public struct BodyFacts: Sendable, Equatable {
    /// Bytes received after the head (device-read and diagnostic together).
    public var bytesReceived = 0
    /// Bytes the device's Updater consumed (and hashed).
    public var bytesConsumedByDevice = 0
    /// The first bytes of the body, for the report and for recognising what it is.
    public var prefix: [UInt8] = []
    public static let prefixLimit = Limits.bodyPrefixKept
    /// MD5 of the bytes the device consumed (lower-case hex), when it downloaded.
    public var md5: String?
    /// SHA-256 of the same bytes, when the probe was asked to compute it.
    public var sha256: String?
    /// The probe stopped reading before the server finished (device stopped, or a limit).
    public var truncated = false

    public mutating func record(_ bytes: UnsafeRawBufferPointer) {
        bytesReceived += bytes.count
        if prefix.count < Self.prefixLimit {
            prefix.append(contentsOf: bytes.prefix(Self.prefixLimit - prefix.count))
        }
    }
}
