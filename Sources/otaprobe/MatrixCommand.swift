import ArgumentParser
import OTAProbe
import OTAProbeCore

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Run several profiles against one URL at once and print one row per profile.",
        discussion: """
            Every profile by default (the same as `check --profile all`); choose with --family \
            and --profiles, which add up (--family esp8266 --profiles esp-idf runs the five \
            ESP8266 cores and the newest ESP-IDF). Sketch settings a core lacks (setMD5sum, \
            setAuthorization, FORCE redirects) are dropped for that core and noted in its row. \
            While a device would wait, the longest wait left is counted down on a terminal. \
            Exit status: 0 when every selected profile's outcome is updated or no-update, 1 \
            otherwise (the line under the table says which), 64 on bad usage.

            Examples:
              otaprobe matrix http://192.168.1.10/firmware.bin
              otaprobe matrix --family esp8266 --follow-redirects strict http://h/fw.bin
              otaprobe matrix --profiles esp32,esp-idf --format markdown http://h/fw.bin
            """
    )

    @Argument(help: ArgumentHelp("The firmware URL.", valueName: "url"))
    var url: String

    @OptionGroup(title: "Profiles") var selection: ProfileSelectionOptions

    @OptionGroup(title: "Device and sketch") var device: DeviceOptions

    @OptionGroup(title: "Run") var limits: RunLimitOptions

    @OptionGroup(title: "Output") var output: FormatOptions

    @Flag(help: "Do not mask secrets (see check --help).")
    var showSecrets = false

    func validate() throws {
        try URLCheck.validate(url)
        guard device.profile == ProfileCatalog.defaultName || device.profile == "all" else {
            throw ValidationError("matrix takes --profiles (a list) or --family, not --profile; or run check --profile \(device.profile)")
        }
    }

    func run() throws {
        try Self.run(url: url, device: device, limits: limits, format: output.resolved, selection: selection.selection)
    }

    static func run(url: String, device: DeviceOptions, limits: RunLimitOptions, format: ReportFormat, selection: ProfileSelection = ProfileSelection()) throws {
        let catalog = try CLIEnvironment.catalog()
        let profiles: [DeviceProfile]
        do { profiles = try selection.select(from: catalog) } catch { throw CLIEnvironment.usage(error.description) }
        let base = try device.settings(url: url, profile: profiles.first { $0.name == ProfileCatalog.defaultName } ?? profiles[0])
        // One countdown for all the threads, on a terminal only: the longest wait left is when
        // the table is ready. Piped, stderr stays clean for scripts.
        let countdown = CLIEnvironment.standardErrorIsTerminal()
        var onWait: (@Sendable (Probe.Wait) -> Void)?
        if countdown { onWait = { wait in CLIEnvironment.showCountdown(wait.remainingMs) } }
        let rows = ProfileMatrix.run(profiles: profiles, identity: device.identity(), settings: base, maxTimeMs: limits.maxTime, onWait: onWait)
        if countdown { CLIEnvironment.clearCountdown() }
        let entries = rows.map { MatrixReport.Entry(profile: $0.profile.name, verdict: $0.report.verdict, outcome: $0.report.outcome, adjustments: $0.adjustments) }
        let redactor = CLIEnvironment.redactor
        switch format {
        case .json:
            CLIEnvironment.write(MatrixReport.renderJSON(url: url, entries: entries, redactor: redactor) + "\n")
        case .markdown:
            CLIEnvironment.write(CLIEnvironment.markdown.render(matrixURL: url, entries: entries))
        case .text:
            CLIEnvironment.write(MatrixReport.renderText(url: url, entries: entries, style: TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput()), redactor: redactor))
        }
        throw ExitCode(MatrixReport.exitCode(entries))
    }
}

/// `--family` and `--profiles`: which profiles the matrix runs (see `ProfileSelection`).
struct ProfileSelectionOptions: ParsableArguments {
    @Option(name: .customLong("family"), parsing: .singleValue,
            help: ArgumentHelp("Run every profile of a family: esp8266, esp32-arduino, esp-idf, or the frameworks esphome and tasmota, which run only when named (repeat it, or give a comma list).", valueName: "family"))
    var families: [String] = []

    @Option(name: .customLong("profiles"), parsing: .singleValue,
            help: ArgumentHelp("Run these profiles: names, aliases or paths, comma-separated (see otaprobe profiles). Adds to --family.", valueName: "a,b"))
    var profiles: [String] = []

    var selection: ProfileSelection {
        ProfileSelection(families: families.flatMap(Self.split).compactMap { try? ProfileSelection.family(named: $0) },
                         names: profiles.flatMap(Self.split))
    }

    func validate() throws {
        for name in families.flatMap(Self.split) {
            do { _ = try ProfileSelection.family(named: name) } catch { throw ValidationError(error.description) }
        }
        if !families.isEmpty && families.flatMap(Self.split).isEmpty { throw ValidationError("--family needs a family: esp8266, esp32-arduino or esp-idf") }
        if !profiles.isEmpty && profiles.flatMap(Self.split).isEmpty { throw ValidationError("--profiles needs profile names (see otaprobe profiles)") }
    }

    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty }
    }
}
