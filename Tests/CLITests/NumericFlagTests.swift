import Foundation
import TestSupport
import Testing

/// Every numeric flag of every command, fed numbers no device holds and numbers at the edges
/// of the device's types: the process never dies of a signal (a Swift overflow trap is SIGILL
/// or SIGTRAP), it exits 0, 1 or 64, and a 64 comes with one line naming the flag.
extension CLITests {
    static let extremes = ["9223372036854775807", "-9223372036854775808", "4294967296", "18446744073709551616",
                           "-1", "0", "65536", "4294967295", "2147483647"]

    /// A command line with the value put in, and the words its refusal must contain.
    struct NumericCase: CustomTestStringConvertible, Sendable {
        let label: String
        let arguments: @Sendable (String) -> [String]
        let names: String
        var testDescription: String { label }
    }

    static var numericCases: [NumericCase] {
        let esp8266: @Sendable () -> String = { server.url("good") }
        let esp32: @Sendable () -> String = { server.url("esp32-good") }
        func check(_ flag: String, _ extra: [String] = [], url: @escaping @Sendable () -> String = esp8266, value: @escaping @Sendable (String) -> String = { $0 }) -> NumericCase {
            NumericCase(label: "check \(extra.joined(separator: " ")) \(flag)", arguments: { ["check", "--no-range-check"] + extra + [flag, value($0), url()] }, names: flag)
        }
        let tlsURL: @Sendable () -> String = { "https://127.0.0.1:1/fw.bin" }
        return [
            check("--timeout-ms", url: { "http://127.0.0.1:1/fw.bin" }),
            check("--timeout-ms", ["--profile", "esp-idf-5.5"], url: { "http://127.0.0.1:1/fw.bin" }),
            check("--sketch-size"),
            check("--free-space"),
            check("--chip-id"),
            check("--flash-size"),
            check("--flash-size", value: { $0 + "M" }),
            check("--sketch-size", ["--profile", "esp32"], url: esp32),
            check("--partition-size", ["--profile", "esp32"], url: esp32),
            check("--partition-size", ["--profile", "esp-idf-5.5"], url: esp32, value: { $0 + "K" }),
            check("--range-size", ["--profile", "esp-idf-5.5", "--partial-download"], url: esp32),
            // A closed port: a resumed download from a server that answers 200 replays its loop
            // 300 times, which tests the model, not the flag.
            check("--resume-from", ["--profile", "esp-idf-5.5", "--advanced-api"], url: { "http://127.0.0.1:1/fw.bin" }),
            check("--chip-revision", ["--profile", "esp32"], url: esp32, value: { "\($0).\($0)" }),
            check("--tls-buffers", url: tlsURL, value: { "\($0),\($0)" }),
            check("--device-time", url: tlsURL),
            NumericCase(label: "matrix --sketch-size", arguments: { ["matrix", "--sketch-size", $0, "http://127.0.0.1:1/fw.bin"] }, names: "--sketch-size"),
            NumericCase(label: "inspect --free-space", arguments: { ["inspect", "--free-space", $0, server.url("good")] }, names: "--free-space"),
            NumericCase(label: "serve --port", arguments: { ["serve", "--list", "--port", $0] }, names: "--port"),
            NumericCase(label: "explain", arguments: { ["explain", $0] }, names: "code"),
            NumericCase(label: "explain esp-idf", arguments: { ["explain", $0, "--profile", "esp-idf-5.5"] }, names: "esp_err_t"),
            NumericCase(label: "explain --ssl", arguments: { ["explain", "--ssl", $0] }, names: "getLastSSLError"),
        ]
    }

    @Test(arguments: numericCases)
    func numericFlagsNeverTrap(_ numeric: NumericCase) {
        for value in Self.extremes {
            let arguments = numeric.arguments(value)
            let output = CommandRunner.run(arguments)
            let line = "\(arguments.joined(separator: " ")) → \(output.status): \(output.stderr)"
            #expect(output.signal == nil, "\(line)")
            #expect([0, 1, 64].contains(output.status), "\(line)")
            #expect(!output.stderr.contains("Fatal error"), "\(line)")
            if output.status == 64 {
                let lines = output.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(line)")
                #expect(output.stderr.contains(numeric.names) || output.stderr.contains("code"), "\(line)")
            }
        }
    }

    /// What the device does with a value its type holds but that wraps on the way in.
    @Test func timeoutWrapsLikeTheArduinoHTTPClient() throws {
        let output = CommandRunner.run(["check", "--json", "--no-range-check", "--timeout-ms", "70000", "http://127.0.0.1:1/fw.bin"])
        #expect(output.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let notes = (object?["verdict"] as? [String: Any])?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("kept as 4464 ms") }, "\(notes)")
        let zero = CommandRunner.run(["check", "--timeout-ms", "131072", "http://127.0.0.1:1/fw.bin"])
        #expect(zero.status == 64 && zero.stderr.contains("wraps to 0 ms"), "\(zero.stderr)")
    }
}
