import ArgumentParser
import OTAProbe
import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Probe a firmware URL as the device would and report its exact result.",
        discussion: """
            Defaults describe a typical 4 MB NodeMCU / Wemos D1 mini: layout 4M2M, a 400000-byte \
            sketch (free space 1695744), core 3.1.2, redirects not followed, 8 s client timeout. \
            With an ESP32 profile (such as --profile esp32 or esp-idf): an ESP32 rev 3.0 running a \
            1050000-byte app with a 1280K next OTA partition.
            When the device would wait (a silent server), otaprobe waits as long and counts down \
            on a terminal; when the outcome is already certain it answers at once and reports \
            how long the device would take.

            Examples:
              otaprobe check http://192.168.1.10/firmware.bin
              otaprobe check --profile esp32 --follow-redirects strict http://nas/fw.bin
              otaprobe check --profile all --json http://192.168.1.10/firmware.bin
            """
    )

    @Argument(help: ArgumentHelp("The firmware URL the sketch passes to ESPhttpUpdate.update() / httpUpdate.update(), or the app sets as esp_http_client_config_t.url.", valueName: "url"))
    var url: String

    @OptionGroup(title: "Device and sketch") var device: DeviceOptions

    @OptionGroup(title: "Run") var limits: RunLimitOptions

    @Option(help: ArgumentHelp("A published MD5 file for the image (\"HASH  name\"): compare it with what is served.", valueName: "url"))
    var md5URL: String?

    @Option(help: ArgumentHelp("A published SHA-256 file for the image: compare it with what is served.", valueName: "url"))
    var sha256URL: String?

    @Option(help: ArgumentHelp("Your local build (e.g. build/firmware.bin): say whether the server serves that exact file.", valueName: "path"))
    var expectFile: String?

    @Flag(help: "Report the MD5 and SHA-256 of the downloaded image (the device only hashes to compare with an expected MD5).")
    var digests = false

    @Flag(help: "ESPHome (every esphome-* profile, ESP-IDF and Arduino builds): the URL is an update manifest (update: platform: http_request, source:). The device fetches it through its own http client, picks the build of its chip family (ESP8266 on the ESP8266 profiles, else the variant of --chip), compares its version with --current-version (default: the profile's ESPHome version), then installs ota.path with ota.md5.")
    var manifest = false

    @OptionGroup(title: "Output") var output: FormatOptions

    @Flag(help: "Skip the Range request sent beside the probe (the device's own request plus Range; it never makes the run longer). ESP-IDF partial download depends on the answer; the Arduino updaters never send Range.")
    var noRangeCheck = false

    @Flag(help: "Add the byte-level trace of every exchange.")
    var verbose = false

    @Flag(help: "Do not mask secrets: URL passwords, Authorization and Cookie values, credential-like query parameters, token-like path segments, and those values wherever they come back.")
    var showSecrets = false

    func validate() throws {
        try URLCheck.validate(url)
        for sidecar in [md5URL, sha256URL].compactMap({ $0 }) { try URLCheck.validate(sidecar) }
    }

    func run() throws {
        if device.profile == "all" {
            return try MatrixCommand.run(url: url, device: device, limits: limits, format: output.resolved)
        }
        let run = try CheckRun(self, catalog: try CLIEnvironment.catalog())
        let format = output.resolved
        let countdown = CLIEnvironment.standardErrorIsTerminal()
        var onWait: (@Sendable (Probe.Wait) -> Void)?
        if countdown {
            onWait = { wait in CLIEnvironment.showCountdown(wait.remainingMs) }
        }
        let report = run.report(onWait: onWait)
        if countdown { CLIEnvironment.clearCountdown() }
        let redactor = CLIEnvironment.redactor
        switch format {
        case .json:
            CLIEnvironment.write(JSONReport.render(report, redactor: redactor) + "\n")
        case .markdown:
            CLIEnvironment.write(CLIEnvironment.markdown.render(report))
        case .text:
            let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
            CLIEnvironment.write(HumanReport(style: style, redactor: redactor, verbose: verbose).render(report))
        }
        throw ExitCode(report.integrityFailed ? 1 : report.exitCode)
    }
}

/// `URLSyntax`'s refusals as the argument parser reports them (one line, exit 64).
enum URLCheck {
    static func validate(_ url: String) throws {
        if let problem = URLSyntax.problem(url) { throw ValidationError(problem) }
    }
}
