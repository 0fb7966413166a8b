import Foundation
import ScenarioServer
import TestSupport
import Testing

/// The executable as users run it: exit codes (0 / 1 / 64), one-line errors without a stack
/// trace, JSON that parses, and the README's demo command.
@Suite(.serialized) struct CLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)

    @Test func helpAndVersionSucceed() {
        let help = CommandRunner.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS"))
        #expect(CommandRunner.run(["check", "--help"]).stdout.contains("--follow-redirects"))
    }

    @Test(arguments: [
        (["check", "notaurl"], "malformed URL"),
        (["check", "ftp://h/fw.bin"], "unsupported scheme"),
        (["check", "--profile", "nope", "http://h/x"], "unknown profile 'nope'"),
        (["check", "--mode", "x", "http://h/x"], "--mode must be"),
        (["check", "--flash-layout", "3M", "http://h/x"], "unknown --flash-layout"),
        (["check", "--timeout-ms", "0", "http://h/x"], "--timeout-ms takes 1…2147483647"),
        (["check", "--sta-mac", "18:fe:34:a1:b2", "http://h/x"], "--sta-mac takes 6 hex bytes"),
        (["check", "--base-mac", "18:fe:34:a1:b2:zz", "http://h/x"], "--base-mac takes 6 hex bytes"),
        (["check", "--profile", "/nonexistent/p.json", "http://h/x"], "no such file"),
        // The flag's own name is not a secret to mask (only its value is).
        (["check", "--profile", "esp-idf", "--authorization", "user:pw", "http://h/x"], "--authorization is an Arduino setting"),
        (["explain", "abc"], "no profile has an error code, name or printed text 'abc'"),
        (["explain", "99999999999"], "expected an error code that fits in a C int"),
        (["inspect", "/nonexistent.bin"], "cannot read /nonexistent.bin"),
    ])
    func badInputExits64WithOneClearLine(arguments: [String], message: String) {
        let output = CommandRunner.run(arguments)
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error") && output.stdout.isEmpty)
    }

    @Test func brokenProfileFileNamesTheLine() throws {
        let path = "/tmp/otaprobe-cli-test-\(getpid()).json"
        defer { unlink(path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("{\n  \"schema\": \"otaprobe-profile/1\",\n  \"name\": oops\n}\n".utf8)))
        let output = CommandRunner.run(["check", "--profile", path, "http://127.0.0.1:1/x"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("\(path):3: not valid JSON"))
    }

    @Test func failingDeviceExits1AndJSONParses() throws {
        let output = CommandRunner.run(["check", "--json", Self.server.url("redirect-302")])
        #expect(output.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let verdict = object?["verdict"] as? [String: Any]
        #expect(object?["schema"] as? String == "otaprobe/1")
        #expect(verdict?["result"] as? String == "HTTP_UPDATE_FAILED")
        #expect(verdict?["code"] as? Int == -104)
        #expect(verdict?["message"] as? String == "Wrong HTTP Code")
        #expect(verdict?["name"] as? String == "HTTP_UE_SERVER_WRONG_HTTP_CODE")
    }

    @Test func succeedingDeviceExits0() {
        let output = CommandRunner.run(["check", Self.server.url("good")])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("✔ Outcome: updated"))
        #expect(output.stdout.split(separator: "\n").dropFirst().first == "HTTP_UPDATE_OK")
        let notModified = CommandRunner.run(["check", "--json", Self.server.url("not-modified")])
        #expect(notModified.status == 0)
        #expect(notModified.stdout.contains("\"outcome\":\"no-update\""))
    }

    /// The ESP8266 updater checks only the magic byte (3.1.2 Updater.cpp:_verifyHeader), so an
    /// ESP32 image is flashed and reported `HTTP_UPDATE_OK`; the run's outcome is that it will
    /// not boot, and the exit status follows the outcome, not the device's words.
    @Test func anImageTheDeviceCannotBootIsNotASuccess() throws {
        let output = CommandRunner.run(["check", "--json", Self.server.url("esp32-good")])
        #expect(output.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let verdict = object?["verdict"] as? [String: Any]
        #expect(verdict?["result"] as? String == "HTTP_UPDATE_OK")
        #expect(verdict?["outcome"] as? String == "fails-to-boot")
        let human = CommandRunner.run(["check", Self.server.url("esp32-good")])
        #expect(human.status == 1)
        #expect(human.stdout.hasPrefix("✘ Outcome: fails to boot"), "\(human.stdout)")
    }

    @Test func secretsAreMaskedUnlessAsked() {
        let url = "http://admin:hunter2@127.0.0.1:\(Self.server.port)/not-found?token=abc"
        let masked = CommandRunner.run(["check", url])
        #expect(!masked.stdout.contains("hunter2") && !masked.stdout.contains("token=abc") && !masked.stdout.contains("YWRtaW46aHVudGVyMg=="))
        #expect(CommandRunner.run(["check", "--show-secrets", url]).stdout.contains("hunter2"))
    }

    @Test func readmeDemoCommandWorksOffline() {
        let output = CommandRunner.run(["demo"])
        #expect(output.status == 0)
        for expected in ["HTTP_UPDATE_OK", "-104  Wrong HTTP Code", "-101  Server Did Not Report Size", "-106", "-107", "HTTP error: connection failed"] {
            #expect(output.stdout.contains(expected), "\(expected) missing from demo output")
        }
    }

    @Test func explainAndProfilesWork() {
        let explain = CommandRunner.run(["explain", "-104", "--profile", "esp8266-arduino-2.7.4"])
        #expect(explain.status == 0 && explain.stdout.contains("HTTP_UE_SERVER_WRONG_HTTP_CODE"))
        let profiles = CommandRunner.run(["profiles"])
        #expect(profiles.status == 0 && profiles.stdout.contains("esp8266-arduino-2.4.2"))
    }
}

