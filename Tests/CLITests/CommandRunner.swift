import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Runs the `otaprobe` executable users run — the release build the README makes
/// (`swift build -c release --static-swift-stdlib`), or `$OTAPROBE_BIN` — with a time limit,
/// and captures what it prints. A debug build can keep alive what a release build releases
/// early, so the shipped binary is the one tested.
enum CommandRunner {
    struct Output {
        /// The exit status; 128 + N when signal N ended the process (as a shell shows it).
        let status: Int32
        let stdout: String
        let stderr: String
        /// The signal that ended the process (a Swift trap is SIGILL or SIGTRAP), if one did.
        var signal: Int32? = nil
    }

    /// The package root, from this file's place in it.
    static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    static let executable: String = {
        if let path = getenv("OTAPROBE_BIN") { return String(cString: path) }
        return packageRoot + "/.build/release/otaprobe"
    }()

    /// Why the executable cannot be trusted to be the code under test, if it cannot: missing,
    /// or older than a source or profile file.
    static let staleness: String? = {
        guard getenv("OTAPROBE_BIN") == nil else { return nil }
        guard let built = modificationTime(executable) else {
            return "no release build at \(executable): run `swift build -c release --static-swift-stdlib` first (the README's test command does)"
        }
        for folder in ["Sources", "profiles"] {
            guard let walker = FileManager.default.enumerator(atPath: packageRoot + "/" + folder) else { continue }
            while let file = walker.nextObject() as? String {
                if let changed = modificationTime(packageRoot + "/" + folder + "/" + file), changed > built {
                    return "\(executable) is older than \(folder)/\(file): run `swift build -c release --static-swift-stdlib` again"
                }
            }
        }
        return nil
    }()

    private static func modificationTime(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    static func run(_ arguments: [String], timeoutSeconds: Int = 30) -> Output {
        if let staleness { return Output(status: -3, stdout: "", stderr: staleness) }
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        pipe(&outPipe)
        pipe(&errPipe)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[0])
        posix_spawn_file_actions_addclose(&actions, errPipe[0])
        let argv = [executable] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let variables: [String] = ["NO_COLOR=1", "PATH=/usr/bin:/bin"]
        var environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArgs, &environment)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else { return Output(status: -1, stdout: "", stderr: "spawn failed: \(spawned)") }
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        let (stdout, stderr, finished) = drain(outPipe[0], errPipe[0], until: deadline)
        var status: Int32 = 0
        if !finished {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            return Output(status: -2, stdout: stdout, stderr: stderr + "\n(killed after \(timeoutSeconds) s)")
        }
        waitpid(pid, &status, 0)
        // The low 7 bits hold the terminating signal (0: a normal exit); reading only the exit
        // byte would make a trap look like exit 0.
        let signal = status & 0x7F
        if signal != 0, signal != 0x7F {
            return Output(status: 128 + signal, stdout: stdout, stderr: stderr, signal: signal)
        }
        return Output(status: (status >> 8) & 0xFF, stdout: stdout, stderr: stderr)
    }

    /// Reads both pipes until both reach EOF (the child exited) or the deadline passes.
    private static func drain(_ out: Int32, _ err: Int32, until deadline: ContinuousClock.Instant) -> (String, String, Bool) {
        var collected: [Int32: [UInt8]] = [out: [], err: []]
        var open: Set<Int32> = [out, err]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { break }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready <= 0 { continue }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count <= 0 { open.remove(entry.fd); close(entry.fd) } else { collected[entry.fd, default: []] += buffer[..<count] }
            }
        }
        for descriptor in open { close(descriptor) }
        return (String(decoding: collected[out] ?? [], as: UTF8.self), String(decoding: collected[err] ?? [], as: UTF8.self), open.isEmpty)
    }
}

/// An `otaprobe` process left running (for `serve`), ended by its PID.
final class RunningCommand {
    let pid: pid_t

    init?(_ arguments: [String]) {
        if CommandRunner.staleness != nil { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [CommandRunner.executable] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var environment: [UnsafeMutablePointer<CChar>?] = [strdup("NO_COLOR=1"), nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, CommandRunner.executable, &actions, nil, &cArgs, &environment) == 0 else { return nil }
        self.pid = pid
    }

    /// Whether it is still running (it has not exited on its own).
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
