import Foundation
import ScenarioServer
import TestSupport
import Testing

/// Issue finding 8: `matrix` exited 1 on every good ESP8266 URL (the ESP32 rows fail) with no
/// way to choose, printed "the profiles disagree" whatever the exit status, waited without a
/// word and printed case names.
@Suite(.serialized) struct MatrixCLITests {
    static var server: ScenarioServer { CLITests.server }

    /// The line under the table.
    static func summary(_ stdout: String) -> String {
        stdout.split(separator: "\n").last.map(String.init) ?? ""
    }

    @Test func aGoodESP8266URLExits0WhenOnlyESP8266IsAsked() {
        let output = CommandRunner.run(["matrix", "--family", "esp8266", Self.server.url("good")])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        let rows = output.stdout.split(separator: "\n").filter { $0.hasPrefix("esp") }
        #expect(rows.count == 5 && rows.allSatisfy { $0.hasPrefix("esp8266-arduino-") && $0.contains(" updated ") })
        #expect(Self.summary(output.stdout) == "All 5 profiles: updated (HTTP_UPDATE_OK 0). Exit status 0: every profile ends updated or with no update.")
    }

    @Test func oneFailingSelectedProfileExits1AndTheSummarySaysSo() {
        let output = CommandRunner.run(["matrix", "--profiles", "esp8266,esp32", Self.server.url("good")])
        #expect(output.status == 1)
        let rows = output.stdout.split(separator: "\n").filter { $0.hasPrefix("esp") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(rows == ["esp8266-arduino-3.1.2", "esp32-arduino-3.2"])
        #expect(Self.summary(output.stdout) == "2 profiles: 1 updated, 1 failed — 2 different outcomes, 2 different device results. Exit status 1: 1 of 2 do not end updated or with no update.")
        #expect(!output.stdout.contains("disagree"))
    }

    @Test func familyAndProfilesAddUp() throws {
        let output = CommandRunner.run(["matrix", "--format", "json", "--family", "esp-idf", "--profiles", "esp8266-arduino-2.4.2", Self.server.url("not-modified")])
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let names = (object?["matrix"] as? [[String: Any]])?.compactMap { $0["profile"] as? String }
        #expect(names == ["esp8266-arduino-2.4.2", "esp-idf-5.5", "esp-idf-5.4", "esp-idf-5.1", "esp-idf-4.4"])
    }

    @Test(arguments: [
        (["--profiles", "esp8266,nope"], "unknown profile 'nope'; available: esp8266-arduino-3.1.2,"),
        (["--family", "esp31"], "unknown family 'esp31'; available: esp8266, esp32-arduino, esp-idf"),
        (["--family", ","], "--family needs a family"),
        (["--json", "--format", "markdown"], "--json and --format markdown ask for different output"),
        (["--format", "html"], "'--format <text|json|markdown>'"),
        (["--profile", "esp32"], "matrix takes --profiles"),
    ])
    func badSelectionsAreOneLineUsageErrors(flags: [String], message: String) {
        let output = CommandRunner.run(["matrix"] + flags + ["http://127.0.0.1:9/fw.bin"])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stdout.isEmpty)
    }

    /// esp8266-arduino-2.4.2 has no redirect support: its row said `(unsupportedByCore)`.
    @Test func rowsSayWhyInWords() {
        let output = CommandRunner.run(["matrix", "--family", "esp8266", Self.server.url("redirect-302")])
        let row = output.stdout.split(separator: "\n").first { $0.hasPrefix("esp8266-arduino-2.4.2 ") } ?? ""
        #expect(row.hasSuffix("not followed (this core cannot follow redirects)"), "\(row)")
        #expect(!output.stdout.contains("unsupportedByCore") && !output.stdout.contains("(disabled)"))
    }

    /// The devices wait 2.5 s on a silent server: a terminal sees the longest wait counted
    /// down, a pipe sees nothing on stderr, and the report on stdout is the same either way.
    @Test func countdownOnATerminalOnly() throws {
        let arguments = ["matrix", "--family", "esp8266", "--timeout-ms", "2500", Self.server.url("silent")]
        let terminal = try #require(TerminalStderrRun.run(arguments), "\(CommandRunner.staleness ?? "no pseudo-terminal")")
        #expect(terminal.status == 1)
        #expect(terminal.terminal.contains("waiting as the device would: 2 s left") || terminal.terminal.contains("waiting as the device would: 1 s left"), "\(terminal.terminal)")
        #expect(terminal.terminal.hasSuffix("\r\u{1B}[K"), "the line is cleared before the report")
        let piped = CommandRunner.run(arguments)
        #expect(piped.status == 1 && piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(Self.summary(piped.stdout) == Self.summary(terminal.stdout) && Self.summary(piped.stdout).hasPrefix("All 5 profiles: failed"))
    }
}
