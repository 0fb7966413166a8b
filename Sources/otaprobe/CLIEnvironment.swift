import ArgumentParser
import FoundationEssentials
import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

/// The bits of the process environment the commands share: which profiles to use, whether
/// stdout/stderr are terminals, and how errors leave the process (64 usage, 70 internal).
enum CLIEnvironment {
    static var environment: [String: String] {
        var values: [String: String] = [:]
        for key in ["OTAPROBE_PROFILES", "NO_COLOR"] {
            if let value = getenv(key) { values[key] = String(cString: value) }
        }
        return values
    }

    /// The built-in profiles, or the directory `OTAPROBE_PROFILES` names.
    static func catalog() throws -> ProfileCatalog {
        do {
            return try ProfileCatalog.locate(environment: environment)
        } catch {
            throw usage(error.description)
        }
    }

    static func profile(_ reference: String, in catalog: ProfileCatalog) throws -> DeviceProfile {
        if reference == "all" { throw usage("--profile all runs every profile: use it with check, or run otaprobe matrix") }
        do {
            return try catalog.resolve(reference)
        } catch {
            throw usage(error.description)
        }
    }

    static func colorOnStandardOutput() -> Bool { isatty(1) == 1 && environment["NO_COLOR"].map(\.isEmpty) ?? true }
    static func standardErrorIsTerminal() -> Bool { isatty(2) == 1 }

    /// One line on stderr, then exit 64 — never a stack trace.
    static func usage(_ message: String) -> ExitCode {
        printError("otaprobe: error: \(message)")
        return ExitCode(64)
    }

    /// Errors pass the same gate as reports: a URL with a password in a usage error is pasted
    /// as readily as a report, and a file name or profile text may hold control bytes.
    static func printError(_ message: String) {
        writeAll(TerminalOutput(style: TerminalStyle(enabled: false), redactor: redactor).render(OutputLine(message)) + "\n", to: 2)
    }

    /// Whether the user asked to see secrets (`--show-secrets` anywhere on the command line).
    static var showsSecrets: Bool { CommandLine.arguments.dropFirst().contains("--show-secrets") }

    /// The redactor for this run: it knows every secret the command line holds — the URLs'
    /// passwords, credential query values and token segments, and the `--authorization` values —
    /// so they are masked wherever they come back, in reports and in errors alike.
    static var redactor: Redactor { redactor(for: Array(CommandLine.arguments.dropFirst())) }

    /// The redactor for words beyond the command line too: a fleet file's URLs and flags hold
    /// the same kinds of secrets and are masked the same way.
    static func redactor(for arguments: [String]) -> Redactor {
        var urls: [String] = []
        var credentials: [String] = []
        var previous = ""
        for argument in arguments {
            if previous == "--authorization" || previous == "--authorization-base64" {
                credentials.append(argument)
            } else if argument.hasPrefix("--authorization"), let equals = argument.firstIndex(of: "=") {
                // --authorization=user:pw; the flag's name itself is no secret.
                credentials.append(String(argument[argument.index(after: equals)...]))
            } else if argument.contains("://") || argument.contains("@") || argument.contains("?") || argument.contains("/") {
                urls.append(argument)
            }
            previous = argument
        }
        return Redactor(enabled: !showsSecrets, urls: urls, credentials: credentials)
    }

    /// The command line as typed, for the foot of a Markdown report (`otaprobe check …`).
    /// Arguments with spaces or quotes are single-quoted so the line can be run again; the
    /// report redacts and escapes it like every other line.
    static var commandLine: String {
        let arguments = CommandLine.arguments.dropFirst().map { argument -> String in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_./:=,@%+?&#~".unicodeScalars.contains($0) }
            return plain ? argument : "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        }
        return (["otaprobe"] + arguments).joined(separator: " ")
    }

    /// The Markdown report's writer for this run: the run's redactor, its command line.
    static var markdown: MarkdownReport {
        MarkdownReport(redactor: redactor, command: commandLine, version: OTAProbeCommand.version)
    }

    /// Human output: escaped, redacted and styled for standard output (`TerminalOutput`).
    static func writeReport(_ lines: [OutputLine]) {
        write(TerminalOutput(style: TerminalStyle(enabled: colorOnStandardOutput()), redactor: redactor).render(lines))
    }

    /// The countdown line on stderr while the device would wait (a terminal only; the caller
    /// checks): rewritten in place, cleared before the report.
    static func showCountdown(_ remainingMs: Int) {
        writeAll("\r\u{1B}[K  waiting as the device would: \((remainingMs + 999) / 1000) s left", to: 2)
    }

    static func clearCountdown() {
        writeAll("\r\u{1B}[K", to: 2)
    }

    static func write(_ text: String) {
        writeAll(text, to: 1)
    }

    /// Writes straight to the descriptor: the C `stdout`/`stderr` globals are shared mutable
    /// state to Swift 6, and unbuffered writes keep the countdown and the report in order.
    /// False (with `errno` set) when the descriptor refused the bytes; the report paths ignore
    /// it (a closed pipe has no one to tell), report files do not.
    @discardableResult
    static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 { if errno == EINTR { continue } else { return false } }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
