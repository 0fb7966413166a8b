/// A station, soft-AP or base MAC address: six bytes, written the way the device writes them.
///
/// Every core formats a MAC with `"%02X:%02X:%02X:%02X:%02X:%02X"`: upper-case hex, colons
/// (ESP8266 `WiFi.macAddress()` / `softAPmacAddress()`, 2.4.2 ESP8266WiFiSTA.cpp:408-415,
/// 3.1.2 ESP8266WiFiSTA.cpp:500-507, 3.1.2 ESP8266WiFiAP.cpp:341-348; arduino-esp32
/// `WiFi.macAddress()`, A1.0.6 WiFiSTA.cpp:441-453, and 3.x `Network.macAddress()`,
/// NetworkManager.cpp `macAddress(void)`). Users copy MACs from routers, labels and logs in
/// every spelling, so the parser accepts any case with `:`, `-` or no separator, and the
/// request always carries the device's form — a server that matches the header as a string
/// sees what the device sends, not what was typed.
public struct MACAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// `AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff` or `aabbccddeeff` (any case); nil for anything
    /// that is not exactly six hex bytes with one consistent separator.
    public init?(parsing text: String) {
        let characters = Array(text)
        let pairs: [[Character]]
        switch characters.count {
        case 12:
            pairs = stride(from: 0, to: 12, by: 2).map { Array(characters[$0..<$0 + 2]) }
        case 17:
            let separator = characters[2]
            guard separator == ":" || separator == "-" else { return nil }
            guard stride(from: 2, to: 17, by: 3).allSatisfy({ characters[$0] == separator }) else { return nil }
            pairs = stride(from: 0, to: 17, by: 3).map { Array(characters[$0..<$0 + 2]) }
        default:
            return nil
        }
        var bytes: [UInt8] = []
        for pair in pairs {
            guard pair.allSatisfy(\.isASCII), let byte = UInt8(String(pair), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// The header value every core sends: `%02X` per byte, joined by `:`.
    public var deviceText: String {
        bytes.map { String(byte: $0).uppercased() }.joined(separator: ":")
    }

    public var description: String { deviceText }
}
