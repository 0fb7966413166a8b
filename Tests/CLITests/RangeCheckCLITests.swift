import Foundation
import TestSupport
import Testing

/// The Range check beside the probe: it costs no time the device would not spend, it sends
/// the profile's own request, and on a stack that never sends Range it is information only.
extension CLITests {
    @Test func rangeCheckNeverLengthensTheRunOnASilentServer() {
        let started = ContinuousClock.now
        let output = CommandRunner.run(["check", "--timeout-ms", "1500", CLITests.server.url("silent")])
        let elapsed = ContinuousClock.now - started
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.contains("HTTP_UPDATE_FAILED Error (-11)"))
        // The device gives up after 1.5 s of silence; a generous margin, never the old +5 s.
        #expect(elapsed < .milliseconds(1500 + 2000), "took \(elapsed)")
        let range = output.stdout.components(separatedBy: "Range requests").last ?? ""
        #expect(output.stdout.contains("Range requests") && !range.contains("✘") && !range.contains("✔"), "\(output.stdout)")
        #expect(range.contains("never sends Range"))
    }

    @Test func rangeRequestCarriesTheProfilesIdentity() throws {
        let url = CLITests.server.url("not-modified") + "?range-ua=\(getpid())"
        let esp8266 = CommandRunner.run(["check", "--json", "--chip-id", "4242", url])
        #expect(esp8266.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(esp8266.stdout.utf8)) as? [String: Any]
        let range = object?["range"] as? [String: Any]
        #expect(range?["usedByDevice"] as? Bool == false && range?["support"] != nil, "\(String(describing: range))")
        let ranged = CLITests.server.recordedRequests.filter { $0.target.hasSuffix("range-ua=\(getpid())") && $0.header("Range") == "bytes=0-1023" }
        #expect(ranged.contains { $0.header("User-Agent") == "ESP8266-http-Update" && $0.header("x-ESP8266-Chip-ID") == "4242" }, "\(ranged.map { String(decoding: $0.bytes, as: UTF8.self) })")
        let idf = CommandRunner.run(["check", "--json", "--profile", "esp-idf-5.5", CLITests.server.url("esp32-good") + "?range-ua=idf\(getpid())"])
        #expect(idf.status == 0, "\(idf.stdout)")
        let idfRange = (try JSONSerialization.jsonObject(with: Data(idf.stdout.utf8)) as? [String: Any])?["range"] as? [String: Any]
        #expect(idfRange?["support"] as? String == "honoured" && idfRange?["usedByDevice"] as? Bool == true)
        #expect(CLITests.server.recordedRequests.contains { $0.target.hasSuffix("range-ua=idf\(getpid())") && $0.header("Range") != nil && $0.header("User-Agent") == "ESP32 HTTP Client/1.0" })
    }
}
