import ArgumentParser
import FoundationEssentials
import OTAProbe
import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Check every firmware URL of a fleet as each device would fetch it, in parallel.",
        discussion: """
            Input: a YAML or JSON checks file (`checks:` entries with `url` and optional `name`, \
            `profile`, `flags` — any check flags — and `expect`), or an ESPHome / ESP Web Tools \
            manifest (one check per build: `ota.path` resolved as ESPHome does, the served image \
            compared with `ota.md5`, the profile chosen by chip family). Identical entries run \
            once and are reported for each. Every entry keeps the device's own timing.

            Exit status: 0 when every entry meets its expectation (default: updated or \
            no-update, and no published digest differs), 1 otherwise, 64 bad usage (a bad file \
            is named with its line and column).

            Examples:
              otaprobe fleet fleet.yaml
              otaprobe fleet fleet.yaml --json --junit fleet.xml --baseline last.jsonl
              otaprobe fleet http://fw.lan/manifest.json --profile-for ESP32=esp-idf-5.4
            """
    )

    @Argument(help: ArgumentHelp("A fleet file (YAML or JSON) or the URL of an ESPHome manifest.", valueName: "file|url"))
    var source: String

    @Option(name: [.short, .customLong("jobs")], help: ArgumentHelp("Checks run at once (1-256). Each is one device's whole conversation on its own thread.", valueName: "n"))
    var jobs: Int = 16

    @Option(help: ArgumentHelp("Checks run at once against one host (1-256), so a fleet does not hammer one server; browsers use 6.", valueName: "n"))
    var perHost: Int = 6

    @Option(help: ArgumentHelp("Manifest builds: the profile for a chip family, e.g. ESP32-C3=esp-idf-5.4 (repeatable). Defaults: ESP32 and every ESP32-* family = esphome-2025.12-esp-idf (ESPHome's own updater, which checks ota.md5 itself); ESP8266 = esphome-2025.12-esp8266 (the same updater on the ESP8266).", valueName: "CHIP=PROFILE"))
    var profileFor: [String] = []

    @Option(help: ArgumentHelp("For a manifest read from a file: the URL it is published at, to resolve relative ota.path values.", valueName: "url"))
    var baseURL: String?

    @OptionGroup(title: "Run") var limits: RunLimitOptions

    @Flag(help: "Print one JSON line per entry as it finishes (the check --json object plus `fleet`: index, name, expect, met), then a `fleetSummary` line.")
    var json = false

    @Option(help: ArgumentHelp("Also write JUnit XML: one testcase per entry, failure message = the device line.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Also write a Prometheus textfile-collector file (written atomically): per-entry success, device time and outcome, and the run's timestamp.", valueName: "file"))
    var prometheus: String?

    @Option(help: ArgumentHelp("An earlier run's --json output: list what changed since, regressions first.", valueName: "file.jsonl"))
    var baseline: String?

    @Flag(help: "Do not mask secrets (see check --help).")
    var showSecrets = false

    /// glibc's `mallopt`: at most `arenas` malloc arenas, and blocks of `mmapThreshold` bytes or
    /// more mapped and unmapped on their own. Swift's Glibc module does not carry malloc.h, so
    /// the function is looked up by name; `M_ARENA_MAX` is -8 and `M_MMAP_THRESHOLD` -3 there.
    /// Without glibc it does nothing.
    static func tuneMalloc(arenas: Int32, mmapThreshold: Int32) {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(-8, arenas)
        _ = mallopt(-3, mmapThreshold)
    }

    /// How long a fleet or manifest file may be: far beyond any real fleet, short of a memory risk.
    static let largestFileBytes = 16 * 1_048_576

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs takes 1 to 256, not \(jobs)") }
        guard (1...256).contains(perHost) else { throw ValidationError("--per-host takes 1 to 256, not \(perHost)") }
        for path in [junit, prometheus].compactMap({ $0 }) {
            guard OutputFile.canWrite(path) else { throw ValidationError("cannot write \(path): its directory does not exist or is not writable") }
        }
        if let baseURL { try URLCheck.validate(baseURL) }
    }

    func run() throws {
        // glibc gives each new thread its own malloc arena (up to 8 per core); with dozens of
        // workers each arena keeps its own freed pages, and the process grows with the number
        // of entries checked (500 → 5,000 entries: +15–20 % peak RSS). Fewer arenas, and a fixed
        // mmap threshold (glibc otherwise raises it to the largest block freed, after which an
        // entry's large transient buffers land in the heap between the small results that
        // outlive them) keep it flat at no measurable cost in time (Benchmarks/fleet).
        Self.tuneMalloc(arenas: 2, mmapThreshold: 64 * 1024)
        var profiles = ManifestProfiles.defaults
        for assignment in profileFor where !profiles.set(assignment) {
            throw CLIEnvironment.usage("--profile-for takes CHIP=PROFILE (e.g. ESP32-C3=esp-idf-5.4), not '\(assignment)'")
        }
        let isURL = source.lowercased().hasPrefix("http://") || source.lowercased().hasPrefix("https://")
        let text = try readSource(isURL: isURL)
        let plan: FleetFile.Plan
        do {
            plan = try FleetFile.parse(text, name: source, sourceURL: isURL ? source : baseURL, profileFor: profiles)
        } catch {
            throw CLIEnvironment.usage(error.description)
        }
        let redactor = CLIEnvironment.redactor(for: Array(CommandLine.arguments.dropFirst()) + plan.entries.flatMap { [$0.url] + $0.flags })
        let catalog = try CLIEnvironment.catalog()
        let past = try baseline.map(readBaseline)

        var resolvedProfiles: [String: DeviceProfile] = [:]
        for entry in plan.entries {
            let reference = entry.profile ?? ProfileCatalog.defaultName
            if resolvedProfiles[reference] == nil {
                do { resolvedProfiles[reference] = try catalog.resolve(reference) } catch {
                    throw CLIEnvironment.usage("\(entry.location): \(entry.name): \(error.description)")
                }
            }
        }
        // One run per distinct question; each entry is reported from its run. Every run's entry
        // is parsed here, so a bad flag stops the fleet before anything runs; the check itself is
        // built again by its worker, so memory holds entries, not checks.
        var maker = FleetRunMaker(maxTimeMs: limits.maxTime, profiles: resolvedProfiles)
        let runs = try FleetRuns(plan.entries) { try maker.learn($0) }
        let runMaker = maker  // shared by the workers, read-only from here on
        let entries = plan.entries

        let started = ContinuousClock.now
        let startedAt = Int(time(nil))
        let collector = FleetCollector(total: plan.entries.count, json: json, progress: CLIEnvironment.standardErrorIsTerminal(), redactor: redactor)
        FleetPool.run(Array(0..<runs.count), host: { FleetHost.of(entries[runs.firstEntry[$0]].url) }, workers: self.jobs, perHost: perHost,
                      work: { run in Result { try runMaker.make(entries[runs.firstEntry[run]]).report() } },
                      finished: { run, report in collector.add(report, for: runs.entries(ofRun: run).map { entries[$0] }) })
        collector.endProgress()

        let elapsed = ContinuousClock.now - started
        let durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let results = collector.results
        let summary = FleetSummary(results: results, skipped: plan.skipped, shared: plan.entries.count - runs.count,
                                   startedAt: startedAt, durationMs: durationMs, changes: past?.changes(to: results))
        if let junit { try write(JUnitReport.render(summary, redactor: redactor), to: junit) }
        if let prometheus { try write(PrometheusReport.render(summary, redactor: redactor), to: prometheus) }
        if json {
            CLIEnvironment.write(summary.json(redactor: redactor) + "\n")
        } else {
            CLIEnvironment.write(TerminalOutput(style: TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput()), redactor: redactor).render(summary.lines()))
        }
        for note in plan.skipped where json { CLIEnvironment.printError("otaprobe: skipped \(note)") }
        throw ExitCode(summary.exitCode)
    }

    private func readSource(isURL: Bool) throws -> String {
        if isURL {
            try URLCheck.validate(source)
            do { return try SidecarFetcher.fetch(source, limit: Self.largestFileBytes) } catch {
                throw CLIEnvironment.usage(error.description)
            }
        }
        return try readFile(source)
    }

    private func readBaseline(_ path: String) throws -> FleetBaseline {
        do { return try FleetBaseline.read(try readFile(path), file: path) } catch let error as FleetBaseline.ReadError {
            throw CLIEnvironment.usage(error.description)
        }
    }

    private func readFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIEnvironment.usage("cannot read \(path)")
        }
        guard data.count <= Self.largestFileBytes else {
            throw CLIEnvironment.usage("\(path) is \(data.count) bytes; a fleet file may hold at most \(Self.largestFileBytes)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIEnvironment.usage("\(path) is not UTF-8 text") }
        return text
    }

    private func write(_ text: String, to path: String) throws {
        do { try OutputFile.writeAtomically(text, to: path) } catch {
            throw CLIEnvironment.usage("cannot write \(path): \(error)")
        }
    }
}

