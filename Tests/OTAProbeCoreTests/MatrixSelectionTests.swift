@testable import OTAProbeCore
import Testing

/// Which profiles a matrix runs (`--family`, `--profiles`), and the line under its table.
@Suite struct MatrixSelectionTests {
    @Test func familiesAndNamesAddUpInCatalogueOrder() throws {
        let esp8266 = try ProfileSelection(families: [.esp8266Arduino]).select(from: Profiles.catalog).map(\.name)
        #expect(esp8266 == ["esp8266-arduino-3.1.2", "esp8266-arduino-3.0.2", "esp8266-arduino-2.7.4", "esp8266-arduino-2.5.2", "esp8266-arduino-2.4.2"])
        // Names and aliases, given out of order and twice: catalogue order, each once.
        let mixed = try ProfileSelection(families: [.espIDF], names: ["esp32", "esp-idf-4.4", "esp8266-arduino-2.4.2"]).select(from: Profiles.catalog).map(\.name)
        #expect(mixed == ["esp8266-arduino-2.4.2", "esp32-arduino-3.2", "esp-idf-5.5", "esp-idf-5.4", "esp-idf-5.1", "esp-idf-4.4"])
        // Nothing chosen: the core stacks; a framework (ESPHome, Tasmota) only when named.
        #expect(try ProfileSelection().select(from: Profiles.catalog).map(\.name) == Profiles.catalog.profiles.filter { !$0.family.isFramework }.map(\.name))
        #expect(try ProfileSelection().select(from: Profiles.catalog).allSatisfy { $0.family != .tasmota && $0.family != .esphome })
        #expect(try ProfileSelection(families: [.esphome]).select(from: Profiles.catalog).map(\.name) == ["esphome-2026.6-esp8266", "esphome-2026.6-esp-idf", "esphome-2025.12-esp8266", "esphome-2025.12-esp32-arduino", "esphome-2025.12-esp-idf"])
        #expect(try ProfileSelection(families: [.tasmota]).select(from: Profiles.catalog).map(\.name) == ["tasmota-15.2-esp8266", "tasmota-15.2-esp32-safeboot", "tasmota-15.2-esp32"])
    }

    @Test func familyNamesAndUnknownNames() throws {
        #expect(try ProfileSelection.family(named: "esp8266") == .esp8266Arduino)
        #expect(try ProfileSelection.family(named: "ESP32-Arduino") == .esp32Arduino)
        #expect(try ProfileSelection.family(named: "esp-idf") == .espIDF)
        #expect(throws: ProfileError.unknownFamily(name: "esp31", available: ["esp8266", "esp32-arduino", "esp-idf", "esphome", "tasmota"])) {
            try ProfileSelection.family(named: "esp31")
        }
        #expect {
            try ProfileSelection(names: ["esp8266-arduino-9"]).select(from: Profiles.catalog)
        } throws: { error in
            (error as? ProfileError)?.description.hasPrefix("unknown profile 'esp8266-arduino-9'; available: esp8266-arduino-3.1.2,") == true
        }
    }

    static func entry(_ outcome: Outcome, _ result: Verdict.Result, _ code: Int) -> MatrixReport.Entry {
        MatrixReport.Entry(profile: "p", verdict: Verdict(result: result, code: code, name: "", message: "", stage: .done, deviceTimeMs: 1, cause: .updated),
                           outcome: outcome, adjustments: [])
    }

    /// The old line said "The profiles disagree" and the exit status was another matter: now it
    /// counts outcomes and results apart and names the exit status it is followed by.
    @Test func summaryCountsOutcomesAndResultsAndNamesTheExitStatus() {
        let mixed = [Self.entry(.updated, .ok, 0), Self.entry(.updated, .ok, 0), Self.entry(.failed, .failed, -104), Self.entry(.failed, .failed, 9)]
        #expect(MatrixReport.summary(mixed) == "4 profiles: 2 updated, 2 failed — 2 different outcomes, 3 different device results. Exit status 1: 2 of 4 do not end updated or with no update.")
        #expect(MatrixReport.exitCode(mixed) == 1)
        let good = [Self.entry(.updated, .ok, 0), Self.entry(.noUpdate, .noUpdates, 0)]
        #expect(MatrixReport.summary(good) == "2 profiles: 1 updated, 1 no update — 2 different outcomes, 2 different device results. Exit status 0: every profile ends updated or with no update.")
        #expect(MatrixReport.exitCode(good) == 0)
        let sameOutcome = [Self.entry(.failed, .failed, -104), Self.entry(.failed, .failed, -108)]
        #expect(MatrixReport.summary(sameOutcome) == "All 2 profiles: failed, with 2 different device results. Exit status 1: none of them ends updated or with no update.")
        let agree = [Self.entry(.updated, .ok, 0), Self.entry(.updated, .ok, 0)]
        #expect(MatrixReport.summary(agree) == "All 2 profiles: updated (HTTP_UPDATE_OK 0). Exit status 0: every profile ends updated or with no update.")
    }

    /// Case names were printed as they are spelled in code: `(unsupportedByCore)` in the matrix.
    @Test func redirectRefusalsReadAsWords() {
        let model = run(.response("HTTP/1.1 302 Found\r\nLocation: http://h/fw.bin\r\n\r\n"), profile: Profiles.v242)
        let explained = Diagnosis(profile: .esp8266(Profiles.v242), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(explained.summary == "302 → http://h/fw.bin not followed (this core cannot follow redirects)")
        let human = HumanReport(style: TerminalStyle(enabled: false), redactor: Redactor(), verbose: false)
            .render(ProbeReport(url: "http://h/", profile: .esp8266(Profiles.v242), identity: DeviceIdentity(), settings: model.settings, verdict: explained, exchanges: model.exchanges))
        #expect(human.contains("ended: left open at 1 ms"), "\(human)")
        #expect(Exchange.Ending.closedByServer.words == "closed by the server" && ConnectionFailure.Kind.timedOut.words == "timed out")
    }
}
