import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESPHome 2025.12.7 `ota.http_request` on ESP-IDF, from hand-built timelines: the E10 rows of
/// spec esphome-and-tasmota.md that are read from source (ESP-IDF column), E3.1's request bytes
/// and E5.1's md5_url rules.
@Suite struct ESPHomeModelTests {
    static let profile: ESPHomeProfile = {
        guard case .esphome(let p) = Profiles.device("esphome") else { preconditionFailure("esphome") }
        return p
    }()

    static let image = ESP32Bodies.app
    static let imageMD5 = md5Hex(image)
    static func ok(_ body: [UInt8], extra: String = "") -> String { "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\(extra)\r\n" }

    static func run(_ timeline: Timeline, url: String = "http://h/fw.bin", md5: String? = imageMD5, identity: DeviceIdentity = DeviceIdentity(),
                    configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPHomeOTAModel {
        var settings = UpdaterSettings(url: url)
        settings.expectedMD5 = md5
        configure(&settings)
        var model = ESPHomeOTAModel(profile: profile, identity: identity, settings: settings)
        timeline.play(&model)
        return model
    }

    static func requests(_ model: ESPHomeOTAModel) -> [String] { model.exchanges.map { String(decoding: $0.request, as: UTF8.self) } }

    // MARK: Profile and request (E1, E3.1)

    @Test func aliasIsTheESPIDFProfile() {
        #expect(Self.profile.name == "esphome-2025.12-esp-idf")
        #expect(Profiles.device("esphome").family == .esphome)
        #expect(Self.profile.codeName(0x8B) == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
    }

    /// User-Agent then Host (set at init), the port only when it is not 80/443, Basic at once
    /// from the URL's credentials, no Content-Length, no Connection (E3.1).
    @Test func requestBytes() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image), url: "http://user:pa%20ss@h:8080/fw.bin?v=1")
        #expect(Self.requests(model) == [
            "GET /fw.bin?v=1 HTTP/1.1\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nHost: h:8080\r\nAuthorization: Basic dXNlcjpwYSUyMHNz\r\n\r\n",
        ])
        let plain = Self.run(.response(head: Self.ok(Self.image), body: Self.image), url: "http://192.168.1.5/fw.bin")
        #expect(Self.requests(plain) == ["GET /fw.bin HTTP/1.1\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nHost: 192.168.1.5\r\n\r\n"])
    }

    /// `username:`/`password:` are spliced into the URL unencoded (ota_http_request.cpp:206-223).
    @Test func usernameAndPasswordGoIntoTheURL() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image)) { $0.authorization = [.userPassword(user: "u", password: "p")] }
        #expect(Self.requests(model).first?.contains("Authorization: Basic dTpw\r\n") == true)
        #expect(model.verdict?.log.contains("[D][http_request.ota:217]: Using basic HTTP authentication") == true)
    }

    /// username/password need a `://` at index 4 or later to go after (ota_http_request.cpp:211-215).
    @Test func credentialsWithoutASchemeAreBadURL() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image), url: "h://x/fw.bin") { $0.authorization = [.userPassword(user: "u", password: "p")] }
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.code == 0x11)
        #expect(model.verdict?.name == "OTA_BAD_URL")
        #expect(model.verdict?.message == "[E][http_request.ota:213]: Incorrect URL prefix")
        let why = Diagnosis(profile: .esphome(Self.profile), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: []).why
        #expect(why.contains("Incorrect URL prefix") && !why.contains("crash"))
    }

    // MARK: The MD5 (E5 step 1, E5.1)

    @Test func noMD5MeansNoRequestAndCode16() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image), md5: nil)
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.result == .esphomeError)
        #expect(model.verdict?.code == 16)
        #expect(model.verdict?.name == "OTA_MD5_INVALID")
        #expect(model.verdict?.message == "")
        #expect(model.verdict?.log == ["[I][http_request.ota:50]: Starting update"])
    }

    // MARK: E10, ESP-IDF column

    @Test func validImageWithItsMD5Updates() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image))
        let verdict = model.verdict
        #expect(verdict?.result == .esphomeOK)
        #expect(verdict?.resultName == "OTA_RESPONSE_OK")
        #expect(verdict?.code == 0)
        #expect(verdict?.log.first == "[I][http_request.ota:50]: Starting update")
        #expect(verdict?.log.contains("[D][http_request.ota:97]: MD5 expected: \(Self.imageMD5)") == true)
        #expect(verdict?.log.contains("[I][http_request.ota:104]: Connecting to: http://h/fw.bin") == true)
        #expect(verdict?.log.contains("[D][http_request.ota:167]: Progress: 100.0%") == true)
        #expect(verdict?.log.suffix(3) == ["[I][http_request.ota:174]: Done in 0 seconds", "[I][http_request.ota:202]: Update complete", "[I][app:228]: Rebooting safely"])
        #expect(model.exchanges.last?.body.bytesConsumedByDevice == Self.image.count)
    }

    @Test func upperCaseOrWrongMD5IsMismatchAfterTheDownload() {
        for expected in [Self.imageMD5.uppercased(), String(repeating: "0", count: 32), String(Self.imageMD5.prefix(31))] {
            let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image), md5: expected)
            #expect(model.verdict?.code == 0x8B)
            #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_MD5_MISMATCH")
            #expect(model.verdict?.message == "[E][http_request.ota:181]: MD5 computed: \(Self.imageMD5) - Aborting due to MD5 mismatch")
            #expect(model.exchanges.last?.body.bytesConsumedByDevice == Self.image.count)
        }
        // Only 32 characters are compared: an md5sum line matches.
        let line = Self.run(.response(head: Self.ok(Self.image), body: Self.image), md5: Self.imageMD5 + "  firmware.bin")
        #expect(line.verdict?.code == 0)
    }

    @Test func chunkedOrLengthlessBodyIsReadAsLengthZero() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        let framed = Array(String(Self.image.count, radix: 16).utf8) + [13, 10] + Self.image + Array("\r\n0\r\n\r\n".utf8)
        for (head, body) in [(chunked, framed), ("HTTP/1.1 200 OK\r\n\r\n", Self.image), ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", [])] {
            let model = Self.run(.response(head: head, body: body))
            #expect(model.verdict?.code == 0x8B)
            #expect(model.verdict?.log.contains("[I][http_request.ota:174]: Done in 0 seconds") == true)
            #expect(model.verdict?.message == "[E][http_request.ota:181]: MD5 computed: d41d8cd98f00b204e9800998ecf8427e - Aborting due to MD5 mismatch")
            #expect(model.exchanges.last?.body.bytesConsumedByDevice == 0)
        }
    }

    @Test func bodyShorterThanLengthThenCloseIsStreamError() {
        let timeline = Timeline([.bytes(Array(Self.ok(Self.image).utf8) + Array(Self.image.prefix(1000)), at: 1), .close(at: 50)])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.name == "OTA_CONNECTION_ERROR")
        #expect(model.verdict?.message == "[E][http_request.ota:138]: Stream closed with error")
        #expect(model.verdict?.cause == .esphomeStreamError(received: 1000, expected: Self.image.count, closed: true))
    }

    /// A stall at a 256-byte boundary costs one timeout; inside a read, the read returns its
    /// bytes at the timeout and the next one waits again (IDF esp_http_client_read).
    @Test func stallIsStreamErrorAfterTheTimeout() {
        let aligned = Self.run(Timeline([.bytes(Array(Self.ok(Self.image).utf8) + Array(Self.image.prefix(1024)), at: 1), .close(at: 60_000)]))
        #expect(aligned.verdict?.code == 0x12)
        #expect(aligned.verdict?.deviceTimeMs == 1 + 4500)
        #expect(aligned.verdict?.cause == .esphomeStreamError(received: 1024, expected: Self.image.count, closed: false))
        let inside = Self.run(Timeline([.bytes(Array(Self.ok(Self.image).utf8) + Array(Self.image.prefix(1000)), at: 1), .close(at: 60_000)]))
        #expect(inside.verdict?.deviceTimeMs == 1 + 9000)
        #expect(inside.verdict?.cause == .esphomeStreamError(received: 1000, expected: Self.image.count, closed: false))
    }

    @Test func bytesBeyondContentLengthAreNotRead() {
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image + Array(repeating: 0x55, count: 300)))
        #expect(model.verdict?.code == 0)
    }

    @Test func htmlOrGzipFailsOnTheFirstWrite() {
        let html = Array("<html><body>Not here</body></html>".utf8) + Array(repeating: 0x20, count: 400)
        let model = Self.run(.response(head: Self.ok(html), body: html), md5: md5Hex(html))
        #expect(model.verdict?.code == 0x80)
        #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_MAGIC")
        #expect(model.verdict?.log.suffix(2) == ["[D][esp-idf:000]: E (…) esp_ota_ops: OTA image has invalid magic byte (expected 0xE9, saw 0x3c)",
                                                 "[E][http_request.ota:156]: Error code (80) writing binary data to flash at offset 0 and size \(html.count)"])
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + Array(repeating: 0, count: 600)
        #expect(Self.run(.response(head: Self.ok(gzip), body: gzip), md5: md5Hex(gzip)).verdict?.code == 0x80)
    }

    @Test func imageForAnotherChipFailsAtTheEnd() {
        let c3 = ESP32Bodies.c3App
        let model = Self.run(.response(head: Self.ok(c3), body: c3), md5: md5Hex(c3))
        #expect(model.verdict?.code == 0x84)
        #expect(model.verdict?.name == "OTA_RESPONSE_ERROR_UPDATE_END")
        #expect(model.verdict?.message == "[W][http_request.ota:197]: Error ending update! error_code: 132")
        #expect(model.exchanges.last?.body.bytesConsumedByDevice == c3.count)
    }

    @Test func lengthOverThePartitionIsRefusedAtBegin() {
        var identity = DeviceIdentity()
        identity.esp32.partitionSize = Self.image.count - 1
        let model = Self.run(.response(head: Self.ok(Self.image), body: Self.image), identity: identity)
        #expect(model.verdict?.code == 0x89)
        #expect(model.verdict?.message == "[W][http_request.ota:120]: backend->begin error: 137")
    }

    @Test func successStatusesOtherThan200AreConnectionErrorsWithoutAnHTTPLine() {
        for status in ["201 Created", "204 No Content", "206 Partial Content"] {
            let model = Self.run(.response(head: "HTTP/1.1 \(status)\r\nContent-Length: \(Self.image.count)\r\n\r\n", body: Self.image))
            #expect(model.verdict?.code == 0x12)
            #expect(model.verdict?.message == "")
            #expect(model.verdict?.log.contains { $0.contains("http_request.idf") } == false)
        }
    }

    @Test func errorStatusesAreConnectionErrorsWithTheirCode() {
        for code in [304, 401, 403, 404, 500] {
            let model = Self.run(.response("HTTP/1.1 \(code) X\r\nContent-Length: 0\r\n\r\n"))
            #expect(model.verdict?.code == 0x12)
            #expect(model.verdict?.message == "[E][http_request.idf:208]: HTTP Request failed; URL: http://h/fw.bin; Code: \(code)")
            #expect(model.exchanges.count == 1)
        }
    }

    @Test func noAnswerIsCodeMinusOneAfterTheTimeout() {
        let model = Self.run(Timeline([.close(at: 60_000)]))
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.deviceTimeMs == 4500)
        #expect(model.verdict?.log.suffix(2) == ["[D][esp-idf:000]: W (…) HTTP_CLIENT: Connection timed out before data was ready!",
                                                 "[E][http_request.idf:208]: HTTP Request failed; URL: http://h/fw.bin; Code: -1"])
    }

    // MARK: Redirects (E4.1)

    static func redirect(_ code: Int, to location: String) -> [UInt8] {
        Array("HTTP/1.1 \(code) Moved\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n".utf8)
    }

    @Test func redirectsAreFollowedUpToThreeHops() {
        for code in [301, 302, 303, 307, 308] {
            let timeline = Timeline(connections: [
                [.bytes(Self.redirect(code, to: "http://a/1"), at: 1)],
                [.bytes(Self.redirect(code, to: "http://b/2"), at: 1)],
                [.bytes(Self.redirect(code, to: "http://c/3"), at: 1)],
                [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)],
            ])
            let model = Self.run(timeline)
            #expect(model.verdict?.code == 0, "\(code)")
            #expect(model.exchanges.count == 4)
            #expect(Self.requests(model).last?.hasPrefix("GET /3 HTTP/1.1\r\nUser-Agent: ESPHome/2025.12.7 (https://esphome.io)\r\nHost: c\r\n") == true)
        }
    }

    @Test func aFourthRedirectReachesTheLimit() {
        let timeline = Timeline(connections: (1...4).map { [.bytes(Self.redirect(302, to: "http://h\($0)/x"), at: 1)] })
        let model = Self.run(timeline)
        #expect(model.exchanges.count == 4)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.log.suffix(2) == ["[W][http_request.idf:204]: Reach redirect limit count=3",
                                                 "[E][http_request.idf:208]: HTTP Request failed; URL: http://h/fw.bin; Code: 302"])
    }

    /// The signed URL of a GitHub release asset does not fit the 512-byte transmit buffer
    /// (issue esphome#13786).
    @Test func longRedirectTargetIsOutOfBuffer() {
        let long = "http://cdn/asset?" + String(repeating: "X-Amz-Signature%3D", count: 30)
        let model = Self.run(Timeline(connections: [[.bytes(Self.redirect(302, to: long), at: 1)]]))
        #expect(model.exchanges.count == 1)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.log.suffix(2) == ["[D][esp-idf:000]: E (…) HTTP_CLIENT: Out of buffer",
                                                 "[E][http_request.idf:184]: esp_http_client_open failed: ESP_FAIL"])
        #expect(model.verdict?.cause == .requestLineTooLong(long.utf8.count - "http://cdn".utf8.count))
    }

    @Test func missingLocationFailsSetRedirection() {
        let model = Self.run(.response("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n"))
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.message == "[E][http_request.idf:171]: esp_http_client_set_redirection failed: ESP_ERR_INVALID_ARG")
    }

    /// Same host and port: the request goes over the connection already open (E4.1).
    @Test func sameHostRedirectReusesTheConnection() {
        let timeline = Timeline([.bytes(Self.redirect(302, to: "/other.bin"), at: 1),
                                 .bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 5), .close(at: 6)])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0)
        #expect(model.exchanges.map(\.reusedConnection) == [false, true])
    }

    /// A same-host 3xx with a body: what came in fetch_headers' reads is returned first by the
    /// next read, so the image starts with it [derived, spec E4.1].
    @Test func sameHostRedirectBodyIsPrefixedToTheImage() {
        let page = Array("<html>moved</html>".utf8)
        let head = Array("HTTP/1.1 302 Found\r\nLocation: /other.bin\r\nContent-Length: \(page.count)\r\n\r\n".utf8)
        let timeline = Timeline([.bytes(head + page, at: 1), .bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 5), .close(at: 6)])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0x80, "\(model.verdict?.log ?? [])")
        #expect(model.verdict?.log.contains("[D][esp-idf:000]: E (…) esp_ota_ops: OTA image has invalid magic byte (expected 0xE9, saw 0x3c)") == true)
        #expect(model.verdict?.notes.contains { $0.contains("same-host redirect") } == true)
    }

    /// http:// → https://: the bundle was attached only for an "https:" URL, so esp-tls refuses
    /// the new connection; with verify_ssl: false (--tls insecure) it goes ahead.
    @Test func redirectToHTTPSHasNoCertificateBundle() {
        let timeline = Timeline(connections: [[.bytes(Self.redirect(302, to: "https://cdn/fw.bin"), at: 1)],
                                              [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        let model = Self.run(timeline)
        #expect(model.verdict?.code == 0x12)
        #expect(model.verdict?.cause == .tlsNoServerVerification)
        #expect(model.verdict?.log.suffix(3) == ["[D][esp-idf:000]: E (…) transport_base: Failed to open a new connection", "[D][esp-idf:000]: E (…) HTTP_CLIENT: Connection failed, sock < 0",
                                                 "[E][http_request.idf:184]: esp_http_client_open failed: ESP_ERR_HTTP_CONNECT"])
        #expect(model.exchanges.count == 2 && model.exchanges.last?.ending == .neverConnected)
        let insecure = Self.run(timeline) { $0.tls = TLSClientSettings(trust: .insecure, trustGiven: true) }
        #expect(insecure.verdict?.code == 0)
        // Given the https:// URL itself, the bundle is attached.
        let direct = Self.run(Timeline(connections: [[.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]]), url: "https://cdn/fw.bin")
        #expect(direct.verdict?.code == 0)
    }

    // MARK: The update entity's manifest (E8)

    static func manifest(version: String = "2025.12.8", builds: String? = nil) -> String {
        builds.map { #"{"name": "x", "version": "\#(version)", "builds": \#($0)}"# }
            ?? #"{"name": "x", "version": "\#(version)", "builds": [{"chipFamily": "ESP32-C3", "ota": {"path": "/c3.bin", "md5": "0"}}, {"chipFamily": "ESP32", "ota": {"path": "fw.bin", "md5": "\#(imageMD5)"}}]}"#
    }

    static func json(_ text: String, status: String = "200 OK") -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 \(status)\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8), at: 1), .close(at: 2)]
    }

    static func runManifest(_ connections: [[Timeline.Event]], url: String = "http://h/dir/manifest.json", identity: DeviceIdentity = DeviceIdentity()) -> ESPHomeOTAModel {
        Self.run(Timeline(connections: connections), url: url, md5: nil, identity: identity) { $0.manifest = true }
    }

    @Test func manifestBuildIsPickedByChipAndInstalled() {
        let model = Self.runManifest([Self.json(Self.manifest()), [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        #expect(model.verdict?.code == 0)
        #expect(Self.requests(model).map { $0.prefix(27) } == ["GET /dir/manifest.json HTTP", "GET /dir/fw.bin HTTP/1.1\r\nUs"])
        #expect(model.verdict?.log.prefix(2) == ["[I][http_request.ota:50]: Starting update", "[D][http_request.ota:97]: MD5 expected: \(Self.imageMD5)"])
        #expect(model.verdict?.notes.contains { $0.contains("offers version 2025.12.8") } == true)
        // The ESP32-C3 build for a C3 (its path joined to scheme://host).
        var c3 = DeviceIdentity()
        c3.esp32.chip = ESP32Chip.named("esp32c3")!
        let other = Self.runManifest([Self.json(Self.manifest()), [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]], identity: c3)
        #expect(Self.requests(other).last?.hasPrefix("GET /c3.bin HTTP/1.1") == true)
        #expect(other.verdict?.code == 0x8B)
    }

    @Test func sameVersionIsNoUpdate() {
        for version in ["2025.12.7", ""] {
            let model = Self.runManifest([Self.json(Self.manifest(version: version))])
            #expect(model.verdict?.result == .esphomeNoUpdate)
            #expect(model.exchanges.count == 1)
            #expect(Outcome.of(model.verdict!, fit: []) == .noUpdate)
        }
        var identity = DeviceIdentity()
        identity.currentVersion = "2025.12.8"
        #expect(Self.runManifest([Self.json(Self.manifest())], identity: identity).verdict?.result == .esphomeNoUpdate)
        // Older is "available" too: string equality only.
        identity.currentVersion = "2026.1.0"
        #expect(Self.runManifest([Self.json(Self.manifest()), [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]],
                                 identity: identity).verdict?.code == 0)
    }

    @Test func unusableManifests() {
        let notFound = Self.runManifest([Self.json("nope", status: "404 Not Found")])
        #expect(notFound.verdict?.result == .esphomeUpdateFailed)
        #expect(notFound.verdict?.resultName == "Failed to fetch manifest")
        #expect(notFound.verdict?.message == "[E][http_request.update:56]: Failed to fetch manifest from http://h/dir/manifest.json")
        #expect(Outcome.of(notFound.verdict!, fit: []) == .failed)

        let chunked = Self.runManifest([[.bytes(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".utf8), at: 1)]])
        #expect(chunked.verdict?.message == "[E][http_request.update:65]: Failed to allocate 0 bytes for manifest")
        #expect(chunked.verdict?.cause == .esphomeManifestUnusable(.allocationFailed(bytes: 0)))

        // A Content-Length past the probe's bound: not read, said to be the probe's stop.
        let huge = Self.runManifest([[.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 4000000000\r\n\r\n{".utf8), at: 1)]])
        #expect(huge.verdict?.result == .stillWaiting)
        #expect(huge.verdict?.cause == .probeStopped(.manifestTooLong(bytes: 4_000_000_000)))
        #expect(huge.exchanges.last?.body.bytesConsumedByDevice == 0)

        let truncated = Self.runManifest([Self.json(String(Self.manifest().prefix(40)))])
        #expect(truncated.verdict?.log.suffix(2) == ["[E][json:59]: Parse error: IncompleteInput", "[E][http_request.update:134]: Failed to parse JSON from http://h/dir/manifest.json"])

        let noOTA = Self.runManifest([Self.json(Self.manifest(builds: #"[{"chipFamily": "ESP32", "parts": []}]"#))])
        #expect(noOTA.verdict?.cause == .esphomeManifestUnusable(.missingFields))
        #expect(noOTA.verdict?.log.contains("[E][http_request.update:97]: Manifest does not contain required fields") == true)

        // A build without chipFamily before the device's stops the parse.
        let noFamily = Self.runManifest([Self.json(Self.manifest(builds: #"[{"ota": {}}, {"chipFamily": "ESP32", "ota": {"path": "a", "md5": "b"}}]"#))])
        #expect(noFamily.verdict?.cause == .esphomeManifestUnusable(.missingFields))

        let noBuild = Self.runManifest([Self.json(Self.manifest(builds: #"[{"chipFamily": "ESP8266", "ota": {"path": "a", "md5": "b"}}]"#))])
        #expect(noBuild.verdict?.cause == .esphomeManifestUnusable(.noBuild(variant: "ESP32")))
        #expect(noBuild.verdict?.log.filter { $0.hasPrefix("[E]") } == ["[E][http_request.update:134]: Failed to parse JSON from http://h/dir/manifest.json"])

        // A relative path containing "http" is taken verbatim and refused by set_url.
        let odd = Self.runManifest([Self.json(Self.manifest(builds: #"[{"chipFamily": "ESP32", "ota": {"path": "fw/http-bridge.bin", "md5": "b"}}]"#))])
        #expect(odd.verdict?.resultName == "URL not set")
        #expect(odd.verdict?.log.suffix(2) == ["[E][http_request.ota:271]: URL is invalid and/or must be prefixed with 'http://' or 'https://'",
                                               "[E][http_request.ota:46]: URL not set; cannot start update"])
    }

    /// What follows the JSON value is ignored, as deserializeJson stops after it.
    @Test func textAfterTheManifestIsIgnored() {
        let model = Self.runManifest([Self.json(Self.manifest() + "\n<!-- cache 3 -->"), [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        #expect(model.verdict?.code == 0)
    }

    @Test func manifestPathsResolveAsTheDeviceJoinsThem() {
        let source = "http://h:8080/fw/manifest.json?x=1/2"
        #expect(ESPHomeManifestReader.resolve("/a.bin", against: source) == "http://h:8080/a.bin")
        #expect(ESPHomeManifestReader.resolve("a.bin", against: source) == "http://h:8080/fw/manifest.json?x=1/a.bin")
        #expect(ESPHomeManifestReader.resolve("https://cdn/a.bin", against: source) == "https://cdn/a.bin")
    }

    // MARK: Outcome

    /// ESPHome's codes map to outcomes like the others: any error is `failed`; a success whose
    /// image cannot boot is `fails-to-boot`.
    @Test func outcomesFollowTheVerdict() {
        let ok = Self.run(.response(head: Self.ok(Self.image), body: Self.image)).verdict!
        let blocker = DeviceFit.Finding(aspect: "chip", ok: false, message: "built for another chip")
        #expect(Outcome.of(ok, fit: []) == .updated)
        #expect(Outcome.of(ok, fit: [blocker]) == .failsToBoot)
        let failed = Self.run(.response("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")).verdict!
        #expect(Outcome.of(failed, fit: []) == .failed)
        #expect(!failed.deviceSucceeds && ok.deviceSucceeds)
    }

    // MARK: md5_url (E5.1)

    static func md5File(_ text: String, at time: Int = 1) -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8), at: time), .close(at: time + 1)]
    }

    @Test func md5URLIsFetchedFirstThenTheImage() {
        let timeline = Timeline(connections: [Self.md5File(Self.imageMD5 + "  firmware.bin\n"),
                                              [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        let model = Self.run(timeline, md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(model.verdict?.code == 0)
        #expect(Self.requests(model).map { $0.prefix(20) } == ["GET /fw.md5 HTTP/1.1", "GET /fw.bin HTTP/1.1"])
        #expect(model.verdict?.log.prefix(3) == ["[I][http_request.ota:50]: Starting update", "[I][http_request.ota:236]: Connecting to: http://h/fw.md5",
                                                 "[D][http_request.ota:97]: MD5 expected: \(Self.imageMD5)"])
    }

    @Test func md5URLFailures() {
        // Content-Length under 32.
        let short = Self.run(Timeline(connections: [Self.md5File("abc")]), md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(short.verdict?.code == 0x10)
        #expect(short.verdict?.message == "[E][http_request.ota:248]: MD5 file must be 32 bytes; 3 bytes reported by HTTP server. Aborting")
        #expect(short.exchanges.count == 1)
        // Chunked: length 0, false without a line.
        let chunked = Timeline(connections: [[.bytes(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n\(Self.imageMD5)\r\n0\r\n\r\n".utf8), at: 1)]])
        let silent = Self.run(chunked, md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(silent.verdict?.code == 0x10)
        #expect(silent.verdict?.message == "")
        #expect(silent.verdict?.cause == .esphomeMD5URLFailed(.emptyLength))
        // Nothing listening.
        var refused = Timeline(connections: [])
        refused.connectFailure = ConnectionFailure(kind: .refused, detail: "refused")
        let none = Self.run(refused, md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(none.verdict?.code == 0x10)
        #expect(none.verdict?.message == "[E][http_request.ota:239]: Failed to connect to MD5 URL")
    }

    /// The status is not checked: a 404 page's first 32 bytes become the expected MD5.
    @Test func md5URLErrorPageBecomesTheMD5() {
        let page = "<html><head><title>404 Not Found</title></head></html>"
        let timeline = Timeline(connections: [[.bytes(Array("HTTP/1.1 404 Not Found\r\nContent-Length: \(page.utf8.count)\r\n\r\n\(page)".utf8), at: 1), .close(at: 2)],
                                              [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        let model = Self.run(timeline, md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(model.verdict?.code == 0x8B)
        #expect(model.verdict?.log.contains("[D][http_request.ota:97]: MD5 expected: \(page.prefix(32))") == true)
        #expect(model.verdict?.log.contains("[E][http_request.idf:208]: HTTP Request failed; URL: http://h/fw.md5; Code: 404") == true)
    }

    /// 20 bytes, a pause longer than the timeout, then the rest: the last read returns 12.
    @Test func md5ArrivingInTwoReadsIsRefused() {
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 32\r\n\r\n".utf8)
        let md5 = Array(Self.imageMD5.utf8)
        let timeline = Timeline(connections: [[.bytes(head + Array(md5.prefix(20)), at: 1), .bytes(Array(md5.dropFirst(20)), at: 6000), .close(at: 6001)]])
        let model = Self.run(timeline, md5: nil) { $0.md5URL = "http://h/fw.md5" }
        #expect(model.verdict?.code == 0x10)
        #expect(model.verdict?.cause == .esphomeMD5URLFailed(.shortRead(12)))
        // Within the timeout the read waits for all 32.
        let quick = Timeline(connections: [[.bytes(head + Array(md5.prefix(20)), at: 1), .bytes(Array(md5.dropFirst(20)), at: 3000), .close(at: 3001)],
                                           [.bytes(Array(Self.ok(Self.image).utf8) + Self.image, at: 1), .close(at: 2)]])
        #expect(Self.run(quick, md5: nil) { $0.md5URL = "http://h/fw.md5" }.verdict?.code == 0)
    }
}
