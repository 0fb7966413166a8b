@testable import OTAProbeCore
import Testing

/// `--format markdown`: the report is pasted where it is rendered for everyone, so the server's
/// text must stay text, secrets must stay masked, and the parts come in the order a helper reads.
@Suite struct MarkdownReportTests {
    static let secret = "hunter2secret"

    /// A 302 whose Location carries markup, a code fence, a table pipe and control bytes, from a
    /// URL with a password: what a hostile or broken server and a careless paste look like.
    static func hostileReport(profile: ESP8266ArduinoProfile = Profiles.v312) -> ProbeReport {
        let url = "http://admin:\(secret)@192.168.1.10/fw.bin?token=\(secret)"
        let location = "http://evil/<script>alert(1)</script>```</details>|[x](javascript:y)\u{1B}[2J"
        let model = run(.response("HTTP/1.1 302 Found\u{1B}]0;owned\u{7}\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n"), profile: profile, url: url)
        return ProbeReport.assemble(profile: .esp8266(profile), identity: DeviceIdentity(), settings: model.settings,
                                    verdict: model.verdict!, exchanges: model.exchanges, lastBodyImage: nil)
    }

    static let writer = MarkdownReport(redactor: Redactor(urls: ["http://admin:\(secret)@192.168.1.10/fw.bin?token=\(secret)"]),
                                       command: "otaprobe check --format markdown 'http://admin:\(secret)@192.168.1.10/fw.bin?token=\(secret)'",
                                       version: "9.9.9")

    @Test func leadsWithTheDeviceLineAndTheOutcomeThenWhyAndTheExchangeFolded() throws {
        let text = Self.writer.render(Self.hostileReport())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "**Device:** `HTTP_UPDATE_FAILED Error (-104): Wrong HTTP Code`")
        #expect(lines[2].hasPrefix("**Outcome: ✘ failed** — the update call returns an error"))
        #expect(lines[4].hasPrefix("Profile `esp8266-arduino-3.1.2` · device time"))
        let why = try #require(lines.firstIndex(of: "**Why**"))
        let fix = try #require(lines.firstIndex(of: "**What to change**"))
        let details = try #require(lines.firstIndex(of: "<details><summary>Request and response</summary>"))
        #expect(why < fix && fix < details)
        #expect(lines[details + 1] == "" && lines[details + 2].hasPrefix("````"), "the fence outgrows the server's ``` run")
        #expect(lines.contains("</details>"))
        #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix("<sub>Made by otaprobe 9.9.9: `otaprobe check --format markdown") == true)
    }

    @Test func secretsAreMaskedEvenInTheCommandLine() {
        let text = Self.writer.render(Self.hostileReport())
        #expect(!text.contains(Self.secret))
        #expect(text.contains("token=***"))
    }

    /// Outside the fenced block, the server's `<script>`, `</details>`, link and pipe are text;
    /// inside it, a longer fence keeps its ``` from closing the block. No raw control byte anywhere.
    @Test func aServersMarkupAndControlBytesAreNeutralised() {
        let text = Self.writer.render(Self.hostileReport())
        let outsideBlock = String(text.split(separator: "<details>", omittingEmptySubsequences: false)[0])
        #expect(outsideBlock.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!outsideBlock.contains("<script>") && !outsideBlock.contains("</details>"))
        #expect(outsideBlock.contains("\\[x\\](javascript:y)"))
        // Only otaprobe's own </details> is outside the fenced block, on a line of its own.
        var inBlock = false
        var htmlOutside: [String] = []
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("````") { inBlock.toggle(); continue }
            if !inBlock, line.contains("</details>") || line.contains("<script") { htmlOutside.append(line) }
        }
        #expect(htmlOutside == ["</details>"])
        #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
        #expect(text.contains("\\x1B"), "the escape is shown, not dropped")
    }

    @Test func inlineTextEscapesMarkupAndHTML() {
        #expect(MarkdownText.inline("<b>*hi*</b> & [a](b) `c` | #d _e_ ~f~ $x$") ==
                "&lt;b&gt;\\*hi\\*&lt;/b&gt; &amp; \\[a\\](b) \\`c\\` \\| \\#d \\_e\\_ \\~f\\~ \\$x\\$")
        #expect(MarkdownText.inline("- item", atLineStart: true) == "\\- item")
        #expect(MarkdownText.inline("1. first", atLineStart: true) == "1\\. first")
        #expect(MarkdownText.inline("version 0.1.0") == "version 0.1.0")
    }

    @Test func codeSpansAndBlocksOutgrowTheirContent() {
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("`x`") == "`` `x` ``")
        #expect(MarkdownText.code("a|b", inTable: true) == "`a\\|b`")
        #expect(MarkdownText.codeBlock(["x ```` y"]) == ["`````text", "x ```` y", "`````"])
        #expect(MarkdownText.codeBlock(["plain"]) == ["```text", "plain", "```"])
    }

    @Test func matrixIsATableWithTheSummaryAbove() {
        let report = Self.hostileReport(profile: Profiles.v242)
        let entries = [MatrixReport.Entry(profile: "esp8266-arduino-2.4.2", verdict: report.verdict, outcome: report.outcome, adjustments: ["no setMD5sum()"])]
        let text = Self.writer.render(matrixURL: report.url, entries: entries)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "**otaprobe matrix:** `http://admin:***@192.168.1.10/fw.bin?token=***`")
        #expect(lines[1].hasPrefix("**✘ 1 profile: failed (HTTP\\_UPDATE\\_FAILED -104). Exit status 1"))
        #expect(lines[2] == "| profile | outcome | result | code | text | why |")
        let row = lines[4]
        #expect(row.hasPrefix("| `esp8266-arduino-2.4.2` | ✘ failed | `HTTP_UPDATE_FAILED` | -104 | Wrong HTTP Code | "))
        #expect(row.contains("this core cannot follow redirects") && row.contains("\\[no setMD5sum()\\]"))
        // The server's pipe cannot add a cell: every | in the row but the borders is escaped.
        #expect(row.replacingOccurrences("\\|", with: "").filter { $0 == "|" }.count == 7)
    }
}
