import FoundationEssentials

/// Writes the request bytes `ESPhttpUpdate` sends, line for line (spec §2; 3.1.2:HC:916-973).
///
/// The header order and the set of lines come from the profile, so 2.5.2's order (Connection
/// before Authorization, no Chip-ID, no `Content-Length: 0`) and 3.x's are data, not branches.
public struct UpdateRequestBuilder: Sendable {
    public let profile: ESP8266ArduinoProfile
    public let identity: DeviceIdentity

    public init(profile: ESP8266ArduinoProfile, identity: DeviceIdentity) {
        self.profile = profile
        self.identity = identity
    }

    /// Header names a profile may list, in any order.
    public static let knownHeaderNames: Set<String> = [
        "Host", "User-Agent", "Authorization", "Connection", "Content-Length",
        "x-ESP8266-Chip-ID", "x-ESP8266-STA-MAC", "x-ESP8266-AP-MAC", "x-ESP8266-free-space",
        "x-ESP8266-sketch-size", "x-ESP8266-sketch-md5", "x-ESP8266-chip-size",
        "x-ESP8266-sdk-version", "x-ESP8266-mode", "x-ESP8266-version",
    ]

    /// The first request, or a followed redirect's (which has lost httpUpdate's headers).
    /// `authorization` is HTTPClient's `_base64Authorization`: by default what the URL's
    /// userinfo gives; the model passes what the sketch and earlier hops left there.
    public func request(for url: DeviceURL, redirected: Bool = false, authorization: String?? = nil) -> [UInt8] {
        let authorization = authorization ?? Self.authorization(from: url)
        var text = "\(profile.request.method) \(url.requestTarget) \(profile.request.httpVersion)\r\n"
        let order = redirected ? profile.request.redirectedHeaderOrder : profile.request.headerOrder
        for name in order {
            if let value = name == "Authorization" ? authorization.map({ "Basic " + $0 }) : value(of: name, for: url) {
                text += "\(name): \(value)\r\n"
            }
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// `base64::encode(auth, false)` of the URL's `user:pass`: no line breaks (3.1.2:HC:158-163).
    public static func authorization(from url: DeviceURL) -> String? {
        url.userInfo.map { Data($0.utf8).base64EncodedString() }
    }

    /// A line's value, or nil when the device leaves the line out.
    private func value(of name: String, for url: DeviceURL) -> String? {
        switch name {
        case "Host": return url.hostHeaderValue
        case "User-Agent": return profile.request.userAgent
        case "Connection": return "close"
        case "Content-Length": return "0"
        case "x-ESP8266-Chip-ID": return String(identity.chipID)
        // `WiFi.macAddress()`: `%02X:` upper-case (3.1.2 ESP8266WiFiSTA.cpp:500-507).
        case "x-ESP8266-STA-MAC": return identity.staMAC.deviceText
        case "x-ESP8266-AP-MAC": return identity.apMAC.deviceText
        case "x-ESP8266-free-space": return String(identity.freeSketchSpace)
        case "x-ESP8266-sketch-size": return String(identity.sketchSize)
        // `String(ESP.getSketchMD5())`: MD5Builder's `%02x`, sent even when empty (3.1.2:UPD:175).
        case "x-ESP8266-sketch-md5": return identity.sketchMD5?.lowercaseHex ?? ""
        case "x-ESP8266-chip-size": return String(identity.realFlashChipSize)
        case "x-ESP8266-sdk-version": return identity.sdkVersion ?? profile.identityDefaults.sdkVersion
        case "x-ESP8266-mode": return identity.mode == .sketch ? "sketch" : profile.request.filesystemModeValue
        case "x-ESP8266-version": return identity.currentVersion.isEmpty ? nil : identity.currentVersion
        default: return nil
        }
    }
}
