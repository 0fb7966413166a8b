import Foundation
@testable import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// The issue's four findings from real servers, end to end over loopback: the codes were
/// right, the words around them misled. Each test probes a scenario that behaves like the
/// server in the report and checks what Why and What to change now say.
@Suite(.serialized) struct ServerWordsTests {
    static func check(_ path: String, profile: String, configure: (inout UpdaterSettings, inout DeviceIdentity) -> Void = { _, _ in }) -> ProbeReport {
        var settings = UpdaterSettings(url: Shared.server.url(path))
        var identity = DeviceIdentity()
        configure(&settings, &identity)
        return Probe(profile: Shared.device(profile), identity: identity, settings: settings).run()
    }

    static var origin: String { String(Shared.server.url("x").dropLast(2)) }

    // MARK: 1. The server's own words

    @Test(arguments: ["esp8266-arduino-3.1.2", "esp32-arduino-3.2"])
    func anUpdateScriptRefusingTheMACIsQuotedAndItsCheckNamed(profile: String) {
        let report = Self.check("update-script", profile: profile)
        #expect(report.verdict.code == -104)
        #expect(report.verdict.why.hasPrefix("The update script refused this device: \"ESP MAC not configured for updates\" (500)."))
        let family = profile.hasPrefix("esp8266") ? "ESP8266" : "ESP32"
        let mac = profile.hasPrefix("esp8266") ? DeviceIdentity().staMAC : DeviceIdentity().esp32.staMAC
        #expect(report.verdict.fix.first == "Register this device's MAC (\(mac), sent as x-\(family)-STA-MAC) in the script's list of devices, or probe as a registered device with --sta-mac.")
        // Not the generic advice for a crashed script.
        #expect(!report.verdict.fix.contains { $0.contains("choke on") || $0.contains("error log") })
    }

    @Test func theAdviceWorks_aRegisteredMACGetsTheImage() {
        let report = Self.check("update-script", profile: "esp8266-arduino-3.1.2") { _, identity in identity.staMAC = MACAddress(parsing: "18:FE:34:A1:B2:C3")! }
        #expect(report.verdict.result == .ok)
    }

    @Test func espIDFRefusedByAnArduinoScriptIsToldItSendsNoUpdaterHeaders() {
        let report = Self.check("update-script", profile: "esp-idf-5.5")
        #expect(report.verdict.why.hasPrefix("The update script refused this device: \"only for ESP updaters (ESP8266-http-Update, ESP32-http-Update)!\" (403)."))
        #expect(report.verdict.fix.count == 1)
        #expect(report.verdict.fix[0].contains("http_client_init_cb"))
        #expect(report.verdict.fix[0].contains("User-Agent 'ESP32 HTTP Client/1.0'"))
    }

    @Test func aServersOwnTextIsQuotedEvenWhenItIsNoRefusal() {
        let report = Self.check("service-unavailable", profile: "esp8266-arduino-3.1.2")
        #expect(report.verdict.why.hasSuffix("The server's own words: \"Service unavailable, try again later.\" (503)."))
        // A plain error page says nothing a code does not: no sentence for it.
        let plain = Self.check("forbidden", profile: "esp8266-arduino-3.1.2")
        #expect(!plain.verdict.why.contains("own words") && !plain.verdict.why.contains("refused"))
    }

    // MARK: 2. The redirect's target

    @Test func aDirectoryRedirectToA403IsNotAdvisedAsTheFinalURL() {
        let report = Self.check("dir-forbidden", profile: "esp8266-arduino-3.1.2")
        #expect(report.verdict.code == -104)
        let target = "\(Self.origin)/dir-forbidden/"
        // busybox's relative Location is resolved and printed absolute.
        #expect(report.redirectTarget?.url == target)
        #expect(report.redirectTarget?.location == "/dir-forbidden/")
        #expect(report.redirectTarget?.status == 403)
        #expect(report.redirectTarget?.deviceSucceeds == false)
        #expect(report.verdict.why.contains("The redirect leads to \(target), which answers 403 to the device's own request: the device would fail there too (HTTP_UPDATE_FAILED Error (-103): Forbidden (403))."))
        #expect(!report.verdict.fix.contains { $0.contains("Point the device at the final URL") || $0.contains("setFollowRedirects") })
        #expect(report.verdict.fix.first?.hasPrefix("\(target) is a directory, not a firmware file") == true)
    }

