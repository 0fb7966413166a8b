/// A fleet run as JUnit XML, the format CI systems show as a test list: one `testcase` per
/// entry, a `failure` whose message is the device line when the entry missed its expectation.
public enum JUnitReport {
    public static func render(_ summary: FleetSummary, redactor: Redactor) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let time = seconds(summary.durationMs)
        xml += "<testsuites name=\"otaprobe fleet\" tests=\"\(summary.results.count)\" failures=\"\(summary.failing.count)\" time=\"\(time)\">\n"
        xml += "  <testsuite name=\"otaprobe fleet\" tests=\"\(summary.results.count)\" failures=\"\(summary.failing.count)\" errors=\"0\" skipped=\"\(summary.skipped.count)\" time=\"\(time)\">\n"
        for result in summary.results {
            let name = text(result.name, redactor)
            xml += "    <testcase classname=\"otaprobe.fleet.\(text(result.profile, redactor))\" name=\"\(name)\" time=\"\(seconds(result.deviceTimeMs))\">\n"
            xml += "      <system-out>\(text("\(result.url) → \(result.outcome.rawValue): \(result.deviceLine)", redactor))</system-out>\n"
            if !result.met {
                let message = text(result.deviceLine, redactor)
                let body = "outcome \(result.outcome.rawValue), expected \(result.expect.label)\n\(result.cause)\n\(result.url)"
                xml += "      <failure message=\"\(message)\" type=\"\(result.outcome.rawValue)\">\(text(body, redactor))</failure>\n"
            }
            xml += "    </testcase>\n"
        }
        for note in summary.skipped {
            xml += "    <testcase classname=\"otaprobe.fleet\" name=\"\(text(note, redactor))\"><skipped/></testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Redacted, control characters shown escaped (XML 1.0 cannot carry most of them), then
    /// the five XML specials as entities: a server's words cannot close a tag.
    static func text(_ value: String, _ redactor: Redactor) -> String {
        var out = ""
        let escaped = redactor.redact(value).split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escape(String($0)) }.joined(separator: "\n")
        for character in escaped {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    static func seconds(_ ms: Int) -> String {
        let fraction = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
