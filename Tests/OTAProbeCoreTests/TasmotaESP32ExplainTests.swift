import Testing
@testable import OTAProbeCore

/// `otaprobe explain` for Tasmota on the ESP32: the `OTA: …` lines HTTPUpdateLight logs lead to
/// their code, and a BearSSL number from `OTA: TLS connection error <n>` is read against the
/// device's fixed offer (spec esphome-and-tasmota.md §T3.4, §T3.7).
@Suite struct TasmotaESP32ExplainTests {
    static let lookup = CodeLookup(profiles: [.tasmota(Profiles.tasmota32)])

    static func code(for line: String) -> Int? {
        guard case .found(let matches) = lookup.find(.words(line)), matches.count == 1 else { return nil }
        return matches[0].code
    }

    @Test(arguments: [
        ("OTA: unsupported HTTP return code 2", -104),
        ("OTA: Connection timeout after 5012 ms", -1),
        ("OTA: Connection error 200 after 85 ms", -101),
        ("OTA: Connection error 5 after 10012 ms", -104),
    ])
    func logLineFindsItsCode(line: String, code: Int) {
        #expect(Self.code(for: line) == code)
    }

    /// The -104 note says what GET() = 1, 2, 5 mean on https, and that redirects are followed.
    @Test func wrongHTTPCodeNamesTheConnectCodes() {
        guard case .found(let matches) = Self.lookup.find(.number(-104)) else { Issue.record("-104 not found"); return }
        #expect(matches[0].causes.contains { $0.contains("2 = the port is closed") })
        #expect(matches[0].meaning.contains("Redirects 301/302/303/307 are followed"))
    }

    /// A handshake_failure against Tasmota's two-suite, P-256-only offer names that offer, and
    /// carries no getLastSSLError() text (HTTPUpdateLight logs the number only).
    @Test func bearSSLAlertAgainstTheFixedOffer() throws {
        let capabilities = try #require(Profiles.tasmota32.core32?.tls)
        let entry = BearSSLErrorGuide(capabilities: capabilities).entry(for: .receivedAlert(40))
        #expect(entry.causes.first?.contains("fixed offer: TLS 1.2, ECDHE_RSA_WITH_AES_128_GCM_SHA256 or ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ECDHE on P-256") == true, "\(entry.causes)")
        #expect(entry.readings == ["BR_ERR_RECV_FATAL_ALERT + handshake_failure (40)"])
    }
}
