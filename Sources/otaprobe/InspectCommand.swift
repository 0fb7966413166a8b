import ArgumentParser
import OTAProbe
import OTAProbeCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a firmware file or URL: image format, checksums, and whether it fits the device.",
        discussion: """
            Like esptool's image_info, plus device fit (flash size, space, chip family, version) \
            and forensics for bodies that are not firmware. A URL is fetched the device's way \
            (its request, its verdict); a file is read from disk. An ESP8266 profile judges the \
            flash layout and sketch space; an ESP32 profile the chip, its revision and the next \
            OTA partition. Exit status: 0 when the image fits the device (and, for a URL, the \
            device would succeed), 1 otherwise, 64 on bad usage.

            Examples:
              otaprobe inspect build/firmware.bin
              otaprobe inspect --profile esp-idf --chip esp32c3 build/app.bin
              otaprobe inspect --json http://192.168.1.10/firmware.bin
            """
    )

    @Argument(help: ArgumentHelp("A local file (build/firmware.bin) or an http(s) URL.", valueName: "file|url"))
    var target: String

    @OptionGroup(title: "Device and sketch") var device: DeviceOptionsOf<OneProfile>

    @OptionGroup(title: "Run") var limits: RunLimitOptions

    @OptionGroup(title: "Output") var output: FormatOptions

    @Flag(help: "Do not mask secrets (see check --help).")
    var showSecrets = false

    var isURL: Bool { target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://") }

    func validate() throws {
        if isURL { try URLCheck.validate(target) }
    }

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        let profile = try CLIEnvironment.profile(device.profile, in: catalog)
        let identity = device.identity()
        let redactor = CLIEnvironment.redactor
        let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
        if isURL {
            var settings = try device.settings(url: target, profile: profile)
            settings.computeDigests = true
            var probe = Probe(profile: profile, identity: identity, settings: settings)
            probe.maxTimeMs = limits.maxTime
            let report = probe.run()
            switch output.resolved {
            case .json: CLIEnvironment.write(JSONReport.render(report, redactor: redactor) + "\n")
            case .markdown: CLIEnvironment.write(CLIEnvironment.markdown.render(report))
            case .text: CLIEnvironment.write(HumanReport(style: style, redactor: redactor, verbose: false).render(report))
            }
            let unfit = report.fit.contains { $0.ok == false }
            throw ExitCode(report.outcome.isSuccess && !unfit ? 0 : 1)
        }
        let result: FileInspector.Result
        let digests: (md5: String, sha256: String, size: Int)
        do {
            result = try FileInspector.inspect(path: target)
            digests = try FileDigests.of(path: target)
        } catch {
            throw CLIEnvironment.usage(error.description)
        }
        let report = InspectReport(file: target, profile: profile, identity: identity, image: result.image, prefix: result.prefix,
                                   md5: digests.md5, sha256: digests.sha256)
        switch output.resolved {
        case .json: CLIEnvironment.write(report.renderJSON() + "\n")
        case .markdown: CLIEnvironment.write(CLIEnvironment.markdown.render(report))
        case .text: CLIEnvironment.write(report.renderText(style: style, redactor: redactor))
        }
        throw ExitCode(report.fits ? 0 : 1)
    }
}
