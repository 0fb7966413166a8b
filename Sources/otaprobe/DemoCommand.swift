import ArgumentParser
import OTAProbe
import OTAProbeCore
import ScenarioServer

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Offline demo: start the built-in scenario server on 127.0.0.1 and probe a few classic failures.",
        discussion: """
            Nothing leaves this machine. Each row is what the device would print for that server \
            behaviour; the images served are built for the profile's chip (ESP8266, or ESP32 for \
            the arduino-esp32 and ESP-IDF profiles).

            Examples:
              otaprobe demo
              otaprobe demo --profile esp32
              otaprobe demo --profile esp-idf-4.4
            """
    )

    @Option(help: ArgumentHelp("Device profile: a name or alias (otaprobe profiles lists them) or a path to a profile file.", valueName: "name|path"))
    var profile: String = ProfileCatalog.defaultName

    /// Scenario name (from the catalogue) and the label shown for it, per chip: an ESP32 would
    /// refuse an ESP8266 image on its chip id, which is not the failure a row is about.
    /// ESPHome on the ESP8266: ESP8266 images, and the server behaviours its 2025.12 read and
    /// HTTPClient's redirects turn on (spec E10, ESP8266 column).
    static let esphomeESP8266Scenarios: [(name: String, label: String)] = [
        ("good", "a good ESP8266 image"),
        ("slow-body", "a body in pieces 100 ms apart"),
        ("redirect-308", "a 308 redirect"),
        ("chunked", "a chunked body"),
        ("html", "an HTML page"),
        ("not-found", "a 404"),
        ("closed-port", "a closed port"),
    ]

    static func scenarios(for family: DeviceProfile.Family) -> [(name: String, label: String)] {
        switch family {
        case .esp8266Arduino:
            return [
                ("good", "a good ESP8266 image"),
                ("redirect-302", "a 302 redirect"),
                ("server-error", "a 500 error"),
                ("chunked", "a chunked body"),
                ("html", "an HTML page"),
                ("flash-16m", "a 16 MB-flash image"),
                ("closed-port", "a closed port"),
            ]
        case .esp32Arduino, .espIDF:
            return [
                ("esp32-good", "a good ESP32 image"),
                ("esp32-redirect-302", "a 302 redirect"),
                ("server-error", "a 500 error"),
                ("esp32-chunked", "a chunked body"),
                ("html", "an HTML page"),
                ("esp32c3-image", "an ESP32-C3 image"),
                ("closed-port", "a closed port"),
            ]
        case .esphome:
            // Each row's md5_url is the MD5 file of its image (see run()): the rows differ by
            // the server, not by a missing MD5.
            return [
                ("esp32-good", "a good ESP32 image"),
                ("esphome-redirect-4", "four redirects"),
                ("server-error", "a 500 error"),
                ("esp32-chunked", "a chunked body"),
                ("html", "an HTML page"),
                ("esp32c3-image", "an ESP32-C3 image"),
                ("closed-port", "a closed port"),
            ]
        case .tasmota:
            // File names after the scenario, as an OtaUrl has one: the retries rewrite them.
            return [
                ("good/tasmota.bin.gz", "a good ESP8266 image"),
                ("not-modified/tasmota.bin.gz", "a 304 Not Modified"),
                ("tasmota-minimal/tasmota.bin", "too big; -minimal beside it"),
                ("tasmota-gz-only/tasmota.bin", "only tasmota.bin.gz exists"),
                ("redirect-302/tasmota.bin.gz", "a 302 redirect"),
                ("html/tasmota.bin.gz", "an HTML page"),
                ("closed-port", "a closed port"),
            ]
        }
    }

    /// The demo's wait between Tasmota attempts (the device's is about 2 s).
    static let demoRetryIntervalMs = 100

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        var profile = try CLIEnvironment.profile(profile, in: catalog)
        // Tasmota waits about 2 s between its up to 9 attempts: the demo shows the same
        // attempts and results with the wait cut, and says so.
        var demoNote: OutputLine?
        if case .tasmota(var tasmota) = profile {
            demoNote = OutputLine("Tasmota's wait between attempts is cut from \(tasmota.retry.intervalMs) ms to \(Self.demoRetryIntervalMs) ms here; check waits as the device does.")
            tasmota.retry.intervalMs = min(tasmota.retry.intervalMs, Self.demoRetryIntervalMs)
            profile = .tasmota(tasmota)
        }
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

        CLIEnvironment.writeReport([.heading("otaprobe demo — \(profile.title), scenario server on 127.0.0.1:\(server.port)")] + (demoNote.map { [$0] } ?? []) + [""])
        var rows = [["scenario", "device result", "code", "text", "why"]]
        var verdicts: [Verdict] = []
        // Tasmota on the ESP32 refuses ESP8266 images: it gets the ESP32 rows.
        let rowsFamily: DeviceProfile.Family = profile.family == .tasmota && profile.esp8266 == nil ? .esp32Arduino : profile.family
        let esp8266ESPHome: Bool = { if case .esphome(let p) = profile { return p.isESP8266 } else { return false } }()
        let scenarios = esp8266ESPHome ? Self.esphomeESP8266Scenarios : Self.scenarios(for: rowsFamily)
        for scenario in scenarios {
            let url = scenario.name == "closed-port" ? "http://127.0.0.1:\(closedPort)/firmware.bin" : server.url(scenario.name)
            var settings = UpdaterSettings(url: url)
            if esp8266ESPHome {
                // The action's md5: is the MD5 of the ESP8266 image every row serves.
                settings.expectedMD5 = ScenarioBodies.builtIn.imageMD5
            } else if profile.family == .esphome {
                // ESPHome downloads nothing without an MD5: each row's action has md5_url set
                // to the MD5 file of the image the row is about.
                settings.md5URL = server.url(scenario.name == "esp32c3-image" ? "esphome-md5-c3" : "esphome-md5")
            }
            let probe = Probe(profile: profile, identity: DeviceIdentity(), settings: settings)
            let verdict = probe.run().verdict
            verdicts.append(verdict)
            rows.append(TextTable.verdictRow(scenario.label, verdict, why: verdict.summary))
        }
        CLIEnvironment.writeReport(TextTable.lines(rows))
        // The profile as the user named it (a path stays a path), left out when it is the default.
        let flag = self.profile == ProfileCatalog.defaultName ? "" : " --profile \(self.profile)"
        var next = "Next: otaprobe check\(flag) YOUR-FIRMWARE-URL for the full report"
        // The first failure with a telling code: ESP-IDF's esp_https_ota() folds most begin
        // failures into ESP_FAIL (-1), which says little on its own.
        let failures = verdicts.filter { !$0.deviceSucceeds && $0.code != 0 }
        if let failed = failures.first(where: { !(profile.family == .espIDF && $0.code == -1) }) ?? failures.first {
            next += ", otaprobe explain\(flag) \(failed.code) for a code"
        }
        CLIEnvironment.writeReport(["", OutputLine(next + ".")])
    }
}