/// Builds an entry's check as `check` would run it: its words parsed by `check`'s own parser,
/// with the profile resolved once for the whole fleet.
///
/// Parsing is most of an entry's CPU (ArgumentParser reflects over every option of `check` on
/// each parse: ~14 M instructions, more than the probe and its report together), and fleets
/// repeat the same flags for hundreds of URLs. So the first entry of each distinct flag set is
/// parsed in full and kept as a template; later entries copy it, set their URL and run the
/// same `validate()` a parse would. URLs cannot be mistaken for options (fleet files accept
/// only URLs with a scheme), so the copy equals what a parse would give. Templates are bounded
/// (`templateLimit`) so memory stays flat when every entry has flags of its own; beyond it an
/// entry is parsed as before.
struct FleetRunMaker: Sendable {
    let maxTimeMs: Int
    let profiles: [String: DeviceProfile]
    /// Parsed commands by everything but the URL (profile and flags).
    private var templates: [[String]: CheckCommand] = [:]
    static let templateLimit = 64

    init(maxTimeMs: Int, profiles: [String: DeviceProfile]) {
        self.maxTimeMs = maxTimeMs
        self.profiles = profiles
    }

    /// Checks an entry's words before anything runs (a bad flag stops the fleet) and keeps its
    /// parse as the template for entries with the same flags.
    mutating func learn(_ entry: FleetEntry) throws {
        let key = Self.flagWords(of: entry)
        if templates[key] != nil {
            _ = try make(entry)
            return
        }
        let command = try parse(entry)
        _ = try run(command, for: entry)
        if templates.count < Self.templateLimit { templates[key] = command }
    }

