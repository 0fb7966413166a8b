import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScenarioServer
import TestSupport
import Testing

/// `otaprobe fleet` as a nightly job runs it: the release binary against scenario servers on
/// loopback, every output parsed the way its consumer would parse it.
@Suite(.serialized) struct FleetCLITests {
    static let server: ScenarioServer = try! ScenarioServer(connectionLifetimeMilliseconds: 20_000)

    /// A private folder for one test's files, removed afterwards.
    final class Folder {
        let path: String
        init() {
            path = "/tmp/otaprobe-fleet-\(getpid())-\(UUID().uuidString.prefix(8))"
            try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) -> String {
            let file = path + "/" + name
            FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
            return file
        }
        func read(_ name: String) -> String { (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "" }
    }

    var url: (String) -> String { Self.server.url }

    /// Four entries with four different fates, one of them expected to fail.
    func mixedFleet(_ folder: Folder) -> String {
        folder.write("fleet.yaml", """
            defaults:
              flags: ["--free-space", "1695744"]
            checks:
              - name: good
                url: \(url("good"))
              - name: moved
                url: \(url("redirect-302"))
              - name: wrong-chip
                url: \(url("esp32-good"))
              - name: idf
                url: \(url("esp32-good"))
                profile: esp-idf-5.5
              - name: good-again
                url: \(url("good"))
              - name: gone
                url: \(url("not-found"))
                expect: failed
            """)
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func mixedOutcomesFailTheRunAndPutFailuresFirst() {
        let folder = Folder()
        let output = CommandRunner.run(["fleet", mixedFleet(folder)], timeoutSeconds: 60)
        #expect(output.status == 1, "\(output.stderr)")
        let rows = output.stdout.split(separator: "\n").filter { $0.hasPrefix("✘") || $0.hasPrefix("✔") }
        #expect(rows.count == 6)
        #expect(rows.prefix(2).allSatisfy { $0.hasPrefix("✘") }, "failures first: \(rows)")
        #expect(rows.contains { $0.contains("moved") && $0.contains("HTTP_UPDATE_FAILED Error (-104): Wrong HTTP Code") })
        #expect(rows.contains { $0.contains("wrong-chip") && $0.contains("fails-to-boot") && $0.contains("ESP32") })
        #expect(output.stdout.contains("6 entries: 4 as expected, 2 not · 1 shared a run"))
    }

    @Test func everyEntryMeetingItsExpectationExits0() {
        let folder = Folder()
        let file = folder.write("ok.json", """
            {"checks": [{"url": "\(url("good"))"}, {"url": "\(url("not-modified"))"},
                        {"url": "\(url("redirect-302"))", "expect": ["failed", "hangs"]}]}
            """)
        let output = CommandRunner.run(["fleet", file, "-j", "2", "--per-host", "1"], timeoutSeconds: 60)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("3 entries: 3 as expected, 0 not"))
    }

    @Test func jsonLinesAreCheckObjectsPlusFleetThenASummary() throws {
        let folder = Folder()
        let output = CommandRunner.run(["fleet", "--json", mixedFleet(folder)], timeoutSeconds: 60)
        #expect(output.status == 1)
        let lines = jsonLines(output.stdout)
        #expect(lines.count == 7, "six entries and a summary: \(output.stdout.prefix(400))")
        let entries = lines.filter { $0["fleet"] != nil }
        #expect(Set(entries.compactMap { ($0["fleet"] as? [String: Any])?["name"] as? String }) == ["good", "moved", "wrong-chip", "idf", "good-again", "gone"])
        for entry in entries {
            #expect(entry["schema"] as? String == "otaprobe/1")
            #expect((entry["verdict"] as? [String: Any])?["outcome"] != nil && entry["exchanges"] != nil)
        }
        let gone = try #require(entries.first { ($0["fleet"] as? [String: Any])?["name"] as? String == "gone" })
        let fleet = try #require(gone["fleet"] as? [String: Any])
        #expect(fleet["index"] as? Int == 5 && fleet["met"] as? Bool == true && fleet["expect"] as? [String] == ["failed"])
        // The same object check --json prints for the same URL, apart from timings.
        let check = try #require(jsonLines(CommandRunner.run(["check", "--json", "--free-space", "1695744", url("not-found")]).stdout).first)
        #expect(Set(check.keys).union(["fleet"]) == Set(gone.keys))
        #expect((check["verdict"] as? [String: Any])?["deviceLine"] as? String == (gone["verdict"] as? [String: Any])?["deviceLine"] as? String)
        let summary = try #require(lines.last?["fleetSummary"] as? [String: Any])
        #expect(summary["total"] as? Int == 6 && summary["failed"] as? Int == 2 && summary["shared"] as? Int == 1)
        #expect((summary["outcomes"] as? [String: Int])?["fails-to-boot"] == 1)
    }

