import FoundationEssentials

/// Writes the request bytes `ESPhttpUpdate` sends, line for line (spec §2; 3.1.2:HC:916-973).
///
/// The header order and the set of lines come from the profile, so 2.5.2's order (Connection
/// before Authorization, no Chip-ID, no `Content-Length: 0`) and 3.x's are data, not branches.
///
/// HTTPClient writes the same lines for any caller; ESPHome's http layer on the ESP8266 drives
/// it directly (no `x-ESP8266-*` lines, `setReuse(true)`), so it builds with `init(rules:…)`.
public struct UpdateRequestBuilder: Sendable {
    public let rules: ESP8266ArduinoProfile.RequestRules
    /// `x-ESP8266-sdk-version` when the identity names none.
    public let defaultSDKVersion: String
    public let identity: DeviceIdentity

    public init(profile: ESP8266ArduinoProfile, identity: DeviceIdentity) {
        self.init(rules: profile.request, defaultSDKVersion: profile.identityDefaults.sdkVersion, identity: identity)
    }

    public init(rules: ESP8266ArduinoProfile.RequestRules, defaultSDKVersion: String = "", identity: DeviceIdentity) {
        self.rules = rules
        self.defaultSDKVersion = defaultSDKVersion
        self.identity = identity
    }

    /// What `!_useHTTP10` adds (3.1.2:HC:942-944): HTTP/1.1 clients say they take chunked.
    public static let acceptEncoding = "identity;q=1,chunked;q=0.1,*;q=0"

    /// Header names a profile may list, in any order.
    public static let knownHeaderNames: Set<String> = [
        "Host", "User-Agent", "Accept-Encoding", "Authorization", "Connection", "Content-Length",
        "x-ESP8266-Chip-ID", "x-ESP8266-STA-MAC", "x-ESP8266-AP-MAC", "x-ESP8266-free-space",
        "x-ESP8266-sketch-size", "x-ESP8266-sketch-md5", "x-ESP8266-chip-size",
        "x-ESP8266-sdk-version", "x-ESP8266-mode", "x-ESP8266-version",
    ]

    /// The first request, or a followed redirect's (which has lost httpUpdate's headers).
    /// `authorization` is HTTPClient's `_base64Authorization`: by default what the URL's
    /// userinfo gives; the model passes what the sketch and earlier hops left there.
    public func request(for url: DeviceURL, redirected: Bool = false, authorization: String?? = nil) -> [UInt8] {
        let authorization = authorization ?? Self.authorization(from: url)
        var text = "\(rules.method) \(url.requestTarget) \(rules.httpVersion)\r\n"
        let order = redirected ? rules.redirectedHeaderOrder : rules.headerOrder
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
        case "User-Agent": return rules.userAgent
        case "Accept-Encoding": return Self.acceptEncoding
        case "Connection": return rules.reuse == true ? "keep-alive" : "close"
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
        case "x-ESP8266-sdk-version": return identity.sdkVersion ?? defaultSDKVersion
        case "x-ESP8266-mode": return identity.mode == .sketch ? "sketch" : rules.filesystemModeValue
        case "x-ESP8266-version": return identity.currentVersion.isEmpty ? nil : identity.currentVersion
        default: return nil
        }
    }
}