    func make(_ entry: FleetEntry) throws -> CheckRun {
        if var command = templates[Self.flagWords(of: entry)] {
            command.url = entry.url
            do { try command.validate() } catch {
                throw CLIEnvironment.usage("\(entry.location): \(entry.name): \(Self.oneLine(CheckCommand.message(for: error)))")
            }
            return try run(command, for: entry)
        }
        return try run(try parse(entry), for: entry)
    }

    /// The words of an entry after its URL: what a template is shared by.
    private static func flagWords(of entry: FleetEntry) -> [String] {
        entry.flags + (entry.profile.map { ["--profile", $0] } ?? [])
    }

    private func parse(_ entry: FleetEntry) throws -> CheckCommand {
        let refused = ["--json", "--verbose", "--show-secrets", "--profile", "--format", "--help", "-h"]
        if let flag = entry.flags.first(where: { word in refused.contains { word == $0 || word.hasPrefix($0 + "=") } }) {
            throw CLIEnvironment.usage("\(entry.location): \(entry.name): \(flag) cannot be an entry flag\(flag.hasPrefix("--profile") ? " (use the entry's `profile:` key)" : " (fleet decides the output)")")
        }
        let words = [entry.url, "--max-time", String(maxTimeMs)] + Self.flagWords(of: entry)
        do {
            return try CheckCommand.parse(words)
        } catch {
            throw CLIEnvironment.usage("\(entry.location): \(entry.name): \(Self.oneLine(CheckCommand.message(for: error)))")
        }
    }

    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private func run(_ command: CheckCommand, for entry: FleetEntry) throws -> CheckRun {
        let run: CheckRun
        do {
            run = try CheckRun(command, profile: profiles[entry.profile ?? ProfileCatalog.defaultName]!)
        } catch let refusal as SettingRefusal {
            throw CLIEnvironment.usage("\(entry.location): \(entry.name): \(refusal)")
        }
        return entry.publishedMD5.map { run.comparing(md5: $0, from: "ota.md5") } ?? run
    }
}

/// The host a URL's connections go to, for the per-host limit.
enum FleetHost {
    static func of(_ url: String) -> String {
        guard case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: true) else { return url }
        return "\(parsed.host):\(parsed.port)"
    }
}

/// Gathers entries as they finish: prints each JSON line at once (a monitor reads them live),
/// keeps the small `FleetResult`, and redraws the progress line on a terminal. Called by
/// `FleetPool` one report at a time.
final class FleetCollector: @unchecked Sendable {
    private(set) var results: [FleetResult] = []
    private var failing = 0
    private let total: Int
    private let json: Bool
    private let progress: Bool
    private let redactor: Redactor

    init(total: Int, json: Bool, progress: Bool, redactor: Redactor) {
        self.total = total
        self.json = json
        self.progress = progress
        self.redactor = redactor
    }

    /// Device lines, causes and profile names repeat across a fleet (500 good URLs share one
    /// "HTTP_UPDATE_OK"); kept once each, so what is held per entry is its name and URL.
    private var interned: Set<String> = []

    private func intern(_ text: String) -> String {
        if let kept = interned.firstIndex(of: text) { return interned[kept] }
        interned.insert(text)
        return text
    }

    func add(_ outcome: Result<ProbeReport, any Error>, for entries: [FleetEntry]) {
        // Checked before the run; only a file changed since (an --expect-file removed) fails here.
        guard case .success(let report) = outcome else {
            for entry in entries {
                results.append(FleetResult(notRun: entry, because: "its flags could not be applied when its turn came"))
                failing += 1
            }
            return
        }
        for entry in entries {
            let result = FleetResult(entry: entry, report: report)
            results.append(result.sharing(intern))
            if !result.met { failing += 1 }
            if json {
                CLIEnvironment.write(JSONReport.render(report, fleet: result, redactor: redactor) + "\n")
            }
        }
        if progress {
            CLIEnvironment.writeAll("\r\u{1B}[K  fleet: \(results.count)/\(total) done, \(failing) failing", to: 2)
        }
    }

    func endProgress() {
        if progress { CLIEnvironment.writeAll("\r\u{1B}[K", to: 2) }
    }
}

/// Report files: written beside their final name and renamed over it, so a collector or CI
/// step never reads half a file.
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func canWrite(_ path: String) -> Bool {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return access(directory.isEmpty ? "/" : directory, W_OK) == 0
    }

    static func writeAtomically(_ text: String, to path: String) throws(Failure) {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        guard CLIEnvironment.writeAll(text, to: descriptor) else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw Failure(description: message)
        }
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: message)
        }
    }
}
