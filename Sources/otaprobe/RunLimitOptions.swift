import ArgumentParser
import OTAProbeCore

/// The whole run's ceiling. The device's own deadlines are never shortened: a run that reaches
/// `--max-time` ends with DEVICE_STILL_WAITING ("the device would still be waiting").
struct RunLimitOptions: ParsableArguments {
    static let largestMaxTimeMs = 86_400_000

    @Option(help: ArgumentHelp(
        "Stop after this long (1 to 86400000 ms, a day) and report that the device would still be waiting. A device has no such limit: a server that drips bytes keeps it busy for ever. Default: \(Limits.defaultMaxTimeMs) (5 min).",
        valueName: "ms"))
    var maxTime: Int = Limits.defaultMaxTimeMs

    func validate() throws {
        guard (1...Self.largestMaxTimeMs).contains(maxTime) else {
            throw ValidationError("--max-time takes 1 to \(Self.largestMaxTimeMs) milliseconds, not \(maxTime)")
        }
    }
}
