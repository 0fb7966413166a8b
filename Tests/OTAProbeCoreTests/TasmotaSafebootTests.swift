import Testing
@testable import OTAProbeCore

extension Profiles {
    static let tasmota32Safeboot: TasmotaProfile = {
        guard case .tasmota(let profile) = device("tasmota-15.2-esp32-safeboot") else { fatalError("no tasmota-15.2-esp32-safeboot") }
        return profile
    }()
}

/// Tasmota 15.2 on an ESP32 with one OTA slot (spec esphome-and-tasmota.md §T3.6): the running
/// firmware only restarts, the safeboot image downloads with its own version string.
@Suite struct TasmotaSafebootTests {
    static func run(_ profile: TasmotaProfile, _ events: [Timeline.Event]) -> TasmotaUpgradeModel {
        var model = TasmotaUpgradeModel(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://ota.example/tasmota32.bin"))
        Timeline(connections: Array(repeating: events, count: 8)).play(&model)
        return model
    }

    static let notFound: [Timeline.Event] = [.bytes(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]

    /// The request is the safeboot image's: x-ESP32-version …(release-safeboot).
    @Test func requestCarriesTheSafebootVersion() {
        let model = Self.run(Profiles.tasmota32Safeboot, Self.notFound)
        let request = String(decoding: model.exchanges[0].request, as: UTF8.self)
        // Byte-exact: HTTPClientLight's request as on the dual-OTA layout (§T3.2), from the
        // safeboot image, whose version string names it.
        let esp32 = DeviceIdentity().esp32
        #expect(request == """
            GET /tasmota32.bin HTTP/1.0\r
            Host: ota.example\r
            User-Agent: ESP32-http-Update\r
            Connection: close\r
            Cache-Control: no-cache\r
            x-ESP32-STA-MAC: \(esp32.staMAC.deviceText)\r
            x-ESP32-AP-MAC: \(esp32.apMAC.deviceText)\r
            x-ESP32-free-space: 1310720\r
            x-ESP32-sketch-size: 1050000\r
            x-ESP32-sketch-md5: \(esp32.sketchMD5?.lowercaseHex ?? "")\r
            x-ESP32-sketch-sha256: \(esp32.sketchSHA256?.uppercaseHex ?? "")\r
            x-ESP32-chip-size: 4194304\r
            x-ESP32-sdk-version: v5.3.4\r
            x-ESP32-mode: sketch\r
            x-ESP32-version: 15.2.0(release-safeboot)\r
            \r\n
            """, "\(request)")
        let dual = String(decoding: Self.run(Profiles.tasmota32, Self.notFound).exchanges[0].request, as: UTF8.self)
        #expect(dual.contains("\r\nx-ESP32-version: 15.2.0(release-tasmota32)\r\n"))
    }

    /// The log: the main firmware's restart, the safeboot image's propagation, then its
    /// attempts — 4, as on the dual-OTA layout — and `Failed ` with no reason.
    @Test func mainFirmwareRestartsThenSafebootRetries() {
        let verdict = try! #require(Self.run(Profiles.tasmota32Safeboot, Self.notFound).verdict)
        #expect(Array(verdict.log.prefix(3)) == ["APP: Restarting", "OTA: Propagating upload", "UPL: http://ota.example/tasmota32.bin 15.2.0(release-safeboot)"], "\(verdict.log)")
        #expect(verdict.attempts.map(\.code) == [-102, -102, -102, -102])
        #expect(verdict.deviceLine == #"{"Upgrade":"Failed "}"#)
        let dual = try! #require(Self.run(Profiles.tasmota32, Self.notFound).verdict)
        #expect(!dual.log.contains("APP: Restarting"))
    }

    /// The report says who made the requests and where a failed device is left.
    @Test func reportNamesTheSafebootLayout() {
        let model = Self.run(Profiles.tasmota32Safeboot, Self.notFound)
        let verdict = Diagnosis(profile: .tasmota(Profiles.tasmota32Safeboot), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://ota.example/tasmota32.bin"))
            .explain(model.verdict!, exchanges: model.exchanges)
        #expect(verdict.notes.contains { $0.hasPrefix("Single-OTA (safeboot) layout: the running Tasmota sent nothing") }, "\(verdict.notes)")
        #expect(verdict.notes.contains { $0.contains("stays in safeboot") })
    }
}
