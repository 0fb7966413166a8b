import Foundation
import ScenarioServer
import TestSupport
import Testing

/// The executable outside its build tree: copied somewhere else (as `install` does) and run from
/// another directory, it still has every profile, because they are built into it.
@Suite(.serialized) struct InstalledBinaryTests {
    /// A fresh directory under /tmp, outside the repository, holding a copy of the release binary.
    ///
    /// Written through a close-on-exec descriptor: other tests spawn processes meanwhile, and a
    /// child that inherited the descriptor would make running the copy fail with ETXTBSY (126).
    static func installedCopy() throws -> (directory: String, binary: String) {
        var template = Array("/tmp/otaprobe-installed-XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        let binary = directory + "/bin/otaprobe"
        let bytes = try #require(FileManager.default.contents(atPath: CommandRunner.executable))
        let descriptor = open(binary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        try #require(written == bytes.count)
        // A spawn that raced the write may still hold it for a moment.
        for _ in 0..<50 where CommandRunner.run(["--version"], executable: binary).status == 126 { usleep(20_000) }
        return (directory, binary)
    }

    @Test func aCopiedBinaryRunsEveryCommandFromAnotherDirectory() throws {
        try #require(CommandRunner.staleness == nil, "\(CommandRunner.staleness ?? "")")
        let (directory, binary) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(_ arguments: [String], environment: [String] = CommandRunner.defaultEnvironment) -> CommandRunner.Output {
            CommandRunner.run(arguments, environment: environment, executable: binary, workingDirectory: directory)
        }

        let check = run(["check", "--no-range-check", CLITests.server.url("good")])
        #expect(check.status == 0 && check.stdout.split(separator: "\n").contains("HTTP_UPDATE_OK"), "\(check.stdout)\(check.stderr)")
        let esp32 = run(["check", "--no-range-check", "--profile", "esp32", CLITests.server.url("esp32-good")])
        #expect(esp32.status == 0 && esp32.stdout.split(separator: "\n").contains("HTTP_UPDATE_OK"), "\(esp32.stdout)\(esp32.stderr)")
        let explain = run(["explain", "-104"])
        #expect(explain.status == 0 && explain.stdout.contains("HTTP_UE_SERVER_WRONG_HTTP_CODE"), "\(explain.stderr)")
        let profiles = run(["profiles"])
        #expect(profiles.status == 0, "\(profiles.stderr)")
        for name in ["esp8266-arduino-2.4.2", "esp32-arduino-3.2 (alias: esp32)", "esp-idf-5.5 (alias: esp-idf)", "built into this otaprobe"] {
            #expect(profiles.stdout.contains(name), "\(name) missing from profiles")
        }
        let demo = run(["demo"])
        #expect(demo.status == 0 && demo.stdout.contains("HTTP_UPDATE_OK") && demo.stdout.contains("-104"), "\(demo.stderr)")
        #expect([check, esp32, explain, profiles, demo].allSatisfy { !$0.stderr.contains("profiles directory") })
    }

    @Test func exportHandsOutTheShippedFileAndTheCopyLoads() throws {
        try #require(CommandRunner.staleness == nil, "\(CommandRunner.staleness ?? "")")
        let (directory, binary) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let exported = CommandRunner.run(["profiles", "--export", "esp-idf"], executable: binary, workingDirectory: directory)
        let shipped = try #require(FileManager.default.contents(atPath: CommandRunner.packageRoot + "/profiles/esp-idf-5.5.json"))
        #expect(exported.status == 0 && exported.stdoutBytes == Array(shipped))
        // The exported copy is a user's own profile file: --profile PATH still reads it.
        #expect(FileManager.default.createFile(atPath: directory + "/mine.json", contents: Data(exported.stdoutBytes)))
        let check = CommandRunner.run(["check", "--no-range-check", "--profile", "./mine.json", CLITests.server.url("esp32-good")],
                                      executable: binary, workingDirectory: directory)
        #expect(check.status == 0 && check.stdout.contains("ESP_OK"), "\(check.stdout)\(check.stderr)")
        #expect(CommandRunner.run(["profiles", "--export", "esp8266-arduino-9.9"], executable: binary).status == 64)
    }

    @Test func theProfilesVariableStillNamesADirectory() throws {
        try #require(CommandRunner.staleness == nil, "\(CommandRunner.staleness ?? "")")
        let (directory, binary) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory with one edited profile: the catalogue is that directory, not the built-in set.
        try FileManager.default.createDirectory(atPath: directory + "/mine", withIntermediateDirectories: true)
        let original = try String(contentsOfFile: CommandRunner.packageRoot + "/profiles/esp8266-arduino-3.1.2.json", encoding: .utf8)
        let edited = original.replacingOccurrences(of: "\"title\": \"ESP8266 Arduino core 3.1.2, ESPhttpUpdate\"", with: "\"title\": \"My fork of 3.1.2\"")
        #expect(edited != original)
        try edited.write(toFile: directory + "/mine/esp8266-arduino-3.1.2.json", atomically: true, encoding: .utf8)
        let environment = CommandRunner.defaultEnvironment + ["OTAPROBE_PROFILES=\(directory)/mine"]
        let listed = CommandRunner.run(["profiles"], environment: environment, executable: binary)
        #expect(listed.status == 0 && listed.stdout.contains("esp8266-arduino-3.1.2") && !listed.stdout.contains("esp-idf-5.5"))
        let demo = CommandRunner.run(["demo"], environment: environment, executable: binary)
        #expect(demo.stdout.contains("My fork of 3.1.2"), "\(demo.stdout)\(demo.stderr)")
        let missing = CommandRunner.run(["profiles"], environment: CommandRunner.defaultEnvironment + ["OTAPROBE_PROFILES=/nonexistent/profiles"],
                                        executable: binary)
        #expect(missing.status == 64 && missing.stderr.contains("OTAPROBE_PROFILES") && missing.stderr.split(separator: "\n").count == 1)
    }
}
