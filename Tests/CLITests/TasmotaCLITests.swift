import Foundation
import ScenarioServer
import TestSupport
import Testing

/// `--profile tasmota` as a Tasmota user types it: the console words, every attempt in JSON,
/// the outcome's exit status, explain and matrix knowing the family, and the sketch settings
/// Tasmota has no command for refused in one line.
@Suite struct TasmotaCLITests {
    static var server: ScenarioServer { CLITests.server }

    /// -100, then the `-minimal` file: two attempts about 2 s apart, published as success.
    @Test func twoStepUpgradeInJSON() throws {
        let output = CommandRunner.run(["check", "--profile", "tasmota", "--json", Self.server.url("tasmota-minimal/tasmota-DE.bin.gz")])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let verdict = try #require(object["verdict"] as? [String: Any])
        #expect(verdict["result"] as? String == "Successful")
        #expect(verdict["deviceLine"] as? String == #"{"Upgrade":"Successful. Restarting"}"#)
        #expect(verdict["outcome"] as? String == "updated")
        let attempts = try #require(verdict["attempts"] as? [[String: Any]])
        #expect(attempts.compactMap { $0["code"] as? Int } == [-100, 0])
        #expect((attempts.last?["url"] as? String)?.hasSuffix("/tasmota-minimal/tasmota-minimal.bin.gz") == true)
        #expect(try #require(attempts.last?["startedMs"] as? Int) - (try #require(attempts.first?["endedMs"] as? Int)) >= 2000)
        #expect((object["exchanges"] as? [Any])?.count == 2)
    }

    @Test func notModifiedReadsAsSuccessButExitsAsNoUpdate() {
        let output = CommandRunner.run(["check", "--profile", "tasmota", Self.server.url("not-modified/tasmota.bin.gz")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains(#"{"Upgrade":"Successful. Restarting"}"#))
        #expect(output.stdout.hasPrefix("✔ Outcome: no update"), "\(output.stdout)")
    }

    @Test(arguments: [
        (["--follow-redirects", "strict"], "tasmota-15.2-esp8266 never calls setFollowRedirects()"),
        (["--expected-md5", "0123456789abcdef0123456789abcdef"], "passes no MD5"),
        (["--authorization", "user:secret"], "has no credential setting"),
        (["--timeout-ms", "3000"], "never calls setClientTimeout()"),
        (["--tls", "insecure"], "updates over a plain WiFiClient"),
        (["--mode", "fs"], "never updateFS()"),
    ])
    func sketchSettingsAreRefused(flags: [String], message: String) {
        let output = CommandRunner.run(["check", "--profile", "tasmota"] + flags + ["https://127.0.0.1:9/tasmota.bin"])
        #expect(output.status == 64, "\(output.stdout)\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stdout.isEmpty)
    }

    @Test func explainGivesTheConsoleText() {
        let output = CommandRunner.run(["explain", "--profile", "tasmota", "-106"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix(#"tasmota 15.2-esp8266: -106 HTTP_UE_BIN_VERIFY_HEADER_FAILED "Failed Verify Bin Header Failed""#), "\(output.stdout)")
        #expect(output.stdout.contains("appending .gz"))
        // A pasted console line finds the code.
        let pasted = CommandRunner.run(["explain", "--profile", "tasmota", #"{"Upgrade":"Failed Not Enough space"}"#])
        #expect(pasted.stdout.contains("-100 HTTP_UE_TOO_LESS_SPACE"), "\(pasted.stdout)\(pasted.stderr)")
        #expect(pasted.stdout.contains("-minimal"))
    }

    @Test func matrixRunsTheFamily() {
        let output = CommandRunner.run(["matrix", "--family", "tasmota", "--profiles", "esp8266", Self.server.url("tasmota-minimal/tasmota.bin")])
        #expect(output.status == 1)
        let rows = output.stdout.split(separator: "\n").filter { $0.hasPrefix("esp") || $0.hasPrefix("tasmota") }
        #expect(rows.first?.hasPrefix("esp8266-arduino-3.1.2 ") == true && rows.first?.contains("Not Enough space") == true, "\(output.stdout)")
        let tasmota = rows.first { $0.hasPrefix("tasmota-15.2-esp8266 ") } ?? ""
        #expect(tasmota.contains("Successful. Restarting"), "\(output.stdout)")
        // The ESP32 build has no -minimal retry: its 4 attempts all end with -100.
        let esp32 = rows.first { $0.hasPrefix("tasmota-15.2-esp32 ") } ?? ""
        #expect(esp32.contains(" -100 "), "\(output.stdout)")
    }

    @Test func demoShowsTheRetriesWithTheWaitCut() {
        let output = CommandRunner.run(["demo", "--profile", "tasmota"], timeoutSeconds: 60)
        #expect(output.stdout.contains("cut from 2000 ms to 100 ms"), "\(output.stdout)")
        #expect(output.stdout.contains("too big; -minimal beside it") && output.stdout.contains("Successful. Restarting"))
        #expect(output.stdout.contains("Failed Wrong HTTP Code"))
    }

    /// The ESP32 build's refusal says what it does instead: it always follows, strictly.
    @Test func esp32RefusesARedirectModeInItsOwnWords() {
        let output = CommandRunner.run(["check", "--profile", "tasmota-15.2-esp32", "--follow-redirects", "force", "http://127.0.0.1:9/tasmota32.bin"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("always follows redirects the strict way"), "\(output.stderr)")
    }
}
