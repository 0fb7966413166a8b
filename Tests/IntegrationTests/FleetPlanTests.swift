import Glibc
import Synchronization
import Testing
@testable import OTAProbe
@testable import OTAProbeCore

/// Reading fleet files and manifests, and the pool's two limits, without a network.
struct FleetPlanTests {
    func plan(_ text: String, source: String? = nil, profiles: ManifestProfiles = .defaults) throws -> FleetFile.Plan {
        try FleetFile.parse(text, name: "f.yaml", sourceURL: source, profileFor: profiles)
    }

    @Test func defaultsApplyAndEntriesKeepTheirOwn() throws {
        let result = try plan("""
            defaults:
              profile: esp8266-arduino-2.7.4
              flags: ["--free-space", 1695744]
              expect: [updated]
            checks:
              - url: http://h/a.bin
              - name: b
                url: http://h/b.bin
                profile: esp-idf
                flags: ["--chip", "esp32c3"]
                expect: fails-to-boot
            """)
        #expect(result.entries.map(\.name) == ["0", "b"])
        #expect(result.entries[0].profile == "esp8266-arduino-2.7.4" && result.entries[0].flags == ["--free-space", "1695744"])
        #expect(result.entries[0].expect == FleetExpectation(outcomes: [.updated]))
        #expect(result.entries[1].profile == "esp-idf" && result.entries[1].flags == ["--free-space", "1695744", "--chip", "esp32c3"])
        #expect(result.entries[1].expect.isMet(by: .failsToBoot) && !result.entries[1].expect.isMet(by: .updated))
        #expect(result.entries[1].location == FleetFileLocation(file: "f.yaml", line: 7, column: 5))
    }

    @Test func identicalEntriesShareARunKey() throws {
        let result = try plan("checks:\n  - {name: a, url: \"http://h/x\"}\n  - {name: b, url: \"http://h/x\"}\n  - {name: c, url: \"http://h/x\", flags: [\"--mode\", \"fs\"]}\n")
        #expect(result.entries[0].runKey == result.entries[1].runKey)
        #expect(result.entries[0].runKey != result.entries[2].runKey)
    }

    /// ESPHome 2025.12.7 http_request_update.cpp:140-150, string operations as the device does them.
    @Test(arguments: [
        ("firmware.ota.bin", "http://h:8080/fw/manifest.json", "http://h:8080/fw/firmware.ota.bin"),
        ("/ota/firmware.bin", "http://h:8080/fw/manifest.json", "http://h:8080/ota/firmware.bin"),
        ("https://cdn/x.bin", "http://h/fw/manifest.json", "https://cdn/x.bin"),
        ("../x.bin", "http://h/fw/manifest.json", "http://h/fw/../x.bin"),
        ("//cdn/x.bin", "https://h/m.json", "https://h//cdn/x.bin"),
        ("x.bin", "http://h/m.json?dir=/a/b", "http://h/m.json?dir=/a/x.bin"),
        ("/x.bin", "http://h", "http://h/x.bin"),
    ])
    func manifestPathsResolveAsESPHomeDoes(path: String, source: String, expected: String) {
        #expect(ESPHomeManifest.resolve(path, against: source) == expected)
    }

    @Test func manifestBuildsBecomeChecksByChipFamily() throws {
        var profiles = ManifestProfiles.defaults
        let accepted = profiles.set("ESP32-C3=esp-idf-5.4")
        let refused = profiles.set("ESP32-C3")
        #expect(accepted && !refused)
        let result = try plan("""
            {"name": "Hall", "version": "2025.12.7", "builds": [
              {"chipFamily": "ESP8266", "ota": {"path": "a.bin", "md5": "11"}},
              {"chipFamily": "ESP32-C3", "ota": {"path": "b.bin", "md5": "22"}},
              {"chipFamily": "BK72XX", "ota": {"path": "c.bin", "md5": "33"}}]}
            """, source: "http://h/m/manifest.json", profiles: profiles)
        #expect(result.entries.map(\.name) == ["Hall ESP8266", "Hall ESP32-C3"])
        #expect(result.entries.map(\.profile) == ["esphome-2025.12-esp8266", "esp-idf-5.4"])
        #expect(result.entries[1].flags == ["--chip", "esp32c3"] && result.entries[0].flags.isEmpty)
        #expect(result.entries.map(\.publishedMD5) == ["11", "22"])
        #expect(result.entries[1].url == "http://h/m/b.bin")
        #expect(result.skipped.count == 1 && result.skipped[0].contains("BK72XX"))
    }

    @Test func manifestWithoutRequiredFieldsIsRefusedWhereItIs() {
        #expect(throws: FleetFileError.self) { try plan("{\"version\": \"1\", \"builds\": []}") }
        do {
            _ = try plan("{\"name\": \"n\", \"version\": \"1\",\n \"builds\": [{\"chipFamily\": \"ESP32\"}]}", source: "http://h/m.json")
            Issue.record("a build without ota must be refused")
        } catch let error as FleetFileError {
            #expect(error.description.hasPrefix("f.yaml:2:13: builds[0] (ESP32) has no `ota`"), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// At most `workers` at once, at most `perHost` per host, every job exactly once.
    @Test func poolHonoursBothLimits() {
        let jobs = (0..<40).map { (index: $0, host: $0 % 3 == 0 ? "a" : "b") }
        let counters = Mutex((running: [String: Int](), peak: [String: Int](), total: 0, peakTotal: 0, done: [Int]()))
        FleetPool.run(jobs, host: { $0.host }, workers: 6, perHost: 2, work: { job in
            counters.withLock {
                $0.running[job.host, default: 0] += 1
                $0.total += 1
                $0.peak[job.host] = max($0.peak[job.host] ?? 0, $0.running[job.host]!)
                $0.peakTotal = max($0.peakTotal, $0.total)
            }
            usleep(2000)
            counters.withLock {
                $0.running[job.host]! -= 1
                $0.total -= 1
            }
            return job.index
        }, finished: { job, output in
            counters.withLock { $0.done.append(output) }
        })
        counters.withLock { state in
            #expect(state.done.sorted() == Array(0..<40))
            #expect(state.peak["a"]! <= 2 && state.peak["b"]! <= 2)
            #expect(state.peakTotal <= 4, "two hosts × two slots")
        }
    }
}
