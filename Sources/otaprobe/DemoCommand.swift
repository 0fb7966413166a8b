import ArgumentParser
import OTAProbe
import OTAProbeCore
import ScenarioServer

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Offline demo: start the built-in scenario server on 127.0.0.1 and probe a few classic failures.",
        discussion: "Nothing leaves this machine. Each row is what the device would print for that server behaviour."
    )

    @Option(help: ArgumentHelp("Device profile: a name, an alias, or a path.", valueName: "name|path"))
    var profile: String = ProfileCatalog.defaultName

    /// Scenario name (from the catalogue) and the label shown for it.
    static let scenarios: [(name: String, label: String)] = [
        ("good", "a good image"),
        ("redirect-302", "a 302 redirect"),
        ("server-error", "a 500 error"),
        ("chunked", "a chunked body"),
        ("html", "an HTML page"),
        ("flash-16m", "a 16 MB-flash image"),
        ("closed-port", "a closed port"),
    ]

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        let profile = try CLIEnvironment.profile(profile, in: catalog)
        let server: ScenarioServer
        let closedPort: UInt16
        do {
            server = try ScenarioServer()
            closedPort = try ScenarioServer.unusedLoopbackPort()
        } catch {
            CLIEnvironment.printError("otaprobe: error: cannot start the scenario server on 127.0.0.1: \(error)")
            throw ExitCode(70)
        }
        defer { server.stop() }

        CLIEnvironment.writeReport([.heading("otaprobe demo — \(profile.title), scenario server on 127.0.0.1:\(server.port)"), ""])
        var rows = [["scenario", "device result", "code", "text", "why"]]
        for scenario in Self.scenarios {
            let url = scenario.name == "closed-port" ? "http://127.0.0.1:\(closedPort)/firmware.bin" : server.url(scenario.name)
            let probe = Probe(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: url))
            let verdict = probe.run().verdict
            rows.append(TextTable.verdictRow(scenario.label, verdict, why: verdict.summary))
        }
        CLIEnvironment.writeReport(TextTable.lines(rows))
        CLIEnvironment.write("\nNext: otaprobe check YOUR-FIRMWARE-URL for the full report, otaprobe explain -104 for a code.\n")
    }
}
