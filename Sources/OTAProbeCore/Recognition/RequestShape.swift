/// What one profile's requests look like, learnt from the profile's own request builder: the
/// request line's method and version, and each header line in order with what its value is —
/// fixed bytes, a field the device reports (`ReportedField`), or something that depends on the
/// URL or the sketch (`Host`, `Authorization`, `Range`) — and whether it may be left out.
///
/// Learnt, not written down: the builder is run with sample identities and URLs, and a line
/// whose value follows a sample belongs to it. A profile that reorders, renames or drops a
/// header (2.7.4 moved `Authorization` before `Connection` and added `x-ESP8266-Chip-ID`) is
/// decoded accordingly with no table to update.
public struct RequestShape: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// Always these bytes (`User-Agent: ESP8266-http-Update`, `Connection: close`).
        case fixed(String)
        /// A field the device reports, any value.
        case reported(ReportedField)
        /// A field with a few possible spellings, each meaning one value (`x-ESP8266-mode`).
        case enumerated(ReportedField, [String: String])
        /// Follows the URL (`Host`), the credentials (`Authorization`) or the download's
        /// progress (`Range`): any value.
        case free
    }

    public struct Line: Sendable, Equatable {
        public let name: String
        public let value: Value
        public let optional: Bool
    }

    /// Which request this is among those the profile's device sends.
    public let variant: String
    public let method: String
    public let version: String
    public let lines: [Line]
}

extension RequestShape {
    /// Every request the device of `profile` can send (its first request, a followed redirect's,
    /// ESP-IDF's HEAD and Range requests), each as the builder writes it.
    public static func all(for profile: DeviceProfile) -> [RequestShape] {
        switch profile {
        case .esp8266(let p):
            var shapes = [learn(variant: "first request") { identity, url, auth, _ in
                UpdateRequestBuilder(profile: p, identity: identity).request(for: url, authorization: .some(auth))
            }]
            if p.redirects.supported {
                shapes.append(learn(variant: "followed redirect") { identity, url, auth, _ in
                    UpdateRequestBuilder(profile: p, identity: identity).request(for: url, redirected: true, authorization: .some(auth))
                })
            }
            return shapes
        case .esp32Arduino(let p):
            var shapes = [learn(variant: "first request") { identity, url, auth, _ in
                ESP32ArduinoRequestBuilder(profile: p, identity: identity).request(for: url, keepsHeaders: true, authorization: auth)
            }]
            if p.redirects.supported {
                shapes.append(learn(variant: "followed redirect") { identity, url, auth, _ in
                    ESP32ArduinoRequestBuilder(profile: p, identity: identity).request(for: url, keepsHeaders: false, authorization: auth)
                })
            }
            return shapes
        case .espIDF(let p):
            // The methods and Range uses of `ESPIDFOTAModel.plan`: a GET (with Range for a
            // partial download or a resumption) and partial download's HEAD.
            let builder = ESPIDFRequestBuilder(profile: p)
            return [
                learn(variant: "GET") { _, url, auth, _ in
                    builder.request(method: "GET", url: url, hostHeader: url.hostHeaderValue, authorization: auth, range: nil)
                },
                learn(variant: "GET with Range") { _, url, auth, range in
                    builder.request(method: "GET", url: url, hostHeader: url.hostHeaderValue, authorization: auth, range: range)
                },
                learn(variant: "HEAD (partial download)") { _, url, auth, _ in
                    builder.request(method: "HEAD", url: url, hostHeader: url.hostHeaderValue, authorization: auth, range: nil)
                },
            ]
        case .esphome(let p):
            if let arduino = p.arduino {
                // HTTPClient as ESPHome drives it: one GET shape (redirects keep ESPHome's lines,
                // as ESPHome adds none that HTTPClient's clear() would wipe).
                return [learn(variant: "GET") { identity, url, auth, _ in
                    UpdateRequestBuilder(rules: arduino.request, identity: identity).request(for: url, authorization: .some(auth))
                }]
            }
            guard let request = p.request else { return [] }
            // ESPHome's http layer sends only GETs, with Basic auth from the URL's userinfo.
            let builder = ESPIDFRequestBuilder(rules: request)
            return [
                learn(variant: "GET") { _, url, auth, _ in
                    builder.request(method: "GET", url: url, hostHeader: url.hostHeaderValue, authorization: auth, range: nil)
                },
            ]
        case .tasmota(let p):
            switch p.updater {
            case .esp8266(let core):
                // Every attempt is the core's first request (Tasmota never turns redirects on).
                return [learn(variant: "each attempt") { identity, url, auth, _ in
                    UpdateRequestBuilder(profile: core, identity: identity).request(for: url, authorization: .some(auth))
                }]
            case .esp32(let core):
                // HTTPClientLight follows redirects (strict) and clears the headers on the way.
                return [learn(variant: "each attempt") { identity, url, auth, _ in
                    ESP32ArduinoRequestBuilder(profile: core, identity: identity).request(for: url, keepsHeaders: true, authorization: auth)
                }, learn(variant: "followed redirect") { identity, url, auth, _ in
                    ESP32ArduinoRequestBuilder(profile: core, identity: identity).request(for: url, keepsHeaders: false, authorization: auth)
                }]
            }
        }
    }

