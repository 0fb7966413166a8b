import ScenarioServer
import TestSupport
import Testing

/// `--profile tasmota-15.2-esp32` over https as a user meets it: the TLS client Tasmota builds
/// itself takes no `--tls` option, a refused https port shows HTTPUpdateLight's own lines, and
/// `explain` reads the lastError of a TLS failure (spec esphome-and-tasmota.md §T3.4, §T3.7).
@Suite struct TasmotaESP32CLITests {
    @Test func tlsOptionsAreRefused() {
        let output = CommandRunner.run(["check", "--profile", "tasmota-15.2-esp32", "--tls", "insecure", "https://127.0.0.1:9/tasmota32.bin"])
        #expect(output.status == 64, "\(output.stdout)\(output.stderr)")
        #expect(output.stderr.contains("sets up its TLS client itself"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stdout.isEmpty)
    }

    /// Nothing listens: GET() = 2 (ERR_TCP_CONNECT), logged and then taken for a status → -104.
    @Test func refusedHTTPSPortShowsCode2() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        let output = CommandRunner.run(["check", "--profile", "tasmota-15.2-esp32", "https://127.0.0.1:\(port)/tasmota32.bin"], timeoutSeconds: 60)
        #expect(output.status == 1, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains(#"{"Upgrade":"Failed "}"#), "\(output.stdout)")
        #expect(output.stdout.contains("OTA: unsupported HTTP return code 2"), "\(output.stdout)")
    }

    @Test func explainReadsATLSLastError() {
        let output = CommandRunner.run(["explain", "--profile", "tasmota-15.2-esp32", "--", "-1326"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("lastError -1326 = -1000 - BearSSL error 326, logged as OTA: TLS connection error 326"), "\(output.stdout)")
        #expect(output.stdout.contains("protocol_version"))
        #expect(!output.stdout.contains("--tls <your mode>"))
    }

    /// The log line itself, pasted without a profile, leads to the same reading.
    @Test func explainReadsAPastedTLSLine() {
        let output = CommandRunner.run(["explain", "OTA: TLS connection error 296 after 41 ms"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("OTA: TLS connection error 296 = BearSSL error 296, lastError -1296  (tasmota-15.2-esp32)"), "\(output.stdout)")
        #expect(output.stdout.contains("fixed offer"))
    }
}
