import Testing
@testable import OTAProbeCore

@Suite struct ConnectAndTextTests {
    @Test func connectFailureIsMinusOneWithVersionText() {
        var timeline = Timeline([])
        timeline.connectFailure = ConnectionFailure(kind: .refused, detail: "Connection refused")
        let new = run(timeline).verdict!
        #expect(new.code == -1 && new.message == "HTTP error: connection failed" && new.name == "HTTPC_ERROR_CONNECTION_FAILED")
        let old = run(timeline, profile: Profiles.v252).verdict!
        #expect(old.message == "HTTP error: connection refused" && old.name == "HTTPC_ERROR_CONNECTION_REFUSED")
        #expect(old.deviceLine == "HTTP_UPDATE_FAILED Error (-1): HTTP error: connection refused")
    }

    @Test func upperCaseSchemeSendsNothingBefore30() {
        let model = run(Timeline([]), profile: Profiles.v274, url: "HTTP://h/fw.bin")
        #expect(model.verdict?.code == -1 && model.exchanges.isEmpty)
        #expect(run(Timeline([]), url: "HTTP://h/fw.bin").verdict?.code == -11)
    }

    @Test func everyProfileNamesEveryCodeItCanReturn() {
        for profile in Profiles.all {
            let catalog = ErrorCatalog(profile.errors)
            #expect(catalog.entry(for: -101).message == "Server Did Not Report Size")
            #expect(catalog.entry(for: 6).message == "Update error: ERROR[6]: Stream Read Timeout")
            #expect(catalog.entry(for: -11).message == "HTTP error: read Timeout")
            #expect(catalog.entry(for: -42).message == "HTTP error: ")
            #expect(catalog.entry(for: -108).message == (profile.update.unauthorizedCode == nil ? "" : "Unauthorized (401)"))
        }
        #expect(ErrorCatalog(Profiles.v242.errors).entry(for: -8).message == "HTTP error: too less ram")
        #expect(ErrorCatalog(Profiles.v312.errors).entry(for: 14).message == "Update error: ERROR[14]: Out of memory")
    }

    @Test func diagnosisExplainsARedirect() {
        let model = run(.response("HTTP/1.1 302 Found\r\nLocation: https://cdn.example/fw.bin\r\n\r\n"))
        let explained = Diagnosis(profile: .esp8266(Profiles.v312), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(explained.why.contains("redirecting to https://cdn.example/fw.bin"))
        #expect(explained.fix.first == "Point the device at the final URL (where the redirect leads), e.g. https://cdn.example/fw.bin.")
    }
}

@Suite struct RedactorTests {
    let redactor = Redactor()

    @Test func masksPasswordsAuthorizationAndSecretQueries() {
        #expect(redactor.redact("http://admin:hunter2@h/fw.bin") == "http://admin:***@h/fw.bin")
        #expect(redactor.redact("Authorization: Basic YWRtaW46aHVudGVyMg==\r\nHost: h") == "Authorization: Basic ***\r\nHost: h")
        #expect(redactor.redact("GET /fw.bin?token=abc&v=2 HTTP/1.0") == "GET /fw.bin?token=***&v=2 HTTP/1.0")
        #expect(redactor.redact("https://b.s3.amazonaws.com/fw.bin?X-Amz-Signature=deadbeef&X-Amz-Expires=60&part=1") == "https://b.s3.amazonaws.com/fw.bin?X-Amz-Signature=***&X-Amz-Expires=***&part=1")
        #expect(redactor.redact("Location: /x?api_key=k1#frag") == "Location: /x?api_key=***#frag")
    }

    @Test func leavesOrdinaryTextAndCanBeTurnedOff() {
        #expect(redactor.redact("http://h/fw.bin?version=1.2") == "http://h/fw.bin?version=1.2")
        #expect(redactor.redact("user@example.com wrote") == "user@example.com wrote")
        #expect(Redactor(enabled: false).redact("http://a:b@h/") == "http://a:b@h/")
    }
}

@Suite struct ProfileTests {
    @Test func allShippedProfilesLoadWithCitations() throws {
        #expect(try Profiles.catalog.profiles.count == 20)
        #expect(try Profiles.catalog.profiles.allSatisfy { !$0.cite.isEmpty })
        for profile in Profiles.all {
            #expect(!profile.cite.isEmpty)
            #expect(profile.cite["request.headerOrder"] != nil)
        }
        #expect(try Profiles.catalog.resolve("esp8266").name == "esp8266-arduino-3.1.2")
    }

    @Test func unknownProfileListsTheKnownOnes() {
        #expect(throws: ProfileError.self) { try Profiles.catalog.resolve("esp8266-arduino-9.9") }
    }

    @Test func syntaxErrorsNameTheLine() {
        let text = "{\n  \"schema\": \"otaprobe-profile/1\",\n  \"name\": oops\n}\n"
        do {
            _ = try ProfileDecoder.decode(Array(text.utf8), path: "bad.json")
            Issue.record("no error")
        } catch {
            guard case .malformed(_, let line, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(line == 3)
        }
    }

    @Test func schemaErrorsNameTheLineOfTheField() throws {
        let path = Profiles.directory + "/esp8266-arduino-3.1.2.json"
        var text = String(decoding: FileBytes.read(path), as: UTF8.self)
        text = text.replacingOccurrences("\"clientMs\": 8000", with: "\"clientMs\": \"eight\"")
        do {
            _ = try ProfileDecoder.decode(Array(text.utf8), path: "mine.json")
            Issue.record("no error")
        } catch {
            guard case .malformed(_, let line, let message) = error else { Issue.record("wrong error"); return }
            let expected = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"clientMs\"") }! + 1
            #expect(line == expected)
            #expect(message.contains("timeouts.clientMs must be a whole number"))
        }
        text = String(decoding: FileBytes.read(path), as: UTF8.self).replacingOccurrences("\"x-ESP8266-mode\",", with: "\"X-Mode\",")
        #expect(throws: ProfileError.self) { try ProfileDecoder.decode(Array(text.utf8), path: "mine.json") }
    }
}

import FoundationEssentials
enum FileBytes {
    static func read(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
}

@Suite struct IPv6LiteralTests {
    @Test func anIPv6LiteralIsSplitAtTheFirstColon() throws {
        let url = try DeviceURL.parse("http://[::1]:8080/fw.bin", schemeCaseInsensitive: true).get()
        #expect(url.host == "[" && url.port == 0)
        var timeline = Timeline([])
        timeline.connectFailure = ConnectionFailure(kind: .nameResolution, detail: "bad host")
        let model = run(timeline, url: "http://[::1]:8080/fw.bin")
        let explained = Diagnosis(profile: .esp8266(Profiles.v312), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(explained.code == -1 && explained.why.contains("IPv6 literal"))
    }
}
