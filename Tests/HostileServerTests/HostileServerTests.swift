import Dispatch
import Foundation
import ScenarioServer
import Synchronization
import TestSupport
import Testing

/// Points the built `otaprobe` at every behaviour in `HostileCatalog`, for each of the three stack
/// families, twice (`--json`, then the human report with `--verbose`), a few runs at a time, and
/// checks what the probe promises whatever a server does (design.md, "Trust"):
///
/// 1. time: it ends within the device's own time + 3 s — `waits × --timeout-ms + 3 s` for a
///    device that gives up or finishes by itself, `--max-time + 3 s` for one that would not;
/// 2. exit: status 0 or 1 (never a signal, 64 or 70); with --json, stdout is one JSON object
///    whose verdict agrees with the status (0 iff HTTP_UPDATE_OK, HTTP_UPDATE_NO_UPDATES or ESP_OK);
/// 3. control: no raw control byte (below 0x20 except LF, and DEL) in the human report or on
///    stderr, NO_COLOR=1 being set;
/// 4. scheme: every exchange in the JSON went to an http or https URL;
/// 5. rss: the child's peak RSS (wait4 ru_maxrss) is at most 32 MiB.
///
/// Environment: OTAPROBE_BIN (the binary; default: the one built beside the tests),
/// HOSTILE_FILTER (comma-separated substrings of behaviour names), HOSTILE_STACKS (comma-separated
/// profile names), HOSTILE_PARALLEL (CPU-bound runs at a time, default 3), HOSTILE_PARALLEL_PACED
/// (runs against dripping or silent servers at a time, beside those; default 6), HOSTILE_REPORT
/// (a file to write the failures to as tab-separated lines), HOSTILE_VERBOSE (print every run),
/// HOSTILE_OUTPUT_DIR (keep every run's stdout and stderr there).
@Suite struct HostileServerTests {
    static let timeoutMs = 1_000
    static let maxTimeMs = 10_000
    static let slackMs = 3_000
    static let rssLimitKilobytes = 32 * 1024
    /// The outcomes exit 0 stands for (the exit status follows `verdict.outcome`, not the result:
    /// a gzip bomb the ESP8266 "flashes" is HTTP_UPDATE_OK, but it fails to boot).
    static let successOutcomes: Set<String> = ["updated", "no-update"]

    @Test func hostileServersCannotBreakTheProbe() throws {
        let environment = ProcessInfo.processInfo.environment
        let filters = (environment["HOSTILE_FILTER"] ?? "").split(separator: ",").map(String.init)
        let stackNames = (environment["HOSTILE_STACKS"] ?? "").split(separator: ",").map(String.init)
        let parallel = max(1, Int(environment["HOSTILE_PARALLEL"] ?? "") ?? 3)
        let pacedParallel = max(1, Int(environment["HOSTILE_PARALLEL_PACED"] ?? "") ?? 6)
        let cases = HostileCatalog.all.filter { c in filters.isEmpty || filters.contains { c.name.contains($0) } }
        let stacks = Stack.allCases.filter { stackNames.isEmpty || stackNames.contains($0.rawValue) }
        try #require(!cases.isEmpty && !stacks.isEmpty, "HOSTILE_FILTER / HOSTILE_STACKS select nothing")

        HostileWarmUp.buildSharedBodies()
        let servers = try HostileServers(cases: cases)
        defer { servers.stop() }
        let help = CommandRunner.run(["check", "--help"])
        let maxTimeFlag = help.stdout.contains("--max-time") ? ["--max-time", String(Self.maxTimeMs)] : []

        var jobs: [HostileJob] = []
        for hostile in cases {
            for stack in stacks {
                for json in [true, false] {
                    jobs.append(HostileJob(hostile: hostile, stack: stack, json: json, url: servers.url(for: hostile, stack: stack), maxTimeFlag: maxTimeFlag))
                }
            }
        }
        // Longest first, so the pool ends together.
        jobs.sort { $0.budgetMs > $1.budgetMs }
        let started = ContinuousClock.now
        let failures = HostileJobPool.run([(jobs.filter { !$0.hostile.paced }, parallel), (jobs.filter(\.hostile.paced), pacedParallel)])
        let wall = ContinuousClock.now - started

        let sorted = failures.sorted { ($0.caseName, $0.stack.rawValue, $0.check, $0.run) < ($1.caseName, $1.stack.rawValue, $1.check, $1.run) }
        for failure in sorted { print("HOSTILE FAIL \(failure.line)") }
        let failingPairs = Set(sorted.map { "\($0.caseName) \($0.stack.rawValue)" })
        let failingBehaviours = Set(sorted.map(\.caseName))
        let summary = "HOSTILE \(cases.count) behaviours × \(stacks.count) stacks = \(cases.count * stacks.count) case-stacks, \(jobs.count) runs (\(parallel) + \(pacedParallel) paced at a time, "
            + "max-time flag \(maxTimeFlag.isEmpty ? "absent" : "passed")) in \(wall): \(sorted.count) failed checks in \(failingPairs.count) case-stacks, "
            + "\(failingBehaviours.count) behaviours"
        print(summary)
        if let path = environment["HOSTILE_REPORT"], !path.isEmpty {
            let table = sorted.map { [$0.caseName, $0.stack.rawValue, $0.run, $0.check, $0.observed].joined(separator: "\t") }.joined(separator: "\n")
            FileManager.default.createFile(atPath: path, contents: Data((summary + "\n" + table + "\n").utf8))
        }
        #expect(sorted.isEmpty, "\(summary) — see the HOSTILE FAIL lines")
    }