    @Test func junitAndPrometheusFilesParse() throws {
        let folder = Folder()
        let output = CommandRunner.run(["fleet", mixedFleet(folder), "--junit", folder.path + "/fleet.xml", "--prometheus", folder.path + "/fleet.prom"], timeoutSeconds: 60)
        #expect(output.status == 1)
        // JUnit: one testcase per entry, a failure (message = the device line) for each miss.
        let parser = XMLParser(data: Data(folder.read("fleet.xml").utf8))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse(), "JUnit XML must parse: \(folder.read("fleet.xml").prefix(300))")
        #expect(collector.testcases.count == 6)
        #expect(collector.failures.sorted() == ["HTTP_UPDATE_FAILED Error (-104): Wrong HTTP Code", "HTTP_UPDATE_OK"])
        #expect(collector.suiteAttributes["tests"] == "6" && collector.suiteAttributes["failures"] == "2")
        // Prometheus textfile: every sample belongs to a declared gauge; one success per entry.
        let samples = try PrometheusText.parse(folder.read("fleet.prom"))
        #expect(samples.filter { $0.name == "otaprobe_fleet_entry_success" }.count == 6)
        #expect(samples.first { $0.name == "otaprobe_fleet_entry_success" && $0.labels["name"] == "moved" }?.value == 0)
        #expect(samples.first { $0.name == "otaprobe_fleet_entry_success" && $0.labels["name"] == "gone" }?.value == 1)
        #expect(samples.first { $0.name == "otaprobe_fleet_entry_outcome" && $0.labels["name"] == "wrong-chip" && $0.labels["outcome"] == "fails-to-boot" }?.value == 1)
        #expect(samples.filter { $0.name == "otaprobe_fleet_entry_outcome" && $0.labels["name"] == "wrong-chip" }.map(\.value).reduce(0, +) == 1)
        let stamp = try #require(samples.first { $0.name == "otaprobe_fleet_last_run_timestamp_seconds" }?.value)
        #expect(abs(stamp - Date().timeIntervalSince1970) < 300)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/fleet.prom.tmp-\(getpid())"))
    }

