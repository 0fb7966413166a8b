/// `getLastErrorString()` and the macro names, from the profile's tables
/// (3.1.2:UPD:109-151: 0 → "", -1…-99 → "HTTP error: " + errorToString, -100… → table,
/// > 0 → "Update error: " + the Updater's `printError` line, trimmed).
public struct ErrorCatalog: Sendable {
    public let errors: ESP8266ArduinoProfile.ErrorTable

    public init(_ errors: ESP8266ArduinoProfile.ErrorTable) { self.errors = errors }

    public struct Entry: Sendable, Equatable {
        public let name: String
        public let message: String
    }

    /// Values for the Updater's formatted texts (`{expected}`, `{calculated}`, `{realSize}`, `{sdkSize}`).
    public func entry(for code: Int, values: [String: String] = [:]) -> Entry {
        if code == 0 { return Entry(name: "", message: "") }
        if code > 0 {
            let row = errors.updater.first { $0.code == code }
            var text = row?.text ?? "UNKNOWN"
            for (key, value) in values { text = text.replacingOccurrences("{\(key)}", with: value) }
            let line = errors.updaterFormat.replacingOccurrences("{code}", with: String(code)).replacingOccurrences("{text}", with: text)
            return Entry(name: row?.name ?? "", message: errors.updaterPrefix + line)
        }
        if code >= -99 {
            let row = errors.httpClient.first { $0.code == code }
            return Entry(name: row?.name ?? "", message: errors.httpClientPrefix + (row?.text ?? ""))
        }
        if let row = errors.httpUpdate.first(where: { $0.code == code }) {
            return Entry(name: row.name, message: row.text)
        }
        return Entry(name: "", message: "")
    }

    /// Every code this profile can name, for `otaprobe explain`.
    public var allCodes: [ESP8266ArduinoProfile.ErrorText] { errors.httpClient + errors.httpUpdate + errors.updater.filter { $0.code != 0 } }
}

extension String {
    /// Plain substring replacement without Foundation's full `replacingOccurrences`.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