    @Test func catalogHasSixtyNamedDocumentedBehaviours() {
        let names = HostileCatalog.all.map(\.name)
        #expect(names.count >= 60)
        #expect(Set(names).count == names.count, "behaviour names must be unique")
        #expect(HostileCatalog.all.allSatisfy { !$0.summary.isEmpty && !$0.name.contains("/") })
        let readme = (try? String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("README.md").path, encoding: .utf8)) ?? ""
        for name in names { #expect(readme.contains("`\(name)`"), "README.md does not list \(name)") }
    }

    @Test func gzipBombInflatesToOneGiBInAboutOneMiB() {
        let bomb = GzipBomb.zeros
        #expect(bomb.compressedSize > 900_000 && bomb.compressedSize < 1_200_000)
        #expect(Array(bomb.tail.suffix(4)) == [0, 0, 0, 0x40])  // ISIZE 2^30
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.ofZeros(count: 1 << 21) == CRC32.checksum([UInt8](repeating: 0, count: 1 << 21)))
    }
}

/// Builds the shared bodies before any timed run, so no run pays for building them.
enum HostileWarmUp {
    static func buildSharedBodies() {
        _ = HostileBodies.esp8266Image.count + HostileBodies.esp32Image.count + HostileBodies.hundredThousandHeaders.count
        _ = HostileBodies.twentyThousandCookies.count + HostileBodies.oneMiBOfA.count + HostileBodies.noise.count
        _ = HostileBodies.headerFlood.count + HostileBodies.chunkFlood.count + HostileBodies.continueFlood.count
        _ = GzipBomb.zeros.compressedSize + HostileCatalog.gzippedImages.count
    }
}

/// The servers the catalog needs: one routed server for every behaviour that reads the request
/// (path `/<behaviour>/<stack tag>/…`), and a server of its own for each that acts on accept.
/// All on 127.0.0.1, ephemeral ports; each connection ends at the latest after 30 s.
final class HostileServers: Sendable {
    static let connectionLifetimeMs = 30_000
    let routed: ScenarioServer
    let single: [String: ScenarioServer]

