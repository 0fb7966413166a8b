@testable import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESPHome 2025.12.7 `ota.http_request` on an ESP8266 (core 3.1.2), from hand-built timelines:
/// E3.2's request bytes, E4.3's non-blocking read (the loop ends at the first empty socket
/// buffer), E7's Updater end checks and the E10 rows of the ESP8266 column read from source.
@Suite struct ESPHomeESP8266ModelTests {
    static let profile: ESPHomeProfile = {
        guard case .esphome(let p) = Profiles.device("esphome-2025.12-esp8266") else { preconditionFailure("esphome-2025.12-esp8266") }
        return p
    }()

    static let firmware = image(size: 20_000)
    static let firmwareMD5 = md5Hex(firmware)
    static let ua = "ESPHome/2025.12.7 (https://esphome.io)"
    static let warning = "[W][http_request.arduino:67]: Using HTTP on Arduino version >= 3.1 is **very** slow. Consider setting framework version to 3.0.2 in your YAML, or use HTTPS"

    static func head(_ length: Int?, status: String = "200 OK", extra: String = "") -> String {
        "HTTP/1.1 \(status)\r\n" + (length.map { "Content-Length: \($0)\r\n" } ?? "") + extra + "\r\n"
    }

    /// Plays `timeline` to the Arduino model that `profile` (this ESP8266 one, or the ESP32
    /// Arduino build's) makes.
    static func run(_ timeline: Timeline, url: String = "http://h/fw.bin", md5: String? = firmwareMD5, identity: DeviceIdentity = DeviceIdentity(),
                    profile: ESPHomeProfile = profile, configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPHomeArduinoOTAModel {
        var settings = UpdaterSettings(url: url)
        settings.expectedMD5 = md5
        configure(&settings)
        guard case let model as ESPHomeArduinoOTAModel = DeviceProfile.esphome(profile).makeModel(identity: identity, settings: settings) else {
            preconditionFailure("an ESPHome Arduino profile must make the Arduino model")
        }
        var played = model
        timeline.play(&played)
        return played
    }

    static func requests(_ model: ESPHomeArduinoOTAModel) -> [String] { model.exchanges.map { String(decoding: $0.request, as: UTF8.self) } }

    // MARK: E3.2: request bytes

    /// HTTPClient's sendHeader with `_useHTTP10 = false` and `_reuse = true`, ESPHome's
    /// User-Agent, Basic from the URL, `Content-Length: 0` from sendRequest (3.1.2:HC:463, 916-973).
    @Test func requestBytesAreByteExact() {
        let model = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware), url: "http://user:pw@h:8080/fw.bin?v=1")
        #expect(Self.requests(model) == [
            "GET /fw.bin?v=1 HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: \(Self.ua)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nAuthorization: Basic dXNlcjpwdw==\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        ])
        let plain = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware), url: "http://192.168.1.5/fw.bin")
        #expect(Self.requests(plain) == [
            "GET /fw.bin HTTP/1.1\r\nHost: 192.168.1.5\r\nUser-Agent: \(Self.ua)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        ])
    }

    /// The ESP8266 profile is the Arduino client, not esp_http_client.
    @Test func profileIsTheArduinoClient() {
        #expect(Self.profile.platform == "esp8266")
        #expect(Self.profile.arduino?.redirects.limit == 3)
        #expect(Self.profile.codeName(0x88) == "OTA_RESPONSE_ERROR_ESP8266_NOT_ENOUGH_SPACE")
        #expect(Profiles.device("esphome-esp8266").name == "esphome-2025.12-esp8266")
    }

    // MARK: E10, ESP8266 column

    /// 200, Content-Length, the right MD5, every read finds bytes: OK, with the device's lines.
    @Test func goodImageWithoutPauseUpdates() {
        let model = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware))
        #expect(model.verdict?.result == .esphomeOK)
        #expect(model.verdict?.code == 0)
        #expect(model.verdict?.message == "")
        #expect(model.verdict?.log == [
            "[I][http_request.ota:50]: Starting update",
            "[D][http_request.ota:97]: MD5 expected: \(Self.firmwareMD5)",
            "[I][http_request.ota:104]: Connecting to: http://h/fw.bin",
            Self.warning,
            "[D][http_request.arduino:141]: Content-Length: 20000",
            "[D][http_request.ota:167]: Progress: 1.3%",
            "[D][http_request.ota:167]: Progress: 100.0%",
            "[I][http_request.ota:174]: Done in 0 seconds",
            "[I][http_request.ota:202]: Update complete",
            "[I][app:228]: Rebooting safely",
        ])
    }

    /// The 2025.12 bug (E4.3, E5 step 6): a pause mid-body leaves the socket buffer empty, the
    /// read returns 0, the loop breaks, and the partial image fails the MD5 after `Done in`.
    @Test func pauseMidBodyEndsTheLoopWithMD5Mismatch() {
        let first = Array(Self.firmware.prefix(6000))
        let rest = Array(Self.firmware.dropFirst(6000))
        let timeline = Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + first, at: 1), .bytes(rest, at: 2500)])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
        #expect(model.verdict?.cause == .esphomeBufferRanEmpty(received: 6000, expected: 20000, pauseMs: Self.profile.arduino!.emptyBufferGapMs))
        #expect(model.verdict?.log.contains("[I][http_request.ota:174]: Done in 0 seconds") == true)
        #expect(model.verdict?.message.hasPrefix("[E][http_request.ota:181]: MD5 computed: \(md5Hex(first)) - Aborting due to MD5 mismatch") == true)
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == 6000)
    }

    /// A pause the gap rule takes for loopback scheduling (≤ emptyBufferGapMs) does not end it;
    /// the time spent shows in `Done in`.
    @Test func shortPausesAndLongDownloadsKeepReading() {
        var events: [Timeline.Event] = [.bytes(Array(Self.head(Self.firmware.count).utf8), at: 0)]
        var at = 0
        for chunk in stride(from: 0, to: Self.firmware.count, by: 1000) {
            at += 15
            events.append(.bytes(Array(Self.firmware[chunk..<min(chunk + 1000, Self.firmware.count)]), at: at))
        }
        let model = Self.run(Timeline(events))
        #expect(model.verdict?.code == 0)
        #expect(model.verdict?.log.contains("[I][http_request.ota:174]: Done in 0 seconds") == true)
    }

    @Test func wrongOrUpperCaseMD5IsMismatch() {
        let wrong = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware), md5: String(repeating: "0", count: 32))
        #expect(wrong.verdict?.code == 0x8B)
        #expect(wrong.verdict?.cause == .md5Mismatch(expected: String(repeating: "0", count: 32), calculated: Self.firmwareMD5))
        let upper = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware), md5: Self.firmwareMD5.uppercased())
        #expect(upper.verdict?.code == 0x8B)
    }

    /// Chunked: Content-Length -1 → 4294967295, the raw socket (chunk framing included) is read
    /// and hashed; a close ends it with `Stream pointer vanished!` (0x12), silence with 0x8B.
    @Test func chunkedBodyIsReadRawUntilCloseOrPause() {
        let chunked = Array("4e20\r\n".utf8) + Self.firmware + Array("\r\n0\r\n\r\n".utf8)
        let closed = Self.run(.response(head: Self.head(nil, extra: "Transfer-Encoding: chunked\r\n"), body: chunked, close: 2))
        #expect(closed.verdict?.log.contains("[D][http_request.arduino:141]: Content-Length: -1") == true)
        #expect(closed.verdict?.code == 0x12)
        #expect(closed.verdict?.log.suffix(2) == ["[E][http_request.arduino:154]: Stream pointer vanished!", "[E][http_request.ota:138]: Stream closed with error"])
        #expect(closed.exchanges.first?.body.bytesConsumedByDevice == chunked.count)
        let open = Self.run(.response(head: Self.head(nil, extra: "Transfer-Encoding: chunked\r\n"), body: chunked, close: nil))
        #expect(open.verdict?.code == 0x8B)
        #expect(open.verdict?.cause == .esphomeBufferRanEmpty(received: chunked.count, expected: 4_294_967_295, pauseMs: Self.profile.arduino!.emptyBufferGapMs))
    }

    @Test func contentLengthZeroHashesNothing() {
        let model = Self.run(.response(head: Self.head(0), body: []))
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict?.message == "[E][http_request.ota:181]: MD5 computed: d41d8cd98f00b204e9800998ecf8427e - Aborting due to MD5 mismatch")
        // With that very MD5 the Updater refuses an update that wrote nothing (NO_DATA, 13).
        let empty = Self.run(.response(head: Self.head(0), body: []), md5: "d41d8cd98f00b204e9800998ecf8427e")
        #expect(empty.verdict?.code == 0x84)
        #expect(empty.verdict?.log.contains("[E][ota.arduino_esp8266:76]: End error: 13") == true)
    }

    /// CL > body, then FIN: with the FIN right behind the last bytes the next read finds no
    /// stream (0x12); with the FIN after a pause the loop had already ended (0x8B).
    @Test func shortBodyThenFinIsTimingDependent() {
        let half = Array(Self.firmware.prefix(10_000))
        let quick = Self.run(Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + half, at: 1), .close(at: 5)]))
        #expect(quick.verdict?.code == 0x12)
        #expect(quick.verdict?.cause == .esphomeStreamError(received: 10_000, expected: 20_000, closed: true))
        let late = Self.run(Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + half, at: 1), .close(at: 1000)]))
        #expect(late.verdict?.code == 0x8B)
    }

    @Test func stallWithoutFinIsEarlyBreak() {
        let model = Self.run(Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(4000), at: 1)]))
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict!.deviceTimeMs < 100)
    }

    @Test func bodyLongerThanLengthIsFine() {
        let model = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware + Array(repeating: 0x55, count: 3000)))
        #expect(model.verdict?.code == 0)
        #expect(model.exchanges.first?.body.bytesConsumedByDevice == Self.firmware.count)
    }

    /// No magic check while writing: HTML is downloaded whole; its own MD5 then passes
    /// ESPHome's compare and the Updater's `_verifyEnd` refuses it (`End error: 10`, 0x84).
    @Test func htmlIsDownloadedThenRefusedAtTheEnd() {
        let html = Array("<html><body>not found</body></html>".utf8)
        let mismatch = Self.run(.response(head: Self.head(html.count), body: html))
        #expect(mismatch.verdict?.code == 0x8B)
        let matching = Self.run(.response(head: Self.head(html.count), body: html), md5: md5Hex(html))
        #expect(matching.verdict?.code == 0x84)
        #expect(matching.verdict?.name == "OTA_RESPONSE_ERROR_UPDATE_END")
        #expect(matching.verdict?.log.suffix(2) == ["[E][ota.arduino_esp8266:76]: End error: 10", "[W][http_request.ota:197]: Error ending update! error_code: 132"])
        #expect(matching.verdict?.cause == .magicAfterDownload(firstByte: 0x3C, secondByte: 0x68))
    }

    /// `_verifyEnd`: 1F 8B is accepted (eboot inflates); an image for a bigger flash is error 9.
    @Test func gzipAcceptedAndBiggerFlashRefused() {
        let gzip = ServedBodies.gzippedStandardImage
        let gz = Self.run(.response(head: Self.head(gzip.count), body: gzip), md5: md5Hex(gzip))
        #expect(gz.verdict?.code == 0)
        let big = image(size: 20_000, flashNibble: 9)
        let sixteen = Self.run(.response(head: Self.head(big.count), body: big), md5: md5Hex(big))
        #expect(sixteen.verdict?.code == 0x84)
        #expect(sixteen.verdict?.log.contains("[E][ota.arduino_esp8266:76]: End error: 9") == true)
    }

    /// `Update.begin` with a rounded size over the free sketch space: UPDATE_ERROR_SPACE → 0x88.
    @Test func tooBigForSketchSpaceIs136() {
        let identity = DeviceIdentity()
        let length = identity.freeSketchSpace + 1
        let model = Self.run(.response(head: Self.head(length), body: []), identity: identity)
        #expect(model.verdict?.code == 0x88)
        #expect(model.verdict?.message == "[W][http_request.ota:120]: backend->begin error: 136")
        // A length that still fits after rounding to a sector is taken.
        let fits = Self.run(.response(head: Self.head(identity.freeSketchSpace & ~4095), body: []), identity: identity)
        #expect(fits.verdict?.code != 0x88)
    }

    /// 2xx other than 200: a success for the http layer (no line), 0x12 for the OTA.
    @Test func createdAndNoContentAreConnectionErrors() {
        for status in ["201 Created", "204 No Content", "206 Partial Content"] {
            let model = Self.run(.response(head: Self.head(Self.firmware.count, status: status), body: Self.firmware))
            #expect(model.verdict?.code == 0x12)
            #expect(model.verdict?.log.contains { $0.contains("HTTP Request failed") } == false)
        }
    }

    @Test func errorStatusesAreConnectionErrorsWithTheirCode() {
        for code in [304, 401, 403, 404, 500] {
            let model = Self.run(.response(head: Self.head(0, status: "\(code) X"), body: []))
            #expect(model.verdict?.code == 0x12)
            #expect(model.verdict?.message == "[E][http_request.arduino:124]: HTTP Request failed; URL: http://h/fw.bin; Code: \(code)")
        }
    }

    /// FORCE mode: 301/302/303/307 followed (same scheme, 3 hops), 308 and http→https returned.
    @Test func redirectsFollowHTTPClientsForceMode() {
        let ok = Self.head(Self.firmware.count)
        let followed = Self.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(Array(ok.utf8) + Self.firmware, at: 1)],
        ]))
        #expect(followed.verdict?.code == 0)
        #expect(followed.exchanges.count == 2)
        #expect(Self.requests(followed)[1].hasPrefix("GET /fw.bin HTTP/1.1\r\nHost: other\r\n"))
        let permanent = Self.run(.response("HTTP/1.1 308 Permanent Redirect\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n"))
        #expect(permanent.verdict?.code == 0x12)
        #expect(permanent.exchanges.count == 1)
        #expect(permanent.verdict?.message == "[E][http_request.arduino:124]: HTTP Request failed; URL: http://h/fw.bin; Code: 308")
        let https = Self.run(.response("HTTP/1.1 302 Found\r\nLocation: https://h/fw.bin\r\nContent-Length: 0\r\n\r\n"))
        #expect(https.verdict?.code == 0x12)
        #expect(https.verdict?.cause == .esphomeRedirectFailed(code: 302, location: "https://h/fw.bin", reason: .schemeChange))
        let hop = "HTTP/1.1 302 Found\r\nLocation: http://x/next\r\nContent-Length: 0\r\n\r\n"
        let four = Self.run(Timeline(connections: Array(repeating: [.bytes(Array(hop.utf8), at: 1)], count: 4)))
        #expect(four.exchanges.count == 4)
        #expect(four.verdict?.cause == .esphomeRedirectFailed(code: 302, location: "http://x/next", reason: .limitReached))
    }

    /// No request-line limit on the ESP8266 (HTTPClient builds a String): a redirect target of
    /// a GitHub-style signed URL over 512 bytes is followed (E10, unlike ESP-IDF's Out of buffer).
    @Test func longRedirectTargetIsFollowed() {
        let target = "http://cdn/x?sig=" + String(repeating: "a", count: 700)
        let model = Self.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: \(target)\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware, at: 1)],
        ]))
        #expect(model.verdict?.code == 0)
        #expect(Self.requests(model)[1].hasPrefix("GET /x?sig=\(String(repeating: "a", count: 700)) HTTP/1.1\r\n"))
    }

    /// A path-only Location over a kept-alive HTTP/1.1 answer goes on the same socket
    /// (setURL keeps the client, connect() reuses it: 3.1.2:HC:321-327, 879-889).
    @Test func pathRedirectReusesAKeptAliveConnection() {
        let timeline = Timeline([
            .bytes(Array("HTTP/1.1 302 Found\r\nLocation: /real.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1),
            .bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware, at: 3),
        ])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0)
        #expect(model.exchanges.map(\.reusedConnection) == [false, true])
    }

    @Test func noAnswerIsReadTimeout() {
        let model = Self.run(Timeline([]))
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[W][http_request.arduino:116]: HTTP Request failed; URL: http://h/fw.bin; Error: read Timeout")
        // `(millis() - lastDataTime) > _tcpTimeout` with setTimeout(4500) (3.1.2:HC:1079-1081).
        #expect(model.verdict?.deviceTimeMs == 4501)
    }

    // MARK: The MD5 (E5 step 1, E5.1)

    @Test func noMD5MeansNoRequest() {
        let model = Self.run(.response(head: Self.head(Self.firmware.count), body: Self.firmware), md5: nil)
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.code == 0x10)
        #expect(model.verdict?.log == ["[I][http_request.ota:50]: Starting update"])
    }

    /// md5_url: a GET of its own first; its first 32 bytes are the expected MD5.
    @Test func md5URLIsFetchedFirst() {
        let line = Array("\(Self.firmwareMD5)  firmware.bin\n".utf8)
        let model = Self.run(Timeline(connections: [
            [.bytes(Array(Self.head(line.count).utf8) + line, at: 1)],
            [.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware, at: 1)],
        ]), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(model.verdict?.code == 0)
        #expect(model.exchanges.map(\.url) == ["http://h:80/fw.md5", "http://h:80/fw.bin"])
        let short = Self.run(.response(head: Self.head(16), body: Array(Self.firmwareMD5.prefix(16).utf8)), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(short.verdict?.code == 0x10)
        #expect(short.verdict?.message == "[E][http_request.ota:248]: MD5 file must be 32 bytes; 16 bytes reported by HTTP server. Aborting")
    }

    // MARK: E9: TLS

    /// `setBufferSizes(512, 512)` + `setInsecure()`: max_fragment_length 512 is offered and an
    /// encrypted record over the 512-byte buffer (plus BearSSL's overhead) fails the handshake.
    @Test func tlsOffersMFLN512AndTrustsAnyCertificate() throws {
        let tls = try #require(Self.profile.tls)
        #expect(tls.stack == "bearssl")
        #expect(tls.defaultTrust == "insecure")
        let offer = try TLSClientOffer(capabilities: tls, settings: TLSClientSettings(), host: "h")
        #expect(offer.maxFragmentCode == 1)
        #expect(offer.recordLimit == 512 + 325 - 5)
    }

    // MARK: Explanations

    /// `explain 0x88` has the ESP8266 backend's words (Update.begin's UPDATE_ERROR_SPACE).
    @Test func code136HasNotes() {
        #expect(CodeNote.esphome[0x88]?.printed.contains("backend->begin error: 136") == true)
        #expect(CodeNote.esphome[0x88]?.meaning.contains("Update.begin()") == true)
    }

    @Test func explanationSaysWhyTheLoopEnded() {
        let timeline = Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(3000), at: 1), .bytes(Array(Self.firmware.dropFirst(3000)), at: 900)])
        let model = Self.run(timeline)
        let why = Diagnosis(profile: .esphome(Self.profile), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges).why
        #expect(why.contains("3000 of 20000 bytes"))
        #expect(why.contains("socket buffer empty"))
    }
}
