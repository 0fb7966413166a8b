import Foundation
import ScenarioServer
import TestSupport
import Testing

/// ESPHome 2026.6.5 through the release executable: the trickling body that 2025.12 on the
/// ESP8266 cuts short updates with the 2026.6 profile, and `matrix --family esphome` shows the
/// two releases side by side in catalogue order.
@Suite(.serialized) struct ESPHome2026CLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)
    static let imageMD5 = ScenarioBodies.builtIn.imageMD5

    static func check(_ profile: String, _ arguments: [String]) throws -> (status: Int32, json: [String: Any]) {
        let output = CommandRunner.run(["check", "--json", "--profile", profile] + arguments, timeoutSeconds: 60)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        return (output.status, object)
    }

    static func verdict(_ json: [String: Any]) -> [String: Any] { json["verdict"] as? [String: Any] ?? [:] }

    @Test func tricklingBodyUpdatesOn2026() throws {
        let (status, json) = try Self.check("esphome-2026.6-esp8266", ["--expected-md5", Self.imageMD5, Self.server.url("slow-body")])
        #expect(status == 0)
        let verdict = Self.verdict(json)
        #expect(verdict["result"] as? String == "OTA_RESPONSE_OK")
        #expect(verdict["outcome"] as? String == "updated")
        #expect((verdict["log"] as? [String])?.contains { $0.hasPrefix("[I][ota.esp8266:?]: OTA update staged: ") } == true)
        #expect("\(json["exchanges"] ?? "")".contains("User-Agent: ESPHome/2026.6.5 (https://esphome.io)"))
        let (oldStatus, old) = try Self.check("esphome-2025.12-esp8266", ["--expected-md5", Self.imageMD5, Self.server.url("slow-body")])
        #expect(oldStatus == 1)
        #expect(Self.verdict(old)["code"] as? Int == 139)
    }

    @Test func stallTimesOutWithClientTimeout() throws {
        let (status, json) = try Self.check("esphome-2026.6-esp8266", ["--expected-md5", Self.imageMD5, "--timeout-ms", "700", Self.server.url("stall-body")])
        #expect(status == 1)
        #expect(Self.verdict(json)["code"] as? Int == 18)
        #expect(Self.verdict(json)["message"] as? String == "[E][http_request.ota:?]: Timeout reading data")
    }

    /// `check --manifest` with the 2026.6 ESP-IDF profile: its User-Agent, the install, and
    /// `--current-version` still replacing the 2026.6.5 default.
    @Test func manifestWorksWithThe2026ESPIDFProfile() throws {
        let (status, json) = try Self.check("esphome-2026.6-esp-idf", ["--manifest", Self.server.url("esphome-manifest")])
        #expect(status == 0)
        #expect(Self.verdict(json)["result"] as? String == "OTA_RESPONSE_OK")
        #expect("\(json["exchanges"] ?? "")".contains("User-Agent: ESPHome/2026.6.5 (https://esphome.io)"))
        let (_, same) = try Self.check("esphome-2026.6-esp-idf", ["--manifest", "--current-version", "2025.12.8", Self.server.url("esphome-manifest")])
        #expect(Self.verdict(same)["result"] as? String == "UPDATE_STATE_NO_UPDATE")
    }

    @Test func matrixListsBothReleases() {
        let output = CommandRunner.run(["matrix", "--family", "esphome", "--expected-md5", Self.imageMD5, Self.server.url("slow-body")], timeoutSeconds: 120)
        let names = ["esphome-2026.6-esp8266", "esphome-2026.6-esp-idf", "esphome-2025.12-esp8266", "esphome-2025.12-esp-idf"]
        let positions = names.compactMap { output.stdout.range(of: $0)?.lowerBound }
        #expect(positions.count == 4, "\(output.stdout)\(output.stderr)")
        #expect(positions == positions.sorted())
    }
}
