/// What every stack's model offers the probe: the device's decisions as a sans-IO state
/// machine. The transport reports events; the model answers with the next thing the device
/// does (`nextAction`) and, at the end, the `verdict`. Each family implements it with its own
/// client code (`ESP8266UpdaterModel`, `ESP32HTTPUpdateModel`, `ESPIDFOTAModel`).
public protocol DeviceModel: Sendable {
    var exchanges: [Exchange] { get }
    var verdict: Verdict? { get }
    var nextAction: DeviceAction { get }

    /// The update call starts: parse the URL and plan the first connection.
    mutating func start(at time: Int)
    mutating func connected(remoteAddress: String?, at time: Int)
    mutating func connectFailed(_ failure: ConnectionFailure, at time: Int)
    mutating func sendFailed(detail: String, at time: Int)
    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int)
    mutating func connectionClosed(at time: Int, reset: Bool)
    mutating func deadlinePassed(at time: Int)
    /// Log lines and finished update calls so far (defaults: none; see the extension).
    var logSoFar: [String] { get }
    var attemptsSoFar: [Verdict.Attempt] { get }
}

extension DeviceModel {
    /// What the device has printed and which update calls it has finished so far: kept in the
    /// verdict the probe makes when it stops the run at one of its bounds (a framework that
    /// retries has a story before its last call). Single-call models have none.
    public var logSoFar: [String] { [] }
    public var attemptsSoFar: [Verdict.Attempt] { [] }
}

extension DeviceProfile {
    /// The model for this profile's family, ready to `start`.
    public func makeModel(identity: DeviceIdentity, settings: UpdaterSettings) -> any DeviceModel {
        switch self {
        case .esp8266(let profile): return ESP8266UpdaterModel(profile: profile, identity: identity, settings: settings)
        case .esp32Arduino(let profile): return ESP32HTTPUpdateModel(profile: profile, identity: identity, settings: settings)
        case .espIDF(let profile): return ESPIDFOTAModel(profile: profile, identity: identity, settings: settings)
        case .esphome(let profile):
            if let client = profile.arduino { return ESPHomeArduinoOTAModel(profile: profile, client: client, identity: identity, settings: settings) }
            return ESPHomeOTAModel(profile: profile, identity: identity, settings: settings)
        case .tasmota(let profile): return TasmotaUpgradeModel(profile: profile, identity: identity, settings: settings)
        }
    }
}