    /// What a builder call depends on: the identity, the URL, the Basic credentials, the Range.
    typealias Build = (DeviceIdentity, DeviceURL, String?, String?) -> [UInt8]

    private static let sampleURLs = ["http://198.51.100.7:8080/fw/a.bin", "http://203.0.113.9:8081/fw/b.bin"].map {
        try! DeviceURL.parse($0, schemeCaseInsensitive: true).get()
    }
    private static let sampleCredentials = ["c2FtcGxlOjE=", "c2FtcGxlOjI="]
    private static let sampleRanges = ["bytes=0-65535", "bytes=65536-131071"]

    /// Runs `build` with samples and reads off each line's meaning.
    static func learn(variant: String, _ build: Build) -> RequestShape {
        let base = identity(sample: 0)
        let full = ArrivedRequestHead(bytes: build(base, sampleURLs[0], sampleCredentials[0], sampleRanges[0]))
        func changedLines(_ other: [UInt8]) -> Set<String> {
            let head = ArrivedRequestHead(bytes: other)
            var changed: Set<String> = []
            for (index, field) in full.fields.enumerated() where index >= head.fields.count || head.fields[index] != field {
                changed.insert(field.name)
            }
            return changed
        }
        var meaning: [String: Value] = [:]
        for field in ReportedField.allCases {
            var changed = identity(sample: 0)
            changed = with(field, sample: 1, in: changed)
            let lines = changedLines(build(changed, sampleURLs[0], sampleCredentials[0], sampleRanges[0]))
            for name in lines {
                if field == .mode {
                    let other = ArrivedRequestHead(bytes: build(changed, sampleURLs[0], sampleCredentials[0], sampleRanges[0]))
                    let spellings = [full.value(of: name), other.value(of: name)]
                    var map: [String: String] = [:]
                    for (spelling, sample) in zip(spellings, field.samples) { if let spelling { map[spelling] = sample } }
                    meaning[name] = .enumerated(field, map)
                } else {
                    meaning[name] = .reported(field)
                }
            }
        }
        let followsContext = changedLines(build(base, sampleURLs[1], sampleCredentials[1], sampleRanges[1]))
        for name in followsContext where meaning[name] == nil { meaning[name] = .free }

        // The least the device sends: no credentials, no Range, every field that may be empty empty.
        var sparse = base
        for field in ReportedField.allCases where field.emptyMeansAbsent { field.apply("", to: &sparse) }
        let always = Set(ArrivedRequestHead(bytes: build(sparse, sampleURLs[0], nil, nil)).fields.map(\.name))

        let lines = full.fields.map { field in
            Line(name: field.name, value: meaning[field.name] ?? .fixed(field.value), optional: !always.contains(field.name))
        }
        return RequestShape(variant: variant, method: full.method, version: full.version, lines: lines)
    }

    private static func identity(sample: Int) -> DeviceIdentity {
        var identity = DeviceIdentity()
        for field in ReportedField.allCases { identity = with(field, sample: sample, in: identity) }
        return identity
    }

    private static func with(_ field: ReportedField, sample: Int, in identity: DeviceIdentity) -> DeviceIdentity {
        var identity = identity
        field.apply(field.samples[sample], to: &identity)
        return identity
    }
}
