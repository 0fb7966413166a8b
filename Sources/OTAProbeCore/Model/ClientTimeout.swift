/// The client timeout a device's HTTP client really keeps, from the value the sketch set.
///
/// Both Arduino cores take the sketch's `int` (`setClientTimeout(int)`, the `HTTPUpdate(int)`
/// constructor) and pass it to `HTTPClient::setTimeout(uint16_t)`, which stores it in
/// `uint16_t _tcpTimeout`: the value wraps modulo 65536, so 70000 ms becomes 4464 ms
/// (ESP8266: 3.1.2:UPDh:135,157, 3.1.2:UPD:167, 3.1.2:HCh:180,252, 3.1.2:HC:309-311, the same
/// types from 2.4.2:HCh:156,214; arduino-esp32: HTTPClient.h `setTimeout(uint16_t)` and
/// `uint16_t _tcpTimeout` in 1.0.6 through 3.x). ESP-IDF keeps `timeout_ms` as an int
/// (v5.4.4 esp_http_client.c:503).
public enum ClientTimeout {
    /// What `uint16_t _tcpTimeout` holds after `setTimeout(requested)`.
    public static func arduinoHTTPClient(_ requested: Int) -> Int {
        Int(UInt16(truncatingIfNeeded: requested))
    }
}

extension DeviceProfile {
    /// The client timeout this device runs with: the sketch's value as its HTTP client stores
    /// it, or the stack's default.
    public func clientTimeoutMs(_ settings: UpdaterSettings) -> Int {
        switch self {
        case .esp8266, .esp32Arduino, .tasmota: return settings.clientTimeoutMs.map(ClientTimeout.arduinoHTTPClient) ?? headerTimeoutMs
        case .espIDF: return settings.clientTimeoutMs ?? headerTimeoutMs
        case .esphome: return settings.clientTimeoutMs ?? headerTimeoutMs
        }
    }

    /// True when the HTTP client keeps a different timeout than the sketch asked for.
    public func clientTimeoutWraps(_ settings: UpdaterSettings) -> Bool {
        guard let requested = settings.clientTimeoutMs else { return false }
        return clientTimeoutMs(settings) != requested
    }
}
