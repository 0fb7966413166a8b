import FoundationEssentials
@testable import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESPHome 2025.12.7 `ota.http_request` on an ESP32 with the Arduino framework, from hand-built
/// timelines: arduino-esp32 HTTPClient's request bytes (E3.3), the 2025.12 Arduino read loop
/// that stops at the first empty socket buffer (E4.3, E5 step 6), and the IDF OTA backend's
/// checks (E7) — the rows of E10 as they come out of that combination.
@Suite struct ESPHomeESP32ArduinoModelTests {
    static let profile: ESPHomeProfile = {
        guard case .esphome(let p) = Profiles.device("esphome-2025.12-esp32-arduino") else { preconditionFailure("esphome-2025.12-esp32-arduino") }
        return p
    }()

    static let image = ESP32Bodies.app
    static let imageMD5 = md5Hex(image)
    static let ua = "ESPHome/2025.12.7 (https://esphome.io)"
    static let acceptEncoding = "Accept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\n"

    static func head(_ length: Int?, status: String = "200 OK", extra: String = "") -> String {
        "HTTP/1.1 \(status)\r\n" + (length.map { "Content-Length: \($0)\r\n" } ?? "") + extra + "\r\n"
    }

    static func run(_ timeline: Timeline, url: String = "http://h/fw.bin", md5: String? = imageMD5, identity: DeviceIdentity = DeviceIdentity(),
                    configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPHomeArduinoOTAModel {
        ESPHomeESP8266ModelTests.run(timeline, url: url, md5: md5, identity: identity, profile: profile, configure: configure)
    }

    static func requests(_ model: ESPHomeArduinoOTAModel) -> [String] { model.exchanges.map { String(decoding: $0.request, as: UTF8.self) } }

    // MARK: Profile (E1, E3.3, E7)

    @Test func profileIsTheArduinoClientOverTheIDFBackend() {
        #expect(Self.profile.platform == "esp32-arduino")
        #expect(Self.profile.aliases.isEmpty)
        #expect(Self.profile.arduino?.otaBackend == .espIDF)
        #expect(Self.profile.arduino?.plainHTTPWarning == nil)
        #expect(Self.profile.arduino?.redirects.codesFollowed == [301, 302, 303, 307])
        #expect(Self.profile.codeName(0x89) == "OTA_RESPONSE_ERROR_ESP32_NOT_ENOUGH_SPACE")
        #expect(Self.profile.tls?.stack == "mbedtls")
        #expect(Self.profile.tls?.defaultTrust == "insecure")
        // `esphome` stays the esp-idf build.
        #expect(Profiles.device("esphome").name == "esphome-2025.12-esp-idf")
    }

    /// The decoder ties the backend to the platform: an ESP32 build cannot name the Updater.
    @Test func decoderRefusesTheWrongBackend() throws {
        let file = try #require(BuiltInProfiles.files.first { $0.path.hasSuffix("esphome-2025.12-esp32-arduino.json") })
        let text = String(decoding: file.bytes, as: UTF8.self)
        let wrong = text.replacingOccurrences(of: "\"backend\": \"esp-idf\"", with: "\"backend\": \"esp8266-updater\"")
        #expect(wrong != text)
        #expect(throws: ProfileError.self) { _ = try ProfileDecoder.decode(Array(wrong.utf8), path: "mine.json") }
        let unknown = text.replacingOccurrences(of: "\"platform\": \"esp32-arduino\"", with: "\"platform\": \"rp2040\"")
        #expect(throws: ProfileError.self) { _ = try ProfileDecoder.decode(Array(unknown.utf8), path: "mine.json") }
    }

    // MARK: E3.3: request bytes

    /// sendHeader with `_useHTTP10 = false`, `_reuse = true`: Host, User-Agent, Connection,
    /// Accept-Encoding, Basic from the URL's userinfo; no Content-Length for the empty body.
    @Test func requestBytesAreByteExact() {
        let model = Self.run(.response(head: Self.head(Self.image.count), body: Self.image), url: "http://user:pw@h:8080/fw.bin?v=1")
        #expect(Self.requests(model) == [
            "GET /fw.bin?v=1 HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: \(Self.ua)\r\nConnection: keep-alive\r\n\(Self.acceptEncoding)Authorization: Basic dXNlcjpwdw==\r\n\r\n",
        ])
        let plain = Self.run(.response(head: Self.head(Self.image.count), body: Self.image), url: "http://192.168.1.5/fw.bin")
        #expect(Self.requests(plain) == ["GET /fw.bin HTTP/1.1\r\nHost: 192.168.1.5\r\nUser-Agent: \(Self.ua)\r\nConnection: keep-alive\r\n\(Self.acceptEncoding)\r\n"])
    }

    /// A followed redirect sends the same lines to the new host, with the credentials of the
    /// first URL (beginInternal replaces them only when the Location has userinfo).
    @Test func redirectedRequestIsByteExact() {
        let model = Self.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other:8081/real.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(Array(Self.head(Self.image.count).utf8) + Self.image, at: 1)],
        ]), url: "http://user:pw@h/fw.bin")
        #expect(model.verdict?.code == 0)
        #expect(Self.requests(model) == [
            "GET /fw.bin HTTP/1.1\r\nHost: h\r\nUser-Agent: \(Self.ua)\r\nConnection: keep-alive\r\n\(Self.acceptEncoding)Authorization: Basic dXNlcjpwdw==\r\n\r\n",
            "GET /real.bin HTTP/1.1\r\nHost: other:8081\r\nUser-Agent: \(Self.ua)\r\nConnection: keep-alive\r\n\(Self.acceptEncoding)Authorization: Basic dXNlcjpwdw==\r\n\r\n",
        ])
    }

    /// arduino-esp32 keeps a still-connected socket for a Location on the same host, absolute
    /// or not (setURL's `disconnect(true)` with `_canReuse = true`); another host, or an
    /// answer that announced its close, gets a new connection. The ESP8266 core reuses only
    /// for a path-only Location.
    @Test func sameHostRedirectReusesTheSocket() {
        let ok = Array(Self.head(Self.image.count).utf8) + Self.image
        func redirect(_ location: String, connection: String = "") -> Timeline {
            Timeline([.bytes(Array("HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\(connection)\r\n".utf8), at: 1), .bytes(ok, at: 3)])
        }
        let absolute = Self.run(redirect("http://h/real.bin"))
        #expect(absolute.verdict?.code == 0)
        #expect(absolute.exchanges.map(\.reusedConnection) == [false, true])
        let path = Self.run(redirect("/real.bin"))
        #expect(path.exchanges.map(\.reusedConnection) == [false, true])
        let closing = Self.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://h/real.bin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8), at: 1)],
            [.bytes(ok, at: 1)],
        ]))
        #expect(closing.exchanges.map(\.reusedConnection) == [false, false])
        let otherHost = Self.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other/real.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(ok, at: 1)],
        ]))
        #expect(otherHost.exchanges.map(\.reusedConnection) == [false, false])
        let esp8266 = ESPHomeESP8266ModelTests.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://h/real.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(ok, at: 1)],
        ]), md5: Self.imageMD5)
        #expect(esp8266.exchanges.map(\.reusedConnection) == [false, false])
    }

    /// A kept-alive 3xx whose declared body comes a moment after its head: connect() drains it
    /// before the next request, so the next answer's head is read clean.
    @Test func lateRedirectBodyIsDrainedBeforeTheNextRequest() {
        let page = Array("<html>moved</html>".utf8)
        let model = Self.run(Timeline([
            .bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://h/real.bin\r\nContent-Length: \(page.count)\r\n\r\n".utf8), at: 1),
            .bytes(page, at: 5),
            .bytes(Array(Self.head(Self.image.count).utf8) + Self.image, at: 8),
        ]))
        #expect(model.verdict?.code == 0, "\(model.verdict?.log ?? [])")
        #expect(model.exchanges.map(\.reusedConnection) == [false, true])
        #expect(model.exchanges.first?.body.bytesReceived == page.count)
    }

    // MARK: E10 for this stack

    /// One burst, the right MD5: OK, with no plain-HTTP warning (that is the ESP8266 core's).
    @Test func goodImageInOneBurstUpdates() {
        let model = Self.run(.response(head: Self.head(Self.image.count), body: Self.image))
        #expect(model.verdict?.result == .esphomeOK)
        #expect(model.verdict?.code == 0)
        #expect(model.verdict?.log.first { $0.contains("very** slow") } == nil)
        #expect(model.verdict?.log.prefix(4) == [
            "[I][http_request.ota:50]: Starting update",
            "[D][http_request.ota:97]: MD5 expected: \(Self.imageMD5)",
            "[I][http_request.ota:104]: Connecting to: http://h/fw.bin",
            "[D][http_request.arduino:141]: Content-Length: \(Self.image.count)",
        ])
        #expect(model.verdict?.log.suffix(3) == [
            "[I][http_request.ota:174]: Done in 0 seconds",
            "[I][http_request.ota:202]: Update complete",
            "[I][app:228]: Rebooting safely",
        ])
        #expect(model.verdict?.notes.contains { $0.contains("ESP32 with the Arduino framework") } == true)
    }

    /// The 2025.12 Arduino read (E4.3): a pause mid-body, the read returns 0, the loop ends,
    /// and the part fails the MD5 — where the esp-idf build would have waited.
    @Test func pauseMidBodyEndsTheLoopWithMD5Mismatch() {
        let first = Array(Self.image.prefix(3000))
        let timeline = Timeline([.bytes(Array(Self.head(Self.image.count).utf8) + first, at: 1), .bytes(Array(Self.image.dropFirst(3000)), at: 2500)])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict?.cause == .esphomeBufferRanEmpty(received: 3000, expected: Self.image.count, pauseMs: Self.profile.arduino!.emptyBufferGapMs))
        #expect(model.verdict?.message.hasPrefix("[E][http_request.ota:181]: MD5 computed: \(md5Hex(first)) - Aborting due to MD5 mismatch") == true)
        let idf = ESPHomeModelTests.run(timeline)
        #expect(idf.verdict?.code == 0)
    }

    @Test func wrongMD5IsMismatchAfterTheDownload() {
        let model = Self.run(.response(head: Self.head(Self.image.count), body: Self.image), md5: String(repeating: "0", count: 32))
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict?.cause == .md5Mismatch(expected: String(repeating: "0", count: 32), calculated: Self.imageMD5))
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == Self.image.count)
    }

    @Test func notFoundIsConnectionErrorWithItsCode() {
        let model = Self.run(.response(head: Self.head(9, status: "404 Not Found"), body: Array("not found".utf8)))
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.name == "OTA_CONNECTION_ERROR")
        #expect(model.verdict?.message == "[E][http_request.arduino:124]: HTTP Request failed; URL: http://h/fw.bin; Code: 404")
    }

    /// The IDF backend checks the magic byte on the first write (esp_ota_write): an HTML page
    /// whose own MD5 is expected still fails at once with 0x80 — the ESP8266 build downloads it
    /// whole and fails at the end (0x84).
    @Test func htmlFailsAtTheFirstWrite() {
        let html = Array(("<html><body>" + String(repeating: "sign in ", count: 100) + "</body></html>").utf8)
        let model = Self.run(.response(head: Self.head(html.count), body: html), md5: md5Hex(html))
        #expect(model.verdict?.code == 0x80)
        #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_MAGIC")
        #expect(model.verdict?.cause == .invalidMagicOnWrite(0x3C))
        #expect(model.verdict?.log.suffix(2) == [
            "[D][esp-idf:000]: E (…) esp_ota_ops: OTA image has invalid magic byte (expected 0xE9, saw 0x3c)",
            "[E][http_request.ota:156]: Error code (80) writing binary data to flash at offset 0 and size \(html.count)",
        ])
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == 0)
        let esp8266 = ESPHomeESP8266ModelTests.run(.response(head: Self.head(html.count), body: html), md5: md5Hex(html))
        #expect(esp8266.verdict?.code == 0x84)
    }

    @Test func gzipIsRefusedAtTheFirstWrite() {
        let gzip = ServedBodies.gzippedStandardImage
        let model = Self.run(.response(head: Self.head(gzip.count), body: gzip), md5: md5Hex(gzip))
        #expect(model.verdict?.code == 0x80)
        #expect(model.verdict?.cause == .invalidMagicOnWrite(0x1F))
    }

    /// esp_ota_begin: a Content-Length over the next OTA partition → 0x89 before any body read.
    @Test func tooBigForThePartitionIs137() {
        let identity = DeviceIdentity()
        let length = identity.esp32.partitionSize + 1
        let model = Self.run(.response(head: Self.head(length), body: []), identity: identity)
        #expect(model.verdict?.code == 0x89)
        #expect(model.verdict?.message == "[W][http_request.ota:120]: backend->begin error: 137")
        #expect(model.verdict?.cause == .esphomeImageTooBig(length: length, partition: identity.esp32.partitionSize))
    }

    /// An image for another chip with its own MD5: downloaded whole, then refused by the image
    /// verification of esp_ota_end → 0x84.
    @Test func imageForAnotherChipFailsAfterTheDownload() {
        let c3 = ESP32Bodies.c3App
        let model = Self.run(.response(head: Self.head(c3.count), body: c3), md5: md5Hex(c3))
        #expect(model.verdict?.code == 0x84)
        #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_UPDATE_END")
        #expect(model.verdict?.message == "[W][http_request.ota:197]: Error ending update! error_code: 132")
        #expect(model.verdict?.log.contains("[D][esp-idf:000]: E (…) esp_image: mismatch chip ID, expected 0, found 5") == true)
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == c3.count)
    }

    /// HTTPClient (FORCE) has no case for 308: it is the final answer → 0x12, one request.
    @Test func permanentRedirectIsNotFollowed() {
        let model = Self.run(.response("HTTP/1.1 308 Permanent Redirect\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n"))
        #expect(model.verdict?.code == 0x12)
        #expect(model.exchanges.count == 1)
        #expect(model.verdict?.message == "[E][http_request.arduino:124]: HTTP Request failed; URL: http://h/fw.bin; Code: 308")
        #expect(model.verdict?.cause == .esphomeRedirectFailed(code: 308, location: "http://other/fw.bin", reason: .codeNotFollowed))
    }

    @Test func noMD5MeansNoRequest() {
        let model = Self.run(.response(head: Self.head(Self.image.count), body: Self.image), md5: nil)
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.code == 0x10)
        #expect(model.verdict?.log == ["[I][http_request.ota:50]: Starting update"])
    }

    /// Chunked: `(size_t) getSize()` = 4294967295 is OTA_SIZE_UNKNOWN for esp_ota_begin (no size
    /// check), and the raw socket's first byte is the chunk size's hex digit → 0x80 [derived].
    @Test func chunkedBodyFailsAtTheFirstWriteOnTheChunkSize() {
        let chunked = Array(String(Self.image.count, radix: 16).utf8) + [0x0D, 0x0A] + Self.image + Array("\r\n0\r\n\r\n".utf8)
        let model = Self.run(.response(head: Self.head(nil, extra: "Transfer-Encoding: chunked\r\n"), body: chunked))
        #expect(model.verdict?.code == 0x80)
        #expect(model.verdict?.log.last == "[E][http_request.ota:156]: Error code (80) writing binary data to flash at offset 0 and size 4294967295")
    }

    /// begin() compares the scheme case-sensitively ("http", then "https"): `HTTP://` is
    /// refused before any byte is sent.
    @Test func upperCaseSchemeIsRefusedByBegin() {
        let model = Self.run(.response(head: Self.head(Self.image.count), body: Self.image), url: "HTTP://h/fw.bin")
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[W][http_request.arduino:84]: HTTP Request failed; URL: HTTP://h/fw.bin")
    }

    /// A failed connect is HTTPClient's -1, whose text on arduino-esp32 is `connection refused`
    /// (the ESP8266 core says `connection failed`).
    @Test func connectFailureUsesArduinoESP32sText() {
        var refused = Timeline([])
        refused.connectFailure = ConnectionFailure(kind: .refused, detail: "refused")
        let model = Self.run(refused)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[W][http_request.arduino:116]: HTTP Request failed; URL: http://h/fw.bin; Error: connection refused")
    }

    @Test func explanationNamesTheESP32() {
        let timeline = Timeline([.bytes(Array(Self.head(Self.image.count).utf8) + Self.image.prefix(3000), at: 1), .bytes(Array(Self.image.dropFirst(3000)), at: 900)])
        let model = Self.run(timeline)
        let why = Diagnosis(profile: .esphome(Self.profile), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges).why
        #expect(why.contains("on the ESP32 (Arduino framework) does not wait"))
        let ok = Self.run(.response(head: Self.head(Self.image.count), body: Self.image))
        let okWhy = Diagnosis(profile: .esphome(Self.profile), identity: DeviceIdentity(), settings: ok.settings).explain(ok.verdict!, exchanges: ok.exchanges).why
        #expect(okWhy.contains("esp_ota_end() verified the image"))
    }
}
