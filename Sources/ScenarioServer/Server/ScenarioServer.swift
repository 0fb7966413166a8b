import Glibc

/// A loopback HTTP-ish server that misbehaves on purpose, byte for byte, to reproduce every
/// server behaviour that changes what an ESP8266 `ESPhttpUpdate` does (spec §10).
///
/// It listens on 127.0.0.1 (another address only when one is passed explicitly, as
/// `otaprobe serve --listen` does for real devices), on an ephemeral port by default. Each connection runs on its own thread:
/// it reads the request head (unless the scenario acts on accept), records it, then plays the
/// scenario's script. Every connection has a hard lifetime cap, and `stop()` (also run on
/// deinit) closes the listener and every open connection and returns promptly with no thread of
/// the server left running (bounded by a 5 s backstop).
///
/// Reading the request head: until the blank line that ends it, at most 64 KiB and 5 s; whatever
/// arrived by then is treated as the request. A client that connects and closes without sending
/// anything is closed and not recorded.
public final class ScenarioServer: Sendable {
    private let core: ServerCore

    /// Routed mode: the first path segment of the request target picks the scenario
    /// (`/redirect-302?x` → `redirect-302`); an unknown name gets a plain 404 with a short text
    /// body. A scenario with `readsRequest == false` still acts only after the request head here,
    /// since the head is what names it. If two scenarios share a name, the first one is served.
    /// `port` 0 (the default) takes an ephemeral port, as tests must; `otaprobe serve` may
    /// ask for a fixed one, and for another `address` than 127.0.0.1 (tests never do).
    /// `bodies` are the images the scenarios serve; `observer` hears of every request.
    public convenience init(
        scenarios: [Scenario] = ScenarioCatalog.all,
        address: ListenAddress = .loopback,
        port: UInt16 = 0,
        connectionLifetimeMilliseconds: Int = 150_000,
        bodies: ScenarioBodies = .builtIn,
        observer: ServeObserver? = nil
    ) throws {
        var byName: [String: Scenario] = [:]
        for scenario in scenarios where byName[scenario.name] == nil {
            byName[scenario.name] = scenario
        }
        try self.init(core: ServerCore(routing: .routed(byName: byName), address: address, port: port,
                                       connectionLifetimeMilliseconds: connectionLifetimeMilliseconds, bodies: bodies, observer: observer))
    }

    /// Single mode: every connection gets this scenario, whatever its path — the only way to
    /// act before the request has been read (closing or resetting right after accept).
    public convenience init(serving scenario: Scenario, connectionLifetimeMilliseconds: Int = 150_000) throws {
        try self.init(core: ServerCore(routing: .single(scenario), connectionLifetimeMilliseconds: connectionLifetimeMilliseconds))
    }

    private init(core: ServerCore) throws {
        self.core = core
        try core.startAccepting()
    }

    deinit {
        core.stop()
    }

    /// The port the server listens on.
    public var port: UInt16 { core.port }

    /// `http://<address>:<port>/<scenarioName>`: 127.0.0.1 unless another address was bound
    /// (and 127.0.0.1 too for 0.0.0.0, which this machine reaches there).
    public func url(_ scenarioName: String) -> String {
        let address = core.listener.address
        let host = address.isAny ? LoopbackAddress.host : address.description
        return "http://\(host):\(port)/\(scenarioName)"
    }

    /// Every request head received, in arrival order across connections (the newest 4 096).
    public var recordedRequests: [RecordedRequest] { core.recordedRequests }

    /// Closes the listener and every open connection, and waits for the server's threads to end.
    /// Idempotent; also run on deinit.
    public func stop() {
        core.stop()
    }

    /// A loopback port with nothing listening on it (bound to port 0, read, closed), for
    /// "connection refused" cases. Another process could take it in the meantime, but the kernel
    /// hands out ephemeral ports in rotation, so that is unlikely within a test.
    public static func unusedLoopbackPort() throws -> UInt16 {
        let (descriptor, port) = try LoopbackAddress.bindSocket()
        close(descriptor)
        return port
    }
}