    @Test func baselineListsRegressionsFirst() throws {
        let folder = Folder()
        let before = folder.write("before.yaml", """
            checks:
              - {name: stays-good, url: "\(url("good"))"}
              - {name: breaks, url: "\(url("good"))"}
              - {name: recovers, url: "\(url("not-found"))"}
              - {name: dropped, url: "\(url("good"))"}
            """)
        let baseline = CommandRunner.run(["fleet", "--json", before], timeoutSeconds: 60)
        #expect(baseline.status == 1)
        let baselineFile = folder.write("last.jsonl", baseline.stdout)
        let after = folder.write("after.yaml", """
            checks:
              - {name: stays-good, url: "\(url("good"))"}
              - {name: breaks, url: "\(url("redirect-302"))"}
              - {name: recovers, url: "\(url("good"))"}
              - {name: new, url: "\(url("good"))"}
            """)
        let output = CommandRunner.run(["fleet", after, "--baseline", baselineFile], timeoutSeconds: 60)
        #expect(output.status == 1)
        let changes = output.stdout.split(separator: "\n").drop { !$0.hasPrefix("Changes since the baseline") }.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(changes.count == 4, "\(output.stdout)")
        #expect(changes.first?.hasPrefix("regression breaks: updated (HTTP_UPDATE_OK) → failed (HTTP_UPDATE_FAILED -104)") == true, "\(changes)")
        #expect(changes.dropFirst().first?.hasPrefix("fixed") == true && changes.contains { $0.hasPrefix("added") && $0.contains("new") }
                && changes.last?.hasPrefix("removed    dropped") == true, "\(changes)")
        let json = jsonLines(CommandRunner.run(["fleet", "--json", after, "--baseline", baselineFile], timeoutSeconds: 60).stdout)
        let kinds = ((json.last?["fleetSummary"] as? [String: Any])?["changes"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(kinds == ["regression", "fixed", "added", "removed"])
    }

    @Test(arguments: [
        ("checks:\n  - url: http://h/a\n    exepct: updated\n", "fleet.yaml:3:5: unknown key 'exepct' in checks[0]"),
        ("checks:\n  - name: a\n", "fleet.yaml:2:5: checks[0] has no `url`"),
        ("checks:\n  - url: ftp://h/a\n", "fleet.yaml:2:10: checks[0].url: unsupported scheme 'ftp'"),
        ("checks:\n  - url: \"http://h/my fw.bin\"\n", "fleet.yaml:2:10: checks[0].url: malformed URL: it contains white space"),
        ("checks:\n  - url: http://h/a\n    expect: works\n", "fleet.yaml:3:13: checks[0].expect: 'works' is not an outcome"),
        ("checks:\n  - url: http://h/a\n    flags: [\"--free-space\", \"lots\"]\n", "fleet.yaml:2:5: 0: --free-space takes"),
        ("checks:\n  - url: http://h/a\n    flags: [\"--json\"]\n", "--json cannot be an entry flag"),
        // Refused by the stack, not the parser: still said with the entry's position.
        ("checks:\n  - url: http://h/a\n    flags: [\"--authorization\", \"nocolon\"]\n", "fleet.yaml:2:5: 0: --authorization takes user:password"),
        ("checks:\n  - url: http://h/a\n    profile: esp-idf\n    flags: [\"--expected-md5\", \"00000000000000000000000000000000\"]\n", "fleet.yaml:2:5: 0: esp_https_ota checks no MD5"),
        ("checks:\n  - url: http://h/a\n    profile: esp9000\n", "fleet.yaml:2:5: 0: unknown profile 'esp9000'"),
        ("checks: [\n  {url: \"http://h/a\",\n", "fleet.yaml:3:1: not valid YAML or JSON"),
        ("checks:\n  - {name: a, url: \"http://h/a\"}\n  - {name: a, url: \"http://h/b\"}\n", "fleet.yaml:3:5: checks[1]: the name 'a' is already used at line 2"),
        ("{\"name\": \"x\", \"version\": \"1\", \"builds\": [{\"ota\": {\"path\": \"a.bin\", \"md5\": \"x\"}}]}", "fleet.yaml:1:42: builds[0] has no `chipFamily`"),
        ("hello: world\n", "fleet.yaml:1:1: unknown key 'hello' in the top level"),
    ])
    func badFilesExit64WithTheirPosition(text: String, message: String) {
        let folder = Folder()
        let file = folder.write("fleet.yaml", text)
        let output = CommandRunner.run(["fleet", file])
        #expect(output.status == 64, "\(output.stdout)\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stdout.isEmpty)
    }

    @Test func manifestBuildsAreCheckedAgainstTheirMD5() throws {
        let folder = Folder()
        // The MD5 of the image the scenario serves, as a manifest would publish it.
        let served = try #require(jsonLines(CommandRunner.run(["check", "--json", "--digests", "--profile", "esp-idf-5.5", url("esp32-good")]).stdout).first)
        let md5 = try #require(((served["exchanges"] as? [[String: Any]])?.last?["body"] as? [String: Any])?["md5"] as? String)
        let manifest = folder.write("manifest.json", """
            {"name": "Kitchen", "version": "2025.12.7", "builds": [
              {"chipFamily": "ESP32", "ota": {"path": "/esp32-good", "md5": "\(md5)"}},
              {"chipFamily": "ESP32-C3", "ota": {"path": "esp32-good", "md5": "\(md5)"}},
              {"chipFamily": "RP2040", "ota": {"path": "rp2040.bin", "md5": "\(md5)"}}]}
            """)
        // Relative paths resolve against the manifest's URL the way ESPHome joins strings.
        let base = "http://127.0.0.1:\(Self.server.port)/manifests/kitchen.json"
        let output = CommandRunner.run(["fleet", "--json", manifest, "--base-url", base], timeoutSeconds: 60)
        let entries = jsonLines(output.stdout).filter { $0["fleet"] != nil }
        #expect(entries.count == 2)
        let esp32 = try #require(entries.first { ($0["fleet"] as? [String: Any])?["name"] as? String == "Kitchen ESP32" })
        #expect((esp32["verdict"] as? [String: Any])?["outcome"] as? String == "updated")
        #expect((esp32["integrity"] as? [[String: Any]])?.first?["matches"] as? Bool == true)
        // ESP32-C3: relative path → /manifests/esp32-good, which the server does not have.
        let c3 = try #require(entries.first { ($0["fleet"] as? [String: Any])?["name"] as? String == "Kitchen ESP32-C3" })
        #expect((c3["exchanges"] as? [[String: Any]])?.first?["url"] as? String == "http://127.0.0.1:\(Self.server.port)/manifests/esp32-good")
        #expect(output.stderr.contains("RP2040: no profile for this chip family"))
        #expect(output.status == 1)
        // A wrong md5: ESPHome's updater (the default for ESP32 builds) downloads and refuses.
        let wrong = folder.write("wrong.json", """
            {"name": "K", "version": "1", "builds": [{"chipFamily": "ESP32", "ota": {"path": "\(url("esp32-good"))", "md5": "0123456789abcdef0123456789abcdef"}}]}
            """)
        let refused = CommandRunner.run(["fleet", wrong], timeoutSeconds: 60)
        #expect(refused.status == 1 && refused.stdout.contains("Aborting due to MD5 mismatch"), "\(refused.stdout)")
        // Checked by a stack without an MD5 of its own, the entry still fails on the digest.
        let mismatch = CommandRunner.run(["fleet", wrong, "--profile-for", "ESP32=esp-idf-5.5"], timeoutSeconds: 60)
        #expect(mismatch.status == 1 && mismatch.stdout.contains("updated (digest differs)") && mismatch.stdout.contains("differs from ota.md5"))
    }

    @Test func secretsInTheFleetFileAreMasked() {
        let folder = Folder()
        let file = folder.write("secret.yaml", """
            checks:
              - name: private admin:hunter2@fw
                url: http://admin:hunter2@127.0.0.1:\(Self.server.port)/not-found?token=s3cr3tvalue
                flags: ["--authorization", "admin:abcdefsecretvalue"]
            """)
        // An empty baseline: the entry is listed as added, name and all.
        let baseline = folder.write("empty.jsonl", "")
        for arguments in [["fleet", file], ["fleet", "--json", file], ["fleet", file, "--junit", folder.path + "/j.xml", "--prometheus", folder.path + "/p.prom"],
                          ["fleet", "--json", file, "--baseline", baseline], ["fleet", file, "--baseline", baseline]] {
            let output = CommandRunner.run(arguments, timeoutSeconds: 60)
            // The run happened (a 404: failed), so an empty output cannot pass for a masked one.
            #expect(output.status == 1 && output.stdout.contains("private"), "\(arguments): \(output.status) \(output.stderr)")
            let everything = output.stdout + output.stderr + folder.read("j.xml") + folder.read("p.prom")
            for secret in ["hunter2", "s3cr3tvalue", "abcdefsecretvalue"] {
                #expect(!everything.contains(secret), "\(secret) leaked by \(arguments)")
            }
        }
    }

    @Test func unwritableReportPathIsBadUsage() {
        let folder = Folder()
        let output = CommandRunner.run(["fleet", mixedFleet(folder), "--junit", "/nonexistent-dir/x.xml"])
        #expect(output.status == 64 && output.stderr.contains("cannot write /nonexistent-dir/x.xml"))
    }
}

/// Collects what a CI system reads from JUnit XML.
final class JUnitCollector: NSObject, XMLParserDelegate {
    var testcases: [String] = []
    var failures: [String] = []
    var suiteAttributes: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "testcase": testcases.append(attributes["name"] ?? "")
        case "failure": failures.append(attributes["message"] ?? "")
        case "testsuite": suiteAttributes = attributes
        default: break
        }
    }
}

