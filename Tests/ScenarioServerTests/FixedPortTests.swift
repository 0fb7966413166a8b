import ScenarioServer
import Testing

@Suite(.timeLimit(.minutes(1))) struct FixedPortTests {
    @Test func aChosenPortIsUsedAndFreedOnStop() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        let server = try ScenarioServer(port: port, connectionLifetimeMilliseconds: 2_000)
        #expect(server.port == port)
        server.stop()
        // Reusable at once (SO_REUSEADDR), as `otaprobe serve --port` restarts need.
        let again = try ScenarioServer(port: port, connectionLifetimeMilliseconds: 2_000)
        #expect(again.port == port)
        again.stop()
    }
}