extension CLITests {
    @Test func checkProfileAllPrintsTheMatrix() {
        let output = CommandRunner.run(["check", "--profile", "all", CLITests.server.url("unauthorized")])
        #expect(output.status == 1)
        func row(_ profile: String) -> [String] {
            output.stdout.split(separator: "\n").first { $0.hasPrefix(profile + " ") }.map { $0.split(separator: " ").prefix(4).map(String.init) } ?? []
        }
        #expect(row("esp8266-arduino-2.4.2") == ["esp8266-arduino-2.4.2", "failed", "HTTP_UPDATE_FAILED", "-104"])
        #expect(row("esp8266-arduino-3.1.2") == ["esp8266-arduino-3.1.2", "failed", "HTTP_UPDATE_FAILED", "-108"])
        #expect(row("esp32-arduino-3.2") == ["esp32-arduino-3.2", "failed", "HTTP_UPDATE_FAILED", "-104"])
        #expect(row("esp-idf-5.5") == ["esp-idf-5.5", "failed", "ESP_ERR_NOT_SUPPORTED", "262"])
        #expect(output.stdout.hasSuffix("Exit status 1: none of them ends updated or with no update.\n"), "\(output.stdout)")
        // An ESP8266 image: the ESP8266 profiles succeed, the ESP32 ones refuse it, so exit 1.
        let json = CommandRunner.run(["matrix", "--json", CLITests.server.url("good")])
        #expect(json.status == 1 && json.stdout.contains("\"matrix\":[") && json.stdout.contains("ESP_ERR_INVALID_VERSION"))
    }
}

extension CLITests {
    @Test func serveListsAndServes() {
        let list = CommandRunner.run(["serve", "--list"])
        #expect(list.status == 0 && list.stdout.contains("redirect-302") && list.stdout.contains("chunked"))
        // serve runs until interrupted: the runner stops it after a second.
        let live = CommandRunner.run(["serve"], timeoutSeconds: 1)
        #expect(live.status == -2 && live.stdout.contains("Scenario server on http://127.0.0.1:"))
        #expect(CommandRunner.run(["serve", "--port", "70000"]).status == 64)
    }

