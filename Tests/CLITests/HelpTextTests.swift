import Foundation
import ScenarioServer
import TestSupport
import Testing

/// What `--help` says agrees with what the commands do: the stacks named, the values offered,
/// the defaults stated, and examples that run.
@Suite(.serialized) struct HelpTextTests {
    static let commandsWithExamples = ["check", "matrix", "inspect", "demo", "serve", "profiles"]

    /// Help text with its line wrapping undone, so phrases can be looked up whole.
    static func help(_ arguments: [String]) -> String {
        let output = CommandRunner.run(arguments + ["--help"])
        return output.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The lines under "Examples:" in a command's help.
    static func examples(_ command: String) -> [String] {
        let lines = CommandRunner.run([command, "--help"]).stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "Examples:") else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("  otaprobe ") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func theOverviewNamesEveryStack() {
        let overview = Self.help([])
        for stack in ["ESP8266", "ESP32", "arduino-esp32", "ESP-IDF", "ESP_OK"] {
            #expect(overview.contains(stack), "the overview does not mention \(stack)")
        }
    }

    @Test func inspectOffersOneProfileAndRefusesAll() throws {
        let help = Self.help(["inspect"])
        #expect(help.contains("--profile <name|path>"))
        #expect(!help.contains("|all") && !help.contains("'all'"))
        let refused = CommandRunner.run(["inspect", "--profile", "all", "/nonexistent.bin"])
        #expect(refused.status == 64 && refused.stderr.contains("--profile all"))
    }

    @Test func matrixSaysItTakesOnlyAllAndDoes() {
        let help = Self.help(["matrix"])
        #expect(help.contains("matrix accepts only 'all' here: it chooses its profiles with --family and --profiles"))
        let refused = CommandRunner.run(["matrix", "--profile", "esp32", CLITests.server.url("good")])
        #expect(refused.status == 64 && refused.stderr.contains("--profile"))
        let all = CommandRunner.run(["matrix", "--profile", "all", CLITests.server.url("good")])
        #expect(all.status == 1 && all.stdout.contains("esp-idf-5.5") && all.stdout.contains("esp8266-arduino-2.4.2"))
    }

    @Test func checkOffersAllAndRunsTheMatrix() {
        #expect(Self.help(["check"]).contains("--profile <name|path|all>"))
    }

    /// The defaults `--timeout-ms` states are the profiles' own, family by family.
    @Test func theTimeoutHelpStatesEachFamilysDefaultFromItsProfiles() throws {
        let directory = CommandRunner.packageRoot + "/profiles"
        var defaults: [String: Set<Int>] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".json") {
            let data = try #require(FileManager.default.contents(atPath: directory + "/" + name))
            let profile = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let family = try #require(profile["family"] as? String)
            // Tasmota sets no client timeout (check refuses --timeout-ms for it): its core's
            // 8000 ms is the ESP8266 default already stated.
            if family == "tasmota" { continue }
            let timeouts = try #require(profile["timeouts"] as? [String: Any])
            let value = try #require((timeouts["clientMs"] ?? timeouts["timeoutMs"]) as? Int, "\(name) has no client timeout")
            defaults[family, default: []].insert(value)
        }
        let labels = ["esp8266-arduino": "ESP8266 Arduino", "esp32-arduino": "arduino-esp32", "esp-idf": "ESP-IDF", "esphome": "ESPHome"]
        #expect(Set(defaults.keys) == Set(labels.keys))
        for command in ["check", "matrix", "inspect"] {
            let help = Self.help([command])
            for (family, values) in defaults {
                #expect(values.count == 1, "\(family) profiles disagree on the default timeout: the help cannot state one value")
                let label = try #require(labels[family])
                #expect(help.contains("\(values.first ?? 0) on \(label)"), "\(command) --help does not state \(family)'s default \(values)")
            }
        }
    }

    @Test(arguments: commandsWithExamples)
    func everyCommandShowsTwoOrThreeExamples(command: String) {
        let examples = Self.examples(command)
        #expect((2...3).contains(examples.count), "\(command): \(examples)")
        #expect(examples.allSatisfy { $0.hasPrefix("otaprobe ") })
    }

