import Testing
@testable import OTAProbeCore

/// Request bytes per version (spec §2.2, confirmed §13; 3.1.2:HC:916-973, 2.5.2:HC:1192-1238).
@Suite struct RequestTests {
    let identity = DeviceIdentity()

    func request(_ profile: ESP8266ArduinoProfile, _ url: String, redirected: Bool = false, identity: DeviceIdentity = DeviceIdentity()) -> String {
        let parsed = try! DeviceURL.parse(url, schemeCaseInsensitive: profile.request.schemeCaseInsensitive).get()
        return String(decoding: UpdateRequestBuilder(profile: profile, identity: identity).request(for: parsed, redirected: redirected), as: UTF8.self)
    }

    @Test func request312IsByteExact() {
        var identity = DeviceIdentity()
        identity.currentVersion = "1.0.3"
        #expect(request(Profiles.v312, "http://example.lan/fw.bin?build=7", identity: identity) == """
            GET /fw.bin?build=7 HTTP/1.0\r
            Host: example.lan\r
            User-Agent: ESP8266-http-Update\r
            Connection: close\r
            x-ESP8266-Chip-ID: 10451887\r
            x-ESP8266-STA-MAC: 5C:CF:7F:9F:7A:AF\r
            x-ESP8266-AP-MAC: 5E:CF:7F:9F:7A:AF\r
            x-ESP8266-free-space: 1695744\r
            x-ESP8266-sketch-size: 400000\r
            x-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r
            x-ESP8266-chip-size: 4194304\r
            x-ESP8266-sdk-version: 2.2.2-dev(38a443e)\r
            x-ESP8266-mode: sketch\r
            x-ESP8266-version: 1.0.3\r
            Content-Length: 0\r
            \r\n
            """)
    }

    @Test func request252HasOldOrderNoChipIDNoContentLength() {
        #expect(request(Profiles.v252, "http://u:p@h:8080/a") == """
            GET /a HTTP/1.0\r
            Host: h:8080\r
            User-Agent: ESP8266-http-Update\r
            Connection: close\r
            Authorization: Basic dTpw\r
            x-ESP8266-STA-MAC: 5C:CF:7F:9F:7A:AF\r
            x-ESP8266-AP-MAC: 5E:CF:7F:9F:7A:AF\r
            x-ESP8266-free-space: 1695744\r
            x-ESP8266-sketch-size: 400000\r
            x-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r
            x-ESP8266-chip-size: 4194304\r
            x-ESP8266-sdk-version: 2.2.1(cfd48f3)\r
            x-ESP8266-mode: sketch\r
            \r\n
            """)
    }

    /// MACs and the sketch MD5 typed in any case or spelling go out as the core writes them:
    /// `WiFi.macAddress()` is `%02X:` upper-case (3.0.2 ESP8266WiFiSTA.cpp:469-476, AP :355-362)
    /// and `ESP.getSketchMD5()` is MD5Builder's `%02x` lower-case (3.0.2 MD5Builder.cpp:87).
    @Test(arguments: Profiles.all.map(\.name))
    func identityIsSentInTheDevicesFormat(name: String) {
        let profile = Profiles.named(name)
        var identity = DeviceIdentity()
        identity.staMAC = MACAddress(parsing: "18:fe:34:a1:b2:c3")!
        identity.apMAC = MACAddress(parsing: "1A-FE-34-a1-b2-c3")!
        identity.sketchMD5 = HexDigest(hex: "2F5D8A0A6A4C7E2BB0A3F1C4D9E8B7A6", byteCount: 16)
        let text = request(profile, "http://h/fw.bin", identity: identity)
        #expect(text.contains("\r\nx-ESP8266-STA-MAC: 18:FE:34:A1:B2:C3\r\nx-ESP8266-AP-MAC: 1A:FE:34:A1:B2:C3\r\n"), "\(text)")
        #expect(text.contains("\r\nx-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r\n"), "\(text)")
    }

    /// `ESP.getSketchMD5()` returns "" when its buffer or flash read fails, and httpUpdate adds
    /// the header all the same (3.1.2:ESP:935-960, 3.1.2:UPD:175).
    @Test func missingSketchMD5IsSentEmpty() {
        var identity = DeviceIdentity()
        identity.sketchMD5 = nil
        #expect(request(Profiles.v312, "http://h/fw.bin", identity: identity).contains("\r\nx-ESP8266-sketch-md5: \r\n"))
    }

    @Test(arguments: [
        ("18:fe:34:a1:b2:c3", "18:FE:34:A1:B2:C3"), ("18-FE-34-A1-B2-C3", "18:FE:34:A1:B2:C3"), ("18fe34A1b2c3", "18:FE:34:A1:B2:C3"),
    ])
    func macSpellingsParseToTheDeviceForm(typed: String, sent: String) {
        #expect(MACAddress(parsing: typed)?.deviceText == sent)
    }

    @Test(arguments: ["18:fe:34:a1:b2", "18:fe:34:a1:b2:c3:d4", "18:fe-34:a1:b2:c3", "18:fe:34:a1:b2:g3", "18.fe.34.a1.b2.c3",
                      "18fe34a1b2c", "1:fe:34:a1:b2:c33", "", "１8:fe:34:a1:b2:c3"])
    func nonMACsAreRefused(typed: String) {
        #expect(MACAddress(parsing: typed) == nil)
    }

    @Test func authorizationComesBeforeConnectionFrom274() {
        let text = request(Profiles.v274, "http://user:secret@h/fw.bin")
        #expect(text.contains("User-Agent: ESP8266-http-Update\r\nAuthorization: Basic dXNlcjpzZWNyZXQ=\r\nConnection: close\r\nx-ESP8266-Chip-ID"))
        #expect(text.hasSuffix("Content-Length: 0\r\n\r\n"))
    }

    @Test(arguments: [("http://h:443/x", "h"), ("https://h:8443/x", "h:8443"), ("https://h/x", "h"), ("http://h:80/", "h"), ("http://h:8080", "h:8080")])
    func hostPortRuleIgnoresScheme(url: String, host: String) {
        #expect(request(Profiles.v312, url).contains("\r\nHost: \(host)\r\n"))
    }

    @Test func emptyPathSendsSlashAndFragmentIsSentVerbatim() {
        #expect(request(Profiles.v312, "http://h").hasPrefix("GET / HTTP/1.0\r\n"))
        #expect(request(Profiles.v312, "http://h/a#frag").hasPrefix("GET /a#frag HTTP/1.0\r\n"))
    }

    @Test func filesystemModeSaysSpiffs() {
        var identity = DeviceIdentity()
        identity.mode = .fs
        #expect(request(Profiles.v312, "http://h/fs.bin", identity: identity).contains("x-ESP8266-mode: spiffs\r\n"))
    }

    @Test func redirectedRequestLosesUpdaterHeaders() {
        #expect(request(Profiles.v312, "http://h/b", redirected: true) == "GET /b HTTP/1.0\r\nHost: h\r\nUser-Agent: ESP8266-http-Update\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        #expect(request(Profiles.v252, "http://h/b", redirected: true) == "GET /b HTTP/1.0\r\nHost: h\r\nUser-Agent: ESP8266-http-Update\r\nConnection: close\r\n\r\n")
    }
}

@Suite struct DeviceURLTests {
    @Test func splitsLikeBeginInternal() throws {
        let url = try DeviceURL.parse("http://me:pw@Example.LAN:8080/path/fw.bin?x=1", schemeCaseInsensitive: true).get()
        #expect(url.host == "Example.LAN")
        #expect(url.port == 8080)
        #expect(url.uri == "/path/fw.bin?x=1")
        #expect(url.userInfo == "me:pw")
    }

    @Test func queryWithoutPathStaysInTheHost() throws {
        let url = try DeviceURL.parse("http://h?x=1", schemeCaseInsensitive: true).get()
        #expect(url.host == "h?x=1")
        #expect(url.requestTarget == "/")
    }

    @Test func garbagePortIsZeroAndLargePortWraps() throws {
        #expect(try DeviceURL.parse("http://h:abc/x", schemeCaseInsensitive: true).get().port == 0)
        #expect(try DeviceURL.parse("http://h:99999/x", schemeCaseInsensitive: true).get().port == 34463)
    }

    @Test func upperCaseSchemeIsRefusedBefore30() {
        #expect(throws: DeviceURL.RefusalError.self) { try DeviceURL.parse("HTTP://h/x", schemeCaseInsensitive: false).get() }
        #expect((try? DeviceURL.parse("HTTP://h/x", schemeCaseInsensitive: true).get())?.scheme == "http")
    }
}

@Suite struct FlashLayoutTests {
    /// §13: 4M2M with a 400000-byte sketch: 1695744; 1M64: 561152.
    @Test func freeSketchSpaceMatchesTheDevice() {
        var identity = DeviceIdentity()
        #expect(identity.freeSketchSpace == 1_695_744)
        identity.layout = FlashLayout.named("1M64")!
        #expect(identity.freeSketchSpace == 561_152)
    }

    /// `getFreeSketchSpace()` is uint32_t arithmetic (3.1.2:ESP:623-634): a sketch past the FS
    /// start wraps near 4 GiB in the header, and `(int)` in httpUpdate makes it refuse (-100).
    @Test func freeSketchSpaceWrapsLikeTheUint32OnTheDevice() {
        var identity = DeviceIdentity()
        identity.sketchSize = 3_000_000
        #expect(identity.freeSketchSpace == 0x200000 - 3_002_368 + (1 << 32))
        identity.sketchSize = Int(UInt32.max)
        #expect(identity.freeSketchSpace == 0x200000)
        identity.freeSpaceOverride = Int(UInt32.max)
        var head = ResponseHead(code: 200)
        head.size = 1000
        let decision = UpdateDecisionTree(profile: Profiles.v312, identity: identity).decide(code: 200, head: head, expectedMD5: nil)
        #expect(decision == .fail(code: -100, stage: .size, cause: .notEnoughSpace(length: 1000, available: -1, filesystem: false)))
    }

    /// HTTPClient keeps the timeout in a uint16_t: 70000 ms runs as 4464 ms; ESP-IDF keeps an int.
    @Test func clientTimeoutWrapsOnArduinoStacks() {
        var settings = UpdaterSettings(url: "http://h/x")
        settings.clientTimeoutMs = 70_000
        #expect(Profiles.device("esp8266-arduino-3.1.2").clientTimeoutMs(settings) == 4464)
        #expect(Profiles.device("esp32-arduino-3.2").clientTimeoutMs(settings) == 4464)
        #expect(Profiles.device("esp-idf-5.5").clientTimeoutMs(settings) == 70_000)
        #expect(PhaseTimeouts(profile: Profiles.v312, clientTimeoutMs: 70_000, tls: false).idleMs == 4464)
    }

    @Test func filesystemEndRoundingChangedIn274() {
        let layout = FlashLayout.named("4M2M")!
        #expect(layout.filesystemStart == 0x200000)
        #expect(layout.filesystemEnd(roundedToBlockSize: true) == 0x3FA000)
        #expect(layout.filesystemEnd(roundedToBlockSize: false) == 0x3FB000)
        #expect(FlashLayout.named("1m64")!.filesystemStart == 0xEB000)
        #expect(FlashLayout.named("4M")!.filesystemStart == 0x3FB000)
    }

    @Test func namesFollowTheBoardMenu() {
        #expect(FlashLayout.known.map(\.name).contains("512K32"))
        #expect(FlashLayout.known.map(\.name).contains("16M15M"))
        #expect(FlashLayout.named("3M") == nil)
    }
}
