/// Writes the request arduino-esp32's `HTTPUpdate` sends (spec A1.2; A3.2.0 HTTPClient.cpp:1127-1170,
/// HTTPUpdate.cpp:165-215): HTTP/1.0, `Connection: close`, then `Cache-Control` and the
/// `x-ESP32-*` headers in insertion order. Which lines a version writes is profile data.
public struct ESP32ArduinoRequestBuilder: Sendable {
    public let profile: ESP32ArduinoProfile
    public let identity: DeviceIdentity

    public init(profile: ESP32ArduinoProfile, identity: DeviceIdentity) {
        self.profile = profile
        self.identity = identity
    }

    public static let knownHeaderNames: Set<String> = [
        "Host", "User-Agent", "Connection", "Authorization", "Cache-Control",
        "x-ESP32-BASE-MAC", "x-ESP32-STA-MAC", "x-ESP32-AP-MAC", "x-ESP32-free-space",
        "x-ESP32-sketch-size", "x-ESP32-sketch-md5", "x-ESP32-sketch-sha256", "x-ESP32-chip-size",
        "x-ESP32-sdk-version", "x-ESP32-mode", "x-ESP32-version",
    ]

    /// The first request, or a followed redirect's. `keepsHeaders` is false when HTTPClient
    /// ran `clear()` on the way (a path-only Location, or any Location on 1.0.6).
    public func request(for url: DeviceURL, keepsHeaders: Bool = true, authorization: String?) -> [UInt8] {
        let target = url.uri.isEmpty && profile.request.emptyPathSendsNothing ? "" : url.requestTarget
        var text = "\(profile.request.method) \(target) \(profile.request.httpVersion)\r\n"
        let order = keepsHeaders ? profile.request.headerOrder : profile.request.redirectedHeaderOrder
        for name in order {
            if let value = name == "Authorization" ? authorization.map({ "Basic " + $0 }) : value(of: name, for: url) {
                text += "\(name): \(value)\r\n"
            }
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    private func value(of name: String, for url: DeviceURL) -> String? {
        let esp32 = identity.esp32
        switch name {
        case "Host": return url.hostHeaderValue
        case "User-Agent": return profile.request.userAgent
        case "Connection": return "close"
        case "Cache-Control": return "no-cache"
        // `%02X:` upper-case (A1.0.6 WiFiSTA.cpp:441-453; 3.x NetworkManager::macAddress()).
        case "x-ESP32-BASE-MAC": return esp32.baseMAC.deviceText
        case "x-ESP32-STA-MAC": return esp32.staMAC.deviceText
        case "x-ESP32-AP-MAC": return esp32.apMAC.deviceText
        // `ESP.getFreeSketchSpace()` is the next OTA partition's size, not free bytes (A1.0.6 Esp.cpp:205-212).
        case "x-ESP32-free-space": return String(esp32.partitionSize)
        case "x-ESP32-sketch-size": return String(esp32.sketchSize)
        case "x-ESP32-sketch-md5": return esp32.sketchMD5?.lowercaseHex
        case "x-ESP32-sketch-sha256": return esp32.sketchSHA256?.uppercaseHex
        case "x-ESP32-chip-size": return String(esp32.flashChipSize)
        case "x-ESP32-sdk-version": return identity.sdkVersion ?? profile.identityDefaults.sdkVersion
        case "x-ESP32-mode": return identity.mode == .sketch ? "sketch" : profile.request.filesystemModeValue
        case "x-ESP32-version": return identity.currentVersion.isEmpty ? nil : identity.currentVersion
        default: return nil
        }
    }
}
