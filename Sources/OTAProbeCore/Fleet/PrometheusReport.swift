/// A fleet run in the node_exporter textfile-collector format: per entry whether it met its
/// expectation, the device's time and its outcome (one series per possible outcome, 1 for the
/// one it had, so alerts can match on `outcome="fails-to-boot"`), and when the run happened.
public enum PrometheusReport {
    public static func render(_ summary: FleetSummary, redactor: Redactor) -> String {
        var out = ""
        func family(_ name: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        }
        func labels(_ result: FleetResult, _ extra: String = "") -> String {
            "{name=\"\(value(result.name, redactor))\",url=\"\(value(result.url, redactor))\",profile=\"\(value(result.profile, redactor))\"\(extra)}"
        }
        family("otaprobe_fleet_entry_success", "1 when the entry's outcome met its expectation, else 0.")
        for result in summary.results { out += "otaprobe_fleet_entry_success\(labels(result)) \(result.met ? 1 : 0)\n" }
        family("otaprobe_fleet_entry_device_time_seconds", "How long the device would take to reach its result.")
        for result in summary.results { out += "otaprobe_fleet_entry_device_time_seconds\(labels(result)) \(JUnitReport.seconds(result.deviceTimeMs))\n" }
        family("otaprobe_fleet_entry_outcome", "1 for the outcome the entry had (updated, no-update, failed, fails-to-boot, crashes, hangs), 0 for the others.")
        for result in summary.results {
            for outcome in Outcome.allCases {
                out += "otaprobe_fleet_entry_outcome\(labels(result, ",outcome=\"\(outcome.rawValue)\"")) \(outcome == result.outcome ? 1 : 0)\n"
            }
        }
        family("otaprobe_fleet_entries", "Entries checked in the last run.")
        out += "otaprobe_fleet_entries \(summary.results.count)\n"
        family("otaprobe_fleet_failing_entries", "Entries that did not meet their expectation in the last run.")
        out += "otaprobe_fleet_failing_entries \(summary.failing.count)\n"
        family("otaprobe_fleet_last_run_timestamp_seconds", "When the last fleet run started (Unix time).")
        out += "otaprobe_fleet_last_run_timestamp_seconds \(summary.startedAt)\n"
        family("otaprobe_fleet_last_run_duration_seconds", "How long the last fleet run took.")
        out += "otaprobe_fleet_last_run_duration_seconds \(JUnitReport.seconds(summary.durationMs))\n"
        return out
    }

    /// A label value: redacted, then `\`, `"` and line feeds escaped as the exposition format
    /// asks; other control characters shown escaped.
    static func value(_ text: String, _ redactor: Redactor) -> String {
        var out = ""
        for character in redactor.redact(text) {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out += TerminalText.escape(String(character))
            }
        }
        return out
    }
}
