import Foundation
import ScenarioServer
import TestSupport
import Testing

/// ESPHome on an ESP32 with the Arduino framework through the release executable: the request
/// arduino-esp32's HTTPClient writes for it, a good image, the 2025.12 early stop when the body
/// comes in pieces, the IDF backend's magic check, and the update manifest.
@Suite(.serialized) struct ESPHomeESP32ArduinoCLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)
    static let profile = "esphome-2025.12-esp32-arduino"
    static let imageMD5 = md5Hex(ESP32Bodies.app)

    static func check(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]) {
        let output = CommandRunner.run(["check", "--json", "--profile", profile] + arguments, timeoutSeconds: 60)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        return (output.status, object)
    }

    static func verdict(_ json: [String: Any]) -> [String: Any] { json["verdict"] as? [String: Any] ?? [:] }

    @Test func goodImageUpdatesWithHTTPClientsRequest() throws {
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("esp32-good")])
        #expect(status == 0)
        let verdict = Self.verdict(json)
        #expect(verdict["result"] as? String == "OTA_RESPONSE_OK")
        #expect(verdict["outcome"] as? String == "updated")
        #expect((verdict["log"] as? [String])?.contains { $0.contains("very** slow") } == false)
        let text = "\(json["exchanges"] ?? "")"
        #expect(text.contains("Connection: keep-alive"))
        #expect(text.contains("Accept-Encoding: identity;q=1,chunked;q=0.1,*;q=0"))
        #expect(!text.contains("Content-Length: 0"))
    }

    /// esp32-slow-body sends the ESP32 image in 8 KiB pieces every 100 ms: the read finds the
    /// buffer empty between pieces, the loop ends, the MD5 of the part does not match.
    @Test func bodyInPiecesEndsInMD5Mismatch() throws {
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("esp32-slow-body")])
        #expect(status == 1)
        let verdict = Self.verdict(json)
        #expect(verdict["code"] as? Int == 139)
        #expect((verdict["why"] as? String)?.contains("on the ESP32 (Arduino framework) does not wait") == true)
    }

    /// The human report: the IDF backend refuses an HTML page at its first byte.
    @Test func htmlIsRefusedAtTheFirstWrite() {
        let output = CommandRunner.run(["check", "--profile", Self.profile, "--expected-md5", Self.imageMD5, Self.server.url("html")], timeoutSeconds: 60)
        #expect(output.status == 1)
        #expect(output.stdout.contains("OTA_RESPONSE_ERROR_MAGIC"), "\(output.stdout)")
        #expect(output.stdout.contains("Error code (80) writing binary data to flash at offset 0"))
    }

    /// The demo gives this profile the ESP32 rows with their md5_url, like the esp-idf build:
    /// the good image updates, and the chunked row fails at the first write (its raw first byte
    /// is the chunk size), where the esp-idf build reads length 0.
    @Test func demoUsesTheESP32Rows() {
        let demo = CommandRunner.run(["demo", "--profile", Self.profile], timeoutSeconds: 120)
        let good = demo.stdout.split(separator: "\n").first { $0.hasPrefix("a good ESP32 image") } ?? ""
        #expect(good.contains("OTA_RESPONSE_OK"), "\(demo.stdout)")
        let chunked = demo.stdout.split(separator: "\n").first { $0.hasPrefix("a chunked body") } ?? ""
        #expect(chunked.contains("OTA_RESPONSE_ERROR_MAGIC"), "\(demo.stdout)")
    }

    /// `check --manifest` (spec E8): the build of --chip's variant through HTTPClient.
    @Test func manifestInstallsTheBuildOfTheChip() throws {
        let (status, json) = try Self.check(["--manifest", Self.server.url("esphome-manifest")])
        #expect(status == 0, "\(json)")
        #expect((json["exchanges"] as? [[String: Any]] ?? []).map { $0["url"] as? String } == [Self.server.url("esphome-manifest"), Self.server.url("esp32-good")])
        let (_, c3) = try Self.check(["--manifest", "--chip", "esp32c3", Self.server.url("esphome-manifest")])
        #expect((c3["exchanges"] as? [[String: Any]])?.last?["url"] as? String == Self.server.url("esp32c3-image"))
    }
}