    /// The release build released the server right after the banner, so every connection was
    /// refused (issue 13, finding 1): the shipped binary must answer until it is stopped.
    @Test func serveAnswersRequestsUntilStopped() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        let serving = try #require(RunningCommand(["serve", "--port", String(port)]), "\(CommandRunner.staleness ?? "spawn failed")")
        defer { serving.stop() }
        let url = "http://127.0.0.1:\(port)/good"
        var answer = CommandRunner.run(["check", "--no-range-check", url])
        // The listener may need a moment after spawn: retry a refused connection for up to 10 s.
        for _ in 0..<100 where answer.stdout.contains("connection refused") || answer.stdout.contains("connection failed") {
            usleep(100_000)
            answer = CommandRunner.run(["check", "--no-range-check", url])
        }
        #expect(answer.status == 0 && answer.stdout.split(separator: "\n").contains("HTTP_UPDATE_OK"), "\(answer.stdout)")
        usleep(1_500_000)
        #expect(serving.isRunning)
        let again = CommandRunner.run(["check", "--no-range-check", url])
        #expect(again.status == 0, "\(again.stdout)")
    }
}

extension CLITests {
    /// Bad --tls* values end in one line and exit 64 before anything is sent.
    @Test(arguments: [
        (["--tls", "trust-me"], "--tls takes insecure"),
        (["--tls", "fingerprint=12:34"], "40 hex digits"),
        (["--tls", "ca=/nonexistent/root.pem"], "cannot read /nonexistent/root.pem"),
        (["--tls-buffers", "512"], "--tls-buffers takes RX,TX"),
        (["--tls-versions", "1.3"], "TLS 1.3 is not something this device can speak"),
        (["--tls-versions", "1.2-1.0"], "range 1.2-1.0 is empty"),
        (["--tls-ciphers", "FFFF"], "not one the probe knows"),
        (["--device-time", "yesterday"], "--device-time takes now, unsynced or Unix seconds"),
        (["--tls", "bundle=x509_crt_bundle"], "has no bundle"),
    ])
    func tlsOptionErrors(arguments: [String], message: String) {
        let output = CommandRunner.run(["check"] + arguments + ["https://127.0.0.1:9/fw.bin"])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
    }

    @Test func tlsOptionsNeedAnHTTPSURL() {
        let output = CommandRunner.run(["check", "--tls", "insecure", "http://127.0.0.1:9/fw.bin"])
        #expect(output.status == 64 && output.stderr.contains("plain http"), "\(output.stderr)")
    }
}

extension CLITests {
    /// A forum report quotes getLastSSLError(): 3.x strips the alert offset, so 40 has two
    /// readings; 2.7.4 returns 296 for the same alert (WiFiClientSecureBearSSL.cpp:1261).
    @Test func explainsSSLErrorNumbers() {
        let masked = CommandRunner.run(["explain", "--ssl", "40"])
        #expect(masked.status == 0)
        #expect(masked.stdout.contains("BR_ERR_RECV_FATAL_ALERT + handshake_failure (40)") && masked.stdout.contains("BR_ERR_X509_EXTRA_ELEMENT"))
        let old = CommandRunner.run(["explain", "--ssl", "296", "--profile", "esp8266-arduino-2.7.4"])
        #expect(old.status == 0 && old.stdout.contains("\"Unknown error code.\""))
        let notTrusted = CommandRunner.run(["explain", "--ssl", "62"])
        #expect(notTrusted.stdout.contains("Chain could not be linked to a trust anchor.") && notTrusted.stdout.contains("setFingerprint"))
        #expect(CommandRunner.run(["explain", "--ssl", "999"]).status == 64)
        #expect(CommandRunner.run(["explain", "--ssl", "62", "--profile", "esp32"]).status == 64)
    }
}
