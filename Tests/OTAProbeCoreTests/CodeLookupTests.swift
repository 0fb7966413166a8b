import Testing
@testable import OTAProbeCore

/// `otaprobe explain`'s core: reading what the user typed, finding it in every stack, grouping
/// versions, and the completeness of the cause-and-fix tables.
@Suite struct CodeLookupTests {
    static let all: [DeviceProfile] = try! Profiles.catalog.profiles
    static let lookup = CodeLookup(profiles: all)

    static func found(_ query: CodeQuery, in lookup: CodeLookup = lookup) -> [CodeMatch] {
        if case .found(let matches) = lookup.find(query) { return matches }
        return []
    }

    // MARK: Reading the query

    @Test func numbersInDecimalAndHex() throws {
        #expect(try CodeQuery.parse(["-104"]) == .number(-104))
        #expect(try CodeQuery.parse(["+6"]) == .number(6))
        #expect(try CodeQuery.parse(["0x1503"]) == .number(5379))
        #expect(try CodeQuery.parse(["0X10a"]) == .number(266))
        #expect(try CodeQuery.parse(["-0x7007"]) == .number(-28679))
        // `%x` of a negative esp_err_t prints its 32-bit pattern.
        #expect(try CodeQuery.parse(["0xFFFF8FF9"]) == .number(-28679))
        #expect(try CodeQuery.parse(["-2147483648"]) == .number(-2147483648))
    }

    @Test func numbersNoIntHoldsAreRefused() {
        for text in ["2147483648", "-2147483649", "4294967296", "9223372036854775808", "0x100000000", "-0xFFFFFFFF"] {
            #expect(throws: CodeQuery.Refusal.self, "\(text)") { try CodeQuery.parse([text]) }
        }
        #expect(throws: CodeQuery.Refusal.self) { try CodeQuery.parse([]) }
        #expect(throws: CodeQuery.Refusal.self) { try CodeQuery.parse(["  "]) }
    }

    @Test func wordsAreJoinedAsTyped() throws {
        #expect(try CodeQuery.parse(["Wrong", "HTTP", "Code"]) == .words("Wrong HTTP Code"))
        #expect(try CodeQuery.parse([" ESP_ERR_OTA_VALIDATE_FAILED "]) == .words("ESP_ERR_OTA_VALIDATE_FAILED"))
        #expect(try CodeQuery.parse(["0x"]) == .words("0x"))
        #expect(try CodeQuery.parse(["12abc"]) == .words("12abc"))
    }

    // MARK: The tables are complete

    /// Every code of every shipped profile has a meaning, at least one cause and one fix.
    @Test(arguments: all.map(\.name))
    func everyCodeHasMeaningCausesAndFixes(_ name: String) {
        let guide = CodeGuide(profile: Profiles.device(name))
        #expect(!guide.codes.isEmpty)
        for entry in guide.entries {
            #expect(entry.meaning != CodeGuide.noNotes, "\(name) \(entry.code) \(entry.name)")
            #expect(!entry.causes.isEmpty, "\(name) \(entry.code) \(entry.name) has no cause")
            #expect(!entry.fixes.isEmpty, "\(name) \(entry.code) \(entry.name) has no fix")
        }
    }

    /// A note keyed by a code no profile of its stack has is a typo in the table.
    @Test(arguments: DeviceProfile.Family.allCases)
    func everyNoteBelongsToACode(_ family: DeviceProfile.Family) {
        let codes = Set(Self.all.filter { $0.family == family }.flatMap { CodeGuide(profile: $0).codes })
        for code in CodeNote.table(for: family).keys {
            #expect(codes.contains(code), "\(family.rawValue) note for \(code) has no code in any profile")
        }
    }

    /// Every code a profile's error table names (so every code its model can report) is found
    /// for that profile, by number and by name, with the profile's own name and text.
    @Test(arguments: all.map(\.name))
    func everyCodeIsFoundForItsProfile(_ name: String) {
        let profile = Profiles.device(name)
        let lookup = CodeLookup(profiles: [profile])
        for entry in CodeGuide(profile: profile).entries {
            let byNumber = Self.found(.number(entry.code), in: lookup)
            #expect(byNumber.count == 1 && byNumber.first?.name == entry.name && byNumber.first?.text == entry.message, "\(name) \(entry.code)")
            #expect(byNumber.first?.profiles == [name])
            if !entry.name.isEmpty {
                #expect(Self.found(.words(entry.name.lowercased()), in: lookup).contains { $0.code == entry.code }, "\(name) \(entry.name)")
            }
        }
    }

