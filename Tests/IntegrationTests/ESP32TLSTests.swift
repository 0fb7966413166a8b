import OTAProbe
import OTAProbeCore
import Testing

/// The ESP32 stacks' mbedTLS verdicts against the same real servers as `DeviceTLSTests`.
/// Expectations follow spec A7/B9 (arduino-esp32 `start_ssl_client`, esp-tls) and mbedTLS's
/// certificate flags; the served image is an ESP8266 one, so a completed handshake ends in an
/// image error, never in a connect error.
@Suite(.serialized) struct ESP32TLSTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let server: String
        let profile: String
        let trust: String
        var host = "localhost"
        var skipCommonName = false
        /// "established", "refused" (no handshake started), or the mbedTLS code.
        let expected: String
        var flags: [MbedTLSError.VerifyFlag] = []

        var testDescription: String {
            "\(server) on \(profile) with \(trust)\(host == "localhost" ? "" : " via \(host)")\(skipCommonName ? " (skip CN)" : "") → \(expected)"
        }
    }

    static let cases: [Case] = [
        Case(server: "rsa2048", profile: "esp32-arduino-3.2", trust: "ca=root", expected: "established"),
        Case(server: "rsa2048", profile: "esp32-arduino-3.2", trust: "ca=intermediate", expected: "established"),
        Case(server: "rsa2048", profile: "esp32-arduino-3.2", trust: "ca=other-root", expected: "-0x2700", flags: [.notTrusted]),
        Case(server: "rsa2048", profile: "esp32-arduino-3.2", trust: "insecure", host: "127.0.0.1", expected: "established"),
        Case(server: "rsa2048", profile: "esp32-arduino-3.2", trust: "none", expected: "refused"),
        Case(server: "rsa2048", profile: "esp-idf-5.5", trust: "ca=root", host: "127.0.0.1", expected: "-0x2700", flags: [.cnMismatch]),
        Case(server: "rsa2048", profile: "esp-idf-5.5", trust: "ca=root", host: "127.0.0.1", skipCommonName: true, expected: "established"),
        Case(server: "iponly", profile: "esp-idf-5.5", trust: "ca=root", host: "127.0.0.1", expected: "established"),
        Case(server: "iponly", profile: "esp32-arduino-2.0.17", trust: "ca=root", host: "127.0.0.1", expected: "-0x2700", flags: [.cnMismatch]),
        Case(server: "expired", profile: "esp-idf-5.5", trust: "ca=root", expected: "-0x2700", flags: [.expired]),
        Case(server: "missing-intermediate", profile: "esp-idf-5.5", trust: "ca=root", expected: "-0x2700", flags: [.notTrusted]),
        Case(server: "rsa8192", profile: "esp-idf-5.5", trust: "ca=root", expected: "established"),
        Case(server: "tls13-only", profile: "esp-idf-5.5", trust: "ca=root", expected: "-0x7780"),
        Case(server: "tls11-only", profile: "esp32-arduino-3.2", trust: "insecure", expected: "-0x6E80"),
        Case(server: "tls11-only", profile: "esp32-arduino-1.0.6", trust: "insecure", expected: "established"),
        Case(server: "dhe-only", profile: "esp-idf-4.4", trust: "ca=root", expected: "established"),
        Case(server: "dhe-only", profile: "esp-idf-5.5", trust: "ca=root", expected: "-0x7780"),
        Case(server: "chacha-only", profile: "esp32-arduino-3.2", trust: "insecure", expected: "-0x7780"),
        Case(server: "ed25519", profile: "esp-idf-5.5", trust: "ca=root", expected: "-0x7780"),
    ]

    static var servers: [String] {
        var seen: [String] = []
        for item in cases where !seen.contains(item.server) { seen.append(item.server) }
        return seen
    }

    @Test(arguments: servers)
    func mbedTLSVerdicts(server id: String) throws {
        let server = try TLSLabServer(id)
        defer { server.stop() }
        for item in Self.cases where item.server == id {
            let profile = Shared.device(item.profile)
            var settings = UpdaterSettings(url: server.url(host: item.host))
            settings.clientTimeoutMs = 1500
            var tls = TLSClientSettings(trust: try TLSLab.trust(item.trust, server: id), trustGiven: true)
            tls.skipCommonNameCheck = item.skipCommonName
            settings.tls = tls
            let verdict = Probe(profile: profile, identity: DeviceIdentity(), settings: settings).run().verdict
            let finding = verdict.tls
            let isIDF = profile.family == .espIDF
            switch item.expected {
            case "established":
                #expect(finding?.result == "established", "\(item.testDescription): \(finding?.reason ?? "no finding")")
                #expect(verdict.code != -1 && verdict.name != "ESP_ERR_HTTP_CONNECT", "\(item.testDescription): \(verdict.deviceLine)")
            case "refused":
                #expect(finding?.result == "failed" && finding?.deviceError == nil, "\(item.testDescription)")
                #expect(verdict.code == -1 && verdict.message == "HTTP error: connection refused")
            default:
                #expect(finding?.result == "failed", "\(item.testDescription): \(finding?.reason ?? "no finding")")
                let code = finding?.deviceError.map { ($0 < 0 ? "-0x" : "0x") + String(abs($0), radix: 16, uppercase: true) }
                #expect(code == item.expected, "\(item.testDescription): \(finding?.reason ?? "")")
                #expect(finding?.verification ?? [] == item.flags.map { "  ! " + $0.text }, "\(item.testDescription)")
                if isIDF {
                    // v5.5 returns the real begin error; the log names the mbedTLS code.
                    #expect(verdict.name == "ESP_ERR_HTTP_CONNECT", "\(item.testDescription): \(verdict.deviceLine)")
                    #expect(verdict.log.first?.hasSuffix("esp-tls-mbedtls: mbedtls_ssl_handshake returned " + item.expected) == true, "\(verdict.log)")
                } else {
                    #expect(verdict.code == -1 && verdict.message == "HTTP error: connection refused", "\(item.testDescription): \(verdict.deviceLine)")
                }
            }
        }
    }

    @Test func espIDFRefusesAConfigWithoutVerification() {
        var settings = UpdaterSettings(url: "https://127.0.0.1:9/fw.bin")
        settings.tls = TLSClientSettings(trust: .none, trustGiven: true)
        let verdict = Probe(profile: Shared.device("esp-idf-5.5"), identity: DeviceIdentity(), settings: settings).run().verdict
        // v5.5.5 esp_https_ota.c:317-323: before any connection.
        #expect(verdict.name == "ESP_ERR_INVALID_ARG" && verdict.code == 0x102)
        #expect(verdict.message.hasSuffix("esp_https_ota: No option for server verification is enabled in esp_http_client config."))
        #expect(verdict.tls == nil)
    }
}
