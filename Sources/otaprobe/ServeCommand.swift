import ArgumentParser
import FoundationEssentials
import OTAProbe
import OTAProbeCore
import ScenarioServer

#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the scenario server for otaprobe or a real device, and decode every request: which stack and core sent it, what the device reported, what it was served and what it will print.",
        discussion: """
            Each scenario is served at /NAME (otaprobe serve --list). By default the server listens \
            on 127.0.0.1 only; --listen 192.168.1.10 (or 0.0.0.0) opens it to that network, for a \
            device on your LAN. Stop with Ctrl-C.

            Every request is matched against the bytes each built-in profile's device sends (method, \
            HTTP version, header names, order and fixed values), the identity it reports \
            (x-ESP8266-* / x-ESP32-*) is read back under the names of check's flags, and the newest \
            matching profile is run against the same scenario, as check runs it, to predict what the \
            device prints.

            --update-policy serves /update the way version-aware update servers do: 304 Not Modified \
            when the device already runs what is on offer, otherwise the image with Content-Length \
            and x-MD5. version=V compares x-ESP8266-version (ESP8266 Arduino) or x-ESP32-version \
            (arduino-esp32), which a sketch sends when it passes a version to update(); md5 compares \
            x-ESP8266-sketch-md5 / x-ESP32-sketch-md5 with the served file's MD5 (md5=HEX: with HEX), \
            ignoring case. ESP-IDF's esp_https_ota reports neither, and a request without the \
            header gets the image.

            --script FILE.yaml adds a scenario of your own: status line, headers, a body (the \
            --firmware file, a file, text or hex) and steps (head, body: N, pause: MS, raw: TEXT, \
            close, reset, hold: MS). The format is in the README ("Testing your own device with serve").

            Examples:
              otaprobe serve --list
              otaprobe serve --port 8266 --json
              otaprobe serve --listen 192.168.1.10 --firmware build/app.bin
            """
    )

    @Option(help: ArgumentHelp("The IPv4 address to listen on. Anything but 127.0.0.1 makes every scenario (and the --firmware file) reachable from that network.", valueName: "address"))
    var listen: String = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The port (0 = any free port).", valueName: "port"))
    var port: String = "0"

    @Option(help: ArgumentHelp("Serve this firmware file in every scenario that serves an image (good, chunked, stall-body, md5-wrong …; --list marks them).", valueName: "file"))
    var firmware: String?

    @Option(help: ArgumentHelp("Serve /update as a version-aware update server: version=V, md5 or md5=HEX (see below).", valueName: "rule"))
    var updatePolicy: String?

    @Option(help: ArgumentHelp("A scenario of your own in YAML, served at /NAME (repeatable).", valueName: "file.yaml"))
    var script: [String] = []

    @Option(help: ArgumentHelp("What the device's sketch set with setFollowRedirects(), for the predictions: disable (the default in every core), strict or force.", valueName: "mode"))
    var followRedirects: String = "disable"

    @Flag(help: "Only list the scenarios and what each does.")
    var list = false

    @Flag(help: "One JSON object per request on stdout (with --list: the list as JSON); the banner goes to stderr.")
    var json = false

    @Flag(help: "Do not mask secrets (Authorization values, credentials in paths) in the decoded requests.")
    var showSecrets = false

    func validate() throws {
        do { _ = try NumericFlag.port.parse(port) } catch { throw ValidationError(error.description) }
        guard ListenAddress(listen) != nil else {
            throw ValidationError("--listen takes an IPv4 address such as 127.0.0.1, 192.168.1.10 or 0.0.0.0, not '\(listen)'")
        }
        guard RedirectMode(rawValue: followRedirects) != nil else {
            throw ValidationError("--follow-redirects must be disable, strict or force, not '\(followRedirects)'")
        }
    }

    func run() throws {
        let bodies = try loadBodies()
        var scenarios = ScenarioCatalog.all
        var extras: [String] = []
        if let updatePolicy {
            switch UpdatePolicy.parse(updatePolicy, imageMD5: bodies.imageMD5) {
            case .success(let policy):
                scenarios.append(policy.scenario)
                extras.append("/\(UpdatePolicy.scenarioName): \(policy.summary)")
            case .failure(let error):
                throw CLIEnvironment.usage(error.description)
            }
        }
        for path in script {
            do {
                let loaded = try ScenarioScript.load(path: path, firmware: bodies.image, reservedNames: Set(scenarios.map(\.name)))
                scenarios.append(loaded.scenario)
                extras.append("/\(loaded.name): \(loaded.summary)")
            } catch {
                throw CLIEnvironment.usage(error.description)
            }
        }
        if list { return printList(scenarios) }

        let address = ListenAddress(listen) ?? .loopback
        let port = UInt16(truncatingIfNeeded: NumericFlag.port.value(port) ?? 0)
        // Off with --show-secrets (CLIEnvironment reads the flag from the command line).
        let redactor = CLIEnvironment.redactor
        let profiles: [DeviceProfile]
        do {
            profiles = try CLIEnvironment.catalog().profiles
        } catch let error as ExitCode {
            throw error
        } catch {
            throw CLIEnvironment.usage("\(error)")
        }
        // The predictions' own requests go to this twin on loopback, never decoded or printed.
        let twin: ScenarioServer
        do {
            twin = try ScenarioServer(scenarios: scenarios, bodies: bodies)
        } catch {
            throw CLIEnvironment.usage("cannot start the prediction server on 127.0.0.1: \(error)")
        }
        var prediction = ServePrediction(twinOrigin: "http://127.0.0.1:\(twin.port)")
        prediction.redirectMode = RedirectMode(rawValue: followRedirects) ?? .disable
        let session = ServeSession(recognizer: DeviceRecognizer(profiles: profiles), prediction: prediction, json: json, redactor: redactor)

        let server: ScenarioServer
        do {
            server = try ScenarioServer(scenarios: scenarios, address: address, port: port, bodies: bodies, observer: session.observer)
        } catch {
            throw CLIEnvironment.usage("cannot listen on \(address):\(port): \(error)")
        }
        if !address.isLoopback {
            CLIEnvironment.printError("otaprobe: warning: listening on \(address):\(server.port): every scenario\(firmware == nil ? "" : " and \(firmware!)") is now reachable from that network; stop with Ctrl-C when done")
        }
        printBanner(server: server, address: address, scenarioCount: scenarios.count, bodies: bodies, extras: extras)
        // The servers run on their own threads; this one only waits for a signal. They must
        // outlive the wait explicitly: after the banner nothing uses them, and a release build
        // would release them (closing the listeners) at their last use.
        withExtendedLifetime((server, twin, session)) {
            while true { pause() }
        }
    }

    /// The built-in images, or the --firmware file.
    private func loadBodies() throws -> ScenarioBodies {
        guard let firmware else { return .builtIn }
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: firmware, isDirectory: &isDirectory), !isDirectory,
              let data = FileManager.default.contents(atPath: firmware) else {
            throw CLIEnvironment.usage("--firmware: cannot read '\(firmware)'")
        }
        guard !data.isEmpty else { throw CLIEnvironment.usage("--firmware: '\(firmware)' is empty") }
        guard data.count <= Limits.serveFirmwareBytes else {
            throw CLIEnvironment.usage("--firmware: '\(firmware)' is \(data.count) bytes; serve takes files up to \(Limits.serveFirmwareBytes) bytes")
        }
        return .firmware(Array(data))
    }

    private func printList(_ scenarios: [Scenario]) {
        if json {
            let items = scenarios.map { ServeListItem(name: $0.name, summary: $0.summary, servesFirmware: $0.servesFirmware, readsRequest: $0.readsRequest) }
            CLIEnvironment.write(JSONText.encode(items) + "\n")
            return
        }
        let width = scenarios.map(\.name.count).max() ?? 0
        let lines = scenarios.map { scenario in
            OutputLine(scenario.name + String(repeating: " ", count: width - scenario.name.count + 2)
                + (scenario.servesFirmware ? "* " : "  ") + scenario.summary)
        }
        CLIEnvironment.writeReport(lines + [.dim("* serves the --firmware file when one is given (the built-in image otherwise)")])
    }

    private func printBanner(server: ScenarioServer, address: ListenAddress, scenarioCount: Int, bodies: ScenarioBodies, extras: [String]) {
        let host = address.isAny ? "<this machine's address>" : address.description
        var lines: [OutputLine] = ["Scenario server on http://\(host):\(server.port)/ — \(scenarioCount) scenarios (otaprobe serve --list)."]
        if let firmware {
            lines.append("Serving \(firmware) (\(bodies.image.count) bytes, MD5 \(bodies.imageMD5)) in every scenario that serves an image.")
        }
        lines += extras.map { OutputLine("Also at \($0)") }
        lines.append("Point a device at http://\(host):\(server.port)/good (or any scenario); each request is decoded \(json ? "on stdout, one JSON object per line" : "below").")
        if address.isLoopback {
            lines.append("Try: otaprobe check \(server.url("redirect-302"))")
            lines.append("     otaprobe matrix \(server.url("unauthorized"))")
        }
        lines.append("Ctrl-C stops it.")
        let text = TerminalOutput(style: TerminalStyle(enabled: false), redactor: CLIEnvironment.redactor).render(lines) + "\n"
        if json { CLIEnvironment.writeAll(text, to: 2) } else { CLIEnvironment.write(text) }
    }
}

/// `serve --list --json`: one object per scenario.
struct ServeListItem: Encodable {
    let name: String
    let summary: String
    /// Serves the `--firmware` file when one is given.
    let servesFirmware: Bool
    /// False only for the scenarios that act on accept when served alone.
    let readsRequest: Bool
}

/// Sorted-key JSON for the command's own small documents.
enum JSONText {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
