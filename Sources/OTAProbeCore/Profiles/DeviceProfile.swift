/// One updater stack at one version: a profile file under `profiles/`, whatever its family.
///
/// The three families describe different client code (ESP8266 `ESPhttpUpdate`, arduino-esp32
/// `HTTPUpdate`, ESP-IDF `esp_https_ota`), so each has its own schema and its own model; this
/// is what the catalogue, the probe and the reports hand around.
public enum DeviceProfile: Sendable, Equatable {
    case esp8266(ESP8266ArduinoProfile)
    case esp32Arduino(ESP32ArduinoProfile)
    case espIDF(ESPIDFProfile)
    case esphome(ESPHomeProfile)
    case tasmota(TasmotaProfile)

    /// Profile families the probe models, by their `family` field.
    public enum Family: String, Sendable, CaseIterable {
        case esp8266Arduino = "esp8266-arduino"
        case esp32Arduino = "esp32-arduino"
        case espIDF = "esp-idf"
        case esphome = "esphome"
        case tasmota = "tasmota"
    }

    public var family: Family {
        switch self {
        case .esp8266: return .esp8266Arduino
        case .esp32Arduino: return .esp32Arduino
        case .espIDF: return .espIDF
        case .esphome: return .esphome
        case .tasmota: return .tasmota
        }
    }

    public var name: String {
        switch self {
        case .esp8266(let p): return p.name
        case .esp32Arduino(let p): return p.name
        case .espIDF(let p): return p.name
        case .esphome(let p): return p.name
        case .tasmota(let p): return p.name
        }
    }

    public var aliases: [String] {
        switch self {
        case .esp8266(let p): return p.aliases
        case .esp32Arduino(let p): return p.aliases
        case .espIDF(let p): return p.aliases
        case .esphome(let p): return p.aliases
        case .tasmota(let p): return p.aliases
        }
    }

    public var title: String {
        switch self {
        case .esp8266(let p): return p.title
        case .esp32Arduino(let p): return p.title
        case .espIDF(let p): return p.title
        case .esphome(let p): return p.title
        case .tasmota(let p): return p.title
        }
    }

    public var description: String {
        switch self {
        case .esp8266(let p): return p.description
        case .esp32Arduino(let p): return p.description
        case .espIDF(let p): return p.description
        case .esphome(let p): return p.description
        case .tasmota(let p): return p.description
        }
    }

    public var source: String {
        switch self {
        case .esp8266(let p): return p.source
        case .esp32Arduino(let p): return p.source
        case .espIDF(let p): return p.source
        case .esphome(let p): return p.source
        case .tasmota(let p): return p.source
        }
    }

    public var cite: [String: String] {
        switch self {
        case .esp8266(let p): return p.cite
        case .esp32Arduino(let p): return p.cite
        case .espIDF(let p): return p.cite
        case .esphome(let p): return p.cite
        case .tasmota(let p): return p.cite
        }
    }

    /// The ESP8266 profile, when this is one (its explanation layer is ESP8266-specific); for
    /// Tasmota the core it calls, whose rules decide every attempt.
    public var esp8266: ESP8266ArduinoProfile? {
        if case .esp8266(let p) = self { return p }
        if case .tasmota(let p) = self { return p.esp8266Core }
        return nil
    }

    /// The TLS client's capabilities, when the profile describes them.
    public var tlsCapabilities: TLSCapabilities? {
        switch self {
        case .esp8266(let p): return p.tls
        case .esp32Arduino(let p): return p.tls
        case .espIDF(let p): return p.tls
        case .esphome(let p): return p.tls
        case .tasmota(let p): return p.tls
        }
    }

    /// The wait a silent server costs before the device gives up on the headers.
    public var headerTimeoutMs: Int {
        switch self {
        case .esp8266(let p): return p.timeouts.clientMs
        case .esp32Arduino(let p): return p.timeouts.clientMs
        case .espIDF(let p): return p.timeouts.timeoutMs
        case .esphome(let p): return p.timeouts.timeoutMs
        case .tasmota(let p): return p.clientTimeoutMs
        }
    }
}
