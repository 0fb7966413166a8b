import OTAProbe
import OTAProbeCore
import Testing

/// The ESP8266's TLS verdicts against real servers, per server kind × trust mode × setting.
///
/// Expectations: the results of the core's own BearSSL client (esp8266 3.1.2's
/// WiFiClientSecureCtx setup over bearssl-esp8266 b024386, built natively, same servers and
/// certificates), and the source lines they follow:
/// - getLastSSLError strips the alert bits: 3.1.2 WiFiClientSecureBearSSL.cpp:1348-1430;
/// - x509 order (dates, then name, then trust): bearssl src/x509/x509_minimal.t0:1249-1574;
/// - encrypted records longer than the receive buffer: bearssl src/ssl/ssl_engine.c:683-690;
/// - RSA keys above 4096 bits overrun the insecure validator's decoder (heap-buffer-overflow in
///   br_x509_decoder_run under AddressSanitizer): DEVICE_CRASH.
@Suite(.serialized) struct DeviceTLSTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let server: String
        let trust: String
        var host = "localhost"
        var buffers: (Int, Int)? = nil
        var versions: (String, String)? = nil
        var lessSecure = false
        var deviceTime: Int64? = nil
        var profile = "esp8266-arduino-3.1.2"
        /// Expected: "ok", "crash", or the HTTP code (-1, -5, 6 …).
        let result: String
        /// br_ssl_engine_last_error() and what getLastSSLError() returns; nil when none.
        var engine: Int? = nil
        var device: Int? = nil
        var midBody = false

        var testDescription: String {
            var parts = ["\(server) \(trust)"]
            if host != "localhost" { parts.append("host \(host)") }
            if let buffers { parts.append("buffers \(buffers.0),\(buffers.1)") }
            if let versions { parts.append("TLS \(versions.0)-\(versions.1)") }
            if lessSecure { parts.append("less-secure") }
            if deviceTime != nil { parts.append("unsynced clock") }
            if profile != "esp8266-arduino-3.1.2" { parts.append(profile) }
            return parts.joined(separator: ", ") + " → \(result)" + (engine.map { " \($0)" } ?? "")
        }
    }

    static let cases: [Case] = [
        // Trust modes on an ordinary RSA 2048 chain.
        Case(server: "rsa2048", trust: "insecure", result: "ok"),
        Case(server: "rsa2048", trust: "fingerprint=right", result: "ok"),
        Case(server: "rsa2048", trust: "fingerprint=wrong", result: "-1", engine: 62, device: 62),
        Case(server: "rsa2048", trust: "self-signed", result: "-1", engine: 62, device: 62),
        Case(server: "rsa2048", trust: "known-key=right", result: "ok"),
        Case(server: "rsa2048", trust: "known-key=wrong", result: "-1", engine: 27, device: 27),
        Case(server: "rsa2048", trust: "ca=root", result: "ok"),
        Case(server: "rsa2048", trust: "ca=intermediate", result: "ok"),
        Case(server: "rsa2048", trust: "ca=other-root", result: "-1", engine: 62, device: 62),
        // The leaf itself as an anchor: direct trust (a non-CA anchor with the same DN and key).
        Case(server: "rsa2048", trust: "ca=rsa2048", result: "ok"),
        Case(server: "rsa2048", trust: "none", result: "-1", engine: 62, device: 62),
        Case(server: "rsa2048", trust: "ca=root", deviceTime: 0, result: "-1", engine: 54, device: 54),
        Case(server: "rsa2048", trust: "ca=root", host: "127.0.0.1", result: "-1", engine: 56, device: 56),
        Case(server: "rsa2048", trust: "insecure", versions: ("1.0", "1.1"), result: "-1", engine: 336, device: 80),
        Case(server: "rsa2048", trust: "insecure", lessSecure: true, result: "ok"),
        // Key types and sizes.
        Case(server: "rsa4096", trust: "ca=root", result: "ok"),
        Case(server: "rsa8192", trust: "insecure", result: "crash"),
        Case(server: "rsa8192", trust: "fingerprint=right", result: "crash"),
        Case(server: "rsa8192", trust: "ca=root", result: "-1", engine: 50, device: 50),
        Case(server: "rsa8192", trust: "known-key=right", result: "-1", engine: 23, device: 23),
        Case(server: "ecdsa-p256", trust: "ca=root", result: "ok"),
        Case(server: "ecdsa-p256", trust: "known-key=right", result: "-1", engine: 27, device: 27),
        Case(server: "ecdsa-p256", trust: "insecure", lessSecure: true, result: "-1", engine: 296, device: 40),
        Case(server: "ecdsa-p384", trust: "insecure", result: "ok"),
        Case(server: "ecdsa-p521", trust: "fingerprint=right", result: "ok"),
        Case(server: "ed25519", trust: "insecure", result: "-1", engine: 296, device: 40),
        Case(server: "rsapss", trust: "insecure", result: "-1", engine: 296, device: 40),
        // Dates and names.
        Case(server: "expired", trust: "insecure", result: "ok"),
        Case(server: "expired", trust: "ca=root", result: "-1", engine: 54, device: 54),
        Case(server: "expired", trust: "ca=other-root", result: "-1", engine: 54, device: 54),
        Case(server: "notyet", trust: "none", result: "-1", engine: 54, device: 54),
        Case(server: "wrongname", trust: "ca=root", result: "-1", engine: 56, device: 56),
        Case(server: "wrongname", trust: "fingerprint=right", result: "ok"),
        Case(server: "iponly", trust: "ca=root", host: "127.0.0.1", result: "-1", engine: 56, device: 56),
        Case(server: "cnonly", trust: "ca=root", result: "ok"),
        Case(server: "cnonly", trust: "ca=root", host: "127.0.0.1", result: "-1", engine: 56, device: 56),
        Case(server: "missing-intermediate", trust: "ca=root", result: "-1", engine: 62, device: 62),
        Case(server: "missing-intermediate", trust: "ca=intermediate", result: "ok"),
        Case(server: "selfsigned", trust: "self-signed", result: "ok"),
        Case(server: "selfsigned", trust: "ca=selfsigned", result: "ok"),
        Case(server: "selfsigned", trust: "ca=root", result: "-1", engine: 62, device: 62),
        // Server restrictions.
        Case(server: "tls13-only", trust: "insecure", result: "-1", engine: 326, device: 70),
        Case(server: "tls11-only", trust: "ca=root", result: "ok"),
        Case(server: "tls11-only", trust: "insecure", versions: ("1.2", "1.2"), result: "-1", engine: 3, device: 3),
        Case(server: "tls10-only", trust: "insecure", result: "ok"),
        Case(server: "tls10-only", trust: "insecure", versions: ("1.1", "1.1"), result: "-1", engine: 3, device: 3),
        Case(server: "dhe-only", trust: "insecure", result: "-1", engine: 296, device: 40),
        Case(server: "chacha-only", trust: "ca=root", result: "ok"),
        Case(server: "chacha-only", trust: "insecure", lessSecure: true, result: "-1", engine: 296, device: 40),
        Case(server: "rsakx-only", trust: "insecure", result: "ok"),
        Case(server: "rsakx-only", trust: "known-key=wrong", result: "-1", engine: 307, device: 51),
        Case(server: "aria-camellia-only", trust: "insecure", result: "-1", engine: 296, device: 40),
        Case(server: "x448-rsa2048", trust: "ca=root", result: "ok"),
        Case(server: "x448-ecdsa-p256", trust: "insecure", result: "-1", engine: 296, device: 40),
        Case(server: "pss-only", trust: "insecure", result: "-1", engine: 296, device: 40),
        // A server that ignores max_fragment_length: fine with the default 16 KiB receive
        // buffer, fatal for a small one once encrypted records exceed it.
        Case(server: "nomfln-go-rsa2048", trust: "ca=root", result: "ok"),
        Case(server: "nomfln-go-rsa2048", trust: "insecure", buffers: (512, 512), result: "-5", engine: 6, device: 6, midBody: true),
        Case(server: "nomfln-go-ecdsa-p256", trust: "insecure", buffers: (4096, 512), result: "6", engine: 6, device: 6, midBody: true),
        // Older cores return the engine number unchanged (2.7.4 WiFiClientSecureBearSSL.cpp:1261).
        Case(server: "ed25519", trust: "insecure", profile: "esp8266-arduino-2.7.4", result: "-1", engine: 296, device: 296),
    ]

    static var servers: [String] {
        var seen: [String] = []
        for item in cases where !seen.contains(item.server) { seen.append(item.server) }
        return seen
    }

    @Test(arguments: servers)
    func deviceVerdicts(server id: String) throws {
        let server = try TLSLabServer(id)
        defer { server.stop() }
        let certs = try TLSLab.certificates()
        for item in Self.cases where item.server == id {
            let report = try check(item, server: server, certs: certs)
            let verdict = report.verdict
            let tls = try #require(verdict.tls, "\(item.testDescription): no TLS finding")
            switch item.result {
            case "ok":
                #expect(verdict.result == .ok, "\(item.testDescription): \(verdict.deviceLine) — \(tls.reason)")
                #expect(tls.result == "established")
            case "crash":
                #expect(verdict.result == .deviceCrash, "\(item.testDescription): \(verdict.deviceLine)")
                #expect(tls.result == "crash")
            default:
                #expect(verdict.result == .failed, "\(item.testDescription): \(verdict.deviceLine) — \(tls.reason)")
                #expect(String(verdict.code) == item.result, "\(item.testDescription): \(verdict.deviceLine)")
                #expect(tls.engineError == item.engine, "\(item.testDescription): \(tls.reason)")
                #expect(tls.deviceError == item.device, "\(item.testDescription)")
                #expect((tls.oversizedRecord != nil) == item.midBody, "\(item.testDescription)")
                if item.result == "-1" { #expect(verdict.message == "HTTP error: connection failed") }
            }
        }
    }

    @Test func reportNamesTheCauseAndTheFix() throws {
        let server = try TLSLabServer("rsa2048")
        defer { server.stop() }
        let certs = try TLSLab.certificates()
        let report = try check(Case(server: "rsa2048", trust: "fingerprint=wrong", result: "-1"), server: server, certs: certs)
        let tls = try #require(report.verdict.tls)
        let sha1 = TLSLab.read(certs + "/rsa2048.sha1").filter { !$0.isWhitespace }
        #expect(tls.leafFingerprint == sha1)
        #expect(tls.deviceErrorName == "BR_ERR_X509_NOT_TRUSTED")
        #expect(tls.deviceErrorText == "Chain could not be linked to a trust anchor.")
        #expect(tls.chain.count == 2)
        #expect(report.verdict.fix.contains { $0.contains(sha1) && $0.contains("setFingerprint") })

        let alert = try check(Case(server: "rsa2048", trust: "insecure", versions: ("1.0", "1.1"), result: "-1"), server: server, certs: certs)
        #expect(alert.verdict.tls?.deviceErrorText == "SSL received fatal alert - Unknown error code.")

        let ip = try check(Case(server: "rsa2048", trust: "ca=root", host: "127.0.0.1", result: "-1"), server: server, certs: certs)
        #expect(ip.verdict.fix.contains { $0.contains("IP address") })
        #expect(ip.verdict.tls?.serverName == "127.0.0.1")

        let unsynced = try check(Case(server: "rsa2048", trust: "ca=root", deviceTime: 0, result: "-1"), server: server, certs: certs)
        #expect(unsynced.verdict.fix.contains { $0.contains("configTime") })
    }

    private func check(_ item: Case, server: TLSLabServer, certs: String) throws -> ProbeReport {
        let profile = Shared.device(item.profile)
        var settings = UpdaterSettings(url: server.url(host: item.host, path: item.server.hasPrefix("nomfln") ? "/fw.bin" : "/fw.http"))
        settings.clientTimeoutMs = 1500
        settings.tls = try tlsSettings(item, certs: certs)
        return Probe(profile: profile, identity: DeviceIdentity(), settings: settings).run()
    }

    private func tlsSettings(_ item: Case, certs: String) throws -> TLSClientSettings {
        var settings = TLSClientSettings(trust: try TLSLab.trust(item.trust, server: item.server), trustGiven: true)
        if let buffers = item.buffers { (settings.receiveBuffer, settings.sendBuffer) = buffers }
        if let versions = item.versions { (settings.minVersion, settings.maxVersion) = versions }
        settings.lessSecureCiphers = item.lessSecure
        settings.deviceTime = item.deviceTime
        return settings
    }
}
