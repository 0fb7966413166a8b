/// What one fleet entry came to, kept after its report is written and dropped: the few fields
/// the summary table, JUnit, Prometheus and the baseline comparison need.
public struct FleetResult: Sendable, Equatable {
    public let index: Int
    public let name: String
    public let url: String
    public let profile: String
    public let outcome: Outcome
    /// The device's result as its stack spells it, and its code.
    public let result: String
    public let code: Int
    public let deviceLine: String
    /// A few words on the cause (the verdict's summary).
    public let cause: String
    public let deviceTimeMs: Int
    public let expect: FleetExpectation
    /// A comparison with a published digest failed (`ota.md5`, `--md5-url`, `--expect-file`).
    public let integrityFailed: Bool

    public init(entry: FleetEntry, report: ProbeReport) {
        index = entry.index
        name = entry.name
        url = entry.url
        profile = report.profile.name
        outcome = report.outcome
        result = report.verdict.resultName
        code = report.verdict.code
        deviceLine = report.verdict.deviceLine
        let blockers = Outcome.bootBlockers(in: report.fit, filesystem: report.identity.mode == .fs)
        cause = report.integrity.first { $0.matches == false }?.message
            ?? (report.outcome == .failsToBoot ? blockers.map(\.message).joined(separator: "; ") : report.verdict.summary)
        deviceTimeMs = report.verdict.deviceTimeMs
        expect = entry.expect
        integrityFailed = report.integrity.contains { $0.matches == false }
    }

    /// An entry whose check could not be started: failed, and said so.
    public init(notRun entry: FleetEntry, because reason: String) {
        self.init(index: entry.index, name: entry.name, url: entry.url, profile: entry.profile ?? "", outcome: .failed,
                  result: "NOT_RUN", code: 0, deviceLine: "not run: \(reason)", cause: reason, deviceTimeMs: 0,
                  expect: entry.expect, integrityFailed: false)
    }

    public init(index: Int, name: String, url: String, profile: String, outcome: Outcome, result: String, code: Int,
                deviceLine: String, cause: String, deviceTimeMs: Int, expect: FleetExpectation, integrityFailed: Bool) {
        self.index = index
        self.name = name
        self.url = url
        self.profile = profile
        self.outcome = outcome
        self.result = result
        self.code = code
        self.deviceLine = deviceLine
        self.cause = cause
        self.deviceTimeMs = deviceTimeMs
        self.expect = expect
        self.integrityFailed = integrityFailed
    }

    /// The same result with its repeated strings replaced by the copies `intern` keeps, so a
    /// large fleet holds each distinct device line and cause once.
    public func sharing(_ intern: (String) -> String) -> FleetResult {
        FleetResult(index: index, name: name, url: url, profile: intern(profile), outcome: outcome, result: intern(result), code: code,
                    deviceLine: intern(deviceLine), cause: intern(cause), deviceTimeMs: deviceTimeMs, expect: expect, integrityFailed: integrityFailed)
    }

    /// Whether the entry is good: its outcome is one it may end in, and nothing it was
    /// compared with differs.
    public var met: Bool { expect.isMet(by: outcome) && !integrityFailed }
}