    @Test func aDirectoryListingNamesTheFirmwareFileAndThatFileWorks() throws {
        let report = Self.check("dir-listing", profile: "esp8266-arduino-3.1.2")
        let file = "\(Self.origin)/dir-listing/firmware.bin"
        #expect(report.redirectTarget?.directoryListing == true)
        #expect(report.redirectTarget?.firmwareLinks == [file])
        #expect(report.verdict.fix == ["\(Self.origin)/dir-listing/ is a directory, not a firmware file: point the device at the file itself, e.g. \(file) (linked from the listing)."])
        // Following the advice: the device updates from the named file.
        let followed = Probe(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(), settings: UpdaterSettings(url: file)).run()
        #expect(followed.verdict.result == .ok)
    }

    @Test func aRedirectToAWorkingFileIsAdvisedAbsolute() {
        let report = Self.check("redirect-relative", profile: "esp8266-arduino-3.1.2")
        #expect(report.redirectTarget?.deviceSucceeds == true)
        #expect(report.verdict.fix.first == "Point the device at \(Self.origin)/good: there it gets HTTP_UPDATE_OK.")
        #expect(report.verdict.fix.count == 2)
    }

    /// A redirect to a server that never answers: the target check shares what is left of
    /// `--max-time`, and an unknown answer is neither "point the device there" nor a failure.
    static let toSilence = Scenario(name: "redirect-to-silent", summary: "302 to /silent") { _ in
        [.send(Array("HTTP/1.1 302 Found\r\nLocation: /silent\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)), .close]
    }

    @Test func aTargetCheckCutShortByMaxTimeClaimsNothing() {
        let server = try! ScenarioServer(scenarios: [Self.toSilence] + ScenarioCatalog.all, connectionLifetimeMilliseconds: 20_000)
        var probe = Probe(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(), settings: UpdaterSettings(url: server.url("redirect-to-silent")))
        probe.maxTimeMs = 1200
        let started = ContinuousClock.now
        let report = probe.run()
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(report.verdict.code == -104)
        #expect(report.redirectTarget?.checked == true)
        #expect(report.redirectTarget?.deviceSucceeds == nil)
        #expect(report.verdict.why.contains("ran out of time (--max-time) before the device's result there was known"))
        #expect(!report.verdict.why.contains("would fail there too"))
    }

    @Test func aChainThatHitTheHopLimitIsNotReplayed() {
        var settings = UpdaterSettings(url: Shared.server.url("redirect-loop"))
        settings.redirectMode = .strict
        let report = Probe(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(), settings: settings).run()
        guard case .redirectNotFollowed(_, _, .limitReached) = report.verdict.cause else {
            Issue.record("\(report.verdict.cause)")
            return
        }
        #expect(report.redirectTarget == nil)
        #expect(report.exchanges.count == 11)
    }

    @Test func theTargetIsInTheJSON() throws {
        let report = Self.check("dir-forbidden", profile: "esp32-arduino-3.2")
        let json = JSONReport.render(report, redactor: Redactor())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let target = try #require(object["redirectTarget"] as? [String: Any])
        #expect(target["url"] as? String == "\(Self.origin)/dir-forbidden/")
        #expect(target["status"] as? Int == 403)
        #expect(target["deviceResult"] as? String == "HTTP_UPDATE_FAILED")
        #expect(target["deviceSucceeds"] as? Bool == false)
        // The existing keys stay.
        #expect(object["verdict"] != nil && object["exchanges"] != nil)
    }

    @Test func espIDFFollowingIntoADirectoryIsToldItIsADirectory() {
        let report = Self.check("dir-forbidden", profile: "esp-idf-5.5")
        #expect(report.exchanges.count == 2)
        #expect(report.redirectTarget == nil)
        #expect(report.verdict.why.contains("a directory, not a firmware file"))
        #expect(report.verdict.fix.first == "Point the device at the .bin file inside \(Self.origin)/dir-forbidden/, not at the directory.")
    }

    // MARK: 3. Compression

    @Test func apacheGzippingTheBinIsNamedFirstOnESP8266() {
        let report = Self.check("deflate-bin/firmware.bin", profile: "esp8266-arduino-3.1.2")
        #expect(report.verdict.code == -101)
        #expect(report.verdict.why.hasPrefix("The server compresses the response on the fly (Content-Encoding: gzip)"))
        #expect(report.verdict.fix.first?.hasPrefix("Serve the .bin uncompressed: turn off compression for .bin (Apache: SetEnv no-gzip") == true)
        #expect(!report.verdict.fix.contains { $0.contains("Apache send Content-Length for files") })
    }

    @Test func espIDFSeesGzipBytesNotChunkFraming() {
        let report = Self.check("deflate-bin/firmware.bin", profile: "esp-idf-5.5")
        #expect(report.verdict.code == 0x10A)
        #expect(report.verdict.why.contains("http_parser removes the chunk framing: the bytes esp_https_ota reads are gzip's, starting 1F 8B 08 00."))
        #expect(!report.verdict.why.contains("chunked transfer framing"))
        #expect(report.verdict.fix.first?.hasPrefix("Serve the .bin uncompressed") == true)
        #expect(!report.verdict.fix.contains { $0.contains("raw download link") })
    }

    @Test func esp32ArduinoNoLongerClaimsESPIDFWouldAcceptGzip() {
        let report = Self.check("deflate-bin/firmware.bin", profile: "esp32-arduino-3.2")
        #expect(report.verdict.code == -101)
        #expect(!report.verdict.why.contains("ESP-IDF would accept this body"))
        #expect(report.verdict.why.contains("ESP-IDF would not accept this body either: esp_http_client ignores Content-Encoding"))
        // The sentence still holds where it is true: a chunked, valid ESP32 image.
        let chunked = Self.check("esp32-chunked", profile: "esp32-arduino-3.2")
        #expect(chunked.verdict.why.contains("ESP-IDF would accept this body (http_parser decodes chunked framing)"))
        // And ESP-IDF itself takes that body, as the sentence says.
        #expect(Self.check("esp32-chunked", profile: "esp-idf-5.4").verdict.result == .espOK)
    }

    @Test func gzipUnderABinNameWithoutContentEncodingIsNamed() {
        let report = Self.check("gzip-bin/firmware.bin", profile: "esp-idf-5.5")
        #expect(report.verdict.why.hasPrefix("The body is gzip-compressed data (1F 8B) although the URL names a .bin"))
        #expect(report.verdict.fix.first?.hasPrefix("Serve the uncompressed .bin the build writes") == true)
        // ESP8266 2.7.4+ flashes a gzip image (eboot inflates it): nothing to complain about.
        let esp8266 = Self.check("gzip-bin/firmware.bin", profile: "esp8266-arduino-3.1.2")
        #expect(esp8266.verdict.result == .ok)
        #expect(!esp8266.verdict.why.contains("compress"))
    }

    // MARK: 4. Another chip

    @Test(arguments: ["esp-idf-5.5", "esp32-arduino-3.2"])
    func anESP8266ImageIsBuiltForAnotherChip(profile: String) {
        let report = Self.check("good", profile: profile)
        #expect(!report.verdict.deviceSucceeds)
        #expect(report.verdict.why.contains("built for another chip (ESP8266)"))
        #expect(report.verdict.fix.first?.hasPrefix("Build the firmware for the ESP32") == true)
        #expect(!report.verdict.fix.contains { $0.contains("does not return the firmware file") })
    }

    @Test func anImageForAnotherESP32ChipNamesIt() {
        let report = Self.check("esp32c3-image", profile: "esp-idf-5.5")
        #expect(report.verdict.why.contains("built for another chip (ESP32-C3)"))
        #expect(report.verdict.fix.last == "If the device really is an ESP32-C3, pass --chip esp32c3.")
        // The same image on a C3 is fine: the advice's flag is the right one.
        let onC3 = Self.check("esp32c3-image", profile: "esp-idf-5.5") { _, identity in identity.esp32.chip = .esp32c3 }
        #expect(onC3.verdict.result == .espOK)
    }
}
