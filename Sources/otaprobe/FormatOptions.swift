import ArgumentParser
import OTAProbeCore

/// How a report is printed: for a terminal, for a script, or for a forum post.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// `--format text|json|markdown`, shared by check, matrix and inspect. `--json` came first and
/// scripts use it, so it stays, as another way to say `--format json`; the two given with
/// different answers is a usage error rather than a guess at which one was meant.
struct FormatOptions: ParsableArguments {
    @Option(help: ArgumentHelp("text (the default, for a terminal), json (one object, schema otaprobe/1) or markdown (redacted, to paste into a forum post or a GitHub issue).", valueName: "text|json|markdown"))
    var format: ReportFormat?

    @Flag(help: "The same as --format json.")
    var json = false

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for different output; give one of them")
        }
    }

    var resolved: ReportFormat { json ? .json : format ?? .text }
}
