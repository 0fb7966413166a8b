import ArgumentParser
import ScenarioServer

#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the built-in scenario server on 127.0.0.1 until interrupted, to try otaprobe (or a real device on the same host) against each misbehaviour.",
        discussion: """
            Each scenario is served at /NAME. Loopback only: nothing is reachable from the network. \
            Stop with Ctrl-C.

            Examples:
              otaprobe serve --list
              otaprobe serve --port 8266
              otaprobe check http://127.0.0.1:8266/redirect-302   (from another terminal)
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Port on 127.0.0.1 (0 = any free port).", valueName: "port"))
    var port: String = "0"

    @Flag(help: "Only list the scenarios and what each does.")
    var list = false

    func validate() throws {
        do { _ = try NumericFlag.port.parse(port) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        if list {
            let width = ScenarioCatalog.all.map(\.name.count).max() ?? 0
            let lines = ScenarioCatalog.all.map { $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.summary }
            CLIEnvironment.write(lines.joined(separator: "\n") + "\n")
            return
        }
        let port = UInt16(truncatingIfNeeded: NumericFlag.port.value(port) ?? 0)
        let server: ScenarioServer
        do {
            server = try ScenarioServer(port: port)
        } catch {
            throw CLIEnvironment.usage("cannot listen on 127.0.0.1:\(port): \(error)")
        }
        CLIEnvironment.write("""
            Scenario server on http://127.0.0.1:\(server.port)/ — \(ScenarioCatalog.all.count) scenarios (otaprobe serve --list).
            Try: otaprobe check \(server.url("redirect-302"))
                 otaprobe matrix \(server.url("unauthorized"))
            Ctrl-C stops it.

            """)
        // The server runs on its own threads; this one only waits for a signal. The server must
        // outlive the wait explicitly: after the banner nothing uses it, and a release build
        // would release it (closing the listener) at its last use.
        withExtendedLifetime(server) {
            while true { pause() }
        }
    }
}
