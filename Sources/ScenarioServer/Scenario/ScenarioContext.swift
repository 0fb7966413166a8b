/// What a scenario may know when it builds its response: where it is served from (so redirects
/// can point back at this very server), what the client asked, and which images to serve.
public struct ScenarioContext: Sendable {
    /// The address the client reached the server at (the connection's local address): 127.0.0.1
    /// in tests, the LAN address a device used when `otaprobe serve --listen` opened one, so a
    /// redirect's absolute `Location` leads the device back here.
    public let host: String
    /// This server's port, for absolute `Location` URLs.
    public let port: UInt16
    /// The request head, or nil when the scenario acts before reading anything
    /// (`Scenario.readsRequest == false` in single mode).
    public let request: RecordedRequest?
    /// The images the scenarios serve: built-in, or the user's firmware file.
    public let bodies: ScenarioBodies

    /// Public so callers can render a scenario's bytes without a server (e.g. to print them).
    public init(host: String = "127.0.0.1", port: UInt16, request: RecordedRequest? = nil, bodies: ScenarioBodies = .builtIn) {
        self.host = host
        self.port = port
        self.request = request
        self.bodies = bodies
    }

    /// `http://host:port` of this server, the prefix of every absolute URL pointing back at it.
    var origin: String { "http://\(host):\(port)" }
}
