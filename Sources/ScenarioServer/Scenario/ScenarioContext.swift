/// What a scenario may know when it builds its response: where it is served from (so redirects
/// can point back at this very server) and what the client asked.
public struct ScenarioContext: Sendable {
    /// The address the server listens on: always `127.0.0.1`.
    public let host: String
    /// This server's port, for absolute `Location` URLs.
    public let port: UInt16
    /// The request head, or nil when the scenario acts before reading anything
    /// (`Scenario.readsRequest == false` in single mode).
    public let request: RecordedRequest?

    /// Public so callers can render a scenario's bytes without a server (e.g. to print them).
    public init(host: String = "127.0.0.1", port: UInt16, request: RecordedRequest? = nil) {
        self.host = host
        self.port = port
        self.request = request
    }

    /// `http://host:port` of this server, the prefix of every absolute URL pointing back at it.
    var origin: String { "http://\(host):\(port)" }
}
