import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESPHome 2026.6.5 (spec §E11) from hand-built timelines, each beside the 2025.12.7 answer to
/// the same server where the prediction changes: the read loops that wait for data and log
/// read errors, ESPHome's chunk decoder and native backend on the ESP8266, percent-encoded
/// credentials, the checked `esp_http_client_init`.
@Suite struct ESPHome2026ModelTests {
    static func esphome(_ name: String) -> ESPHomeProfile {
        guard case .esphome(let p) = Profiles.device(name) else { preconditionFailure(name) }
        return p
    }
    static let idf26 = esphome("esphome-2026.6-esp-idf")
    static let idf25 = esphome("esphome-2025.12-esp-idf")
    static let esp26 = esphome("esphome-2026.6-esp8266")
    static let esp25 = esphome("esphome-2025.12-esp8266")

    static let firmware = image(size: 20_000)
    static let firmwareMD5 = md5Hex(firmware)
    static let app = ESP32Bodies.app
    static let appMD5 = md5Hex(app)

    static func head(_ length: Int?, extra: String = "") -> String {
        "HTTP/1.1 200 OK\r\n" + (length.map { "Content-Length: \($0)\r\n" } ?? "") + extra + "\r\n"
    }

    static func run(_ profile: ESPHomeProfile, _ timeline: Timeline, url: String = "http://h/fw.bin", md5: String?, identity: DeviceIdentity = DeviceIdentity(),
                    configure: (inout UpdaterSettings) -> Void = { _ in }) -> any DeviceModel {
        var settings = UpdaterSettings(url: url)
        settings.expectedMD5 = md5
        configure(&settings)
        var model = DeviceProfile.esphome(profile).makeModel(identity: identity, settings: settings)
        timeline.play(&model)
        return model
    }

    static func requests(_ model: any DeviceModel) -> [String] { model.exchanges.map { String(decoding: $0.request, as: UTF8.self) } }

    // MARK: Profiles and request bytes

    @Test func profilesAreNamedWithoutAliases() {
        #expect(Self.idf26.esphomeVersion == "2026.6.5")
        #expect(Self.idf26.aliases.isEmpty && Self.esp26.aliases.isEmpty)
        #expect(Profiles.device("esphome").name == "esphome-2025.12-esp-idf")
        #expect(Self.esp26.writesThroughNativeESP8266Backend && Self.esp26.arduino?.decodesChunked == true)
        #expect(Self.idf26.description.contains("every ESP32"))
    }

    /// The new fields take only the values a model implements.
    @Test func unknownReadLoopOrBackendIsRefused() throws {
        let file = try #require(BuiltInProfiles.file("esphome-2026.6-esp8266"))
        let text = String(decoding: file.bytes, as: UTF8.self)
        for (from, to) in [("\"idle-timeout\"", "\"sometimes\""), ("\"esp8266-native\"", "\"rp2040\"")] {
            #expect(throws: ProfileError.self) { try ProfileDecoder.decode(Array(text.replacingOccurrences(of: from, with: to).utf8), path: "mine.json") }
        }
        #expect(throws: Never.self) { try ProfileDecoder.decode(file.bytes, path: "mine.json") }
    }

    /// esp_http_client's request with the 2026.6.5 User-Agent; `username`/`password` are
    /// percent-encoded before they go into the URL, so Basic carries `p%40ss` (E11, derived).
    @Test func idfRequestBytesPlainAndWithCredentials() {
        let plain = Self.run(Self.idf26, .response(head: Self.head(Self.app.count), body: Self.app), url: "http://h:8080/fw.bin?v=1", md5: Self.appMD5)
        #expect(Self.requests(plain) == ["GET /fw.bin?v=1 HTTP/1.1\r\nUser-Agent: ESPHome/2026.6.5 (https://esphome.io)\r\nHost: h:8080\r\n\r\n"])
        #expect(plain.verdict?.code == 0)
        let auth: (inout UpdaterSettings) -> Void = { $0.authorization = [.userPassword(user: "u", password: "p@ss")] }
        let encoded = Self.run(Self.idf26, .response(head: Self.head(Self.app.count), body: Self.app), md5: Self.appMD5, configure: auth)
        // base64("u:p%40ss")
        #expect(Self.requests(encoded) == ["GET /fw.bin HTTP/1.1\r\nUser-Agent: ESPHome/2026.6.5 (https://esphome.io)\r\nHost: h\r\nAuthorization: Basic dTpwJTQwc3M=\r\n\r\n"])
        let raw = Self.run(Self.idf25, .response(head: Self.head(Self.app.count), body: Self.app), md5: Self.appMD5, configure: auth)
        // 2025.12 splices "p@ss" as is: the URL's userinfo ends at the last '@' [as the model parses it].
        #expect(Self.requests(raw).first?.contains("dTpwJTQwc3M=") == false)
    }

