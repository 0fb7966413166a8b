import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// ESPHome on the ESP8266 with an http:// URL that contains "https:" (spec E2): the device
/// hands HTTPClient a WiFiClientSecure, so its first bytes to the plain scenario server are a
/// TLS ClientHello on the http port; the server cannot answer it, the handshake fails and the
/// device reports `connection failed`, OTA_CONNECTION_ERROR. The same server updates the
/// device once "https:" is gone from the URL.
@Suite struct ESPHomeHTTPSAnywhereScenarioTests {
    func run(_ profile: String, _ url: String) -> ProbeReport {
        var settings = UpdaterSettings(url: url)
        settings.expectedMD5 = ScenarioBodies.builtIn.imageMD5
        return Probe(profile: Shared.device(profile), identity: DeviceIdentity(), settings: settings).run()
    }

    @Test(arguments: ["esphome-2025.12-esp8266", "esphome-2026.6-esp8266"])
    func plainServerFailsTheHandshake(profile: String) {
        let url = Shared.server.url("good") + "?mirror=https://example.invalid/fw.bin"
        let report = run(profile, url)
        #expect(report.verdict.code == 0x12, "\(report.verdict.log)")
        #expect(report.verdict.message.hasSuffix("HTTP Request failed; URL: \(url); Error: connection failed"), "\(report.verdict.message)")
        #expect(report.exchanges.count == 1 && report.exchanges.first?.tls == true)
        #expect(report.exchanges.first?.head == nil, "the device reads no HTTP answer")
        #expect(report.verdict.why.hasPrefix("The URL contains \"https:\" after its http:// scheme"), "\(report.verdict.why)")
        #expect(report.verdict.fix == ["Keep \"https:\" out of an http:// URL: write the colon of a URL inside a query value as %3A (…?from=https%3A//…), or serve the file over https:// (this device makes TLS without a certificate check)."])
        // Without "https:" in it, the same server answers the device.
        let plain = run(profile, Shared.server.url("good") + "?mirror=example.invalid/fw.bin")
        #expect(plain.exchanges.first?.tls == false)
        #expect(plain.exchanges.first?.head?.code == 200, "\(plain.verdict.log)")
    }
}
