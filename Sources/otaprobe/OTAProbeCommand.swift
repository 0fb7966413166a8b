import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

@main
struct OTAProbeCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "otaprobe",
        abstract: "Predict what an ESP8266 or ESP32 OTA updater does with a firmware URL, and why.",
        discussion: """
            Stacks: the ESP8266 Arduino core (ESPhttpUpdate), arduino-esp32 (HTTPUpdate) and \
            ESP-IDF (esp_https_ota), each at several versions (otaprobe profiles). otaprobe sends \
            the device's exact request, reads the answer the way the device's HTTP client reads \
            it, and applies the updater's decision tree, so it reports the same result, error \
            code and text the device would print, then why, and what to change.

            Exit status: 0 the device would succeed (HTTP_UPDATE_OK, HTTP_UPDATE_NO_UPDATES or \
            ESP_OK), 1 it would fail (or crash, or hang), 64 bad usage, 70 internal error.

            Examples:
              otaprobe check http://192.168.1.10/firmware.bin
              otaprobe check --profile esp-idf https://ota.example.com/app.bin
              otaprobe demo
            """,
        version: version,
        subcommands: [CheckCommand.self, MatrixCommand.self, FleetCommand.self, InspectCommand.self, DemoCommand.self, ServeCommand.self, ExplainCommand.self, ProfilesCommand.self]
    )

    /// ArgumentParser's own `main`, except that a usage error is one line on stderr (the
    /// message, no usage block): scripts and CI logs read the first line, and every refusal
    /// names its flag and what it accepts. That line passes the same redaction and escaping as
    /// every report (`CLIEnvironment.printError`): usage errors echo the URL the user typed.
    /// Help and version still print in full.
    ///
    /// A finished command ends with `_exit`, not `exit`: the Range check runs on a detached
    /// thread and may still be inside libcurl/OpenSSL when the device's verdict is in, and
    /// `exit`'s handlers tear OpenSSL down under it (a SIGSEGV at exit against a server that
    /// sends TLS noise). Everything otaprobe prints is already written with write(2).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc._exit(0)
        } catch let exit as ExitCode {
            Glibc._exit(exit.rawValue)
        } catch let refusal as SettingRefusal {
            CLIEnvironment.printError("otaprobe: error: \(refusal)")
            Glibc._exit(64)
        } catch {
            let code = exitCode(for: error)
            let message = self.message(for: error)
            guard code != .success, !message.isEmpty else { exit(withError: error) }
            let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
            CLIEnvironment.printError("otaprobe: error: \(line)")
            Glibc.exit(code.rawValue)
        }
    }
}
