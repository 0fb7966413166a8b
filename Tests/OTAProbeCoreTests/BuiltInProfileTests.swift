import Foundation
import Testing
@testable import OTAProbeCore

/// The profiles built into the executable (EmbedProfiles plugin) are `profiles/` exactly: the
/// same files, the same bytes, the same decoded profiles — so a stale or lossy embedding fails
/// here, not in a user's report.
@Suite struct BuiltInProfileTests {
    static let fileNames: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Profiles.directory))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []

    @Test func everyFileInProfilesIsBuiltInByteForByte() throws {
        #expect(!Self.fileNames.isEmpty)
        #expect(BuiltInProfiles.files.map(\.fileName) == Self.fileNames,
                "profiles/ and the built-in set differ: after adding or removing a profile, touch Package.swift so SwiftPM re-plans the build")
        for file in BuiltInProfiles.files {
            let onDisk = try #require(FileManager.default.contents(atPath: Profiles.directory + "/" + file.fileName))
            #expect(file.bytes == Array(onDisk), "\(file.fileName) differs from the built-in copy")
        }
    }

    @Test func builtInProfilesDecodeToWhatTheFilesDecodeTo() throws {
        let builtIn = try ProfileCatalog.builtIn.profiles
        let onDisk = try Profiles.catalog.profiles
        #expect(builtIn == onDisk)
        #expect(builtIn.count == Self.fileNames.count)
    }

    @Test func theIndexAgreesWithTheDecodedNamesAndAliases() throws {
        for file in BuiltInProfiles.files {
            let profile = try ProfileDecoder.decode(file.bytes, path: file.path)
            #expect(file.name == profile.name)
            #expect(file.aliases == profile.aliases)
        }
    }

    @Test(arguments: [("esp8266", "esp8266-arduino-3.1.2"), ("esp32", "esp32-arduino-3.2"), ("esp-idf", "esp-idf-5.5"),
                      ("ESP-IDF-5.1", "esp-idf-5.1"), ("esp8266-arduino-2.4.2", "esp8266-arduino-2.4.2")])
    func namesAndAliasesResolveFromTheBuiltInSet(reference: String, name: String) throws {
        #expect(try ProfileCatalog.builtIn.resolve(reference).name == name)
    }

    @Test func anUnknownNameListsTheBuiltInOnes() {
        #expect(throws: ProfileError.self) { try ProfileCatalog.builtIn.resolve("esp8266-arduino-9.9") }
        do {
            _ = try ProfileCatalog.builtIn.resolve("esp8266-arduino-9.9")
        } catch {
            #expect(error.description.contains("esp-idf-5.5") && error.description.contains("esp32"))
        }
    }

    @Test func exportHandsOutTheShippedFile() throws {
        let exported = try ProfileCatalog.builtIn.sourceText(of: "esp32")
        #expect(exported.profile.name == "esp32-arduino-3.2")
        #expect(exported.bytes == Array(try #require(FileManager.default.contents(atPath: Profiles.directory + "/esp32-arduino-3.2.json"))))
        let fromDirectory = try Profiles.catalog.sourceText(of: "esp-idf")
        #expect(fromDirectory.bytes == Array(try #require(FileManager.default.contents(atPath: Profiles.directory + "/esp-idf-5.5.json"))))
    }

    @Test func theEnvironmentVariableStillPicksADirectory() throws {
        #expect(try ProfileCatalog.locate(environment: [:]).source == .builtIn)
        #expect(try ProfileCatalog.locate(environment: ["OTAPROBE_PROFILES": ""]).source == .builtIn)
        #expect(try ProfileCatalog.locate(environment: ["OTAPROBE_PROFILES": Profiles.directory]).source == .directory(Profiles.directory))
        #expect(throws: ProfileError.self) { try ProfileCatalog.locate(environment: ["OTAPROBE_PROFILES": "/nonexistent/profiles"]) }
    }
}
