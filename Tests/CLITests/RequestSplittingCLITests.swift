import Foundation
import TestSupport
import Testing

/// A line break in a value the user gives is sent as the device sends it, and both reports
/// say which flag split the request.
extension CLITests {
    @Test func lineBreakInCurrentVersionIsSentAndWarned() throws {
        let marker = "X-Split-\(getpid())"
        let url = CLITests.server.url("not-modified")
        let json = CommandRunner.run(["check", "--json", "--no-range-check", "--current-version", "1.0\r\n\(marker): 1", url])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let notes = (object?["verdict"] as? [String: Any])?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("--current-version holds a line break") && $0.contains(marker) }, "\(notes)")
        // The server saw the extra line as a header of its own.
        #expect(CLITests.server.recordedRequests.contains { $0.header(marker) == "1" && $0.header("x-ESP8266-version") == "1.0" })
        let human = CommandRunner.run(["check", "--no-range-check", "--current-version", "1.0\r\n\(marker): 1", url])
        #expect(human.stdout.contains("--current-version holds a line break"), "\(human.stdout)")
        #expect(human.stdout.contains("> \(marker): 1"))
    }

    /// A URL read with its line end: the Arduino cores send it in the request line, ESP-IDF
    /// cannot parse it. Neither is refused by the CLI, and the report line stays one line.
    @Test func lineEndInTheURLIsAPredictionNotAUsageError() {
        let url = CLITests.server.url("not-modified") + "\r\n"
        let arduino = CommandRunner.run(["check", "--no-range-check", url])
        #expect(arduino.status == 0, "\(arduino.stderr)")
        #expect(arduino.stdout.contains("The URL's path holds a line break") && arduino.stdout.contains("not-modified\\r\\n"), "\(arduino.stdout)")
        let idf = CommandRunner.run(["check", "--no-range-check", "--profile", "esp-idf-5.5", url])
        #expect(idf.status == 1 && idf.stdout.contains("Error parse url") && idf.stdout.contains("http_parser stops at byte 0x0D"), "\(idf.stdout)")
    }
}
