import Foundation
import ScenarioServer
import TestSupport
import Testing

/// ESPHome on the ESP8266 through the release executable: the request HTTPClient writes for
/// it on the wire, a good image from a server that never pauses, the 2025.12 early stop when
/// the body trickles, and the update manifest over the same HTTPClient.
@Suite(.serialized) struct ESPHomeESP8266CLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)
    static let imageMD5 = ScenarioBodies.builtIn.imageMD5

    static func check(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]) {
        let output = CommandRunner.run(["check", "--json", "--profile", "esphome-2025.12-esp8266"] + arguments, timeoutSeconds: 60)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
        return (output.status, object)
    }

    static func verdict(_ json: [String: Any]) -> [String: Any] { json["verdict"] as? [String: Any] ?? [:] }

    @Test func goodImageUpdatesWithHTTPClientsRequest() throws {
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("good")])
        #expect(status == 0)
        let verdict = Self.verdict(json)
        #expect(verdict["result"] as? String == "OTA_RESPONSE_OK")
        #expect(verdict["outcome"] as? String == "updated")
        #expect((verdict["log"] as? [String])?.contains { $0.hasPrefix("[W][http_request.arduino:67]: Using HTTP on Arduino version >= 3.1") } == true)
        let text = "\(json["exchanges"] ?? "")"
        #expect(text.contains("Accept-Encoding: identity;q=1,chunked;q=0.1,*;q=0"))
        #expect(text.contains("Connection: keep-alive"))
        #expect(text.contains("User-Agent: ESPHome/2025.12.7 (https://esphome.io)"))
    }

    /// slow-body sends 8 KiB every 100 ms: the device's read finds the buffer empty between
    /// pieces and ESPHome 2025.12 stops, hashes the part and fails the MD5.
    @Test func tricklingBodyEndsInMD5Mismatch() throws {
        let (status, json) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("slow-body")])
        #expect(status == 1)
        let verdict = Self.verdict(json)
        #expect(verdict["code"] as? Int == 139)
        #expect(verdict["result"] as? String == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
        #expect((verdict["log"] as? [String])?.contains { $0.hasPrefix("[I][http_request.ota:174]: Done in ") } == true)
        #expect((verdict["why"] as? String)?.contains("socket buffer empty") == true)
    }

    @Test func notFoundAndRedirect308AreConnectionErrors() throws {
        let (_, missing) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("not-found")])
        #expect(Self.verdict(missing)["code"] as? Int == 18)
        #expect((Self.verdict(missing)["message"] as? String)?.hasSuffix("Code: 404") == true)
        let (_, permanent) = try Self.check(["--expected-md5", Self.imageMD5, Self.server.url("redirect-308")])
        #expect(Self.verdict(permanent)["code"] as? Int == 18)
        #expect((permanent["exchanges"] as? [Any])?.count == 1)
    }

    /// The demo serves ESP8266 images to this profile: the good row updates, the trickling one
    /// ends in the MD5 mismatch.
    @Test func demoUsesESP8266Scenarios() {
        let demo = CommandRunner.run(["demo", "--profile", "esphome-esp8266"], timeoutSeconds: 120)
        #expect(demo.stdout.contains("a good ESP8266 image") && demo.stdout.contains("OTA_RESPONSE_OK"), "\(demo.stdout)")
        #expect(demo.stdout.contains("OTA_RESPONSE_ERROR_MD5_MISMATCH"))
    }

    /// `check --manifest` on the ESP8266 (spec E8 over E4.3): the manifest's GET through
    /// HTTPClient, the `ESP8266` build, the install with its md5; a chunked manifest asks for
    /// 4294967295 bytes; a paused one is cut short by 2025.12's read loop.
    @Test func manifestInstallsTheESP8266Build() throws {
        let (status, json) = try Self.check(["--manifest", Self.server.url("esphome-manifest")])
        #expect(status == 0, "\(json)")
        #expect((json["exchanges"] as? [[String: Any]] ?? []).map { $0["url"] as? String } == [Self.server.url("esphome-manifest"), Self.server.url("good")])
        #expect(Self.verdict(json)["result"] as? String == "OTA_RESPONSE_OK")
        #expect("\(json["exchanges"] ?? "")".contains("User-Agent: ESPHome/2025.12.7 (https://esphome.io)"))
        let (sameStatus, same) = try Self.check(["--manifest", "--current-version", "2025.12.8", Self.server.url("esphome-manifest")])
        #expect(sameStatus == 0)
        #expect(Self.verdict(same)["outcome"] as? String == "no-update")
        let (chunkedStatus, chunked) = try Self.check(["--manifest", Self.server.url("esphome-manifest-chunked")])
        #expect(chunkedStatus == 1)
        #expect(Self.verdict(chunked)["message"] as? String == "[E][http_request.update:65]: Failed to allocate 4294967295 bytes for manifest")
        let (_, paused) = try Self.check(["--manifest", Self.server.url("esphome-manifest-paused")])
        #expect(Self.verdict(paused)["result"] as? String == "Failed to parse manifest JSON")
        // The alias and the human report.
        let human = CommandRunner.run(["check", "--profile", "esphome-esp8266", "--manifest", Self.server.url("esphome-manifest-chunked")], timeoutSeconds: 60)
        #expect(human.status == 1)
        #expect(human.stdout.contains("Failed to allocate 4294967295 bytes for manifest"), "\(human.stdout)")
    }
}
