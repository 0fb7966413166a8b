import Testing

@testable import OTAProbeCore

/// Entries that ask the same question share one run; each run is made from its first entry,
/// and the others are reported from it in file order.
@Suite struct FleetRunsTests {
    func entry(_ index: Int, _ url: String, profile: String? = nil, flags: [String] = []) -> FleetEntry {
        FleetEntry(index: index, name: "e\(index)", url: url, profile: profile, flags: flags, expect: .success,
                   location: FleetFileLocation(file: "f.yaml", line: index + 2, column: 5))
    }

    @Test func identicalEntriesShareARunAndTheFirstStandsForIt() throws {
        let entries = [
            entry(0, "http://h/a.bin"),
            entry(1, "http://h/b.bin"),
            entry(2, "http://h/a.bin"),
            entry(3, "http://h/a.bin", profile: "esp-idf"),
            entry(4, "http://h/a.bin", flags: ["--free-space", "1"]),
            entry(5, "http://h/b.bin"),
            entry(6, "http://h/a.bin"),
        ]
        var firsts: [Int] = []
        let runs = try FleetRuns(entries) { firsts.append($0.index) }
        #expect(firsts == [0, 1, 3, 4], "each new question is seen once, in file order")
        #expect(runs.count == 4)
        #expect(runs.entries(ofRun: 0) == [0, 2, 6])
        #expect(runs.entries(ofRun: 1) == [1, 5])
        #expect(runs.entries(ofRun: 2) == [3])
        #expect(runs.entries(ofRun: 3) == [4])
        #expect(runs.otherEntries.keys.sorted() == [0, 1], "unshared runs keep nothing beyond their first entry")
    }

    @Test func aRefusedEntryStopsTheGrouping() {
        struct Refused: Error {}
        var seen = 0
        #expect(throws: Refused.self) {
            _ = try FleetRuns([entry(0, "http://h/a"), entry(1, "http://h/b"), entry(2, "http://h/c")]) {
                seen += 1
                if $0.index == 1 { throw Refused() }
            }
        }
        #expect(seen == 2)
    }
}
