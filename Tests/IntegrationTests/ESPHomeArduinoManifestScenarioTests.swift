import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// ESPHome's update manifest on the Arduino builds against the real scenario server through the
/// real transport (spec E8 over E4.3 and E11): the ESP8266 build chosen and installed, the
/// chunked manifest refused at its allocation, and a manifest sent with a pause cut short on
/// 2025.12 and read whole on 2026.6.
@Suite struct ESPHomeArduinoManifestScenarioTests {
    func run(_ profile: String, _ path: String, identity: DeviceIdentity = DeviceIdentity()) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(path))
        settings.manifest = true
        return Probe(profile: Shared.device(profile), identity: identity, settings: settings).run()
    }

    @Test func esp8266InstallsItsBuildFromTheManifest() {
        let report = run("esphome-2025.12-esp8266", "esphome-manifest")
        #expect(report.verdict.result == .esphomeOK)
        #expect(report.exchanges.map(\.url) == [Shared.server.url("esphome-manifest"), Shared.server.url("good")])
        #expect(report.verdict.log.contains("[D][http_request.ota:97]: MD5 expected: \(ScenarioBodies.builtIn.imageMD5)"))
        #expect(String(decoding: report.exchanges[0].request, as: UTF8.self).contains("User-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\n"))
    }

    @Test func chunkedManifestIsNotAllocated() {
        let report = run("esphome-2025.12-esp8266", "esphome-manifest-chunked")
        #expect(report.verdict.result == .esphomeUpdateFailed)
        #expect(report.verdict.message == "[E][http_request.update:65]: Failed to allocate 4294967295 bytes for manifest")
        #expect(report.verdict.why.contains("4294967295"))
    }

    @Test func pausedManifestIsCutOn2025AndReadOn2026() {
        let old = run("esphome-2025.12-esp8266", "esphome-manifest-paused")
        #expect(old.verdict.resultName == "Failed to parse manifest JSON")
        #expect(old.verdict.log.contains("[E][json:59]: Parse error: IncompleteInput"))
        #expect(old.exchanges.count == 1)
        #expect(old.verdict.why.contains("sent 64 of the manifest's"), "\(old.verdict.why)")
        #expect(old.verdict.fix.contains { $0.contains("one write") })
        let new = run("esphome-2026.6-esp8266", "esphome-manifest-paused")
        #expect(new.verdict.result == .esphomeOK)
        #expect(new.exchanges.count == 2)
        // The ESP32 with the Arduino framework has the same early stop.
        #expect(run("esphome-2025.12-esp32-arduino", "esphome-manifest-paused").verdict.resultName == "Failed to parse manifest JSON")
    }
}
