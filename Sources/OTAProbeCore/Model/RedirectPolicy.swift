/// How the sketch set redirects up: `ESPhttpUpdate.setFollowRedirects(...)` (2.7.4+) or
/// `followRedirects(true)` (2.5.2). The default in every version is not to follow.
public enum RedirectMode: String, Sendable, CaseIterable {
    case disable, strict, force
}

/// HTTPClient's redirect decision for httpUpdate's GET (3.1.2:HC:481-541, `setURL` 3.1.2:HC:321-338;
/// 2.5.2:HC:685-713). Returns the URL to fetch next, or why the 3xx goes back to httpUpdate,
/// where it becomes -104.
public struct RedirectPolicy: Sendable {
    public let rules: ESP8266ArduinoProfile.RedirectRules
    public let mode: RedirectMode

    static let redirectCodes: Set<Int> = [301, 302, 303, 307, 308]

    public enum Decision: Sendable, Equatable {
        case follow(DeviceURL, pathOnly: Bool)
        case refuse(RedirectRefusal)
    }

    public func decide(code: Int, location: String?, current: DeviceURL, followedSoFar: Int, schemeCaseInsensitive: Bool) -> Decision? {
        // Only these are redirects to HTTPClient (and to a user reading the report); 304 and
        // the rest go to httpUpdate's switch untouched.
        guard Self.redirectCodes.contains(code) else { return nil }
        guard rules.supported else { return .refuse(.unsupportedByCore) }
        guard mode != .disable else { return .refuse(.disabled) }
        guard followedSoFar < rules.limit else { return .refuse(.limitReached) }
        guard let location, !location.isEmpty else { return .refuse(.missingLocation) }
        // 308 and (in 2.5.2) 303 fall to `default: break`.
        guard rules.codesFollowed.contains(code) else { return .refuse(.codeNotFollowed) }
        if location.hasPrefix("/") {
            // Only `_uri` changes; note that `//host/x` is taken as a path too.
            return .follow(DeviceURL(scheme: current.scheme, host: current.host, port: current.port, uri: location, userInfo: current.userInfo, portText: current.portText), pathOnly: true)
        }
        // `url.startsWith(_protocol + ':')`: case-sensitive against the lower-case scheme.
        guard location.hasPrefix(current.scheme + ":") else {
            return .refuse(location.contains("://") ? .schemeChange : .relativeWithoutSlash)
        }
        switch DeviceURL.parse(location, schemeCaseInsensitive: schemeCaseInsensitive) {
        case .success(let next):
            return .follow(next, pathOnly: false)
        case .failure:
            return .refuse(.schemeChange)
        }
    }
}