    /// The header timeout v5.x reports as -0x7007 (what `matrix` prints) is explained for
    /// each profile that produces it, under the name the model reports.
    @Test(arguments: ["esp-idf-5.1", "esp-idf-5.4", "esp-idf-5.5"])
    func headerTimeoutCodeIsExplainable(_ name: String) throws {
        let model = ESP32ModelTests.runIDF(name, Timeline([])) { $0.advancedAPI = true }
        let verdict = try #require(model.verdict)
        #expect(verdict.code == -28679)
        let match = try #require(Self.found(.number(verdict.code), in: CodeLookup(profiles: [Profiles.device(name)])).first)
        #expect(match.name == verdict.name && match.hex == "-0x7007")
        #expect(match.text == "ERROR", "esp_err_to_name() has no entry for a negated code")
        #expect(match.meaning.contains("timed out"))
    }

    // MARK: Every stack and version

    @Test func aCodeIsShownForEveryStackWithItsVersions() {
        let matches = Self.found(.number(-104))
        #expect(matches.map(ExplainReport.headline) == [
            "esp8266-arduino 2.4.2–3.1.2: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Wrong HTTP Code\"",
            "esp32-arduino 1.0.6–3.2: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Wrong HTTP Code\"",
            // Tasmota on the ESP32 publishes no reason at all (it asks the wrong object).
            "tasmota 15.2-esp32–15.2-esp32-safeboot: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Failed \"",
            "tasmota 15.2-esp8266: -104 HTTP_UE_SERVER_WRONG_HTTP_CODE \"Failed Wrong HTTP Code\"",
        ])
        // 401 has its own code from 3.0.2, so only the older versions list it here.
        #expect(matches[0].causes.contains("401 Unauthorized (this core has no separate code for it) (2.4.2–2.7.4)"))
        #expect(matches[0].causes.first == "a redirect (301/302/307/308) that is not followed by default (2.5.2–3.1.2)")
    }

    @Test func differentTextsAcrossVersionsAreShownApart() {
        let connection = Self.found(.number(-1))
        #expect(connection.map(ExplainReport.headline) == [
            "esp8266-arduino 2.4.2–2.5.2: -1 HTTPC_ERROR_CONNECTION_REFUSED \"HTTP error: connection refused\"",
            "esp8266-arduino 2.7.4–3.1.2: -1 HTTPC_ERROR_CONNECTION_FAILED \"HTTP error: connection failed\"",
            "esp32-arduino 1.0.6–3.2: -1 HTTPC_ERROR_CONNECTION_REFUSED \"HTTP error: connection refused\"",
            "esp-idf 4.4–5.5: -0x1 (-1) ESP_FAIL \"ESP_FAIL\"",
            "tasmota 15.2-esp32–15.2-esp32-safeboot: -1 HTTPC_ERROR_CONNECTION_REFUSED \"Failed \"",
            "tasmota 15.2-esp8266: -1 HTTPC_ERROR_CONNECTION_FAILED \"Failed HTTP error: connection failed\"",
        ])
        let unauthorized = Self.found(.number(-108))
        #expect(unauthorized.map(\.name) == ["HTTP_UE_SERVER_UNAUTHORIZED", "HTTP_UE_NO_PARTITION", "HTTP_UE_NO_PARTITION"])
        #expect(unauthorized.map(\.versions) == ["3.0.2–3.1.2", "1.0.6–3.2", "15.2-esp32–15.2-esp32-safeboot"])
    }

    @Test func versionRunsCollapse() {
        let family = ["esp8266-arduino-2.4.2", "esp8266-arduino-2.5.2", "esp8266-arduino-2.7.4", "esp8266-arduino-3.0.2", "esp8266-arduino-3.1.2"]
        #expect(CodeMatch.versionLabel(of: ["esp8266-arduino-3.1.2", "esp8266-arduino-2.4.2", "esp8266-arduino-3.0.2"], within: family, family: .esp8266Arduino) == "2.4.2, 3.0.2–3.1.2")
        #expect(CodeMatch.versionLabel(of: ["./my-fork.json"], within: [], family: .esp8266Arduino) == "./my-fork.json")
        #expect(CodeLookup.versionOrder("esp32-arduino-3.2", "esp32-arduino-3.10"))
    }

    // MARK: Names and printed text

    @Test func namesAndHexFindTheSameCode() {
        let byName = Self.found(.words("esp_err_ota_validate_failed"))
        let byHex = Self.found(try! CodeQuery.parse(["0x1503"]))
        #expect(byName == byHex && byName.first?.versions == "4.4–5.5" && byName.first?.hex == "0x1503")
        // The negated name is the negated code.
        #expect(Self.found(.words("-ESP_ERR_HTTP_EAGAIN")).map(\.code) == [-28679])
        #expect(Self.found(.words("ESP_ERR_HTTP_EAGAIN")).map(\.code) == [28679, -28679])
    }

    @Test func printedTextWholeInPartOrInsideALine() {
        #expect(Self.found(.words("wrong http code")).map(\.code) == [-104, -104])
        #expect(Self.found(.words("HTTP_UPDATE_FAILED Error (-11): HTTP error: read Timeout")).map(\.code) == [-11, -11])
        #expect(Self.found(.words("Stream Read Timeout")).map(\.name) == ["UPDATE_ERROR_STREAM", "UPDATE_ERROR_STREAM", "UPDATE_ERROR_STREAM"])
        // A serial log line: the slots of the printed text take the values.
        #expect(Self.found(.words("E (5123) esp_https_ota: Mismatch chip id, expected 0, found 27757")).map(\.code) == [0x10A])
        // The Updater's MD5 text differs by version, so the pasted one names its versions.
        let md5 = Self.found(.words("Update error: ERROR[7]: MD5 verification failed: expected: 0123, calculated: 4567"))
        #expect(md5.map(\.versions) == ["3.1.2"])
        #expect(Self.found(.words("File not found(404)")).map(\.name) == ["ESP_FAIL"])
    }

    @Test func ambiguousTextListsTheCandidates() {
        guard case .ambiguous(let candidates) = Self.lookup.find(.words("connection")) else {
            Issue.record("'connection' fits several codes")
            return
        }
        let names = Set(candidates.map(\.name))
        #expect(names.isSuperset(of: ["HTTPC_ERROR_CONNECTION_LOST", "HTTPC_ERROR_CONNECTION_FAILED", "ESP_ERR_HTTP_CONNECTION_CLOSED"]))
        #expect(ExplainReport.candidates(candidates, limit: 2).hasSuffix("more"))
    }

    @Test func unknownQueriesSuggestCloseNames() {
        #expect(Self.lookup.find(.words("ESP_ERR_OTA_VALIDATE_FAILD")) == .unknown(suggestions: ["ESP_ERR_OTA_VALIDATE_FAILED"]))
        #expect(Self.lookup.find(.words("no such thing at all")) == .unknown(suggestions: []))
        #expect(Self.lookup.find(.number(65536)) == .unknown(suggestions: []))
        // A lost sign: -0x1503 is not a code, 0x1503 is.
        #expect(Self.lookup.find(.number(-0x1503)) == .unknown(suggestions: ["0x1503 ESP_ERR_OTA_VALIDATE_FAILED"]))
    }

    @Test func printedTextSlots() {
        let text = PrintedText("Mismatch chip id, expected <id>, found <id>")
        #expect(text.pieces == ["mismatch chip id, expected ", ", found ", ""])
        #expect(text.isWhole("Mismatch chip id, expected 0, found 27757"))
        #expect(!text.isWhole("E (1) x: Mismatch chip id, expected 0, found 27757") && text.isInside("E (1) x: Mismatch chip id, expected 0, found 27757"))
        #expect(!text.isInside("Mismatch chip id"))
        // `<` that is not a slot stays text.
        #expect(PrintedText("a < b").pieces == ["a < b"])
    }
}
