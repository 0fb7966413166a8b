/// What `otaprobe explain` says about a code of one profile, offline: the profile supplies the
/// name and the exact text (they differ by version), the stack's `CodeNote` table the meaning,
/// the usual causes and the fixes; a few causes depend on the profile's own facts (whether the
/// core follows redirects, has a 401 code, starts with -1) and are adjusted here.
public struct CodeGuide: Sendable {
    public struct Entry: Sendable, Equatable {
        public let family: DeviceProfile.Family
        public let profile: String
        public let code: Int
        public let name: String
        /// Exactly what the device prints for the code: `getLastErrorString()` on the Arduino
        /// cores (with `<expected>`-style slots where the Updater formats values in),
        /// `esp_err_to_name()` on ESP-IDF.
        public let message: String
        public let meaning: String
        public let causes: [String]
        public let fixes: [String]
        /// Log lines the device prints on the way to this code, `<…>` where they vary.
        public let printed: [String]

        /// `esp_err_t` values are read in hex (`0x1503`, `-0x7007`); nil on the Arduino cores.
        public var hex: String? {
            if family == .esphome { return "0x" + String(String(code, radix: 16, uppercase: true).leftPadded(to: 2)) }
            guard family == .espIDF else { return nil }
            return (code < 0 ? "-0x" : "0x") + String(code.magnitude, radix: 16, uppercase: true)
        }
    }

    /// Said when a profile names a code the stack's table has no notes for (a user's profile).
    public static let noNotes = "A code this profile names but otaprobe has no notes for."

    public let profile: DeviceProfile

    public init(profile: DeviceProfile) { self.profile = profile }

    /// Every code the profile's error tables name, in table order (0 included).
    public var codes: [Int] {
        var seen = Set<Int>()
        let all: [Int]
        switch profile {
        case .esp8266(let p): all = Self.arduinoCodes(p.errors)
        case .esp32Arduino(let p): all = Self.arduinoCodes(p.errors)
        case .espIDF(let p): all = p.errors.map(\.code)
        case .esphome(let p): all = p.codes.map(\.code)
        case .tasmota(let p): all = Self.arduinoCodes(p.errors)
        }
        return all.filter { seen.insert($0).inserted }
    }

    public var entries: [Entry] { codes.compactMap(entry(for:)) }

    /// nil when this profile cannot produce the code.
    public func entry(for code: Int) -> Entry? {
        guard codes.contains(code) else { return nil }
        let note = CodeNote.table(for: profile)[code]
        var causes = note?.causes ?? []
        let name: String
        let message: String
        switch profile {
        case .esp8266(let p):
            (name, message) = Self.arduinoText(code, p.errors)
            causes = Self.adjustedESP8266Causes(code, causes, profile: p)
        case .esp32Arduino(let p):
            (name, message) = Self.arduinoText(code, p.errors)
        case .espIDF(let p):
            let row = p.errors.first { $0.code == code }
            name = row?.name ?? ""
            message = row?.text ?? name
        case .esphome(let p):
            // ESPHome prints no text for a code (flash() does not log it): the name is what
            // the OTA state callback and a user's automation see.
            name = p.codeName(code)
            message = name
        case .tasmota(let p):
            // Tasmota publishes the core's text after its own word: `Failed <text>`.
            let (core, text) = Self.arduinoText(code, p.errors)
            if let esp8266 = p.esp8266Core { causes = Self.adjustedESP8266Causes(code, causes, profile: esp8266) }
            name = core
            message = code == 0 ? p.console.successText : p.console.failedPrefix + (p.console.publishesUpdaterText ? text : "")
        }
        return Entry(family: profile.family, profile: profile.name, code: code, name: name, message: message,
                     meaning: note?.meaning ?? Self.noNotes, causes: causes, fixes: note?.fixes ?? [], printed: note?.printed ?? [])
    }

    private static func arduinoCodes(_ errors: ESP8266ArduinoProfile.ErrorTable) -> [Int] {
        (errors.httpClient + errors.httpUpdate + errors.updater).map(\.code)
    }

    /// `getLastErrorString()` for the code; 0 prints nothing but the table still names it.
    private static func arduinoText(_ code: Int, _ errors: ESP8266ArduinoProfile.ErrorTable) -> (String, String) {
        if code == 0 { return (errors.updater.first { $0.code == 0 }?.name ?? "", "") }
        let text = ErrorCatalog(errors).entry(for: code, values: ["expected": "<expected>", "calculated": "<calculated>", "realSize": "<real>", "sdkSize": "<sdk>"])
        return (text.name, text.message)
    }

    /// The causes that follow from this core's own facts (spec esp8266-arduino.md §3.2, §4, §5.2).
    private static func adjustedESP8266Causes(_ code: Int, _ causes: [String], profile: ESP8266ArduinoProfile) -> [String] {
        var adjusted = causes
        if code == -104, !adjusted.isEmpty {
            if profile.update.unauthorizedCode == nil { adjusted.append("401 Unauthorized (this core has no separate code for it)") }
            if !profile.redirects.supported { adjusted[0] = "any redirect (301/302/303/307/308): this core's HTTPClient cannot follow redirects at all" }
        }
        if code == -1, profile.response.initialReturnCode == -1 {
            adjusted.append("a response without an 'HTTP/1.x' status line (this core returns its initial -1)")
        }
        return adjusted
    }
}
