/// One named server behaviour: what a misbehaving (or well-behaved) firmware host does on a
/// connection, written as a script so it is reproduced byte for byte every time.
public struct Scenario: Sendable {
    /// The URL path segment it is served at in routed mode: `/<name>`. Names are a contract:
    /// tests, `otaprobe demo` and users' bug reports refer to them.
    public let name: String
    /// One plain-English line describing the server behaviour (not the device's verdict, which is
    /// the device model's job); `otaprobe demo` prints it.
    public let summary: String
    /// Whether the server reads the request head before acting. `false` means "act on accept",
    /// which matters for behaviours like closing before the client has written anything. Only a
    /// single-scenario server can honour `false`: a routed server must read the request to know
    /// which scenario was asked for, so there the steps start right after the request head.
    public let readsRequest: Bool
    /// Builds the steps for one connection. Called once per connection, on that connection's
    /// thread, so it must be cheap or use cached bodies.
    public let respond: @Sendable (ScenarioContext) -> [ScriptStep]

    public init(
        name: String,
        summary: String,
        readsRequest: Bool = true,
        respond: @escaping @Sendable (ScenarioContext) -> [ScriptStep]
    ) {
        self.name = name
        self.summary = summary
        self.readsRequest = readsRequest
        self.respond = respond
    }
}
