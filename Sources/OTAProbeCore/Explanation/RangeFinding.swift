/// Whether a server honours `Range`, judged from its answer to `Range: bytes=0-<n-1>` sent
/// with the device's own request (its request line, headers and User-Agent).
///
/// No Arduino updater sends Range; ESP-IDF does in partial-download mode (and for v5.5 OTA
/// resumption), where a server that ignores it makes every later range append the whole file
/// again (spec B5.5). curl and browsers cope with either answer, so this is checked on its own,
/// and for a device that never sends Range it is information, not a verdict.
public struct RangeFinding: Sendable, Equatable, Encodable {
    public enum Support: String, Sendable, Equatable, Encodable {
        /// 206 with a `Content-Range` that matches the request.
        case honoured
        /// 200 and the whole body.
        case ignored
        /// 416 Range Not Satisfiable.
        case refused
        /// 206 with a missing or wrong `Content-Range`.
        case broken
        /// Anything else (an error status, a redirect, no answer).
        case unknown
    }

    public let support: Support
    public let status: Int?
    public let contentRange: String?
    public let requested: String
    public let summary: String
    /// Whether this device's stack ever sends Range (ESP-IDF); false for the Arduino updaters,
    /// whose result the answer cannot change.
    public var usedByDevice: Bool = true
    /// Set when no answer came within the device's own time, which bounds the check.
    public var noAnswerWithinMs: Int?

    /// Who depends on the answer.
    public static let whoCares = "ESP-IDF partial download (partial_http_download) and v5.5 OTA resumption send Range; the Arduino updaters (ESP8266, arduino-esp32) never do."

    /// The closing sentence: what the answer means for this device.
    static func relevance(usedByDevice: Bool, profile: String?) -> String {
        if usedByDevice { return whoCares }
        return "This device\(profile.map { " (\($0))" } ?? "") never sends Range, so the answer does not change its result; it matters only for ESP-IDF partial download and OTA resumption."
    }

    /// Classifies the answer to `Range: bytes=0-<length-1>`.
    public static func judge(status: Int?, contentRange: String?, requestedLength: Int, usedByDevice: Bool = true, profile: String? = nil) -> RangeFinding {
        let requested = "bytes=0-\(requestedLength - 1)"
        let support: Support
        let what: String
        switch status {
        case 206?:
            let expected = "bytes 0-\(requestedLength - 1)/"
            if let contentRange, contentRange.lowercased().hasPrefix(expected) {
                support = .honoured
                what = "honours Range: 206 with Content-Range '\(contentRange)'."
            } else if let contentRange, contentRange.lowercased().hasPrefix("bytes 0-") {
                // A file shorter than the range is answered with its real end.
                support = .honoured
                what = "honours Range: 206 with Content-Range '\(contentRange)' (the file is shorter than the range asked)."
            } else {
                support = .broken
                what = "answers 206 but with \(contentRange.map { "Content-Range '\($0)'" } ?? "no Content-Range"), which does not match '\(requested)'."
            }
        case 200?:
            support = .ignored
            what = "ignores Range: it answered 200 with the whole file. ESP-IDF partial download then appends the whole image at each later range and fails (ESP_ERR_INVALID_SIZE or validation)."
        case 416?:
            support = .refused
            what = "refuses Range with 416: partial download fails (ESP_FAIL; 0x700A on v5.5) and v5.5 resumption falls back to a full download."
        case let code?:
            support = .unknown
            what = "answered \(code) to a Range request, so Range support is unknown."
        case nil:
            support = .unknown
            what = "gave no usable answer to a Range request."
        }
        return RangeFinding(support: support, status: status, contentRange: contentRange, requested: requested,
                            summary: "The server \(what) \(relevance(usedByDevice: usedByDevice, profile: profile))", usedByDevice: usedByDevice)
    }

    /// No answer within the device's own time: the check does not make the run any longer.
    public static func noAnswer(withinMs: Int, requestedLength: Int, usedByDevice: Bool, profile: String?) -> RangeFinding {
        RangeFinding(support: .unknown, status: nil, contentRange: nil, requested: "bytes=0-\(requestedLength - 1)",
                     summary: "The server sent no answer to a Range request within the device's time (\(withinMs) ms), so Range support is unknown. \(relevance(usedByDevice: usedByDevice, profile: profile))",
                     usedByDevice: usedByDevice, noAnswerWithinMs: withinMs)
    }
}

extension RangeFinding {
    /// Bytes asked for: enough to see a real answer, small enough to cost nothing.
    public static let probeLength = 1024

    /// The device's own request with `Range: bytes=0-<n-1>` added as its last header line, the
    /// place esp_http_client puts it on a partial download (spec B1.3 step 4: User-Agent, Host,
    /// [Authorization], [Content-Length: 0], Range). The Arduino updaters never send Range;
    /// there it goes last too, after the lines they do send.
    public static func request(adding range: Int = probeLength, to deviceRequest: [UInt8]) -> [UInt8] {
        let line = Array("Range: bytes=0-\(range - 1)\r\n".utf8)
        guard deviceRequest.count >= 2, deviceRequest.suffix(2) == [13, 10] else { return deviceRequest + line + [13, 10] }
        return Array(deviceRequest.dropLast(2)) + line + [13, 10]
    }

    /// The status and `Content-Range` of a complete response head, or nil while incomplete.
    public static func parseHead(_ bytes: [UInt8]) -> (status: Int?, contentRange: String?)? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.firstRange(of: "\r\n\r\n") ?? text.firstRange(of: "\n\n") else { return nil }
        // "\r\n" is one Character in Swift: split on both forms.
        let lines = text[..<end.lowerBound].split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        let status = lines.first.flatMap { ESPIDFResponseReader.statusCode($0) }
        let contentRange = lines.dropFirst().first { $0.lowercased().hasPrefix("content-range:") }
            .map { ESPIDFResponseReader.trimmed(String($0.dropFirst("content-range:".count))) }
        return (status, contentRange)
    }
}