    /// Every example parses and runs (against the local scenario server and local files instead
    /// of the hosts and paths it names): none is refused as bad usage.
    @Test(arguments: commandsWithExamples)
    func everyExampleRuns(command: String) throws {
        try #require(CommandRunner.staleness == nil, "\(CommandRunner.staleness ?? "")")
        var template = Array("/tmp/otaprobe-examples-XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/build", withIntermediateDirectories: true)
        for file in ["firmware.bin", "app.bin"] {
            #expect(FileManager.default.createFile(atPath: directory + "/build/" + file, contents: Data(ESP32Bodies.app)))
        }
        let url = try Regex(#"https?://\S+"#)
        for example in Self.examples(command) {
            // `serve` without --list runs until interrupted; a comment ends at two spaces.
            let line = example.components(separatedBy: "   ").first ?? example
            var words = line.replacing(url, with: CLITests.server.url("good")).split(separator: " ").map(String.init).dropFirst()
            if words.first == "serve" && !words.contains("--list") { continue }
            // `> FILE`, as a shell would: later examples read the file.
            var redirect: String?
            if let arrow = words.firstIndex(of: ">") {
                redirect = words.index(after: arrow) < words.endIndex ? words[words.index(after: arrow)] : nil
                words = words[..<arrow]
            }
            if words.first == "check" || words.first == "matrix" { words.append("--max-time=20000") }
            let output = CommandRunner.run(Array(words), timeoutSeconds: 60, workingDirectory: directory)
            #expect(output.status == 0 || output.status == 1, "\(example) → \(output.status): \(output.stderr)")
            if let redirect {
                #expect(FileManager.default.createFile(atPath: directory + "/" + redirect, contents: Data(output.stdoutBytes)))
            }
        }
    }
}

/// `inspect` and `demo` show the chip of the profile they are given.
@Suite(.serialized) struct ProfileChipOutputTests {
    @Test func inspectShowsTheESP32ViewForAnESP32Profile() throws {
        let path = "/tmp/otaprobe-inspect-esp32-\(getpid()).bin"
        defer { unlink(path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(ESP32Bodies.app)))
        for profile in ["esp32", "esp-idf"] {
            let output = CommandRunner.run(["inspect", "--profile", profile, path])
            #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
            #expect(output.stdout.contains("ESP32 v3.0, next OTA partition 1310720 bytes"), "\(output.stdout)")
            #expect(!output.stdout.contains("layout 4M2M") && !output.stdout.contains("sketch 400000"))
        }
        let small = CommandRunner.run(["inspect", "--profile", "esp32", "--chip", "esp32c3", "--partition-size", "100K", path])
        #expect(small.status == 1 && small.stdout.contains("ESP32-C3 v3.0, next OTA partition 102400 bytes"), "\(small.stdout)")
        // The ESP8266 view stays as it was.
        #expect(CommandRunner.run(["inspect", path]).stdout.contains("Fit for esp8266-arduino-3.1.2, layout 4M2M, sketch 400000 bytes"))
    }

    /// The demo's rows for a profile's own chip, and a suggestion that profile can explain.
    static func demoRows(_ profile: String) -> (rows: [String: String], next: String, status: Int32) {
        let output = CommandRunner.run(["demo", "--profile", profile])
        var rows: [String: String] = [:]
        for line in output.stdout.split(separator: "\n").map(String.init) {
            for label in ["a good ESP32 image", "a 302 redirect", "an ESP32-C3 image", "a chunked body"] where line.hasPrefix(label + " ") {
                rows[label] = line
            }
        }
        let next = output.stdout.split(separator: "\n").last { $0.hasPrefix("Next:") }.map(String.init) ?? ""
        return (rows, next, output.status)
    }

    @Test func demoOnESPIDFServesESP32ImagesAndSuggestsAnIDFCode() {
        let demo = Self.demoRows("esp-idf")
        #expect(demo.status == 0)
        #expect(demo.rows["a good ESP32 image"]?.contains("ESP_OK") == true, "\(demo.rows)")
        // IDF follows the 302, to an ESP32 image: the row is about the redirect, not the chip.
        #expect(demo.rows["a 302 redirect"]?.contains("ESP_OK") == true, "\(demo.rows)")
        #expect(demo.rows["an ESP32-C3 image"]?.contains("ESP_ERR_INVALID_VERSION") == true, "\(demo.rows)")
        #expect(demo.next.contains("otaprobe explain --profile esp-idf 266"), "\(demo.next)")
        #expect(!demo.next.contains("-104"))
        let explained = CommandRunner.run(["explain", "--profile", "esp-idf", "266"])
        #expect(explained.status == 0 && explained.stdout.contains("ESP_ERR_INVALID_VERSION"))
    }

    @Test func demoOnArduinoESP32ServesESP32Images() {
        let demo = Self.demoRows("esp32")
        #expect(demo.status == 0)
        #expect(demo.rows["a good ESP32 image"]?.contains("HTTP_UPDATE_OK") == true, "\(demo.rows)")
        #expect(demo.rows["a chunked body"]?.contains("-101") == true, "\(demo.rows)")
        #expect(demo.next.contains("otaprobe explain --profile esp32 -104"), "\(demo.next)")
    }
}
