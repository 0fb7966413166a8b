/// The version-aware update server people write (`otaprobe serve --update-policy`), done right:
/// answer `304 Not Modified` when the device already runs what is on offer, otherwise the image
/// with an exact `Content-Length` and a lower-case `x-MD5`.
///
/// "Runs what is on offer" is read from the headers the Arduino updaters send: the version the
/// sketch passed to `update()` (`x-ESP8266-version`, `x-ESP32-version`), or the running sketch's
/// MD5 (`x-ESP8266-sketch-md5`, `x-ESP32-sketch-md5`, compared case-insensitively: 2.x cores send
/// lower-case hex, and nothing in HTTP promises a case). ESP-IDF's `esp_https_ota` sends neither
/// (its app compares the image's app descriptor itself), nor does a sketch that passed no version:
/// such a request gets the image, as it would from any static file server.
///
/// Served at `/update`; HEAD and `Range` are answered as a static file server does (ESP-IDF's
/// partial download asks for both).
public struct UpdatePolicy: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// 304 when the device reports this version string, exactly.
        case version(String)
        /// 304 when the device reports this sketch MD5 (32 hex digits, any case).
        case sketchMD5(String)
    }

    public let rule: Rule

    /// The path the policy is served at: `/update`.
    public static let scenarioName = "update"

    /// The request headers each rule reads, in the order they are looked for (one per stack
    /// that sends it: 3.1.2:UPD:170-187, A3.2.0 HTTPUpdate.cpp:165-215).
    public static let versionHeaders = ["x-ESP8266-version", "x-ESP32-version"]
    public static let sketchMD5Headers = ["x-ESP8266-sketch-md5", "x-ESP32-sketch-md5"]

    public init(rule: Rule) { self.rule = rule }

    /// `version=1.2.3`, `md5` (the served image's own MD5) or `md5=<32 hex digits>`.
    public static func parse(_ text: String, imageMD5: String) -> Result<UpdatePolicy, ParseError> {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch (parts[0], parts.count) {
        case ("version", 2) where !parts[1].isEmpty:
            return .success(UpdatePolicy(rule: .version(parts[1])))
        case ("md5", 1):
            return .success(UpdatePolicy(rule: .sketchMD5(imageMD5)))
        case ("md5", 2) where parts[1].count == 32 && parts[1].allSatisfy(\.isHexDigit):
            return .success(UpdatePolicy(rule: .sketchMD5(parts[1].lowercased())))
        default:
            return .failure(ParseError(text: text))
        }
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "--update-policy takes version=V (304 when the device reports version V), md5 (304 when its sketch MD5 is the served image's) or md5=HEX, not '\(text)'"
        }
    }

    /// What the device reported for the rule, or nil when it sent none of the headers.
    public func reported(in request: RecordedRequest) -> String? {
        let names = if case .version = rule { Self.versionHeaders } else { Self.sketchMD5Headers }
        return names.lazy.compactMap { request.header($0) }.first
    }

    /// Whether the device already runs what is on offer.
    public func isCurrent(_ request: RecordedRequest) -> Bool {
        guard let reported = reported(in: request) else { return false }
        switch rule {
        case .version(let version): return reported == version
        case .sketchMD5(let md5): return reported.lowercased() == md5.lowercased()
        }
    }

    public var summary: String {
        switch rule {
        case .version(let version):
            return "update policy: 304 when the device reports version \(version) (x-ESP8266-version / x-ESP32-version), else 200 with the image and x-MD5"
        case .sketchMD5(let md5):
            return "update policy: 304 when the device's sketch MD5 is \(md5) (x-ESP8266-sketch-md5 / x-ESP32-sketch-md5), else 200 with the image and x-MD5"
        }
    }

    /// The scenario answering `/update` under this policy.
    public var scenario: Scenario {
        let policy = self
        return Scenario(name: Self.scenarioName, summary: summary) { context in
            if let request = context.request, policy.isCurrent(request) {
                return ResponseRecipe.respond(ResponseHead(statusLine: "HTTP/1.1 304 Not Modified", headerLines: ["Connection: close"]))
            }
            return ESP32Scenarios.rangeAware(context, image: context.bodies.image, honourRange: true,
                                             extraHeaders: ["x-MD5: \(context.bodies.imageMD5)"])
        }
    }
}
