/// Writes the requests `esp_http_client` sends for `esp_https_ota` (spec B1, confirmed in E):
/// HTTP/1.1, `User-Agent` then `Host` (set by `esp_http_client_init`), `Content-Length: 0`
/// up to v5.3, and for partial download a HEAD and `Range` GETs.
public struct ESPIDFRequestBuilder: Sendable {
    /// The request rules of the esp_http_client in use: esp_https_ota's (`ESPIDFProfile`) or
    /// the one ESPHome drives itself (`ESPHomeProfile`), which differ only in these values.
    public let rules: ESPIDFProfile.RequestRules

    public init(profile: ESPIDFProfile) { self.rules = profile.request }

    public init(rules: ESPIDFProfile.RequestRules) { self.rules = rules }

    /// - Parameters:
    ///   - hostHeader: the `Host` value the client holds; it is only rewritten when a redirect
    ///     changes the host (then without a port), never for a port-only change (spec E).
    ///   - range: the `Range` value, e.g. `bytes=0-65535`.
    ///   - contentLengthZero: the header exists once created (by the first request on ≤ v5.3).
    public func request(method: String, url: DeviceURL, hostHeader: String, authorization: String?, range: String?) -> [UInt8] {
        var target = url.requestTarget
        // `esp_http_client` keeps the path and `?query`; a `#fragment` is not sent.
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty { target = "/" }
        var text = "\(method) \(target) \(rules.httpVersion)\r\n"
        text += "User-Agent: \(rules.userAgent)\r\n"
        text += "Host: \(hostHeader)\r\n"
        if let authorization { text += "Authorization: Basic \(authorization)\r\n" }
        if rules.sendsContentLengthZero { text += "Content-Length: 0\r\n" }
        if let range { text += "Range: \(range)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// `_get_host_header`: the port only when it is neither 80 nor 443 (v5.4.4 esp_http_client.c:668-681).
    public static func hostHeader(for url: DeviceURL) -> String { url.hostHeaderValue }

    /// The request line must fit `buffer_size_tx`, else `Out of buffer` (v5.4.4 :1606-1629).
    public func requestLineFits(method: String, url: DeviceURL) -> Bool {
        method.utf8.count + url.requestTarget.utf8.count + 11 <= rules.txBufferBytes
    }
}
