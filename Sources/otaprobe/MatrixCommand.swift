import ArgumentParser
import OTAProbe
import OTAProbeCore

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Run every profile against one URL at once and print one row per profile.",
        discussion: """
            The same as `check --profile all`: matrix always runs every profile, so --profile \
            takes only 'all' here (for one profile use check --profile NAME). Sketch settings a \
            core lacks (setMD5sum, setAuthorization, FORCE redirects) are dropped for that core \
            and noted in its row. Exit status: 0 when every profile's device would succeed, 1 otherwise.

            Examples:
              otaprobe matrix http://192.168.1.10/firmware.bin
              otaprobe matrix --follow-redirects strict https://example.com/fw.bin
              otaprobe matrix --json http://192.168.1.10/firmware.bin
            """
    )

    @Argument(help: ArgumentHelp("The firmware URL.", valueName: "url"))
    var url: String

    @OptionGroup(title: "Device and sketch") var device: DeviceOptions

    @OptionGroup(title: "Run") var limits: RunLimitOptions

    @Flag(help: "Print one JSON object (schema otaprobe/1, with a `matrix` array) instead of the table.")
    var json = false

    @Flag(help: "Do not mask secrets (see check --help).")
    var showSecrets = false

    func validate() throws {
        try URLCheck.validate(url)
        guard device.profile == ProfileCatalog.defaultName || device.profile == "all" else {
            throw ValidationError("matrix runs every profile; leave out --profile (or use check --profile \(device.profile))")
        }
    }

    func run() throws {
        try Self.run(url: url, device: device, limits: limits, json: json)
    }

    static func run(url: String, device: DeviceOptions, limits: RunLimitOptions, json: Bool) throws {
        let catalog = try CLIEnvironment.catalog()
        let profiles: [DeviceProfile]
        do { profiles = try catalog.profiles } catch { throw CLIEnvironment.usage(error.description) }
        let base = try device.settings(url: url, profile: profiles.first { $0.name == ProfileCatalog.defaultName } ?? profiles[0])
        let rows = ProfileMatrix.run(profiles: profiles, identity: device.identity(), settings: base, maxTimeMs: limits.maxTime)
        let entries = rows.map { MatrixReport.Entry(profile: $0.profile.name, verdict: $0.report.verdict, adjustments: $0.adjustments) }
        let redactor = CLIEnvironment.redactor
        if json {
            CLIEnvironment.write(MatrixReport.renderJSON(url: url, entries: entries, redactor: redactor) + "\n")
        } else {
            CLIEnvironment.write(MatrixReport.renderText(url: url, entries: entries, style: TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput()), redactor: redactor))
        }
        throw ExitCode(entries.allSatisfy { $0.verdict.deviceSucceeds } ? 0 : 1)
    }
}
