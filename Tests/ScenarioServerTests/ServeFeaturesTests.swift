import Foundation
import Synchronization
import Testing
@testable import ScenarioServer

/// What `otaprobe serve` adds to the server: the user's firmware in every image scenario, the
/// update policy, YAML scripts, the listen address, and the observer that hears each request.
@Suite(.timeLimit(.minutes(1))) struct ServeFeaturesTests {
    /// A "firmware" no built-in body contains.
    static let firmware: [UInt8] = {
        var bytes = DeterministicBytes(seed: 0xF1F1)
        return [0xE9, 0x03, 0x02, 0x40] + bytes.bytes(50_000)
    }()
    static let bodies = ScenarioBodies.firmware(firmware)

    func sent(_ scenario: Scenario, _ context: ScenarioContext) -> [UInt8] {
        scenario.respond(context).flatMap { step -> [UInt8] in
            switch step {
            case .send(let bytes), .sendSlowly(let bytes, _, _): return bytes
            default: return []
            }
        }
    }

    func context(_ request: String = "GET / HTTP/1.0\r\n\r\n", bodies: ScenarioBodies = ServeFeaturesTests.bodies) -> ScenarioContext {
        ScenarioContext(port: 8266, request: RecordedRequest(bytes: Array(request.utf8)), bodies: bodies)
    }

    // MARK: --firmware

    @Test func imageScenariosServeTheFirmwareFile() throws {
        let good = sent(ScenarioCatalog.named("good")!, context())
        #expect(Array(good.suffix(Self.firmware.count)) == Self.firmware)
        #expect(String(decoding: good.prefix(200), as: UTF8.self).contains("Content-Length: \(Self.firmware.count)\r\n"))
        let md5 = String(decoding: sent(ScenarioCatalog.named("good-md5")!, context()).prefix(300), as: UTF8.self)
        #expect(md5.contains("x-MD5: \(md5Hex(Self.firmware))\r\n"))
        let chunked = sent(ScenarioCatalog.named("chunked")!, context())
        #expect(chunked.suffix(5) == Array("0\r\n\r\n".utf8))
        let esp32 = sent(ScenarioCatalog.named("esp32-good")!, context())
        #expect(Array(esp32.suffix(Self.firmware.count)) == Self.firmware)
        let short = sent(ScenarioCatalog.named("esp32-truncated")!, context())
        #expect(Array(short.suffix(Self.firmware.count / 2)) == Array(Self.firmware.prefix(Self.firmware.count / 2)))
        // The built-in image is what is served without a firmware file.
        let builtIn = sent(ScenarioCatalog.named("good")!, context(bodies: .builtIn))
        #expect(Array(builtIn.suffix(ServedBodies.standardImage.count)) == ServedBodies.standardImage)
    }

    @Test func scenariosAboutAnotherFileKeepTheirOwn() {
        for name in ["elf-file", "html", "flash-16m", "esp32c3-image", "not-found", "redirect-302", "silent"] {
            let scenario = ScenarioCatalog.named(name)!
            #expect(sent(scenario, context()) == sent(scenario, context(bodies: .builtIn)), "\(name)")
            #expect(!scenario.servesFirmware, "\(name)")
        }
        for name in ["good", "chunked", "stall-body", "md5-wrong", "short-body", "gzip-image", "esp32-good", "magic-1f", "continue-then-ok"] {
            #expect(ScenarioCatalog.named(name)!.servesFirmware, "\(name)")
        }
    }

    @Test func md5WrongStaysWrongForAnyFile() {
        let head = String(decoding: sent(ScenarioCatalog.named("md5-wrong")!, context()).prefix(300), as: UTF8.self)
        #expect(head.contains("x-MD5: \(MD5HeaderScenarios.mismatchingMD5)"))
        #expect(!head.contains(md5Hex(Self.firmware)))
    }

    // MARK: --update-policy

    static func deviceRequest(version: String?, md5: String = "0123456789abcdef0123456789abcdef", esp32: Bool = false) -> String {
        let tag = esp32 ? "ESP32" : "ESP8266"
        return "GET /update HTTP/1.0\r\nHost: 192.168.1.10\r\nUser-Agent: \(tag)-http-Update\r\nConnection: close\r\n"
            + "x-\(tag)-sketch-md5: \(md5)\r\n" + (version.map { "x-\(tag)-version: \($0)\r\n" } ?? "") + "\r\n"
    }

    @Test func versionPolicyAnswers304OnlyForTheSameVersion() throws {
        let policy = try UpdatePolicy.parse("version=1.2.3", imageMD5: Self.bodies.imageMD5).get()
        let same = String(decoding: sent(policy.scenario, context(Self.deviceRequest(version: "1.2.3"))), as: UTF8.self)
        #expect(same.hasPrefix("HTTP/1.1 304 Not Modified\r\n"))
        let esp32Same = String(decoding: sent(policy.scenario, context(Self.deviceRequest(version: "1.2.3", esp32: true))), as: UTF8.self)
        #expect(esp32Same.hasPrefix("HTTP/1.1 304 "))
        for request in [Self.deviceRequest(version: "1.2.2"), Self.deviceRequest(version: nil), "GET /update HTTP/1.1\r\nUser-Agent: ESP32 HTTP Client/1.0\r\n\r\n"] {
            let bytes = sent(policy.scenario, context(request))
            let head = String(decoding: bytes.prefix(300), as: UTF8.self)
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(head.contains("Content-Length: \(Self.firmware.count)\r\n"))
            #expect(head.contains("x-MD5: \(md5Hex(Self.firmware))\r\n"))
            #expect(Array(bytes.suffix(Self.firmware.count)) == Self.firmware)
        }
    }

    @Test func md5PolicyComparesTheSketchMD5IgnoringCase() throws {
        let policy = try UpdatePolicy.parse("md5", imageMD5: Self.bodies.imageMD5).get()
        let upper = Self.deviceRequest(version: nil, md5: md5Hex(Self.firmware).uppercased())
        #expect(String(decoding: sent(policy.scenario, context(upper)), as: UTF8.self).hasPrefix("HTTP/1.1 304 "))
        let other = Self.deviceRequest(version: nil)
        #expect(String(decoding: sent(policy.scenario, context(other)).prefix(20), as: UTF8.self).hasPrefix("HTTP/1.1 200 "))
        let explicit = try UpdatePolicy.parse("md5=0123456789ABCDEF0123456789ABCDEF", imageMD5: "x").get()
        #expect(String(decoding: sent(explicit.scenario, context(other)), as: UTF8.self).hasPrefix("HTTP/1.1 304 "))
    }

    @Test func policySyntaxIsChecked() {
        for bad in ["version", "version=", "md5=123", "sha=1", "", "newest"] {
            if case .success = UpdatePolicy.parse(bad, imageMD5: "x") { Issue.record("accepted '\(bad)'") }
        }
    }

    // MARK: --script

    static func parse(_ yaml: String, path: String = "/tmp/my.yaml") -> Result<ScenarioScript, ScenarioScriptError> {
        Result { () throws(ScenarioScriptError) in try ScenarioScript.parse(yaml, path: path, firmware: firmware, reservedNames: ["good"]) }
    }

    @Test func aScriptBecomesItsSteps() throws {
        let script = try Self.parse("""
            name: half-then-reset
            summary: half the firmware, slowly, then a reset
            status: HTTP/1.1 200 OK
            headers:
              - "Content-Length: {length}"
              - "x-MD5: {md5}"
            body:
              firmware: true
            steps:
              - head
              - body: 1000
              - pause: 250
              - body: 24000
                chunk: 8000
                every: 100
              - raw-hex: "00 FF"
              - reset
            """).get()
        #expect(script.name == "half-then-reset")
        let head = "HTTP/1.1 200 OK\r\nContent-Length: \(Self.firmware.count)\r\nx-MD5: \(md5Hex(Self.firmware))\r\n\r\n"
        #expect(script.steps == [
            .send(Array(head.utf8)),
            .send(Array(Self.firmware[0..<1000])),
            .pause(milliseconds: 250),
            .sendSlowly(Array(Self.firmware[1000..<25000]), chunk: 8000, intervalMilliseconds: 100),
            .send([0x00, 0xFF]),
            .reset,
        ])
    }

    @Test func theYAMLSubsetReadsQuotesEscapesAndComments() throws {
        let script = try Self.parse("""
            # a comment line
            name: quoting   # a trailing comment
            summary: 'it''s # not a comment'
            headers:
            - Content-Type: text/plain
            - "X-Raw: a\\tb"
            body:
              hex: "E9 01"
            steps:
              - head
              - raw: "\\x41\\r\\n"
              - body: rest
              - hold: forever
            """).get()
        #expect(script.summary == "it's # not a comment")
        #expect(script.steps == [
            .send(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Raw: a\tb\r\n\r\n".utf8)),
            .send(Array("A\r\n".utf8)),
            .send([0xE9, 0x01]),
            .holdOpen(milliseconds: ScriptStep.untilLifetimeCap),
        ])
    }

    /// Scripts are YAML proper (libyaml): the flow style a generator writes reads the same.
    @Test func flowStyleScriptsReadLikeBlockStyle() throws {
        let block = try Self.parse("name: page\nstatus: HTTP/1.1 404 Not Found\nline-ending: lf\nbody:\n  text: gone\n").get()
        let flow = try Self.parse("{name: page, status: HTTP/1.1 404 Not Found, line-ending: lf, body: {text: gone}}\n").get()
        #expect(flow.steps == block.steps)
    }

    @Test func aScriptWithoutStepsSendsHeadBodyAndCloses() throws {
        let script = try Self.parse("name: page\nstatus: HTTP/1.1 404 Not Found\nline-ending: lf\nbody:\n  text: gone\n").get()
        #expect(script.steps == [.send(Array("HTTP/1.1 404 Not Found\n\n".utf8)), .send(Array("gone".utf8)), .close])
    }

    @Test func scriptMistakesAreReportedWithLineAndColumn() {
        let cases: [(yaml: String, line: Int?, column: Int?, says: String)] = [
            ("name: x\nbogus: 1\n", 2, 1, "unknown key `bogus`"),
            ("summary: no name\n", 1, 1, "missing `name:`"),
            ("name: good\n", 1, 7, "already a scenario"),
            ("name: x\nbody:\n  text: abc\nsteps:\n  - body: 4\n", 5, 11, "only 3 body bytes are left"),
            ("name: x\nsteps:\n  - reset\n  - head\n", 4, 5, "nothing can follow `reset`"),
            ("name: x\nsteps:\n  - pause: soon\n", 3, 12, "whole number"),
            ("name: x\nheaders:\n  - no colon here\n", 3, 5, "needs a colon"),
            ("name: x\nbody:\n  text: a\n  hex: \"00\"\n", 3, 3, "one source"),
            // libyaml's own words and positions (YAMLReader).
            ("name: [unclosed\n", 2, 1, "did not find expected ',' or ']'"),
            ("name: x\n\tbody: 1\n", 2, 1, "tab character"),
            ("name: x\nsteps:\n  - raw: \"\\q\"\n", 3, 11, "unknown escape"),
            ("name: x\n  summary: indented\n", 2, 10, "mapping values are not allowed"),
            ("name: x\nbody:\n  file: does-not-exist.bin\n", 3, 9, "cannot read"),
        ]
        for item in cases {
            switch Self.parse(item.yaml) {
            case .success: Issue.record("accepted: \(item.yaml)")
            case .failure(let error):
                #expect(error.description.hasPrefix("/tmp/my.yaml:"), "\(error)")
                #expect("\(error.line ?? 0):\(error.column ?? 0)" == "\(item.line ?? 0):\(item.column ?? 0)", "\(error)")
                #expect(error.message.contains(item.says), "\(error)")
            }
        }
    }

    @Test func scriptFilesAreReadRelativeToTheScript() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-script-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/body.bin"))
        try Data("name: from-file\nbody:\n  file: body.bin\n".utf8).write(to: URL(fileURLWithPath: folder + "/s.yaml"))
        let script = try ScenarioScript.load(path: folder + "/s.yaml", firmware: [], reservedNames: [])
        #expect(script.steps.contains(.send([1, 2, 3])))
    }

    // MARK: --listen

    @Test func listenAddressesAreIPv4Literals() {
        #expect(ListenAddress("127.0.0.1") == .loopback)
        #expect(ListenAddress("127.0.0.1")!.isLoopback)
        #expect(ListenAddress("127.1.2.3")!.isLoopback)
        #expect(ListenAddress("0.0.0.0")!.isAny)
        #expect(ListenAddress("192.168.1.10")!.description == "192.168.1.10")
        #expect(!ListenAddress("192.168.1.10")!.isLoopback)
        for bad in ["localhost", "::1", "1.2.3", "256.1.1.1", "", "192.168.1.10 ", "0x7f.1.1.1"] {
            #expect(ListenAddress(bad) == nil, "\(bad)")
        }
    }

    // MARK: The observer

    @Test func theObserverHearsEachRequestAndWhatItGot() throws {
        let heard = Mutex<[(ArrivedRequest, ServedAnswer)]>([])
        let observer = ServeObserver { arrived in
            { answer in heard.withLock { $0.append((arrived, answer)) } }
        }
        let server = try ScenarioServer(bodies: Self.bodies, observer: observer)
        defer { server.stop() }
        let response = LoopbackTestClient.exchange(port: server.port, request: LoopbackTestClient.deviceRequest(path: "/good-md5", port: server.port))
        _ = LoopbackTestClient.exchange(port: server.port, request: "GET /nothing-here HTTP/1.0\r\n\r\n")
        _ = LoopbackTestClient.exchange(port: server.port, request: "GET /continue-then-ok HTTP/1.0\r\n\r\n")
        var waited = 0
        while heard.withLock({ $0.count }) < 3 && waited < 5000 { sleepMilliseconds(20); waited += 20 }
        let events = heard.withLock { $0 }.sorted { $0.0.request.target < $1.0.request.target }
        try #require(events.count == 3)
        #expect(events[0].0.scenario == "continue-then-ok")
        #expect(events[0].1.status == 200, "the interim 100 is not the answer")
        #expect(events[1].0.scenario == "good-md5")
        #expect(events[1].0.peer?.hasPrefix("127.0.0.1:") == true)
        #expect(events[1].0.local == "127.0.0.1:\(server.port)")
        #expect(events[1].0.request.header("x-ESP8266-Chip-ID") == "10446185")
        #expect(events[1].1.bytesSent == response.bytes.count)
        #expect(events[1].1.statusLine == "HTTP/1.1 200 OK")
        #expect(events[1].1.ending == .closed)
        #expect(events[2].0.scenario == nil)
        #expect(events[2].1.status == 404)
    }
}