/// The Prometheus text exposition format, read strictly enough to catch a broken file: every
/// sample's metric was declared by `# TYPE`, labels are `name="value"` with escapes, values parse.
enum PrometheusText {
    struct Sample { let name: String; let labels: [String: String]; let value: Double }
    struct Malformed: Error, CustomStringConvertible { let description: String }

    static func parse(_ text: String) throws -> [Sample] {
        var declared: Set<String> = []
        var samples: [Sample] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, parts[3] == "gauge" else { throw Malformed(description: "bad TYPE line: \(line)") }
                declared.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            var characters = Substring(line)
            let name = String(characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
            characters = characters.dropFirst(name.count)
            guard declared.contains(name) else { throw Malformed(description: "undeclared metric \(name)") }
            var labels: [String: String] = [:]
            if characters.first == "{" {
                characters = characters.dropFirst()
                while characters.first != "}" {
                    let key = String(characters.prefix { $0 != "=" })
                    characters = characters.dropFirst(key.count)
                    guard characters.hasPrefix("=\"") else { throw Malformed(description: "bad label in \(line)") }
                    characters = characters.dropFirst(2)
                    var value = ""
                    while let character = characters.first, character != "\"" {
                        characters = characters.dropFirst()
                        if character == "\\", let next = characters.first {
                            characters = characters.dropFirst()
                            value.append(next == "n" ? "\n" : next)
                        } else {
                            value.append(character)
                        }
                    }
                    guard !characters.isEmpty else { throw Malformed(description: "unterminated label in \(line)") }
                    characters = characters.dropFirst()
                    labels[key] = value
                    if characters.first == "," { characters = characters.dropFirst() }
                }
                characters = characters.dropFirst()
            }
            guard characters.first == " ", let value = Double(characters.dropFirst()) else { throw Malformed(description: "bad value in \(line)") }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }
}
