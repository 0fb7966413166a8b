import Foundation
import ScenarioServer
import TestSupport
import Testing

/// ESPHome's `ota.http_request` through the executable: `--expected-md5` is the action's `md5:`,
/// `--md5-url` its `md5_url:` fetched by the device first, neither is OTA_MD5_INVALID with no
/// request; the verdict speaks ESPHome (`result` the OTA response name, `code` decimal, the
/// `[E][tag:line]` message and every log line), and the exit status follows the outcome.
@Suite(.serialized) struct ESPHomeCLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)
    static let imageMD5 = md5Hex(ScenarioBodies.builtIn.esp32Image)

    static func check(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]) {
        let output = CommandRunner.run(["check", "--json", "--profile", "esphome"] + arguments, timeoutSeconds: 60)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        return (output.status, object)
    }

    static func verdict(_ json: [String: Any]) -> [String: Any] { json["verdict"] as? [String: Any] ?? [:] }
    static func requests(_ json: [String: Any]) -> [String] {
        (json["exchanges"] as? [[String: Any]] ?? []).compactMap { ($0["request"] as? [String: Any])?["text"] as? String ?? $0["request"] as? String }
    }

    @Test func expectedMD5UpdatesAndSpeaksESPHome() throws {
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("esp32-good")])
        #expect(status == 0)
        let verdict = Self.verdict(json)
        #expect(verdict["result"] as? String == "OTA_RESPONSE_OK")
        #expect(verdict["code"] as? Int == 0)
        #expect(verdict["outcome"] as? String == "updated")
        #expect((verdict["log"] as? [String])?.last == "[I][app:228]: Rebooting safely")
    }

    @Test func noMD5IsCode16WithoutARequest() throws {
        let (status, json) = try Self.check([Self.server.url("esp32-good")])
        #expect(status == 1)
        let verdict = Self.verdict(json)
        #expect(verdict["result"] as? String == "OTA_MD5_INVALID")
        #expect(verdict["code"] as? Int == 16)
        #expect((json["exchanges"] as? [Any])?.isEmpty == true)
    }

    @Test func md5URLIsTheDevicesFirstRequest() throws {
        let (status, json) = try Self.check(["--md5-url", Self.server.url("esphome-md5"), Self.server.url("esp32-good")])
        #expect(status == 0)
        let exchanges = json["exchanges"] as? [[String: Any]] ?? []
        #expect(exchanges.map { $0["url"] as? String } == [Self.server.url("esphome-md5"), Self.server.url("esp32-good")])
        #expect((Self.verdict(json)["log"] as? [String])?.contains("[D][http_request.ota:97]: MD5 expected: \(Self.imageMD5)") == true)
        // Upper-case hex in the MD5 file: ESPHome compares with strncmp.
        let (upperStatus, upper) = try Self.check(["--md5-url", Self.server.url("esphome-md5-uppercase"), Self.server.url("esp32-good")])
        #expect(upperStatus == 1)
        #expect(Self.verdict(upper)["code"] as? Int == 139)
        #expect(Self.verdict(upper)["hex"] as? String == "0x8B")
        #expect(Self.verdict(upper)["result"] as? String == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
        // A chunked MD5 file reads as length 0: OTA_MD5_INVALID, the image never requested.
        let (_, chunked) = try Self.check(["--md5-url", Self.server.url("esphome-md5-chunked"), Self.server.url("esp32-good")])
        #expect(Self.verdict(chunked)["code"] as? Int == 16)
        #expect((chunked["exchanges"] as? [Any])?.count == 1)
        let (_, short) = try Self.check(["--md5-url", Self.server.url("esphome-md5-short"), Self.server.url("esp32-good")])
        #expect(Self.verdict(short)["message"] as? String == "[E][http_request.ota:248]: MD5 file must be 32 bytes; 16 bytes reported by HTTP server. Aborting")
    }

    /// Byte-exact first request of the profile, as the server received it.
    @Test func requestBytesOnTheWire() throws {
        let output = CommandRunner.run(["check", "--profile", "esphome", "--expected-md5", Self.imageMD5, "--verbose", Self.server.url("esp32-good")], timeoutSeconds: 60)
        let host = "127.0.0.1:\(Self.server.port)"
        #expect(output.stdout.contains("> GET /esp32-good HTTP/1.1\n  > User-Agent: ESPHome/2025.12.7 (https://esphome.io)\n  > Host: \(host)\n  > \n"), "\(output.stdout)")
    }

    @Test func serverBehavioursGiveESPHomeCodes() throws {
        let cases: [(String, Int, String)] = [
            ("esp32-chunked", 139, "[E][http_request.ota:181]: MD5 computed: d41d8cd98f00b204e9800998ecf8427e - Aborting due to MD5 mismatch"),
            ("server-error", 18, "[E][http_request.idf:208]: HTTP Request failed; URL: \(Self.server.url("server-error")); Code: 500"),
            ("esphome-redirect-4", 18, "[E][http_request.idf:208]: HTTP Request failed; URL: \(Self.server.url("esphome-redirect-4")); Code: 302"),
            ("esp32-truncated", 18, "[E][http_request.ota:138]: Stream closed with error"),
        ]
        for (scenario, code, message) in cases {
            let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url(scenario)])
            #expect(status == 1, "\(scenario)")
            #expect(Self.verdict(json)["code"] as? Int == code, "\(scenario)")
            #expect(Self.verdict(json)["message"] as? String == message, "\(scenario)")
        }
        // Three same-host redirects on one kept-alive connection are followed.
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("esphome-redirect-3")])
        #expect(status == 0)
        #expect((json["exchanges"] as? [Any])?.count == 4)
    }

    @Test func settingsESPHomeDoesNotHaveAreRefused() {
        for (arguments, message) in [(["--follow-redirects", "strict"], "follows redirects itself"),
                                     (["--partial-download"], "esp_https_ota settings"),
                                     (["--authorization-base64", "dTpw"], "takes username: and password:")] {
            let output = CommandRunner.run(["check", "--profile", "esphome"] + arguments + ["http://127.0.0.1:1/fw.bin"])
            #expect(output.status == 64, "\(arguments)")
            #expect(output.stderr.contains(message), "\(output.stderr)")
        }
    }

    /// serve recognises ESPHome's request but predicts nothing: the result turns on md5: /
    /// md5_url:, which the request does not carry.
    @Test func serveRecognisesESPHomeWithoutGuessingItsMD5() throws {
        let serving = try ServeCLITests.Serving(["--json"])
        let check = CommandRunner.run(["check", "--json", "--no-range-check", "--profile", "esphome", "--expected-md5", Self.imageMD5, serving.url("/esp32-good?esphome=1")])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let decoded = try #require(serving.object(target: "/esp32-good?esphome=1"))
        let device = try #require(decoded["device"] as? [String: Any])
        #expect(device["stack"] as? String == "esphome")
        #expect(decoded["prediction"] == nil)
        #expect((decoded["predictionMissing"] as? String)?.contains("md5: or md5_url:") == true, "\(decoded)")
    }

    /// `check --manifest`: the manifest's GET, the build for --chip, the version compare, then
    /// the image with the build's md5 (spec E8).
    @Test func manifestIsFetchedChosenComparedAndInstalled() throws {
        let (status, json) = try Self.check(["--manifest", Self.server.url("esphome-manifest")])
        #expect(status == 0)
        #expect((json["exchanges"] as? [[String: Any]] ?? []).map { $0["url"] as? String } == [Self.server.url("esphome-manifest"), Self.server.url("esp32-good")])
        #expect(Self.verdict(json)["result"] as? String == "OTA_RESPONSE_OK")
        let (sameStatus, same) = try Self.check(["--manifest", "--current-version", "2025.12.8", Self.server.url("esphome-manifest")])
        #expect(sameStatus == 0)
        #expect(Self.verdict(same)["result"] as? String == "UPDATE_STATE_NO_UPDATE")
        #expect(Self.verdict(same)["outcome"] as? String == "no-update")
        let (c3Status, c3) = try Self.check(["--manifest", "--chip", "esp32c3", Self.server.url("esphome-manifest")])
        #expect(c3Status == 0, "\(c3)")
        #expect((c3["exchanges"] as? [[String: Any]])?.last?["url"] as? String == Self.server.url("esp32c3-image"))
        let (chunkedStatus, chunked) = try Self.check(["--manifest", Self.server.url("esphome-manifest-chunked")])
        #expect(chunkedStatus == 1)
        #expect(Self.verdict(chunked)["result"] as? String == "Failed to allocate memory for manifest")
        let refused = CommandRunner.run(["check", "--manifest", "--profile", "esp-idf", Self.server.url("esphome-manifest")])
        #expect(refused.status == 64 && refused.stderr.contains("--manifest is ESPHome's update component"))
    }

    @Test func explainFindsESPHomeCodes() {
        for query in [["0x8B"], ["OTA_CONNECTION_ERROR"], ["139", "--profile", "esphome"]] {
            let output = CommandRunner.run(["explain"] + query)
            #expect(output.status == 0, "\(query): \(output.stderr)")
            #expect(output.stdout.contains("esphome"), "\(query)")
        }
        // A line pasted from the device's log, 2026.6's read loop and native backend included.
        for (line, code) in [("[E][http_request.ota:?]: Timeout reading data", "0x12 (18)"), ("Error reading MD5: -1", "0x10 (16)"),
                             ("[E][ota.esp8266:?]: Invalid firmware magic: 0x3C (expected 0xE9)", "0x84 (132)")] {
            let output = CommandRunner.run(["explain", line])
            #expect(output.status == 0, "\(line): \(output.stderr)")
            #expect(output.stdout.hasPrefix("esphome") && output.stdout.contains(code), "\(line): \(output.stdout)")
        }
    }

    @Test func demoAndMatrixKnowTheFamily() {
        let demo = CommandRunner.run(["demo", "--profile", "esphome"], timeoutSeconds: 120)
        #expect(demo.stdout.contains("OTA_RESPONSE_OK") && demo.stdout.contains("OTA_RESPONSE_ERROR_UPDATE_END"), "\(demo.stdout)")
        let matrix = CommandRunner.run(["matrix", "--family", "esphome", "--expected-md5", Self.imageMD5, Self.server.url("esp32-good")], timeoutSeconds: 60)
        // The family's ESP8266 profile stages the ESP32 image (its Updater checks only 0xE9 and
        // the flash-size nibble) and cannot boot it: exit 1, while ESP-IDF updates.
        let rows = matrix.stdout.split(separator: "\n")
        #expect(matrix.status == 1 && rows.contains { $0.hasPrefix("esphome-2025.12-esp-idf") && $0.contains(" updated ") }, "\(matrix.stdout)\(matrix.stderr)")
        #expect(rows.contains { $0.hasPrefix("esphome-2025.12-esp8266") && $0.contains("fails-to-boot") && $0.contains("OTA_RESPONSE_OK") })
    }
}
