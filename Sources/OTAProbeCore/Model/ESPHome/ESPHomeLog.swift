/// The lines an ESPHome device prints on its serial log and API log while it updates, in
/// ESPHome's own format `[L][tag:line]: text`, where `line` is the source line of the pinned
/// release (e.g. `[E][http_request.ota:181]: MD5 computed: …` in 2025.12.7, as issue
/// esphome#13255 shows). ESP-IDF's own lines reach that log through ESPHome's vprintf hook as
/// `[D][esp-idf:000]: E (…) TAG: text`; their timestamps are the device's, so `…` stands in.
struct ESPHomeLog: Sendable, Equatable {
    private(set) var lines: [String] = []
    /// Set for a release whose log-call lines were not read: `?` stands where the line goes.
    var linesUnknown = false

    enum Level: String, Sendable {
        case error = "E", warning = "W", info = "I", debug = "D"
    }

    /// A line of ESPHome's own code.
    mutating func add(_ level: Level, _ tag: String, _ line: Int, _ text: String) {
        lines.append("[\(level.rawValue)][\(tag):\(linesUnknown ? "?" : String(line))]: \(text)")
    }

    /// A line ESP-IDF prints (`ESP_LOGE(TAG, …)`), as ESPHome relays it.
    mutating func idf(_ level: Level, _ tag: String, _ text: String) {
        lines.append("[D][esp-idf:000]: \(level.rawValue) (…) \(tag): \(text)")
    }

    /// The line a report leads with: the last error line, else the last warning, else none
    /// (a success, or `OTA_MD5_INVALID` without md5 or md5_url, which prints nothing).
    var headline: String {
        lines.last { $0.hasPrefix("[E]") } ?? lines.last { $0.hasPrefix("[W]") } ?? ""
    }

    /// `%0.1f` of the float percentage ESPHome computes (`bytes_read * 100.0f / content_length`).
    static func percent(_ read: Int, of total: Int) -> String {
        let value = Double(Float(read) * 100 / Float(total))
        let tenths = Int((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `%.0f` of `float(millis() - start) / 1000`.
    static func seconds(_ ms: Int) -> String {
        String(Int((Double(Float(ms) / 1000)).rounded(.toNearestOrEven)))
    }
}
