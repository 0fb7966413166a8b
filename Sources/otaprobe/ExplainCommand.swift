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

    /// Every code the stacks return is a C `int` (getLastError(), getLastSSLError(), esp_err_t),
    /// so a number outside an int's range cannot be one, and is refused rather than looked up.
    var code: Int { Int32(words.first ?? "").map(Int.init) ?? 0 }

    func validate() throws {
        guard words.count == 1, Int32(words[0]) != nil else {
            throw ValidationError(words.isEmpty ? "give one error code, e.g. otaprobe explain -104"
                : "expected one whole-number code such as -104 (an int: -2147483648…2147483647), not '\(NumericFlag.visible(words.joined(separator: " ")))'")
        }
    }

    @Option(help: ArgumentHelp("Device profile: a name, an alias, or a path.", valueName: "name|path"))
    var profile: String = ProfileCatalog.defaultName

    @Flag(help: "The number is what getLastSSLError() returned (ESP8266 BearSSL), not getLastError().")
    var ssl = false

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        let chosen = try CLIEnvironment.profile(profile, in: catalog)
        if ssl { return try explainSSL(chosen) }
        guard let profile = chosen.esp8266 else { return try explainESP32(chosen) }
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

    /// A getLastSSLError() number: every error it can stand for on this core, with causes.
    private func explainSSL(_ profile: DeviceProfile) throws {
        guard let capabilities = profile.tlsCapabilities, capabilities.stack == "bearssl" else {
            throw CLIEnvironment.usage("--ssl explains BearSSL's getLastSSLError(); \(profile.name) does not use BearSSL")
        }
        let guide = BearSSLErrorGuide(capabilities: capabilities)
        let errors = guide.errors(for: code)
        guard !errors.isEmpty else {
            throw CLIEnvironment.usage("\(code) is not a number getLastSSLError() returns on \(profile.name)")
        }
        let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
        var lines = [style.bold("getLastSSLError() = \(code)") + "  (\(profile.name))"]
        if errors.count > 1 {
            lines.append("  This core strips the received-alert offset, so the number has \(errors.count) readings; the text tells them apart (\"SSL received fatal alert - …\" for the alert).")
        }
        for error in errors {
            let entry = guide.entry(for: error)
            lines.append("")
            lines += entry.readings.map { style.bold($0) }
            lines += entry.causes.map { "  • " + $0 }
            if !entry.fixes.isEmpty { lines += entry.fixes.map { "  → " + $0 } }
        }
        lines.append("")
        lines.append("Check the server as the device sees it: otaprobe check --profile \(profile.name) --tls <your mode> https://…")
        CLIEnvironment.write(lines.joined(separator: "\n") + "\n")
    }

    /// The ESP32 stacks: the code's name and exact text from the profile's tables.
    private func explainESP32(_ profile: DeviceProfile) throws {
        let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
        var lines: [String] = []
        switch profile {
        case .esp32Arduino(let p):
            let catalog = ErrorCatalog(p.errors)
            guard catalog.allCodes.contains(where: { $0.code == code }) else {
                throw CLIEnvironment.usage("\(p.name) has no error code \(code); known: \(catalog.allCodes.map { String($0.code) }.joined(separator: " "))")
            }
            let entry = catalog.entry(for: code)
            lines.append(style.bold("\(code) \(entry.name)") + "  (\(p.name))")
            lines.append("  getLastErrorString(): \"\(entry.message)\"")
        case .espIDF(let p):
            guard let row = p.errors.first(where: { $0.code == code }) else {
                throw CLIEnvironment.usage("\(p.name) has no esp_err_t \(code); known: \(p.errors.map { "\($0.code) (\($0.name))" }.joined(separator: ", "))")
            }
            let hex = (code < 0 ? "-0x" : "0x") + String(abs(code), radix: 16, uppercase: true)
            lines.append(style.bold("\(code) \(row.name)") + "  (\(hex), \(p.name))")
        case .esp8266:
            return
        }
        lines.append("")
        lines.append("Causes and fixes are written for each case a check finds: otaprobe check --profile \(profile.name) URL")
        CLIEnvironment.write(lines.joined(separator: "\n") + "\n")
    }
}