    init(cases: [HostileCase]) throws {
        let scenarios = cases.filter { !$0.actsOnAccept }.map { hostile in
            Scenario(name: hostile.name, summary: hostile.summary) { context in
                let parts = (context.request?.target ?? "").split(separator: "/", omittingEmptySubsequences: false)
                let stack = parts.count > 2 ? Stack.tagged(parts[2]) ?? .esp8266 : .esp8266
                return hostile.respond(Served(stack: stack, origin: "http://\(context.host):\(context.port)", request: context.request))
            }
        }
        routed = try ScenarioServer(scenarios: scenarios, connectionLifetimeMilliseconds: Self.connectionLifetimeMs)
        var single: [String: ScenarioServer] = [:]
        for hostile in cases where hostile.actsOnAccept {
            let scenario = Scenario(name: hostile.name, summary: hostile.summary, readsRequest: false) { context in
                hostile.respond(Served(stack: .esp8266, origin: "http://\(context.host):\(context.port)", request: nil))
            }
            single[hostile.name] = try ScenarioServer(serving: scenario, connectionLifetimeMilliseconds: Self.connectionLifetimeMs)
        }
        self.single = single
    }

    func url(for hostile: HostileCase, stack: Stack) -> String {
        let port = single[hostile.name]?.port ?? routed.port
        return "\(hostile.https ? "https" : "http")://127.0.0.1:\(port)/\(hostile.name)/\(stack.tag)/fw.bin"
    }

    func stop() {
        routed.stop()
        single.values.forEach { $0.stop() }
    }
}

/// One run of the executable: a behaviour, a stack, JSON or human.
struct HostileJob: Sendable {
    let hostile: HostileCase
    let stack: Stack
    let json: Bool
    let url: String
    let maxTimeFlag: [String]

    var arguments: [String] {
        var arguments = ["check", url, "--profile", stack.rawValue, "--timeout-ms", String(HostileServerTests.timeoutMs)] + maxTimeFlag
        if hostile.followRedirects && stack.isArduino { arguments += ["--follow-redirects", "force"] }
        arguments += hostile.extraArguments(stack)
        arguments.append(json ? "--json" : "--verbose")
        return arguments
    }

    /// The device's own time + 3 s.
    var budgetMs: Int {
        switch hostile.deviceTime {
        case .waits(let count): return count * HostileServerTests.timeoutMs + HostileServerTests.slackMs
        case .unbounded: return HostileServerTests.maxTimeMs + HostileServerTests.slackMs
        }
    }

    var runName: String { json ? "json" : "human" }

    func run() -> [HostileFailure] {
        let output = CommandRunner.run(arguments, timeLimit: .milliseconds(budgetMs + 1_500))
        if let directory = ProcessInfo.processInfo.environment["HOSTILE_OUTPUT_DIR"], !directory.isEmpty {
            let base = "\(directory)/\(hostile.name).\(stack.rawValue).\(runName)"
            FileManager.default.createFile(atPath: base + ".stdout", contents: Data(output.stdoutBytes))
            FileManager.default.createFile(atPath: base + ".stderr", contents: Data(output.stderrBytes))
        }
        if ProcessInfo.processInfo.environment["HOSTILE_VERBOSE"] != nil {
            print("HOSTILE RUN \(hostile.name) [\(stack.rawValue)] \(runName): status \(output.status), \(output.elapsed), rss \(output.maxRSSKilobytes.map { "\($0) KiB" } ?? "?")")
        }
        var failures: [HostileFailure] = []
        func fail(_ check: String, _ observed: String) {
            failures.append(HostileFailure(caseName: hostile.name, stack: stack, run: runName, check: check, observed: observed))
        }
        let elapsedMs = Int(output.elapsed / .milliseconds(1))
        let seconds = { (ms: Int) in String(format: "%.1f s", Double(ms) / 1000) }
        // 1. time
        if output.timedOut {
            fail("time", "killed at \(seconds(elapsedMs)), budget \(seconds(budgetMs))")
        } else if elapsedMs > budgetMs {
            fail("time", "\(seconds(elapsedMs)) > budget \(seconds(budgetMs))")
        }
        // 2. exit status, JSON and verdict
        if !output.timedOut {
            if let signal = output.signal {
                fail("exit", "signal \(signal)")
            } else if output.status != 0 && output.status != 1 {
                fail("exit", "exit \(output.status): \(HostileText.escaped(output.stderrBytes.suffix(160)))")
            }
            if json && output.signal == nil { checkJSON(output, fail) }
        }
        // 3. control bytes on the terminal
        if !json, let found = HostileText.firstControlByte(in: output.stdoutBytes) { fail("control", "stdout \(found)") }
        if let found = HostileText.firstControlByte(in: output.stderrBytes) { fail("control", "stderr \(found)") }
        // 5. memory
        if let rss = output.maxRSSKilobytes {
            if rss > HostileServerTests.rssLimitKilobytes { fail("rss", String(format: "%.1f MiB peak RSS > 32 MiB", Double(rss) / 1024)) }
        } else {
            fail("rss", "not measured")
        }
        if output.outputTruncated { fail("output", "more than \(CommandRunner.outputByteLimit / 1_048_576) MiB on a stream") }
        return failures
    }

