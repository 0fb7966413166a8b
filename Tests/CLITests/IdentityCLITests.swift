import Foundation
import TestSupport
import Testing

/// Identity flags typed in any case or spelling reach the server the way the device writes them.
extension CLITests {
    @Test func identityFlagsAreSentInEachCoresFormat() {
        let marker = "identity\(getpid())"
        let flags = ["--sta-mac", "18-fe-34-a1-b2-c3", "--ap-mac", "1afe34A1B2C3", "--sketch-md5", "2F5D8A0A6A4C7E2BB0A3F1C4D9E8B7A6"]
        let esp8266 = CommandRunner.run(["check", "--no-range-check", "--current-version", marker] + flags + [CLITests.server.url("not-modified")])
        #expect(esp8266.status == 0, "\(esp8266.stderr)")
        let sent8266 = CLITests.server.recordedRequests.last { $0.header("x-ESP8266-version") == marker }
        #expect(sent8266?.header("x-ESP8266-STA-MAC") == "18:FE:34:A1:B2:C3")
        #expect(sent8266?.header("x-ESP8266-AP-MAC") == "1A:FE:34:A1:B2:C3")
        #expect(sent8266?.header("x-ESP8266-sketch-md5") == "2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6")

        let esp32 = CommandRunner.run(["check", "--no-range-check", "--profile", "esp32-arduino-3.2", "--current-version", marker, "--base-mac", "24:6f:28:ab:cd:ec",
                                       "--sketch-sha256", String(repeating: "ab", count: 32)] + flags + [CLITests.server.url("not-modified")])
        #expect(esp32.status == 0, "\(esp32.stderr)")
        let sent32 = CLITests.server.recordedRequests.last { $0.header("x-ESP32-version") == marker }
        #expect(sent32?.header("x-ESP32-BASE-MAC") == "24:6F:28:AB:CD:EC")
        #expect(sent32?.header("x-ESP32-STA-MAC") == "18:FE:34:A1:B2:C3")
        #expect(sent32?.header("x-ESP32-sketch-md5") == "2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6")
        #expect(sent32?.header("x-ESP32-sketch-sha256") == String(repeating: "AB", count: 32))
    }
}
