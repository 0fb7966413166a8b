import OTAProbe
import OTAProbeCore
import Testing

/// ESPHome on ESP-IDF over TLS (spec esphome-and-tasmota.md E9, E10): with `verify_ssl: true`
/// the certificate bundle is attached, and any handshake failure is ESP_ERR_HTTP_CONNECT from
/// esp_http_client_open, so OTA_CONNECTION_ERROR; a trusted server gets as far as the image.
@Suite(.serialized) struct ESPHomeTLSTests {
    @Test func untrustedCertificateIsConnectionError() throws {
        let server = try TLSLabServer("rsa2048")
        defer { server.stop() }
        for (trust, trusted) in [("ca=other-root", false), ("ca=root", true)] {
            var settings = UpdaterSettings(url: server.url(host: "localhost"))
            settings.expectedMD5 = String(repeating: "0", count: 32)
            settings.tls = TLSClientSettings(trust: try TLSLab.trust(trust, server: "rsa2048"), trustGiven: true)
            let verdict = Probe(profile: Shared.device("esphome"), identity: DeviceIdentity(), settings: settings).run().verdict
            if trusted {
                #expect(verdict.tls?.result == "established", "\(verdict.tls?.reason ?? "")")
                #expect(verdict.code != 0x12, "\(verdict.log)")
            } else {
                #expect(verdict.tls?.result == "failed")
                #expect(verdict.code == 0x12 && verdict.name == "OTA_CONNECTION_ERROR")
                #expect(verdict.message == "[E][http_request.idf:128]: HTTP Request failed: ESP_ERR_HTTP_CONNECT", "\(verdict.log)")
                #expect(verdict.log.contains("[D][esp-idf:000]: E (…) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700"), "\(verdict.log)")
            }
        }
    }

    /// ESPHome 2026.6 on ESP-IDF: the same handshake, with the report saying which bundle the
    /// device attaches (CMN) and that the probe does not hold its CA list (spec §E11).
    @Test func bundleNoteOn2026() throws {
        let server = try TLSLabServer("rsa2048")
        defer { server.stop() }
        var settings = UpdaterSettings(url: server.url(host: "localhost"))
        settings.expectedMD5 = String(repeating: "0", count: 32)
        settings.tls = TLSClientSettings(trust: try TLSLab.trust("ca=root", server: "rsa2048"), trustGiven: true)
        let verdict = Probe(profile: Shared.device("esphome-2026.6-esp-idf"), identity: DeviceIdentity(), settings: settings).run().verdict
        #expect(verdict.tls?.result == "established", "\(verdict.tls?.reason ?? "")")
        #expect(verdict.tls?.notes.contains { $0.contains("CMN") } == true, "\(verdict.tls?.notes ?? [])")
    }
}
