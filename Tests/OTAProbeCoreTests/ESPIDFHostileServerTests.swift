import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESP-IDF against servers that try to make the device — or the probe — run forever: long and
/// looping redirect chains, ports out of range, Range answers that ignore resumption, and
/// bodies whose framing the device's http_parser refuses (issue 13). Each case is hand-fed
/// bytes, and each expectation cites the source line it rests on.
@Suite struct ESPIDFHostileServerTests {
    static let image = ESP32Bodies.app
    static func ok(_ body: [UInt8]) -> String { "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n" }
    static func idf(_ name: String, _ timeline: Timeline, url: String = "http://h/fw.bin", identity: DeviceIdentity = DeviceIdentity(),
                    configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPIDFOTAModel {
        ESP32ModelTests.runIDF(name, timeline, url: url, identity: identity, configure: configure)
    }
    /// A keep-alive server's redirect: the connection stays open, so a same-host hop goes over
    /// it (a server that closed it would fail the next hop: `reusedConnectionClosed`).
    static func redirect(to location: String, code: Int = 302) -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 \(code) Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)]
    }
    static let imageAnswer: [Timeline.Event] = [.bytes(Array(ok(image).utf8) + image, at: 1), .close(at: 2)]

    // MARK: Redirects: no hop limit, so only a repeated request is a loop

    /// `_http_connect` loops while `process_again()` with no counter (v5.5.5 esp_https_ota.c:164-217;
    /// v5.4.4 :137-190; v5.1.7 :137-175; v4.4.8 :114-152); `max_redirection_count` is read only by
    /// `esp_http_check_response()` (v5.5.5 esp_http_client.c:1110-1118), i.e. by perform.
    @Test(arguments: ["esp-idf-4.4", "esp-idf-5.1", "esp-idf-5.4", "esp-idf-5.5"])
    func fiftyDistinctRedirectsThenTheImageUpdate(profile: String) {
        let hops = (1...50).map { Self.redirect(to: "/hop/\($0)") }
        let model = Self.idf(profile, Timeline(connections: hops + [Self.imageAnswer]))
        #expect(model.verdict?.result == .espOK)
        #expect(model.exchanges.count == 51)
        #expect(model.exchanges.last?.url == "http://h:80/hop/50")
    }

    @Test func aLoopOfTwoURLsHangsAfterTheReplays() {
        // A → B → A …: the fifth request to A would leave the same state as the first four.
        let ab = (0..<20).map { Self.redirect(to: $0 % 2 == 0 ? "/b" : "/a") }
        let model = Self.idf("esp-idf-5.5", Timeline(connections: ab), url: "http://h/a")
        #expect(model.verdict?.result == .deviceHangs)
        #expect(model.verdict?.cause == .redirectLoop(cycle: ["http://h:80/a", "http://h:80/b"]))
        #expect(model.exchanges.count == 2 * (1 + Limits.loopReplays))
    }

    @Test func aChainLongerThanTheProbesBudgetIsTheProbeStopping() {
        let hops = (1...(Limits.requestsPerRun + 5)).map { Self.redirect(to: "/hop/\($0)") }
        let model = Self.idf("esp-idf-5.4", Timeline(connections: hops))
        #expect(model.verdict?.result == .stillWaiting)
        #expect(model.verdict?.cause == .probeStopped(.requestLimit(requests: Limits.requestsPerRun)))
        #expect(model.exchanges.count == Limits.requestsPerRun)
    }

    /// v4.4 retries a 401 with no cap (v4.4.8 esp_https_ota.c:84-85); after add_auth's own ten
    /// tries (esp_http_client.c:1540-1543) the request and the state repeat.
    @Test func v44UnauthorizedForeverIsALoopAfterAddAuthsTries() {
        let answer: [Timeline.Event] = [.bytes(Array("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)]
        let model = Self.idf("esp-idf-4.4", Timeline(connections: Array(repeating: answer, count: 40)))
        #expect(model.verdict?.result == .deviceHangs)
        #expect(model.verdict?.cause == .unauthorizedRetries(nil))
        #expect(model.exchanges.count == 10 + Limits.loopReplays + 1)
    }

    /// An empty 206 makes no progress, so perform sends the same Range again (v5.4.4
    /// esp_https_ota.c:620-650; spec B5.5): the same state comes back, is replayed, and hangs.
    @Test func anEmptyRangeAnswerIsALoop() {
        let head: [Timeline.Event] = [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let first = Array(Self.image.prefix(65536))
        let range: [Timeline.Event] = [.bytes(Array("HTTP/1.1 206 Partial Content\r\nContent-Length: 65536\r\n\r\n".utf8) + first, at: 1), .close(at: 2)]
        let empty: [Timeline.Event] = [.bytes(Array("HTTP/1.1 206 Partial Content\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = Self.idf("esp-idf-5.4", Timeline(connections: [head, range] + Array(repeating: empty, count: 20))) { $0.partialDownload = true }
        #expect(model.verdict?.result == .deviceHangs && model.verdict?.cause == .rangeMadeNoProgress(offset: 65536))
        #expect(model.exchanges.count == 2 + 1 + Limits.loopReplays)
    }

    // MARK: Ports above 65535

    /// `http_parser_parse_url()` refuses a port above 0xffff (http_parser.c:2455-2462, identical
    /// v4.4.8 … v5.5.5); `esp_http_client_init()` logs `Failed to set URL` and begin returns
    /// ESP_FAIL (v5.5.5 esp_http_client.c:959-962, 1161-1164; esp_https_ota.c:365-369).
    @Test(arguments: ["esp-idf-4.4", "esp-idf-5.5"])
    func aURLPortAbove65535IsRefusedBeforeConnecting(profile: String) {
        let model = Self.idf(profile, Timeline([]), url: "http://h:99999/fw.bin")
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.code == -1)
        #expect(model.verdict?.cause == .urlRefused(.invalidPort("99999")))
        #expect(model.verdict?.log.prefix(2) == ["E (…) HTTP_CLIENT: Error parse url http://h:99999/fw.bin", "E (…) HTTP_CLIENT: Failed to set URL"])
        // The highest port is a port.
        let top = Self.idf(profile, Timeline(connections: [Self.imageAnswer]), url: "http://h:65535/fw.bin")
        #expect(top.verdict?.result == .espOK && top.exchanges.first?.port == 65535)
    }

    /// On a redirect the same parse fails inside `esp_http_client_set_redirection()`:
    /// `URL redirection Failed`, ESP_ERR_INVALID_ARG (v5.5.5 esp_https_ota.c:105-110).
    @Test func aLocationPortAbove65535FailsTheRedirect() {
        let timeline = Timeline(connections: [Self.redirect(to: "http://h:99999/fw.bin"), Self.imageAnswer])
        let v55 = Self.idf("esp-idf-5.5", timeline)
        #expect(v55.exchanges.count == 1)
        #expect(v55.verdict?.code == 0x102)
        #expect(v55.verdict?.cause == .redirectRejected(code: 302, location: "http://h:99999/fw.bin", reason: .invalidPort))
        #expect(v55.verdict?.message == "E (…) HTTP_CLIENT: Error parse url http://h:99999/fw.bin")
        // 5.4's esp_https_ota() reports every begin failure as ESP_FAIL; the advanced API sees 0x102.
        #expect(Self.idf("esp-idf-5.4", timeline).verdict?.code == -1)
        #expect(Self.idf("esp-idf-5.4", timeline) { $0.advancedAPI = true }.verdict?.code == 0x102)
    }

    /// The Arduino cores keep the port in a `uint16_t` from `toInt()` (3.1.2:HC.h:250, :172;
    /// arduino-esp32 HTTPClient.h `uint16_t _port`): 99999 connects to 34463, and the report
    /// names both.
    @Test func arduinoCoresWrapThePortAndTheReportNamesBoth() {
        let esp8266 = run(Timeline([]), url: "http://h:99999/fw.bin")
        let esp32 = ESP32ModelTests.runArduino("esp32-arduino-3.2", Timeline([]), url: "http://h:99999/fw.bin")
        for (profile, exchanges, verdict) in [(DeviceProfile.esp8266(Profiles.v312), esp8266.exchanges, esp8266.verdict),
                                              (Profiles.device("esp32-arduino-3.2"), esp32.exchanges, esp32.verdict)] {
            #expect(exchanges.first?.port == 34463 && exchanges.first?.writtenPort == "99999")
            let settings = UpdaterSettings(url: "http://h:99999/fw.bin")
            let explained = Diagnosis(profile: profile, identity: DeviceIdentity(), settings: settings).explain(verdict!, exchanges: exchanges)
            #expect(explained.why.hasPrefix("The URL says port 99999, which does not fit in 16 bits"))
            #expect(explained.why.contains("connects to port 34463"))
            #expect(explained.fix.first == "Write the port the server listens on (1–65535) in the URL.")
            let report = ProbeReport(url: settings.url, profile: profile, identity: DeviceIdentity(), settings: settings, verdict: explained, exchanges: exchanges)
            let text = HumanReport(style: TerminalStyle(enabled: false), redactor: Redactor(), verbose: false).render(report)
            #expect(text.contains("GET http://h:34463/fw.bin (URL port 99999 → device port 34463)"))
        }
        // A port that fits is not called out.
        #expect(run(Timeline([]), url: "http://h:8080/fw.bin").exchanges.first?.writtenPort == nil)
    }

    // MARK: Resumption (v5.5, advanced API): one fallback, then whatever the source does

    static func resume(_ offset: Int, _ timeline: Timeline, partial: Bool = false) -> ESPIDFOTAModel {
        idf("esp-idf-5.5", timeline) { $0.advancedAPI = true; $0.resumeFrom = offset; $0.partialDownload = partial }
    }
    static func rangeHeader(_ exchange: Exchange) -> String? {
        String(decoding: exchange.request, as: UTF8.self).split(separator: "\r\n").first { $0.hasPrefix("Range: ") }.map(String.init)
    }
    static let rangeIgnored = Timeline(connections: Array(repeating: imageAnswer, count: 10))

    /// A non-206 under ota_resumption is ESP_ERR_HTTP_RANGE_NOT_SATISFIABLE (v5.5.5
    /// esp_https_ota.c:137-145); begin then clears ota_resumption and binary_file_len, deletes
    /// the Range and connects once more (:443-466). That answer is taken as any other.
    @Test func aServerIgnoringRangeGetsExactlyOneFallback() {
        let model = Self.resume(65536, Self.rangeIgnored)
        #expect(model.verdict?.result == .espOK && model.verdict?.cause == .updated)
        #expect(model.exchanges.count == 2)
        #expect(model.exchanges.map(Self.rangeHeader) == ["Range: bytes=65536-", nil])
        #expect(Array(model.verdict?.log.prefix(4) ?? []) == [
            "W (…) esp_https_ota: Server ignored the requested Range header",
            "W (…) esp_https_ota: OTA resumption requires server with range request support.",
            "E (…) esp_https_ota: OTA resumption failed with err: 28682.",
            "I (…) esp_https_ota: Falling back to OTA without resumption and restarting download from beginning",
        ])
        // Fewer than DEFAULT_OTA_BUF_SIZE bytes written: the Range is still sent, from 0 (:355-362, 387-397).
        #expect(Self.resume(512, Self.rangeIgnored).exchanges.map(Self.rangeHeader) == ["Range: bytes=0-", nil])
    }

    /// An offset at or past the end of the image: a server that honours Range answers 416,
    /// which under ota_resumption is the same fallback (:114-116, 443-466); a second 416 is
    /// the error, as ota_resumption is off by then.
    @Test(arguments: [0, 1, 100_000])
    func anOffsetAtOrPastTheEndFallsBackToTheWholeImage(pastEnd: Int) {
        let unsatisfiable: [Timeline.Event] = [.bytes(Array("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = Self.resume(Self.image.count + pastEnd, Timeline(connections: [unsatisfiable, Self.imageAnswer]))
        #expect(model.verdict?.result == .espOK)
        #expect(model.exchanges.count == 2 && Self.rangeHeader(model.exchanges[1]) == nil)
        #expect(model.verdict?.log.first == "I (…) esp_https_ota: Requested range is incorrect (status code: 416)")
        let twice = Self.resume(Self.image.count, Timeline(connections: Array(repeating: unsatisfiable, count: 5)))
        #expect(twice.verdict?.code == 0x700A && twice.exchanges.count == 2)
    }

    @Test func aServerHonouringRangeResumesWithOneRequest() {
        let rest = Array(Self.image[65536...])
        let partial: [Timeline.Event] = [.bytes(Array("HTTP/1.1 206 Partial Content\r\nContent-Length: \(rest.count)\r\n\r\n".utf8) + rest, at: 1), .close(at: 2)]
        let model = Self.resume(65536, Timeline(connections: [partial]))
        #expect(model.verdict?.result == .espOK && model.exchanges.count == 1)
    }

    /// State RESUME's first perform calls esp_ota_resume(), which refuses an offset past the
    /// partition (v5.5.5 esp_ota_ops.c:220-222; esp_https_ota.c:754-760).
    @Test func anOffsetPastThePartitionIsRefusedByEspOtaResume() {
        let empty: [Timeline.Event] = [.bytes(Array("HTTP/1.1 206 Partial Content\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = Self.resume(DeviceIdentity().esp32.partitionSize + 4096, Timeline(connections: [empty]))
        #expect(model.verdict?.code == 0x102)
        #expect(model.verdict?.message == "E (…) esp_https_ota: esp_ota_resume failed (ESP_ERR_INVALID_ARG)")
    }

    /// With partial download the 206 rule still applies (its `#if` is compiled out in v5.5):
    /// the fallback's first range is `bytes=0-65535` again (:452-462), and a whole image in
    /// answer fills image_length at once.
    @Test func partialDownloadWithResumptionFallsBackToTheFirstRange() {
        let head: [Timeline.Event] = [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(Self.image.count)\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = Self.resume(0, Timeline(connections: [head] + Array(repeating: Self.imageAnswer, count: 5)), partial: true)
        #expect(model.verdict?.result == .espOK)
        #expect(model.exchanges.map(Self.rangeHeader) == [nil, "Range: bytes=0-65535", "Range: bytes=0-65535"])
    }

    // MARK: The device's own limits on the body: the partition and http_parser

    static let mebibyte = [UInt8](repeating: 0x61, count: 1 << 20)
    /// `head` (and `first`), then 1 MiB every millisecond for far longer than any limit.
    static func endless(_ head: String, first: [UInt8] = [], mebibytes: Int = 40) -> Timeline {
        Timeline([.bytes(Array(head.utf8) + first, at: 1)] + (0..<mebibytes).map { .bytes(mebibyte, at: 2 + $0) })
    }

    /// http_parser's conservative check `(ULLONG_MAX - 10) / 10 < content_length` before each
    /// digit (http_parser.c:1601-1610): 2^64 and even 2^64-1 fail, 18446744073709551609 passes.
    @Test func contentLengthIsReadAsHTTPParserReadsIt() {
        func parse(_ text: String) -> Result<UInt64?, HTTPParserError> { ESPIDFResponseReader.contentLength(Array(text.utf8)[...]) }
        #expect(parse("18446744073709551616") == .failure(.invalidContentLength))
        #expect(parse("18446744073709551615") == .failure(.invalidContentLength))
        #expect(parse("18446744073709551609") == .success(18_446_744_073_709_551_609))
        #expect(parse(" 1 000") == .success(1000))
        #expect(parse("12\t") == .failure(.invalidContentLength))
        #expect(parse("-1") == .failure(.invalidContentLength))
        #expect(parse("") == .success(nil))
    }

    /// A Content-Length of 2^64 stops the parser in the head; esp_http_client_fetch_headers()
    /// ignores that and reads on (v5.5.5 esp_http_client.c:1557-1586): a FIN is ESP_FAIL, and a
    /// server that never stops is followed for `Limits.headBytesRead` bytes, then the probe stops.
    @Test func contentLength2To64StopsTheParserInTheHead() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n"
        let closed = Self.idf("esp-idf-5.5", .response(head: head, body: Self.image))
        #expect(closed.verdict?.code == -1)
        #expect(closed.verdict?.cause == .headerNeverCompleted(bytes: head.utf8.count + Self.image.count, closed: true, parser: .invalidContentLength))
        let endless = Self.idf("esp-idf-5.5", Self.endless(head))
        #expect(endless.verdict?.result == .stillWaiting)
        guard case .parserStoppedServerStillSending(.invalidContentLength, let read, false)? = endless.verdict?.cause else {
            Issue.record("\(String(describing: endless.verdict?.cause))")
            return
        }
        #expect(read > Limits.headBytesRead && read <= Limits.headBytesRead + head.utf8.count + Self.mebibyte.count)
        // A second Content-Length, or one beside chunked, is the parser's error too (:1394-1397, 1810-1816).
        let twice = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"
        #expect(Self.idf("esp-idf-5.4", .response(twice)).verdict?.cause == .headerNeverCompleted(bytes: twice.utf8.count, closed: true, parser: .unexpectedContentLength))
        let both = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        #expect(Self.idf("esp-idf-5.4", .response(both)).verdict?.cause == .headerNeverCompleted(bytes: both.utf8.count, closed: true, parser: .unexpectedContentLength))
    }

    @Test func anEndlessHeaderLineOverflowsThenTheProbeStops() {
        let model = Self.idf("esp-idf-4.4", Self.endless("HTTP/1.1 200 OK\r\nX-Long: "))
        #expect(model.verdict?.result == .stillWaiting)
        if case .parserStoppedServerStillSending(let error, _, let inBody)? = model.verdict?.cause {
            #expect(error == .headerOverflow && !inBody)
        } else {
            Issue.record("\(String(describing: model.verdict?.cause))")
        }
    }

    /// Content-Length 1e9 parses; the image goes into the OTA partition until esp_ota_write's
    /// erase or write passes its end: ESP_ERR_INVALID_SIZE (v5.5.5 esp_ota_ops.c:314-327, 377;
    /// esp_partition partition_target.c:70-75, 130-135).
    @Test func aBillionByteContentLengthStopsAtThePartition() {
        let model = Self.idf("esp-idf-5.5", Self.endless("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n", first: Self.image))
        #expect(model.verdict?.code == 0x104)
        let partition = DeviceIdentity().esp32.partitionSize
        #expect(model.exchanges.first.map { $0.body.bytesReceived <= partition + Self.mebibyte.count + 4096 } == true)
    }

    /// A chunk size past `(ULLONG_MAX - 16) / 16` is HPE_INVALID_CONTENT_LENGTH (http_parser.c
    /// :2001-2005); the device then drops what follows until the FIN: ESP_FAIL.
    @Test func anOverflowingChunkSizeStopsTheParser() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        let model = Self.idf("esp-idf-5.5", .response(head: head, body: Array("FFFFFFFFFFFFFFFFF\r\n".utf8) + Self.image))
        #expect(model.verdict?.code == -1)
        #expect(model.verdict?.cause == .bodyFramingRefused(.invalidContentLength, written: 0, closed: true))
        // Leading zeros are no overflow: the check is on the value, not the digits.
        let padded = Self.image.chunks(ofCount: 4096).map { Array((String(repeating: "0", count: 20) + String($0.count, radix: 16) + "\r\n").utf8) + $0 + [13, 10] }
        let ok = Self.idf("esp-idf-5.5", .response(head: head, body: padded.flatMap { $0 } + Array("0\r\n\r\n".utf8)))
        #expect(ok.verdict?.result == .espOK)
    }

    /// Chunk extensions are skipped until a CR but counted as header bytes: past 80 KiB,
    /// HPE_HEADER_OVERFLOW (http_parser.c:154-161, 2011-2020). Then the device drops what
    /// follows: a FIN is ESP_FAIL, silence is the read retried forever, an endless stream is
    /// followed for `Limits.headBytesRead` bytes.
    @Test func anEndlessChunkExtensionOverflowsTheParser() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;"
        let endless = Self.idf("esp-idf-5.5", Self.endless(head))
        #expect(endless.verdict?.result == .stillWaiting)
        if case .parserStoppedServerStillSending(let error, let read, let inBody)? = endless.verdict?.cause {
            #expect(error == .headerOverflow && inBody)
            #expect(read <= 81920 + Limits.headBytesRead + 2 * Self.mebibyte.count)
        } else {
            Issue.record("\(String(describing: endless.verdict?.cause))")
        }
        let extensions = Array(Self.mebibyte.prefix(100_000))
        let closed = Self.idf("esp-idf-5.5", .response(head: head, body: extensions))
        #expect(closed.verdict?.cause == .bodyFramingRefused(.headerOverflow, written: 0, closed: true))
        let silent = Self.idf("esp-idf-5.5", .response(head: head, body: extensions, close: nil))
        #expect(silent.verdict?.result == .deviceHangs && silent.verdict?.cause == .bodyFramingRefused(.headerOverflow, written: 0, closed: false))
        // Under the limit an extension is just skipped.
        let short = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + Array("\(String(Self.image.count, radix: 16));\(String(repeating: "a", count: 80_000))\r\n".utf8) + Self.image + Array("\r\n0\r\n\r\n".utf8)
        #expect(Self.idf("esp-idf-5.5", Timeline([.bytes(short, at: 1), .close(at: 2)])).verdict?.result == .espOK)
    }

    /// arduino-esp32 refuses before reading: Content-Length above the partition is -100
    /// (A3.2.0 HTTPUpdate.cpp:243-260; `toInt()` clamps 2^64 to 2147483647), and a chunked or
    /// close-delimited body has no Content-Length at all, -101.
    @Test func arduinoESP32StopsAtItsPartitionBeforeReading() {
        for length in ["1000000000", "18446744073709551616"] {
            let model = ESP32ModelTests.runArduino("esp32-arduino-3.2", Self.endless("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n", first: Self.image, mebibytes: 3))
            #expect(model.verdict?.code == -100)
            #expect(model.exchanges.first?.body.bytesConsumedByDevice == 0)
        }
        for head in ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n"] {
            let model = ESP32ModelTests.runArduino("esp32-arduino-3.2", Self.endless(head, first: Self.image, mebibytes: 3))
            #expect(model.verdict?.code == -101)
            #expect(model.exchanges.first?.body.bytesConsumedByDevice == 0)
        }
    }
}

extension Array {
    /// Consecutive slices of at most `count` elements.
    func chunks(ofCount count: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: self.count, by: count).map { self[$0..<Swift.min($0 + count, self.count)] }
    }
}

/// ESP-IDF keeps its connection across `_http_connect`'s redirect and 401 loop while host and
/// port stay the same: `esp_http_client_connect()` connects only below HTTP_STATE_CONNECTED
/// (v5.4.4 esp_http_client.c:1531) and `esp_http_client_set_url()` closes only for a new host
/// or port (:1094-1133), whatever the scheme. `_http_handle_response_code` first reads the rest
/// of the 3xx/401 answer (v5.4.4 esp_https_ota.c:122-133).
@Suite struct ESPIDFConnectionReuseTests {
    static let image = ESP32Bodies.app
    static let imageAnswer: [Timeline.Event] = [.bytes(Array(ESPIDFHostileServerTests.ok(image).utf8) + image, at: 1), .close(at: 2)]

    /// Plays the timeline and keeps every plan the model asked for.
    static func run(_ profile: String, _ timeline: Timeline, url: String) -> (ESPIDFOTAModel, [ConnectionPlan]) {
        var model = ESPIDFOTAModel(profile: ESP32ModelTests.idf(profile), identity: DeviceIdentity(), settings: UpdaterSettings(url: url))
        var recorder = PlanRecorder(inner: model)
        timeline.play(&recorder)
        model = recorder.inner
        return (model, recorder.plans)
    }

    @Test(arguments: ["esp-idf-4.4", "esp-idf-5.1", "esp-idf-5.4", "esp-idf-5.5"])
    func httpToHTTPSOnTheSameHostAndPortStaysOnThePlainConnection(profile: String) {
        let redirect: [Timeline.Event] = [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: https://h:8070/fw.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)]
        let (model, plans) = Self.run(profile, Timeline(connections: [redirect, Self.imageAnswer]), url: "http://h:8070/fw.bin")
        #expect(model.verdict?.result == .espOK, "\(String(describing: model.verdict))")
        #expect(plans.map(\.reusesConnection) == [false, true])
        #expect(plans.last?.url.usesTLS == true)
        #expect(model.exchanges.last?.reusedConnection == true && model.exchanges.last?.tls == false)
    }

    /// The 3xx body is read to its end first, so its bytes never pass for the next answer's head.
    @Test func theRedirectBodyIsReadBeforeTheNextRequest() {
        let body = "<a href=\"/img\">moved</a>"
        let redirect: [Timeline.Event] = [
            .bytes(Array("HTTP/1.1 301 Moved\r\nLocation: /img\r\nContent-Length: \(body.utf8.count)\r\n\r\n<a href".utf8), at: 1),
            .bytes(Array(body.utf8.dropFirst(7)), at: 5),
        ]
        let (model, plans) = Self.run("esp-idf-5.5", Timeline(connections: [redirect, Self.imageAnswer]), url: "http://h/fw.bin")
        #expect(model.verdict?.result == .espOK, "\(String(describing: model.verdict))")
        #expect(plans.count == 2 && plans[1].reusesConnection)
        #expect(model.exchanges[1].startedAtMs == 5)
    }

    /// A server that closes after its 302: the device still writes into that connection and the
    /// read meets the close — ESP_FAIL from begin (v5.4.4 esp_http_client.c:1495-1504).
    @Test func aCloseSeenWhileDrainingFailsWithoutSending() {
        // No Content-Length: the 302's body ends at the FIN, so the device knows nothing more
        // than the probe — the next request goes into the closed connection all the same.
        let redirect: [Timeline.Event] = [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: /img\r\n\r\nmoved".utf8), at: 1), .close(at: 3)]
        let (model, plans) = Self.run("esp-idf-5.4", Timeline(connections: [redirect, Self.imageAnswer]), url: "http://h/fw.bin")
        #expect(model.verdict?.code == -1)
        #expect(model.verdict?.cause == .reusedConnectionClosed(url: "http://h:80/img"))
        #expect(plans.count == 1 && model.exchanges.count == 2 && model.exchanges[1].ending == .closedByServer)
    }

    /// A server that closes after its 302: the device still writes into that connection and the
    /// read meets the close — ESP_FAIL from begin (v5.4.4 esp_http_client.c:1495-1504).
    @Test(arguments: ["esp-idf-4.4", "esp-idf-5.1", "esp-idf-5.4", "esp-idf-5.5"])
    func aSameHostRedirectOverAClosedConnectionFails(profile: String) {
        let redirect: [Timeline.Event] = [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: /img\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let (model, plans) = Self.run(profile, Timeline(connections: [redirect, Self.imageAnswer]), url: "http://h/fw.bin")
        #expect(model.verdict?.code == -1)
        #expect(model.verdict?.cause == .reusedConnectionClosed(url: "http://h:80/img"))
        #expect(plans.map(\.reusesConnection) == [false, true] && model.exchanges.count == 2 && model.exchanges[1].reusedConnection)
    }

    /// Another host, or another port, closes the old connection and connects anew.
    @Test(arguments: ["http://other/img", "http://h:8080/img", "https://h:443/img"])
    func aNewHostOrPortConnectsAgain(location: String) {
        let redirect: [Timeline.Event] = [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let (model, plans) = Self.run("esp-idf-5.4", Timeline(connections: [redirect, Self.imageAnswer]), url: "http://h/fw.bin")
        #expect(model.verdict?.result == .espOK, "\(String(describing: model.verdict))")
        #expect(plans.map(\.reusesConnection) == [false, false])
    }
}

/// A model wrapper that remembers the connection plans it hands out.
struct PlanRecorder: DeviceModel {
    var inner: ESPIDFOTAModel
    var plans: [ConnectionPlan] = []
    var exchanges: [Exchange] { inner.exchanges }
    var verdict: Verdict? { inner.verdict }
    var nextAction: DeviceAction { inner.nextAction }
    mutating func start(at time: Int) { inner.start(at: time) }
    mutating func connected(remoteAddress: String?, at time: Int) {
        if case .open(let plan) = inner.nextAction { plans.append(plan) }
        inner.connected(remoteAddress: remoteAddress, at: time)
    }
    mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) { inner.connectFailed(failure, at: time) }
    mutating func sendFailed(detail: String, at time: Int) { inner.sendFailed(detail: detail, at: time) }
    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) { inner.receive(bytes, at: time) }
    mutating func connectionClosed(at time: Int, reset: Bool) { inner.connectionClosed(at: time, reset: reset) }
    mutating func deadlinePassed(at time: Int) { inner.deadlinePassed(at: time) }
}
