/// A fleet's entries grouped into runs: entries that ask the same question (same URL, profile,
/// flags and published digest) are run once and each reported from that run.
///
/// Kept as entry indices, not entries: a run is its first entry's index, and only runs that
/// are shared list their other entries. An array of entries per run cost a heap block per
/// entry for the whole fleet, which made peak memory grow with the number of entries.
public struct FleetRuns: Sendable, Equatable {
    /// For each run, the index (in the plan's entries) of the entry it is made from.
    public private(set) var firstEntry: [Int] = []
    /// For the runs that are shared, the indices of their other entries, in file order.
    public private(set) var otherEntries: [Int: [Int]] = [:]

    /// Groups `entries` by `runKey`; `isNewRun` is called once for the first entry of each run
    /// (fleet parses it there, so a bad entry stops the fleet before anything runs).
    public init(_ entries: [FleetEntry], isNewRun: (FleetEntry) throws -> Void = { _ in }) rethrows {
        var runOfKey: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let key = entry.runKey
            if let run = runOfKey[key] {
                otherEntries[run, default: []].append(index)
                continue
            }
            try isNewRun(entry)
            runOfKey[key] = firstEntry.count
            firstEntry.append(index)
        }
    }

    public var count: Int { firstEntry.count }

    /// The indices of every entry a run reports, its first one first.
    public func entries(ofRun run: Int) -> [Int] {
        [firstEntry[run]] + (otherEntries[run] ?? [])
    }
}
