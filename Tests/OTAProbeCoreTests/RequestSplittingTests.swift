import Testing
@testable import OTAProbeCore

/// A CR or LF in a value the user gives reaches the request as the device writes it
/// (HTTPClient filters nothing, 3.1.2:HC:794-821), and the verdict says which flag split it.
@Suite struct RequestSplittingTests {
    func explained(_ model: some DeviceModel, profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings) -> Verdict {
        Diagnosis(profile: profile, identity: identity, settings: settings).explain(model.verdict!, exchanges: model.exchanges)
    }

    @Test func currentVersionWithCRLFAddsAHeaderLine() {
        var identity = DeviceIdentity()
        identity.currentVersion = "1.0\r\nX-Evil: 1"
        let timeline = Timeline(connections: [[.bytes(Array("HTTP/1.1 304 Not Modified\r\n\r\n".utf8), at: 5), .close(at: 6)]])
        let model = run(timeline, identity: identity)
        let request = String(decoding: model.exchanges[0].request, as: UTF8.self)
        #expect(request.contains("x-ESP8266-version: 1.0\r\nX-Evil: 1\r\n"))
        let verdict = explained(model, profile: .esp8266(Profiles.v312), identity: identity, settings: UpdaterSettings(url: "http://192.168.1.10/fw.bin"))
        #expect(verdict.notes.contains { $0.contains("--current-version holds a line break") && $0.contains("'X-Evil: 1'") }, "\(verdict.notes)")
    }

    /// setAuthorization(base64) drops LFs (3.1.2:HC:299-303) but keeps CRs; the note never quotes it.
    @Test func encodedAuthorizationLosesItsLineFeedsOnly() {
        #expect(SketchAuthorization.encoded("YWJj\r\nX-Evil: 1").apply(to: nil) == "YWJj\rX-Evil: 1")
        #expect(SketchAuthorization.encoded("\n").apply(to: "dXJs") == nil)
        #expect(SketchAuthorization.encoded("").apply(to: "dXJs") == "dXJs")
        var settings = UpdaterSettings(url: "http://h/fw.bin")
        settings.authorization = [.encoded("YWJj\r\nX-Evil: 1")]
        let timeline = Timeline(connections: [[.bytes(Array("HTTP/1.1 304 Not Modified\r\n\r\n".utf8), at: 5), .close(at: 6)]])
        let model = run(timeline, url: "http://h/fw.bin") { $0 = settings }
        #expect(String(decoding: model.exchanges[0].request, as: UTF8.self).contains("Authorization: Basic YWJj\rX-Evil: 1\r\n"))
        let notes = explained(model, profile: .esp8266(Profiles.v312), identity: DeviceIdentity(), settings: settings).notes
        #expect(notes.contains { $0.contains("--authorization-base64 holds a bare CR") && !$0.contains("X-Evil") }, "\(notes)")
    }

    /// ESP-IDF's http_parser stops at CR/LF in a URL: init fails, nothing is sent.
    @Test func espIDFRefusesALineBreakInTheURL() {
        let model = ESP32ModelTests.runIDF("esp-idf-5.5", Timeline(connections: []), url: "http://h/fw.bin\r\n")
        #expect(model.exchanges.isEmpty)
        #expect(model.verdict?.cause == .urlRefused(.unparsable(13)))
        #expect(model.verdict?.code == -1)
    }
}
