import Foundation
import ScenarioServer
import TestSupport
import Testing

/// What issue 13 found a shipped binary doing with hostile servers and careless input, each
/// run through the release executable: secrets in every output, a server's control bytes on
/// the terminal, runs without end.
@Suite(.serialized) struct TrustTests {
    static let password = "hunter2secret"
    static let token = "tok123456"
    static let pathToken = "AbCdEf0123456789AbCdEf01"
    static let basic = Data("admin:\(password)".utf8).base64EncodedString()

    /// Echoes the request in the body and in a Location, and sets a cookie: every way a
    /// server hands a secret back.
    static let echo = Scenario(name: "echo", summary: "echoes the request") { context in
        let request = context.request?.bytes ?? []
        let target = context.request?.target ?? "/"
        let head = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:\(context.port)\(target)&again=\(password)\r\nSet-Cookie: sid=cookie-\(token); Path=/\r\nContent-Length: \(request.count)\r\n\r\n"
        return [.send(Array(head.utf8) + request), .close]
    }

    /// Control bytes wherever a server can put them: the reason phrase, a Location, x-MD5,
    /// Content-Length, Transfer-Encoding, and a page title.
    static let controls = Scenario(name: "controls", summary: "control bytes everywhere") { _ in
        let head = "HTTP/1.1 302 Found\u{1B}[2J\u{7}\r\nLocation: http://evil/\u{1B}]0;owned\u{7}\u{0}x\u{9B}31m\u{202E}gpj.exe\rZ\r\nx-MD5: \u{1B}[31m0123\r\nTransfer-Encoding: gz\u{1B}ip\r\nContent-Length: 1\u{1B}2\r\nContent-Type: text/html\r\n\r\n<title>\u{1B}[5mFree\u{0}</title>"
        return [.send(Array(head.utf8)), .close]
    }

    static let server: ScenarioServer = try! ScenarioServer(scenarios: [echo, controls] + ScenarioCatalog.all, connectionLifetimeMilliseconds: 20_000)

    var secretURL: String {
        "http://admin:\(Self.password)@127.0.0.1:\(Self.server.port)/echo/\(Self.pathToken)/update/V1?token=\(Self.token)&x=1"
    }

    /// Every form a secret can take in the output: clear, Base64, and hex in a byte dump.
    func leaks(_ text: String) -> [String] {
        let hex = { (secret: String) in secret.utf8.map { String(format: "%02X", $0) }.joined(separator: " ") }
        return [Self.password, Self.token, Self.pathToken, Self.basic, hex(String(Self.password.prefix(8))), hex(String(Self.token.prefix(8)))]
            .filter { text.contains($0) }
    }

    @Test(arguments: [["--verbose"], ["--json"], ["--profile", "esp32-arduino-3.2", "--verbose"], ["--profile", "esp-idf-5.5", "--json"]])
    func secretsAreMaskedEverywhere(flags: [String]) {
        let output = CommandRunner.run(["check", "--no-range-check"] + flags + [secretURL])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(!output.stdout.isEmpty)
        #expect(leaks(output.stdout + output.stderr).isEmpty, "\(leaks(output.stdout))")
    }

    @Test func showSecretsShowsThem() {
        let output = CommandRunner.run(["check", "--no-range-check", "--verbose", "--show-secrets", secretURL])
        #expect(output.stdout.contains(Self.password) && output.stdout.contains(Self.token) && output.stdout.contains(Self.pathToken))
    }

    @Test func authorizationFlagValuesAreMasked() {
        let url = "http://127.0.0.1:\(Self.server.port)/echo/fw.bin"
        let output = CommandRunner.run(["check", "--no-range-check", "--verbose", "--authorization", "admin:\(Self.password)", url])
        #expect(output.status == 1)
        #expect(leaks(output.stdout).isEmpty, "\(leaks(output.stdout))")
        let encoded = CommandRunner.run(["check", "--no-range-check", "--json", "--authorization-base64", Self.basic, url])
        #expect(leaks(encoded.stdout).isEmpty, "\(leaks(encoded.stdout))")
        // The `--flag=value` spelling: the value is the secret.
        let joined = CommandRunner.run(["check", "--no-range-check", "--verbose", "--authorization=admin:\(Self.password)", url])
        #expect(joined.status == 1)
        #expect(leaks(joined.stdout).isEmpty, "\(leaks(joined.stdout))")
    }

    @Test(arguments: [
        ["check", "admin:\(password)@host/x?token=\(token)"],
        ["check", "ftp://admin:\(password)@host/fw.bin"],
        ["inspect", "ftp://admin:\(password)@host/fw.bin?token=\(token)"],
        ["check", "--timeout-ms", "0", "http://admin:\(password)@host/\(pathToken)/x"],
    ])
    func usageErrorsMaskTheURL(arguments: [String]) {
        let output = CommandRunner.run(arguments)
        #expect(output.status == 64, "\(output.stderr)")
        #expect(!output.stderr.isEmpty)
        #expect(leaks(output.stderr).isEmpty, "\(output.stderr)")
    }

    /// Anything below 0x20 but the line feed, DEL, and C1 controls (UTF-8 C2 80 … C2 9F).
    static func rawControls(_ text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E }
            .map { String(format: "U+%04X", $0.value) }
    }

    @Test(arguments: ["esp8266-arduino-3.1.2", "esp8266-arduino-2.4.2", "esp32-arduino-3.2", "esp-idf-5.5"])
    func serverControlBytesNeverReachTheTerminal(profile: String) {
        let follows = profile.hasPrefix("esp8266-arduino-3") || profile.hasPrefix("esp32-arduino")
        for flags in [[], ["--verbose"]] + (follows ? [["--follow-redirects", "force"]] : []) {
            let output = CommandRunner.run(["check", "--no-range-check", "--profile", profile] + flags + [Self.server.url("controls")])
            #expect(output.status == 1, "\(output.stderr)")
            #expect(Self.rawControls(output.stdout + output.stderr).isEmpty, "\(profile) \(flags): \(Self.rawControls(output.stdout))")
            #expect(output.stdout.contains("\\x1B"), "the escape is shown, not dropped")
        }
        let matrix = CommandRunner.run(["matrix", Self.server.url("controls")])
        #expect(Self.rawControls(matrix.stdout).isEmpty, "\(Self.rawControls(matrix.stdout))")
    }

    @Test func maxTimeEndsARunThatNeverEnds() throws {
        let started = ContinuousClock.now
        let output = CommandRunner.run(["check", "--json", "--no-range-check", "--max-time", "1500", Self.server.url("silent")])
        let elapsed = ContinuousClock.now - started
        #expect(output.status == 1)
        #expect(elapsed < .seconds(4.5), "\(elapsed)")
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let verdict = object?["verdict"] as? [String: Any]
        #expect(verdict?["result"] as? String == "DEVICE_STILL_WAITING")
        #expect((verdict?["why"] as? String)?.contains("--max-time") == true)
    }

    @Test(arguments: [["--max-time", "0"], ["--max-time", "86400001"], ["--max-time", "9223372036854775808"]])
    func maxTimeIsRangeChecked(flags: [String]) {
        let output = CommandRunner.run(["check"] + flags + ["http://127.0.0.1:9/x"])
        #expect(output.status == 64 && output.stderr.contains("--max-time"), "\(output.stderr)")
    }
}