    @Test func esp8266RequestBytesPlainAndWithCredentials() {
        let ua = "ESPHome/2026.6.5 (https://esphome.io)"
        let plain = Self.run(Self.esp26, .response(head: Self.head(Self.firmware.count), body: Self.firmware), url: "http://192.168.1.5/fw.bin", md5: Self.firmwareMD5)
        #expect(Self.requests(plain) == [
            "GET /fw.bin HTTP/1.1\r\nHost: 192.168.1.5\r\nUser-Agent: \(ua)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        ])
        let auth = Self.run(Self.esp26, .response(head: Self.head(Self.firmware.count), body: Self.firmware), url: "http://h:8080/fw.bin", md5: Self.firmwareMD5) {
            $0.authorization = [.userPassword(user: "u ser", password: "pw")]
        }
        // base64("u%20ser:pw")
        #expect(Self.requests(auth) == [
            "GET /fw.bin HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: \(ua)\r\nAccept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nAuthorization: Basic dSUyMHNlcjpwdw==\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        ])
    }

    // MARK: ESP8266: the read loop (E11)

    /// The same pausing server: 2025.12 stops at the empty buffer (0x8B), 2026.6 waits and updates.
    @Test func pauseMidBodyUpdatesOn2026ButNotOn2025() {
        let timeline = Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(6000), at: 1), .bytes(Array(Self.firmware.dropFirst(6000)), at: 2500)])
        #expect(Self.run(Self.esp25, timeline, md5: Self.firmwareMD5).verdict?.code == 0x8B)
        let new = Self.run(Self.esp26, timeline, md5: Self.firmwareMD5)
        #expect(new.verdict?.code == 0)
        #expect(new.verdict?.result == .esphomeOK)
        #expect(new.verdict?.log.contains("[I][http_request.ota:?]: Done in 2 seconds") == true)
        // The native backend stages the image at the end of the sketch area.
        let start = ESPHomeESP8266NativeBackend.startAddress(imageSize: Self.firmware.count, identity: DeviceIdentity())!
        #expect(new.verdict?.log.contains("[I][ota.esp8266:?]: OTA update staged: 0x\(String(start, radix: 16, uppercase: true).leftPadded(to: 8)) -> 0x00000, size=20000") == true)
    }

    /// A stall (no FIN): `Timeout reading data` after the http timeout without data, 0x12.
    @Test func stallIsTimeoutReadingData() {
        let timeline = Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(4000), at: 1)])
        let model = Self.run(Self.esp26, timeline, md5: Self.firmwareMD5)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[E][http_request.ota:?]: Timeout reading data")
        #expect(model.verdict?.deviceTimeMs == 1 + 4500)
        #expect(model.verdict?.cause == .esphomeStreamError(received: 4000, expected: 20_000, closed: false))
        // --client-timeout shortens it, as it does the profile's timeout.
        let short = Self.run(Self.esp26, timeline, md5: Self.firmwareMD5) { $0.clientTimeoutMs = 300 }
        #expect(short.verdict?.deviceTimeMs == 301)
    }

    /// A close before Content-Length: the stream pointer is gone, -1 is an error.
    @Test func finBeforeLengthIsErrorReadingData() {
        let model = Self.run(Self.esp26, Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(10_000), at: 1), .close(at: 1000)]), md5: Self.firmwareMD5)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.log.suffix(2) == ["[E][http_request.arduino:?]: Stream pointer vanished!", "[E][http_request.ota:?]: Error reading data: -1"])
    }

    /// Chunked: 2026.6 decodes it; the final chunk sets the length to what was decoded, the MD5
    /// passes and the native backend stages the size begin() got: 4294967295 (E11, derived).
    @Test func chunkedImageIsDecodedAndStagedWithTheUnknownSize() {
        let framed = Array("2710;x=1\r\n".utf8) + Self.firmware.prefix(10_000) + Array("\r\n2710\r\n".utf8) + Self.firmware.dropFirst(10_000) + Array("\r\n0\r\nX-T: 1\r\n\r\n".utf8)
        let timeline = Timeline.response(head: Self.head(nil, extra: "Transfer-Encoding: chunked\r\n"), body: framed, close: nil)
        let model = Self.run(Self.esp26, timeline, md5: Self.firmwareMD5)
        #expect(model.verdict?.code == 0)
        #expect(model.verdict?.log.contains { $0.hasSuffix("-> 0x00000, size=4294967295") } == true)
        #expect(model.verdict?.notes.contains { $0.contains("4294967295") } == true)
        // 2025.12 hashes the raw framing and ends in 0x8B.
        #expect(Self.run(Self.esp25, timeline, md5: Self.firmwareMD5).verdict?.code == 0x8B)
    }

    /// No Content-Length and no chunking: the decoder still runs (set_chunked(getSize() == -1))
    /// and reads the image's bytes as framing, and the explanation says so [derived].
    @Test func lengthlessImageIsReadAsChunkFraming() {
        let timeline = Timeline.response(head: Self.head(nil), body: Self.firmware, close: 5)
        let model = Self.run(Self.esp26, timeline, md5: Self.firmwareMD5)
        // This image never shows the decoder a last chunk: the close is the end.
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[E][http_request.ota:?]: Error reading data: -1")
        let why = Diagnosis(profile: .esphome(Self.esp26), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/fw.bin")).explain(model.verdict!, exchanges: model.exchanges).why
        #expect(why.contains("chunk decoder"))
        #expect(why.contains("server closed before the decoder saw a last chunk"))
    }

    /// The decoder itself: a size line split across arrivals, extensions, trailers, and a
    /// size line without digits taken as the last chunk.
    @Test func chunkDecoderFollowsESPHomesRules() {
        var decoder = ESPHomeChunkedDecoder()
        #expect(decoder.feed(Array("3;ext\r\nabc\r\n1".utf8)[...]) == Array("abc".utf8))
        #expect(decoder.feed(Array("0\r\n0123456789abcdef\r\n0\r\nX: y\r\n".utf8)[...]) == Array("0123456789abcdef".utf8))
        #expect(!decoder.isComplete)
        #expect(decoder.feed(Array("\r\nrest".utf8)[...]).isEmpty)
        #expect(decoder.isComplete)
        var lenient = ESPHomeChunkedDecoder()
        #expect(lenient.feed(Array("zz\r\n\r\n".utf8)[...]).isEmpty)
        #expect(lenient.isComplete)
    }

    /// HTML with its own MD5: downloaded whole, refused by the native backend's magic check.
    @Test func htmlWithMatchingMD5IsInvalidFirmwareMagic() {
        let html = Array("<html><body>not found</body></html>".utf8)
        let model = Self.run(Self.esp26, .response(head: Self.head(html.count), body: html), md5: md5Hex(html))
        #expect(model.verdict?.code == 0x84)
        #expect(model.verdict?.log.suffix(2) == ["[E][ota.esp8266:?]: Invalid firmware magic: 0x3C (expected 0xE9)", "[W][http_request.ota:?]: Error ending update! error_code: 132"])
        let big = image(size: 20_000, flashNibble: 9)
        let flash = Self.run(Self.esp26, .response(head: Self.head(big.count), body: big), md5: md5Hex(big))
        #expect(flash.verdict?.code == 0x84)
        #expect(flash.verdict?.log.contains { $0.hasPrefix("[E][ota.esp8266:?]: Firmware flash size (") } == true)
        let empty = Self.run(Self.esp26, .response(head: Self.head(0), body: []), md5: "d41d8cd98f00b204e9800998ecf8427e")
        #expect(empty.verdict?.log.contains("[E][ota.esp8266:?]: No data written") == true)
        #expect(empty.verdict?.code == 0x84)
    }

    @Test func tooBigForSketchSpaceIs136() {
        let identity = DeviceIdentity()
        let model = Self.run(Self.esp26, .response(head: Self.head(identity.freeSketchSpace + 1), body: []), md5: Self.firmwareMD5, identity: identity)
        #expect(model.verdict?.code == 0x88)
        #expect(model.verdict?.message == "[W][http_request.ota:?]: backend->begin error: 136")
    }

    /// md5_url on the ESP8266: the reads add up, a split file works, a stall times out.
    @Test func md5URLReadsAddUpAndTimeOut() {
        let line = Array(Self.firmwareMD5.utf8)
        let split = Self.run(Self.esp26, Timeline(connections: [
            [.bytes(Array(Self.head(32).utf8) + line.prefix(20), at: 1), .bytes(Array(line.dropFirst(20)), at: 400)],
            [.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware, at: 1)],
        ]), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(split.verdict?.code == 0)
        let stall = Self.run(Self.esp26, Timeline([.bytes(Array(Self.head(32).utf8) + line.prefix(20), at: 1)]), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(stall.verdict?.code == 0x10)
        #expect(stall.verdict?.message == "[E][http_request.ota:?]: Timeout reading MD5")
    }

    // MARK: ESP-IDF (E11)

    /// A stall: the blocking read times out first and returns -ESP_ERR_HTTP_EAGAIN, which the
    /// 2026.6 loop logs with its value (2025.12: `Stream closed with error`).
    @Test func idfStallIsErrorReadingDataWithEAGAIN() {
        let timeline = Timeline([.bytes(Array(Self.head(Self.app.count).utf8) + Array(Self.app.prefix(1024)), at: 1)])
        let new = Self.run(Self.idf26, timeline, md5: Self.appMD5)
        #expect(new.verdict?.code == 0x12)
        #expect(new.verdict?.message == "[E][http_request.ota:?]: Error reading data: -28679")
        #expect(new.verdict?.deviceTimeMs == 1 + 4500)
        let old = Self.run(Self.idf25, timeline, md5: Self.appMD5)
        #expect(old.verdict?.message == "[E][http_request.ota:138]: Stream closed with error")
    }

    @Test func idfFinBeforeLengthIsErrorReadingDataMinusOne() {
        let model = Self.run(Self.idf26, Timeline([.bytes(Array(Self.head(Self.app.count).utf8) + Array(Self.app.prefix(1000)), at: 1), .close(at: 50)]), md5: Self.appMD5)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[E][http_request.ota:?]: Error reading data: -1")
        #expect(model.verdict?.cause == .esphomeStreamError(received: 1000, expected: Self.app.count, closed: true))
    }

    /// md5_url: 2026.6's reads add up (a split file works where 2025.12 gives 0x10); a stall
    /// is the read's error.
    @Test func idfMD5URLSplitWorksAndStallFails() {
        let line = Array(Self.appMD5.utf8)
        let connections: [[Timeline.Event]] = [
            [.bytes(Array(Self.head(32).utf8) + line.prefix(20), at: 1), .bytes(Array(line.dropFirst(20)), at: 5000), .close(at: 5001)],
            [.bytes(Array(Self.head(Self.app.count).utf8) + Self.app, at: 1), .close(at: 2)],
        ]
        let configure: (inout UpdaterSettings) -> Void = { $0.md5URL = "http://h/fw.md5" }
        #expect(Self.run(Self.idf26, Timeline(connections: connections), md5: nil, configure: configure).verdict?.code == 0)
        #expect(Self.run(Self.idf25, Timeline(connections: connections), md5: nil, configure: configure).verdict?.code == 0x10)
        let stall = Self.run(Self.idf26, Timeline([.bytes(Array(Self.head(32).utf8), at: 1)]), md5: nil, configure: configure)
        #expect(stall.verdict?.code == 0x10)
        #expect(stall.verdict?.message == "[E][http_request.ota:?]: Error reading MD5: -28679")
    }

    /// http_read_fully asks only for what the MD5 still lacks: after a read that returned 20
    /// bytes at its timeout, the next wants 12, so the image's GET starts when they come, not
    /// after another read that waits for 32.
    @Test func idfMD5URLSecondReadAsksForTheRest() {
        let line = Array("\(Self.appMD5)  fw.bin\n".utf8) + Array(repeating: 0x20, count: 40)
        let model = Self.run(Self.idf26, Timeline(connections: [
            [.bytes(Array(Self.head(line.count).utf8) + line.prefix(20), at: 1), .bytes(Array(line[20..<46]), at: 4600), .bytes(Array(line.dropFirst(46)), at: 20_000)],
            [.bytes(Array(Self.head(Self.app.count).utf8) + Self.app, at: 1), .close(at: 2)],
        ]), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(model.verdict?.code == 0)
        // The first read returns its 20 bytes at the timeout (4501); the second wants 12.
        #expect(model.exchanges.last?.startedAtMs == 4600)
    }

    /// The manifest: a read error is `Failed to read manifest` (2025.12 parsed what it had).
    @Test func idfManifestStallFailsToRead() {
        let text = #"{"name": "x", "version": "2026.7.0", "builds": [{"chipFamily": "ESP32", "ota": {"path": "fw.bin", "md5": "\#(Self.appMD5)"}}]}"#
        let timeline = Timeline([.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text.prefix(30))".utf8), at: 1)])
        let new = Self.run(Self.idf26, timeline, url: "http://h/m.json", md5: nil) { $0.manifest = true }
        #expect(new.verdict?.result == .esphomeUpdateFailed)
        #expect(new.verdict?.resultName == "Failed to read manifest")
        #expect(new.verdict?.message == "[E][http_request.update:?]: Error reading manifest: -28679")
        let old = Self.run(Self.idf25, timeline, url: "http://h/m.json", md5: nil) { $0.manifest = true }
        #expect(old.verdict?.resultName == "Failed to parse manifest JSON")
    }

    /// An empty `ota.path`: 2025.12 installs from the manifest's directory URL, 2026.6 leaves
    /// the URL empty and the install stops at `URL not set`.
    @Test func idfManifestEmptyPathIsNotRewritten() {
        let text = #"{"name": "x", "version": "2026.7.0", "builds": [{"chipFamily": "ESP32", "ota": {"path": "", "md5": "\#(Self.appMD5)"}}]}"#
        let timeline = Timeline(connections: [[.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8), at: 1), .close(at: 2)]])
        let new = Self.run(Self.idf26, timeline, url: "http://h/dir/m.json", md5: nil) { $0.manifest = true }
        #expect(new.verdict?.result == .esphomeUpdateFailed)
        #expect(new.verdict?.log.contains("[E][http_request.ota:?]: URL not set; cannot start update") == true)
        #expect(new.exchanges.count == 1)
        let old = Self.run(Self.idf25, timeline, url: "http://h/dir/m.json", md5: nil) { $0.manifest = true }
        #expect(old.exchanges.count == 2)
        #expect(old.exchanges.last?.url.hasSuffix("/dir/") == true)
    }

    /// The manifest's version is compared with 2026.6.5 by default.
    @Test func idfManifestComparesWith2026Version() {
        let text = #"{"name": "x", "version": "2026.6.5", "builds": [{"chipFamily": "ESP32", "ota": {"path": "fw.bin", "md5": "\#(Self.appMD5)"}}]}"#
        let timeline = Timeline([.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8), at: 1), .close(at: 2)])
        #expect(Self.run(Self.idf26, timeline, url: "http://h/m.json", md5: nil) { $0.manifest = true }.verdict?.result == .esphomeNoUpdate)
        #expect(Self.run(Self.idf25, timeline, url: "http://h/m.json", md5: nil) { $0.manifest = true }.verdict?.result != .esphomeNoUpdate)
    }

    /// `esp_http_client_init` NULL: 2026.6 logs and returns nullptr (0x12); 2025.12 crashed.
    @Test func idfClientInitFailureIsLogged() {
        let new = Self.run(Self.idf26, Timeline([]), url: "http://h/fw bin", md5: Self.appMD5)
        #expect(new.verdict?.code == 0x12)
        #expect(new.verdict?.message == "[E][http_request.idf:?]: HTTP Request failed; client could not be initialized")
        #expect(Self.run(Self.idf25, Timeline([]), url: "http://h/fw bin", md5: Self.appMD5).verdict?.result == .deviceCrash)
    }

    // MARK: Explanations quote the release's own line

    /// `explain 132` names the 2026.6 ESP8266 backend's refusals beside 2025.12's End errors.
    @Test func code132NamesTheNativeBackendLines() {
        #expect(CodeNote.esphome[0x84]?.causes.contains { $0.contains("Invalid firmware magic") && $0.contains("No data written") } == true)
    }

    @Test func explanationsQuote2026Lines() {
        let stall = Self.run(Self.esp26, Timeline([.bytes(Array(Self.head(Self.firmware.count).utf8) + Self.firmware.prefix(4000), at: 1)]), md5: Self.firmwareMD5)
        let why = Diagnosis(profile: .esphome(Self.esp26), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/fw.bin")).explain(stall.verdict!, exchanges: stall.exchanges).why
        #expect(why.contains("`Timeout reading data`"))
        #expect(!why.contains("closed"))
        let fin = Self.run(Self.idf26, Timeline([.bytes(Array(Self.head(Self.app.count).utf8) + Array(Self.app.prefix(1000)), at: 1), .close(at: 50)]), md5: Self.appMD5)
        let finWhy = Diagnosis(profile: .esphome(Self.idf26), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/fw.bin")).explain(fin.verdict!, exchanges: fin.exchanges).why
        #expect(finWhy.contains("`Error reading data: -1`"))
        let html = Array("<html><body>not found</body></html>".utf8)
        let magic = Self.run(Self.esp26, .response(head: Self.head(html.count), body: html), md5: md5Hex(html))
        let magicWhy = Diagnosis(profile: .esphome(Self.esp26), identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/fw.bin")).explain(magic.verdict!, exchanges: magic.exchanges).why
        #expect(magicWhy.contains("`Invalid firmware magic: 0x3C (expected 0xE9)`"))
        #expect(!magicWhy.contains("End error"))
    }
}
