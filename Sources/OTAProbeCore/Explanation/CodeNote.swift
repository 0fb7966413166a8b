/// What one code of one stack means, why devices usually get it and what to change: the notes
/// `otaprobe explain` prints beside the profile's exact name and text. One table per stack,
/// keyed by code (`CodeNote+ESP8266Arduino.swift`, `+ESP32Arduino`, `+ESPIDF`), written from the
/// specs in `shared/spec` and the device sources they cite, the way curl keeps each error's
/// meaning beside its number.
public struct CodeNote: Sendable, Equatable {
    public let meaning: String
    public let causes: [String]
    public let fixes: [String]
    /// Other lines the device prints on the way to this code (`log_e`, `ESP_LOGE`), with `<…>`
    /// for the parts that vary, so `otaprobe explain "Mismatch chip id, expected 0, found 27757"`
    /// finds the code a pasted serial log stands for.
    public let printed: [String]

    init(_ meaning: String, causes: [String], fixes: [String], printed: [String] = []) {
        self.meaning = meaning
        self.causes = causes
        self.fixes = fixes
        self.printed = printed
    }

    /// The table for a stack.
    public static func table(for family: DeviceProfile.Family) -> [Int: CodeNote] {
        switch family {
        case .esp8266Arduino: return esp8266Arduino
        case .esp32Arduino: return esp32Arduino
        case .espIDF: return espIDF
        case .esphome: return esphome
        case .tasmota: return tasmota
        }
    }
}
