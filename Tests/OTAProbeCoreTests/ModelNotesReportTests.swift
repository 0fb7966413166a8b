@testable import OTAProbeCore
import Foundation
import Testing

/// A model's own notes (what only it saw while it played the exchange) must reach the reports
/// next to the diagnosis' notes: `Diagnosis.explain` used to replace them with its own.
@Suite struct ModelNotesReportTests {
    static func report(profile: DeviceProfile, settings: UpdaterSettings, verdict: Verdict, exchanges: [Exchange]) -> ProbeReport {
        ProbeReport.assemble(profile: profile, identity: DeviceIdentity(), settings: settings, verdict: verdict, exchanges: exchanges, lastBodyImage: nil)
    }

    static func human(_ report: ProbeReport) -> String {
        HumanReport(style: TerminalStyle(enabled: false), redactor: Redactor(), verbose: false).render(report)
    }

    static func jsonNotes(_ report: ProbeReport) throws -> [String] {
        let text = JSONReport.render(report, redactor: Redactor())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let verdict = try #require(object["verdict"] as? [String: Any])
        return try #require(verdict["notes"] as? [String])
    }

    /// ESPHome on ESP-IDF: a same-host 3xx body prefixed to the image is the model's note; the
    /// report shows it once, beside what the diagnosis adds.
    @Test func espIDFModelNoteReachesHumanAndJSON() throws {
        let page = Array("<html>moved</html>".utf8)
        let head = Array("HTTP/1.1 302 Found\r\nLocation: /other.bin\r\nContent-Length: \(page.count)\r\n\r\n".utf8)
        let image = ESPHomeModelTests.image
        let timeline = Timeline([.bytes(head + page, at: 1), .bytes(Array(ESPHomeModelTests.ok(image).utf8) + image, at: 5), .close(at: 6)])
        let model = ESPHomeModelTests.run(timeline)
        let verdict = try #require(model.verdict)
        let note = try #require(verdict.notes.first { $0.contains("same-host redirect") })
        let report = Self.report(profile: .esphome(ESPHomeModelTests.profile), settings: model.settings, verdict: verdict, exchanges: model.exchanges)
        #expect(report.verdict.notes.filter { $0 == note }.count == 1)
        #expect(try Self.jsonNotes(report).contains(note))
        let words = Self.human(report).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("esp_http_client keeps the bytes that came with a head in its buffer"))
        // Why speaks of the byte the device wrote, not of the image the server sent.
        #expect(report.verdict.why.hasPrefix("The device's first write began with 0x3C, the body of the same-host redirect"), "\(report.verdict.why)")
        #expect(report.verdict.fix.first?.hasPrefix("Send the redirect without a body") == true)
    }

    /// ESPHome 2025.12 on an ESP8266: "every read found bytes waiting" is the model's note.
    @Test func arduinoModelNoteReachesTheReport() throws {
        let firmware = ESPHomeESP8266ModelTests.firmware
        let model = ESPHomeESP8266ModelTests.run(.response(head: ESPHomeESP8266ModelTests.head(firmware.count), body: firmware))
        let verdict = try #require(model.verdict)
        let note = try #require(verdict.notes.first { $0.hasPrefix("Every read of this run found bytes waiting") })
        let report = Self.report(profile: Profiles.device("esphome-2025.12-esp8266"), settings: model.settings, verdict: verdict, exchanges: model.exchanges)
        #expect(try Self.jsonNotes(report).contains(note))
    }

    /// ESPHome sends no x-ESP32-*/x-ESP8266-* or Cache-Control headers at all (spec §1.1), so a
    /// followed redirect is not said to have lost them.
    @Test func esphomeRedirectIsNotSaidToDropUpdaterHeaders() throws {
        let image = ESPHomeModelTests.image
        let idf = ESPHomeModelTests.run(Timeline([.bytes(ESPHomeModelTests.redirect(302, to: "/other.bin"), at: 1),
                                                  .bytes(Array(ESPHomeModelTests.ok(image).utf8) + image, at: 5), .close(at: 6)]))
        let firmware = ESPHomeESP8266ModelTests.firmware
        let arduino = ESPHomeESP8266ModelTests.run(Timeline(connections: [
            [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other/fw.bin\r\nContent-Length: 0\r\n\r\n".utf8), at: 1)],
            [.bytes(Array(ESPHomeESP8266ModelTests.head(firmware.count).utf8) + firmware, at: 1), .close(at: 2)],
        ]))
        for (name, exchanges, verdict) in [("esphome-2025.12-esp-idf", idf.exchanges, idf.verdict), ("esphome-2025.12-esp8266", arduino.exchanges, arduino.verdict)] {
            #expect(exchanges.count == 2)
            let report = Self.report(profile: Profiles.device(name), settings: UpdaterSettings(url: "http://h/fw.bin"), verdict: try #require(verdict), exchanges: exchanges)
            #expect(!report.verdict.notes.contains { $0.contains("x-ESP32-") || $0.contains("x-ESP8266-") }, "\(report.verdict.notes)")
        }
    }

    /// Explaining an explained verdict again adds nothing twice.
    @Test func notesAreNotRepeated() throws {
        let firmware = ESPHomeESP8266ModelTests.firmware
        let model = ESPHomeESP8266ModelTests.run(.response(head: ESPHomeESP8266ModelTests.head(firmware.count), body: firmware))
        let diagnosis = Diagnosis(profile: Profiles.device("esphome-2025.12-esp8266"), identity: DeviceIdentity(), settings: model.settings)
        let once = diagnosis.explain(try #require(model.verdict), exchanges: model.exchanges)
        let twice = diagnosis.explain(once, exchanges: model.exchanges)
        #expect(!once.notes.isEmpty)
        #expect(twice.notes == once.notes)
    }
}
