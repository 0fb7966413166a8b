import Foundation
import ScenarioServer
import TestSupport
import Testing

/// Issue finding 11: a report to paste. `--format markdown` for check, matrix and inspect —
/// redacted, the device line and outcome first, the exchange folded — and a hostile server
/// cannot put markup or control bytes into the post.
@Suite(.serialized) struct MarkdownCLITests {
    static let password = "hunter2secret"
    static let token = "tok123456"

    /// A 302 whose reason phrase, Location and body carry HTML, a code fence, a table pipe
    /// and control bytes.
    static let markup = Scenario(name: "markup", summary: "markup and control bytes in a 302") { context in
        let body = "<script>alert(1)</script>"
        let head = "HTTP/1.1 302 Found\u{1B}[2J\r\nLocation: http://evil/<script>alert(1)</script>```</details>|[x](javascript:y)\u{7}\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return [.send(Array((head + body).utf8)), .close]
    }

    static let server: ScenarioServer = try! ScenarioServer(scenarios: [markup] + ScenarioCatalog.all, connectionLifetimeMilliseconds: 20_000)

    var secretURL: String { "http://admin:\(Self.password)@127.0.0.1:\(Self.server.port)/markup?token=\(Self.token)" }

    static func rawControls(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
    }

    /// Lines outside fenced code blocks: where Markdown and HTML would be rendered.
    static func renderedLines(_ text: String) -> [String] {
        var inBlock = false
        return text.split(separator: "\n").map(String.init).filter { line in
            if line.hasPrefix("```") { inBlock.toggle(); return false }
            return !inBlock
        }
    }

    @Test func aFailingCheckReadsAsAForumPost() throws {
        let output = CommandRunner.run(["check", "--no-range-check", "--format", "markdown", secretURL])
        #expect(output.status == 1, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "**Device:** `HTTP_UPDATE_FAILED Error (-104): Wrong HTTP Code`")
        #expect(lines.dropFirst(2).first?.hasPrefix("**Outcome: ✘ failed** — ") == true)
        let why = try #require(lines.firstIndex(of: "**Why**"))
        let details = try #require(lines.firstIndex(of: "<details><summary>Request and response</summary>"))
        #expect(why < details && lines.contains("</details>"))
        #expect(output.stdout.contains("  < HTTP/1.1 302 Found\\x1B[2J"), "the exchange is in the block, escaped")
        #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix("<sub>Made by otaprobe ") == true)
        #expect(!output.stdout.contains(Self.password) && !output.stdout.contains(Self.token))
        #expect(Self.rawControls(output.stdout).isEmpty)
        let rendered = Self.renderedLines(output.stdout)
        #expect(!rendered.contains { $0.contains("<script") || ($0.contains("</details>") && $0 != "</details>") }, "\(rendered)")
    }

    @Test func matrixIsAMarkdownTable() {
        let output = CommandRunner.run(["matrix", "--format", "markdown", "--family", "esp8266", secretURL])
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "**otaprobe matrix:** `http://admin:***@127.0.0.1:\(Self.server.port)/markup?token=***`")
        #expect(lines.contains("| profile | outcome | result | code | text | why |"))
        let rows = lines.filter { $0.hasPrefix("| `esp8266-arduino-") }
        #expect(rows.count == 5)
        // Every cell boundary is otaprobe's: the server's `|` is escaped.
        #expect(rows.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 7 }, "\(rows)")
        #expect(!output.stdout.contains(Self.password) && Self.rawControls(output.stdout).isEmpty)
        #expect(!Self.renderedLines(output.stdout).contains { $0.contains("<script") })
    }

    @Test func inspectOfAFileSaysWhetherItFits() throws {
        let path = "/tmp/otaprobe-markdown-\(getpid()).bin"
        defer { unlink(path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(ESP8266ImageBuilder().build())))
        let output = CommandRunner.run(["inspect", "--format", "markdown", path])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("**File:** `\(path)` — ") == true)
        #expect(lines.contains { $0.hasPrefix("**✔ Fits esp8266-arduino-3.1.2**") })
        #expect(lines.contains("**Fit**") && lines.contains { $0.hasPrefix("MD5 `") })
    }

    /// `--json` stays; `--format json` is the same output.
    @Test func formatJSONIsJSON() throws {
        for command in [["check", "--no-range-check"], ["inspect"]] {
            let output = CommandRunner.run(command + ["--format", "json", Self.server.url("good")])
            let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
            #expect(object?["schema"] as? String == "otaprobe/1" && output.status == 0, "\(command)")
        }
        #expect(CommandRunner.run(["check", "--json", "--format", "json", Self.server.url("not-modified")]).status == 0)
    }
}
