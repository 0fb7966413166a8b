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

/// E10's last row: a server that ignores max_fragment_length and sends full-size records. The
/// ESP8266 build's BearSSL has 512-byte buffers (E9), so the first record over 512 bytes ends the
/// connection and the download with OTA_CONNECTION_ERROR; the esp-idf build's 16 KiB mbedTLS
/// buffer takes it.
@Suite(.serialized) struct ESPHomeRecordSizeTests {
    @Test func serverIgnoringMFLNFailsOnlyTheESP8266Build() throws {
        let server = try TLSLabServer("nomfln-go-rsa2048")
        defer { server.stop() }
        func run(_ profile: String) throws -> Verdict {
            var settings = UpdaterSettings(url: server.url(host: "localhost", path: "/fw.bin"))
            settings.expectedMD5 = String(repeating: "0", count: 32)
            settings.clientTimeoutMs = 1500
            if profile != "esphome-esp8266" {
                settings.tls = TLSClientSettings(trust: try TLSLab.trust("ca=root", server: "nomfln-go-rsa2048"), trustGiven: true)
            }
            return Probe(profile: Shared.device(profile), identity: DeviceIdentity(), settings: settings).run().verdict
        }
        let esp8266 = try run("esphome-esp8266")
        #expect(esp8266.code == 0x12 && esp8266.name == "OTA_CONNECTION_ERROR", "\(esp8266.log)")
        #expect(esp8266.tls?.oversizedRecord != nil, "\(esp8266.tls?.reason ?? "")")
        let idf = try run("esphome")
        #expect(idf.tls?.result == "established", "\(idf.tls?.reason ?? "")")
        #expect(idf.tls?.oversizedRecord == nil)
        #expect(idf.code != 0x12, "\(idf.log)")
    }
}
