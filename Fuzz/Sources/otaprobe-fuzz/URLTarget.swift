@testable import OTAProbeCore

/// `DeviceURL.parse` (HTTPClient::beginInternal's split), `RedirectPolicy` with every Arduino
/// profile's rules and mode, the request builders over the result, the `Redactor` the reports
/// run URLs and headers through, and the `--tls` option parsers (user-supplied text).
///
/// Input: the firmware URL, optionally `\n` and a Location value.
enum URLTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        let text = String(decoding: buffer, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let url = String(parts[0])
        let location = parts.count > 1 ? String(parts[1]) : nil
        let identity = DeviceIdentity()

        for profile in Catalog.all {
            switch profile {
            case .esp8266(let p):
                guard case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: p.request.schemeCaseInsensitive) else { continue }
                let builder = UpdateRequestBuilder(profile: p, identity: identity)
                _ = builder.request(for: parsed)
                follow(parsed, location: location, rules: p.redirects, schemeCaseInsensitive: p.request.schemeCaseInsensitive) { next in
                    _ = builder.request(for: next, redirected: true, authorization: .some(UpdateRequestBuilder.authorization(from: next)))
                }
            case .esp32Arduino(let p):
                guard case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: false) else { continue }
                let builder = ESP32ArduinoRequestBuilder(profile: p, identity: identity)
                _ = builder.request(for: parsed, authorization: UpdateRequestBuilder.authorization(from: parsed))
                follow(parsed, location: location, rules: p.redirects, schemeCaseInsensitive: false) { next in
                    _ = builder.request(for: next, keepsHeaders: false, authorization: nil)
                }
            case .espIDF(let p):
                guard case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: true) else { continue }
                let builder = ESPIDFRequestBuilder(profile: p)
                _ = builder.requestLineFits(method: "GET", url: parsed)
                _ = builder.request(method: "GET", url: parsed, hostHeader: ESPIDFRequestBuilder.hostHeader(for: parsed),
                                    authorization: UpdateRequestBuilder.authorization(from: parsed), range: "bytes=0-65535")
            case .esphome, .tasmota:
                // Their requests are built inside their models from these same builders; the
                // model target runs every profile, these included.
                continue
            }
        }
        if case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: true) {
            _ = parsed.display
            for sketch in [SketchAuthorization.userPassword(user: url, password: location ?? "x"), .encoded(url)] {
                _ = sketch.apply(to: UpdateRequestBuilder.authorization(from: parsed))
            }
        }
        for redactor in [Redactor(enabled: true), Redactor(enabled: false)] {
            _ = redactor.redact(text)
        }
        _ = try? TLSOptionSyntax.mode(text)
        _ = try? TLSOptionSyntax.buffers(text)
        _ = try? TLSOptionSyntax.versions(text)
        _ = try? TLSOptionSyntax.ciphers(text)
        _ = try? TLSOptionSyntax.deviceTime(text)
        _ = TLSFingerprint.parse(text)
    }

    static func follow(_ current: DeviceURL, location: String?, rules: ESP8266ArduinoProfile.RedirectRules, schemeCaseInsensitive: Bool,
                       request: (DeviceURL) -> Void) {
        for mode in RedirectMode.allCases {
            let policy = RedirectPolicy(rules: rules, mode: mode)
            for code in [301, 302, 303, 307, 308] {
                for followed in [0, rules.limit] {
                    if case .follow(let next, _)? = policy.decide(code: code, location: location, current: current, followedSoFar: followed,
                                                                  schemeCaseInsensitive: schemeCaseInsensitive) {
                        request(next)
                    }
                }
            }
        }
    }
}
