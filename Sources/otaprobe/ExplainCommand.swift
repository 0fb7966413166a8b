import ArgumentParser
import OTAProbeCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error code offline: its exact text on this profile, usual causes, the fix."
    )

    /// Collected unparsed, because users type the negative codes they see (`-104`), which a
    /// plain argument would take for an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The code from getLastError(), e.g. -104, -101, 6.", valueName: "code"))
    var words: [String] = []

    var code: Int { Int(words.first ?? "") ?? 0 }

    func validate() throws {
        guard words.count == 1, Int(words[0]) != nil else {
            throw ValidationError(words.isEmpty ? "give one error code, e.g. otaprobe explain -104" : "expected one whole-number code such as -104, not '\(words.joined(separator: " "))'")
        }
    }

    @Option(help: ArgumentHelp("Device profile: a name, an alias, or a path.", valueName: "name|path"))
    var profile: String = ProfileCatalog.defaultName

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        let profile = try CLIEnvironment.profile(profile, in: catalog)
        guard let entry = CodeGuide(profile: profile).entry(for: code) else {
            throw CLIEnvironment.usage("\(profile.name) has no error code \(code); known: \(ErrorCatalog(profile.errors).allCodes.map { String($0.code) }.joined(separator: " "))")
        }
        let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
        var lines = [style.bold("\(entry.code) \(entry.name)") + "  (\(profile.name))"]
        lines.append("  getLastErrorString(): \"\(entry.message)\"")
        lines.append("")
        lines.append("  " + entry.meaning)
        if !entry.causes.isEmpty {
            lines.append("")
            lines.append(style.bold("Usual causes"))
            lines += entry.causes.map { "  • " + $0 }
        }
        if !entry.fixes.isEmpty {
            lines.append("")
            lines.append(style.bold("What to change"))
            lines += entry.fixes.map { "  • " + $0 }
        }
        lines.append("")
        lines.append("Check a URL to see which cause applies: otaprobe check --profile \(profile.name) URL")
        CLIEnvironment.write(lines.joined(separator: "\n") + "\n")
    }
}
