import OTAProbe
import OTAProbeCore
import ScenarioServer

/// One scenario server for the whole suite, on 127.0.0.1 with an ephemeral port; every
/// connection is capped at 20 s so nothing outlives the run.
enum Shared {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)

    static let profiles: ProfileCatalog = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return try! ProfileCatalog(directory: path + "/profiles")
    }()

    static func profile(_ name: String) -> ESP8266ArduinoProfile { try! profiles.resolve(name).esp8266! }
    static func device(_ name: String) -> DeviceProfile { try! profiles.resolve(name) }
}

/// Probes a scenario of the shared server as the given profile would.
func probe(_ scenario: String, profile: String = "esp8266-arduino-3.1.2", timeoutMs: Int? = nil,
           redirects: RedirectMode = .disable, adjust: (inout ESP8266ArduinoProfile) -> Void = { _ in }) -> ProbeReport {
    var device = Shared.profile(profile)
    adjust(&device)
    var settings = UpdaterSettings(url: Shared.server.url(scenario))
    settings.clientTimeoutMs = timeoutMs
    settings.redirectMode = redirects
    return Probe(profile: .esp8266(device), identity: DeviceIdentity(), settings: settings).run()
}

/// A row of the expectation table: the result and code the device returns.
struct Expected: CustomTestStringConvertible, Sendable {
    let scenario: String
    let profile: String
    let result: Verdict.Result
    let code: Int
    var timeoutMs: Int? = nil
    var redirects: RedirectMode = .disable

    var testDescription: String { "\(scenario) on \(profile)\(redirects == .disable ? "" : " (\(redirects.rawValue))") → \(result.rawValue) \(code)" }
}

import Testing
