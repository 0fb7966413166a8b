import Foundation
import TestSupport
import Testing

/// `otaprobe explain` as users type it: every example of the issue (signed and hex esp_err_t,
/// names, printed text, `--` and `--json` anywhere), one-line refusals with exit 64, and help
/// with real examples.
@Suite struct ExplainCLITests {
    static func json(_ output: CommandRunner.Output) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    static func matches(_ output: CommandRunner.Output) throws -> [[String: Any]] {
        try #require(try json(output)["matches"] as? [[String: Any]])
    }

    @Test(arguments: [
        (["explain", "-0x7007"], "esp-idf 5.1–5.5: -0x7007 (-28679) ESP_ERR_HTTP_EAGAIN \"ERROR\""),
        (["explain", "0x1503"], "esp-idf 4.4–5.5: 0x1503 (5379) ESP_ERR_OTA_VALIDATE_FAILED"),
        (["explain", "ESP_ERR_OTA_VALIDATE_FAILED", "--profile", "esp-idf"], "esp-idf 5.5: 0x1503 (5379) ESP_ERR_OTA_VALIDATE_FAILED"),
        (["explain", "-28679", "--profile", "esp-idf"], "esp-idf 5.5: -0x7007 (-28679) ESP_ERR_HTTP_EAGAIN"),
        (["explain", "Wrong HTTP Code"], "esp32-arduino 1.0.6–3.2: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Wrong HTTP Code\""),
        (["explain", "--", "-104"], "esp8266-arduino 2.4.2–3.1.2: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Wrong HTTP Code\""),
        (["explain", "http_ue_server_wrong_http_code"], "esp8266-arduino 2.4.2–3.1.2: -104"),
        (["explain", "HTTPC_ERROR_CONNECTION_FAILED"], "esp8266-arduino 2.7.4–3.1.2: -1 HTTPC_ERROR_CONNECTION_FAILED \"HTTP error: connection failed\""),
    ])
    func issueExamplesAreExplained(arguments: [String], headline: String) {
        let output = CommandRunner.run(arguments)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains(headline), "\(output.stdout)")
        #expect(output.stdout.contains("Usual causes") && output.stdout.contains("What to change"))
        #expect(output.stderr.isEmpty)
    }

    /// IDF codes come with causes and fixes, not only a name.
    @Test func espIDFCodesHaveCausesAndFixes() {
        let output = CommandRunner.run(["explain", "0x10A"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("27757") && output.stdout.contains("idf.py set-target"))
    }

    @Test(arguments: [["explain", "-104", "--json"], ["explain", "--json", "-104"], ["explain", "--json", "--", "-104"]])
    func jsonWhereverTheFlagIs(arguments: [String]) throws {
        let output = CommandRunner.run(arguments)
        #expect(output.status == 0, "\(output.stderr)")
        let object = try Self.json(output)
        #expect(object["schema"] as? String == "otaprobe/1")
        #expect(object["query"] as? String == "-104")
        let matches = try Self.matches(output)
        #expect(matches.map { $0["stack"] as? String } == ["esp8266-arduino", "esp32-arduino", "tasmota", "tasmota"])
        // Tasmota publishes the core's text after its own word on the ESP8266, none on the ESP32.
        #expect(matches.map { $0["text"] as? String } == ["Wrong HTTP Code", "Wrong HTTP Code", "Failed ", "Failed Wrong HTTP Code"])
        #expect(matches.allSatisfy { $0["code"] as? Int == -104 && $0["name"] as? String == "HTTP_UE_SERVER_WRONG_HTTP_CODE" })
        #expect(matches.allSatisfy { !(($0["causes"] as? [String]) ?? []).isEmpty && !(($0["fixes"] as? [String]) ?? []).isEmpty && $0["meaning"] is String })
        #expect(matches[0]["versions"] as? String == "2.4.2–3.1.2")
        #expect((matches[1]["profiles"] as? [String]) == ["esp32-arduino-1.0.6", "esp32-arduino-2.0.17", "esp32-arduino-3.2"])
    }

    @Test func jsonCarriesTheHexOfEspErrT() throws {
        let matches = try Self.matches(CommandRunner.run(["explain", "--json", "-0x7007"]))
        #expect(matches.count == 1)
        #expect(matches[0]["hex"] as? String == "-0x7007" && matches[0]["code"] as? Int == -28679 && matches[0]["textSource"] as? String == "esp_err_to_name()")
    }

    @Test(arguments: [
        (["explain", "ESP_ERR_OTA_VALIDATE_FAILD"], "did you mean ESP_ERR_OTA_VALIDATE_FAILED?"),
        (["explain", "no such words anywhere"], "no profile has an error code, name or printed text 'no such words anywhere'"),
        (["explain", "-0x7007", "--profile", "esp-idf-4.4"], "esp-idf-4.4 has no error code -28679"),
        (["explain", "timeout"], "'timeout' fits"),
        (["explain", "--ssl", "Wrong HTTP Code"], "--ssl takes the number getLastSSLError() returned"),
        (["explain"], "give one error code, name or printed text"),
    ])
    func unknownOrAmbiguousIsOneLineAndExit64(arguments: [String], message: String) {
        let output = CommandRunner.run(arguments)
        #expect(output.status == 64, "\(output.stdout)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stdout.isEmpty)
    }

    @Test func helpNamesWhatItTakesWithExamples() {
        let help = CommandRunner.run(["explain", "--help"])
        #expect(help.status == 0)
        for expected in ["getLastError()", "esp_err_t", "hex", "printed text", "otaprobe explain -104", "otaprobe explain 0x1503 --profile esp-idf", "otaprobe explain \"Wrong HTTP Code\" --json"] {
            #expect(help.stdout.contains(expected), "\(expected) missing from explain --help")
        }
    }

    /// The examples in the help run as shown.
    @Test func helpExamplesWork() {
        for arguments in [["explain", "-104"], ["explain", "0x1503", "--profile", "esp-idf"], ["explain", "Wrong HTTP Code", "--json"], ["explain", "--ssl", "62"]] {
            #expect(CommandRunner.run(arguments).status == 0, "\(arguments)")
        }
    }
}
