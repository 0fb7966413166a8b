import Testing
@testable import OTAProbeCore

/// The pieces behind "advice from what the server answered", on hand-built exchanges: what is
/// quoted, what reads as an update script's refusal (conservatively), and how a Location is
/// resolved.
@Suite struct ServerAnswerTests {
    static func exchange(_ head: String, body: String = "", url: String = "http://192.168.1.10:80/update.php") -> Exchange {
        var exchange = Exchange(url: url, host: "192.168.1.10", port: 80, tls: false, request: [], startedAtMs: 0)
        let lines = head.split(separator: "\r\n").map(String.init)
        var parsed = ResponseHead(code: Int(lines[0].split(separator: " ")[1])!)
        parsed.firstLine = lines[0]
        parsed.sawStatusLine = true
        for line in lines.dropFirst() {
            let colon = line.firstIndex(of: ":")!
            let field = ResponseHead.HeaderField(name: String(line[..<colon]), value: String(line[line.index(colon, offsetBy: 2)...]))
            parsed.keep(field)
            if field.name == "Content-Length" { parsed.size = Int(field.value)! }
        }
        exchange.head = parsed
        Array(body.utf8).withUnsafeBytes { exchange.body.record($0) }
        return exchange
    }

    static func words(_ statusLine: String, body: String = "", contentType: String = "text/plain") -> ServerWords? {
        let head = "\(statusLine)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let exchange = exchange(head, body: body)
        return ServerWords(exchange, delivered: exchange.body.prefix)
    }

    @Test func theUpdateScriptRefusalsFromTheIssueAreRecognised() throws {
        let mac = try #require(Self.words("HTTP/1.1 500 ESP MAC not configured for updates"))
        #expect(mac.refusesDevice && mac.mentionsMAC)
        #expect(mac.sentence == "The update script refused this device: \"ESP MAC not configured for updates\" (500).")
        let agent = try #require(Self.words("HTTP/1.1 403 Forbidden", body: "only for ESP8266 updater!\n"))
        #expect(agent.refusesDevice && agent.namedFamily == "ESP8266")
        #expect(agent.reason == nil)
        #expect(agent.quoted == "\"only for ESP8266 updater!\"")
        let version = try #require(Self.words("HTTP/1.0 500 no version for ESP MAC"))
        #expect(version.refusesDevice && version.mentionsVersion)
    }

    @Test func genericPagesAndCrashesAreNotRefusals() {
        // nginx's own 403 page says nothing the code does not.
        #expect(Self.words("HTTP/1.1 403 Forbidden", body: "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center></body></html>", contentType: "text/html") == nil)
        // A PHP crash in a script under /esp8266/ names the path, not a decision.
        let crash = Self.words("HTTP/1.1 500 Internal Server Error", body: "PHP Fatal error:  Uncaught TypeError in /var/www/esp8266/update.php on line 12\n")
        #expect(crash?.refusesDevice == false)
        // A standard reason that happens to contain "version" is the protocol's, not a script's.
        #expect(Self.words("HTTP/1.1 505 HTTP Version Not Supported") == nil)
        // "firmware" alone (no refusal phrase) is not enough.
        #expect(Self.words("HTTP/1.1 500 Internal Server Error", body: "firmware build server is restarting\n")?.refusesDevice == false)
        // python http.server's generic title is dropped; its reason phrase stays.
        let python = Self.words("HTTP/1.0 404 File not found", body: "<html><head><title>Error response</title></head><body><p>Message: File not found.</p></body></html>", contentType: "text/html")
        #expect(python?.reason == "File not found" && python?.message == nil && python?.refusesDevice == false)
    }

    @Test func quotedWordsAreShortAndFreeOfControlBytes() throws {
        let long = String(repeating: "x", count: 5000)
        let words = try #require(Self.words("HTTP/1.1 500 \u{1B}[31mESP \u{07}MAC unknown\(long)"))
        #expect(!words.quoted.unicodeScalars.contains { $0.value < 32 })
        #expect(words.quoted.count < Limits.serverWordsCharacters + 40)
        // A long body is a document, not a message: only its reason phrase is quoted.
        #expect(Self.words("HTTP/1.1 403 Forbidden", body: "only for ESP8266 updater!\n" + String(repeating: "filler\n", count: 400)) == nil)
    }

    @Test(arguments: [
        ("/dir/", "http://h:8080/dir", "http://h:8080/dir/"),
        ("dir/", "http://h/a/b", "http://h/a/dir/"),
        ("../fw.bin", "http://h/a/b/c", "http://h/a/fw.bin"),
        ("./fw.bin?x=1", "http://h/a/", "http://h/a/fw.bin?x=1"),
        ("//cdn.example/fw.bin", "https://h/x", "https://cdn.example/fw.bin"),
        ("http://other/fw.bin", "http://h/x", "http://other/fw.bin"),
        ("?v=2", "http://u:p@h/fw.bin?v=1", "http://u:p@h/fw.bin?v=2"),
        ("/a/../../b", "http://h/", "http://h/b"),
    ])
    func locationsResolveLikeRFC3986(location: String, base: String, expected: String) {
        #expect(RedirectTarget.resolve(location, against: base) == expected)
    }

    @Test func theBaseIsTheURLAsWrittenWhenItAnswered() throws {
        let first = Exchange(url: try DeviceURL.parse("http://h/dir", schemeCaseInsensitive: true).get(), request: [], startedAtMs: 0)
        #expect(first.url == "http://h:80/dir")
        #expect(RedirectTarget.base(of: first, writtenURL: "http://h/dir") == "http://h/dir")
        #expect(RedirectTarget.base(of: first, writtenURL: "http://other/dir") == "http://h:80/dir")
    }

    @Test func aListingsFirmwareLinksAreFound() {
        let page = Array("<a href=\"../\">../</a><A HREF=\"fw-1.2.bin\">fw</a><a href=\"notes.txt\">n</a><a href=\"fs.bin.gz\">x</a><a href=\"fw-1.2.bin\">again</a>".utf8)
        #expect(RedirectTarget.firmwareLinks(in: page) == ["fw-1.2.bin", "fs.bin.gz"])
    }

    @Test func compressionIsDeclaredOrSeenUnderABinName() {
        let declared = Self.exchange("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", body: "x")
        #expect(Compression.detect(declared, delivered: [0x78]) == Compression(coding: "gzip", declared: true))
        let identity = Self.exchange("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\n\r\n")
        #expect(Compression.detect(identity, delivered: [0xE9]) == nil)
        let silent = Self.exchange("HTTP/1.1 200 OK\r\n\r\n", url: "http://h:80/fw/firmware.BIN?v=2")
        #expect(Compression.detect(silent, delivered: [0x1F, 0x8B, 8]) == Compression(coding: "gzip", declared: false))
        // A .bin.gz is meant to be gzip (ESP8266 2.7.4+ flashes it).
        let meant = Self.exchange("HTTP/1.1 200 OK\r\n\r\n", url: "http://h:80/firmware.bin.gz")
        #expect(Compression.detect(meant, delivered: [0x1F, 0x8B, 8]) == nil)
    }
}