    private func checkJSON(_ output: CommandRunner.Output, _ fail: (String, String) -> Void) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(output.stdoutBytes))) as? [String: Any] else {
            fail("json", "stdout is not one JSON object (\(output.stdoutBytes.count) bytes: \(HostileText.escaped(output.stdoutBytes.prefix(80))))")
            return
        }
        let outcome = (object["verdict"] as? [String: Any])?["outcome"] as? String ?? "(no verdict.outcome)"
        if (output.status == 0) != HostileServerTests.successOutcomes.contains(outcome) {
            fail("verdict", "exit \(output.status) but verdict.outcome \(outcome)")
        }
        // 4. only http(s) targets
        let urls = ((object["exchanges"] as? [[String: Any]]) ?? []).compactMap { $0["url"] as? String }
        for url in urls where !(url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")) {
            fail("scheme", "exchange to \(HostileText.escaped(Array(url.utf8.prefix(80))))")
        }
    }
}

struct HostileFailure: Sendable {
    let caseName: String
    let stack: Stack
    let run: String
    let check: String
    let observed: String

    var line: String { "\(caseName) [\(stack.rawValue)] \(check) (\(run) run): \(observed)" }
}

/// Runs each queue of jobs on `width` threads of its own, all queues at once: the CPU-bound runs
/// a few at a time, the paced ones (drips, silence: waiting, not computing) beside them. The runs
/// block in poll and wait4, so they get threads of their own rather than Swift's cooperative pool,
/// which is only as wide as the machine has cores.
enum HostileJobPool {
    static func run(_ queues: [(jobs: [HostileJob], width: Int)]) -> [HostileFailure] {
        let failures = Mutex<[HostileFailure]>([])
        let group = DispatchGroup()
        for (jobs, width) in queues where !jobs.isEmpty {
            let queue = Mutex(jobs[...])
            for _ in 0..<min(width, jobs.count) {
                group.enter()
                Thread {
                    while let job = queue.withLock({ $0.popFirst() }) {
                        let found = job.run()
                        failures.withLock { $0 += found }
                    }
                    group.leave()
                }.start()
            }
        }
        group.wait()
        return failures.withLock { $0 }
    }
}

enum HostileText {
    /// The first byte a terminal would act on (C0 controls but LF, and DEL), with its offset and
    /// the bytes around it, escaped.
    static func firstControlByte(in bytes: [UInt8]) -> String? {
        guard let index = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }) else { return nil }
        let count = bytes.count(where: { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F })
        let window = bytes[max(0, index - 30)..<min(bytes.count, index + 30)]
        return "\(String(format: "0x%02X", bytes[index])) at byte \(index) (\(count) in all): …\(escaped(Array(window)))…"
    }

    /// Printable ASCII as is, everything else as \xNN.
    static func escaped<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var text = ""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") { text.append(Character(UnicodeScalar(byte))) } else { text += String(format: "\\x%02X", byte) }
        }
        return text
    }
}
