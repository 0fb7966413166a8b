import ArgumentParser
import OTAProbeCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error code offline: its exact text on every stack and version, usual causes, the fix.",
        discussion: """
        Takes what the device printed: a getLastError() number (ESP8266 / ESP32 Arduino), an \
        esp_err_t in decimal or hex (ESP-IDF), a macro name (HTTP_UE_…, HTTPC_ERROR_…, \
        UPDATE_ERROR_…, ESP_ERR_…) or the printed text itself, whole or in part. Without \
        --profile it shows every stack and version where the code exists, with its exact text.

        Examples:
          otaprobe explain -104
          otaprobe explain 0x1503 --profile esp-idf
          otaprobe explain "Wrong HTTP Code" --json
          otaprobe explain --ssl 62
        """
    )

    /// Collected unparsed, because users type the negative codes they see (`-104`, `-0x7007`),
    /// which a plain argument would take for an option, and printed text in several words.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("A code (-104, 6, 0x1503, -0x7007), a name (ESP_ERR_OTA_VALIDATE_FAILED) or printed text (\"Wrong HTTP Code\").", valueName: "code|name|text"))
    var words: [String] = []

    @Option(help: ArgumentHelp("Only this device profile: a name, an alias, or a path (default: every profile).", valueName: "name|path"))
    var profile: String?

    @Flag(help: "The number is what getLastSSLError() returned (ESP8266 BearSSL), not getLastError().")
    var ssl = false

    @Flag(help: "Print one JSON object (schema otaprobe/1): the query and an array of matches.")
    var json = false

    /// The words without the `--` that ends options (`otaprobe explain -- -104`).
    private var queryWords: [String] { words.filter { $0 != "--" } }

    func validate() throws {
        do {
            let query = try CodeQuery.parse(queryWords)
            if ssl, case .words = query {
                throw ValidationError("--ssl takes the number getLastSSLError() returned, e.g. otaprobe explain --ssl 62")
            }
        } catch let refusal as CodeQuery.Refusal {
            throw ValidationError(refusal.description)
        }
    }

    func run() throws {
        let query: CodeQuery
        do { query = try CodeQuery.parse(queryWords) } catch { throw CLIEnvironment.usage(error.description) }
        let catalog = try CLIEnvironment.catalog()
        if ssl, case .number(let code) = query {
            return try explainSSL(code, CLIEnvironment.profile(profile ?? ProfileCatalog.defaultName, in: catalog))
        }
        if case .words(let text) = query, let engine = Self.tlsConnectionError(in: text) {
            // A pasted `OTA: TLS connection error <n> after <ms> ms` (Tasmota's HTTPUpdateLight):
            // n is the BearSSL error of a client that reports it through GET().
            let candidates = try profile.map { [try CLIEnvironment.profile($0, in: catalog)] } ?? catalog.profiles
            // The same client on both ESP32 layouts: name the usual (dual-OTA) one.
            let reporting = candidates.filter { $0.tlsCapabilities?.connectErrors != nil }
            let usual = reporting.first { profile in
                if case .tasmota(let tasmota) = profile { return tasmota.safeboot == nil }
                return true
            }
            if let device = usual ?? reporting.first, let errors = device.tlsCapabilities?.connectErrors {
                return try explainSSL(engine, device, heading: "OTA: TLS connection error \(engine) = BearSSL error \(engine), lastError \(errors.base - engine)  (\(device.name))")
            }
        }
        if let profile, case .number(let code) = query {
            // Tasmota's HTTPUpdateLight: lastError -1000-n is BearSSL error n (GET() returned
            // -1000 - getLastError(), logged as `OTA: TLS connection error n`).
            let device = try CLIEnvironment.profile(profile, in: catalog)
            if let errors = device.tlsCapabilities?.connectErrors, code < errors.base {
                let engine = errors.base - code
                return try explainSSL(engine, device, heading: "lastError \(code) = \(errors.base) - BearSSL error \(engine), logged as OTA: TLS connection error \(engine)  (\(device.name))")
            }
        }
        let profiles: [DeviceProfile]
        if let profile {
            profiles = [try CLIEnvironment.profile(profile, in: catalog)]
        } else {
            do { profiles = try catalog.profiles } catch { throw CLIEnvironment.usage(error.description) }
        }
        let typed = queryWords.joined(separator: " ")
        let scope = profile == nil ? "any profile" : profiles[0].name
        switch CodeLookup(profiles: profiles).find(query) {
        case .found(let matches):
            let report = ExplainReport(query: typed, matches: matches, profile: profile == nil ? nil : profiles[0].name)
            if json {
                CLIEnvironment.write(report.json(redactor: CLIEnvironment.redactor) + "\n")
            } else {
                CLIEnvironment.writeReport(report.lines)
            }
        case .ambiguous(let candidates):
            throw CLIEnvironment.usage("'\(typed)' fits \(Set(candidates.map { "\($0.code) \($0.name)" }).count) codes on \(scope): \(ExplainReport.candidates(candidates)); give the code, the name or more of the text")
        case .unknown(let suggestions):
            let what: String
            if case .number(let code) = query { what = "error code \(code)" } else { what = "error code, name or printed text '\(typed)'" }
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            let subject = profile == nil ? "no profile has an" : "\(profiles[0].name) has no"
            throw CLIEnvironment.usage("\(subject) \(what)\(hint) (otaprobe explain --help lists what it takes)")
        }
    }

    /// The number in a pasted `OTA: TLS connection error <n>` line, if the text holds one.
    static func tlsConnectionError(in text: String) -> Int? {
        let marker = "tls connection error "
        guard let range = text.lowercased().firstRange(of: marker) else { return nil }
        let lowered = text.lowercased()
        let digits = lowered[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }

    /// A getLastSSLError() number: every error it can stand for on this core, with causes.
    private func explainSSL(_ code: Int, _ profile: DeviceProfile, heading: String? = nil) throws {
        guard let capabilities = profile.tlsCapabilities, capabilities.stack == "bearssl" else {
            throw CLIEnvironment.usage("--ssl explains BearSSL's getLastSSLError(); \(profile.name) does not use BearSSL")
        }
        let guide = BearSSLErrorGuide(capabilities: capabilities)
        let errors = guide.errors(for: code)
        guard !errors.isEmpty else {
            throw CLIEnvironment.usage("\(code) is not a number getLastSSLError() returns on \(profile.name)")
        }
        var lines: [OutputLine] = [.heading(heading ?? "getLastSSLError() = \(code)  (\(profile.name))")]
        if errors.count > 1 {
            lines.append("  This core strips the received-alert offset, so the number has \(errors.count) readings; the text tells them apart (\"SSL received fatal alert - …\" for the alert).")
        }
        for error in errors {
            let entry = guide.entry(for: error)
            lines.append("")
            lines += entry.readings.map { OutputLine.heading($0) }
            lines += entry.causes.map { OutputLine("  • " + $0) }
            lines += entry.fixes.map { OutputLine("  → " + $0) }
        }
        lines.append("")
        let mode = capabilities.configurable == false ? "" : " --tls <your mode>"
        lines.append(.dim("Check the server as the device sees it: otaprobe check --profile \(profile.name)\(mode) https://…"))
        CLIEnvironment.writeReport(lines)
    }
}
