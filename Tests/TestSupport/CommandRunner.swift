import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs the `otaprobe` executable with a time limit and captures what it prints, how it ended,
/// how long it took and its peak memory. Shared by every test target that runs the executable,
/// so the binary is looked up in one place (`executable`).
public enum CommandRunner {
    public struct Output: Sendable {
        /// The exit status; -1 when it could not be started, -2 when it was killed at the time
        /// limit, -3 when a signal ended it (see `signal`), -4 when the binary is stale.
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// The raw bytes (up to `outputByteLimit` each), for checks that care about bytes that
        /// String decoding would hide or replace.
        public let stdoutBytes: [UInt8]
        public let stderrBytes: [UInt8]
        /// The signal that ended the process (SIGKILL when the runner killed it at the limit).
        public let signal: Int32?
        /// Peak resident set size of the otaprobe process itself, in KiB (`wait4` ru_maxrss);
        /// nil when it could not be measured.
        public let maxRSSKilobytes: Int?
        /// From start to exit (or to the kill at the limit).
        public let elapsed: Duration
        /// True when a stream went past `outputByteLimit` (the rest was read and dropped).
        public let outputTruncated: Bool

        public var timedOut: Bool { status == -2 }
    }

    /// The executable users run: `OTAPROBE_BIN` if set, else the release build the README makes
    /// (`swift build -c release --static-swift-stdlib`). A debug build can keep alive what the
    /// release build releases early, so the shipped binary is the one tested.
    public static let executable: String = {
        if let override = getenv("OTAPROBE_BIN").map({ String(cString: $0) }), !override.isEmpty { return override }
        return packageRoot + "/.build/release/otaprobe"
    }()

    /// The package root, from this file's place in it.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    /// Why the executable cannot be trusted to be the code under test, if it cannot: missing,
    /// or older than a source, plugin or profile file. Runs then end at once with status -4.
    public static let staleness: String? = {
        guard getenv("OTAPROBE_BIN") == nil else { return nil }
        guard let built = modificationTime(executable) else {
            return "no release build at \(executable): run `swift build -c release --static-swift-stdlib` first (the README's test command does)"
        }
        for folder in ["Sources", "Plugins", "profiles"] {
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

    /// What the child's environment holds by default: no colour, a plain PATH.
    public static let defaultEnvironment = ["NO_COLOR=1", "PATH=/usr/bin:/bin"]

    /// Bytes kept per stream; the rest is drained and dropped so a runaway child cannot balloon
    /// the test process.
    public static let outputByteLimit = 16 * 1024 * 1024

    public static func run(_ arguments: [String], timeoutSeconds: Int = 30, environment: [String] = defaultEnvironment,
                           executable: String = executable, workingDirectory: String? = nil) -> Output {
        run(arguments, timeLimit: .seconds(timeoutSeconds), environment: environment, executable: executable, workingDirectory: workingDirectory)
    }

    /// Starts the executable with `arguments`, waits at most `timeLimit`, then SIGKILLs it.
    /// `executable` may be a copy of the release build (an installed binary), and
    /// `workingDirectory` where it runs (default: the test's own).
    public static func run(_ arguments: [String], timeLimit: Duration, environment: [String] = defaultEnvironment,
                           executable: String = executable, workingDirectory: String? = nil) -> Output {
        if let staleness {
            return Output(status: -4, stdout: "", stderr: staleness, stdoutBytes: [], stderrBytes: [], signal: nil,
                          maxRSSKilobytes: nil, elapsed: .zero, outputTruncated: false)
        }
        var cArgs: [UnsafeMutablePointer<CChar>?] = []
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        let started = ContinuousClock.now
        let child: SpawnedChild
        switch Spawner.start(executable: executable, arguments: arguments, workingDirectory: workingDirectory,
                             environment: &cEnvironment, argumentStorage: &cArgs) {
        case .failure(let message):
            cArgs.forEach { free($0) }
            return Output(status: -1, stdout: "", stderr: message, stdoutBytes: [], stderrBytes: [], signal: nil,
                          maxRSSKilobytes: nil, elapsed: .zero, outputTruncated: false)
        case .success(let spawned):
            child = spawned
        }
        cArgs.forEach { free($0) }
        let deadline = started + timeLimit
        let drained = drain(child.stdout, child.stderr, until: deadline)
        if !drained.finished { kill(child.pid, SIGKILL) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(child.pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - started
        let stdout = String(decoding: drained.out, as: UTF8.self)
        var stderr = String(decoding: drained.err, as: UTF8.self)
        let exited = (status & 0x7F) == 0
        let signal: Int32? = exited ? nil : status & 0x7F
        let code: Int32
        if !drained.finished {
            code = -2
            stderr += "\n(killed after \(timeLimit))"
        } else {
            code = exited ? (status >> 8) & 0xFF : -3
        }
        return Output(status: code, stdout: stdout, stderr: stderr, stdoutBytes: drained.out, stderrBytes: drained.err, signal: signal,
                      maxRSSKilobytes: child.rssIsOwn ? Int(usage.ru_maxrss) : nil, elapsed: elapsed, outputTruncated: drained.truncated)
    }

    /// Reads both pipes until both reach EOF (the child exited) or the deadline passes.
    private static func drain(_ out: Int32, _ err: Int32, until deadline: ContinuousClock.Instant)
        -> (out: [UInt8], err: [UInt8], finished: Bool, truncated: Bool) {
        var collected: [Int32: [UInt8]] = [out: [], err: []]
        var open: Set<Int32> = [out, err]
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { break }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready <= 0 { continue }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { open.remove(entry.fd); close(entry.fd); continue }
                let room = outputByteLimit - (collected[entry.fd]?.count ?? 0)
                if count > room { truncated = true }
                if room > 0 { collected[entry.fd, default: []] += buffer[..<min(count, room)] }
            }
        }
        for descriptor in open { close(descriptor) }
        return (collected[out] ?? [], collected[err] ?? [], open.isEmpty, truncated)
    }
}

/// A started child: its pid, the read ends of its stdout and stderr, and whether `wait4` on it
/// reports its own peak memory.
struct SpawnedChild {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32
    let rssIsOwn: Bool
}

/// Starts the executable so that `wait4`'s ru_maxrss measures the executable alone.
///
/// Linux carries the peak RSS of the address space a process had *before* `exec` into the
/// exec'd program's ru_maxrss, and `posix_spawn` runs the exec in the test process's own address
/// space (vfork), so a directly spawned child reports at least the test process's peak (tens of
/// MiB). So the runner (made a child subreaper once) spawns `/bin/sh`, which forks a tiny
/// subshell and exits; the subshell, blocked on a pipe until `sh` has been reaped and it has been
/// re-parented to this process, execs the executable. Its ru_maxrss then starts from the
/// subshell's ~2 MiB. If the subreaper cannot be set, it spawns directly and reports no RSS.
enum Spawner {
    enum Started { case success(SpawnedChild), failure(String) }

    /// PR_SET_CHILD_SUBREAPER (linux/prctl.h). prctl is variadic, which Swift cannot call, so it
    /// is called through a fixed-argument pointer (integer arguments pass alike on Linux).
    private static let subreaper: Bool = {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(nil, "prctl") else { return false }
        return unsafeBitCast(symbol, to: Prctl.self)(36, 1, 0, 0, 0) == 0
    }()
    /// Spawns are serialised, and every pipe is made close-on-exec under the same lock, so no
    /// child inherits another run's pipe ends (which would hold its streams open).
    private static let spawning = Mutex(())

    private static func closeOnExecPipe() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// posix_spawn_file_actions_addchdir_np (glibc 2.29+), which the Glibc module does not
    /// import; nil when the C library lacks it.
    private static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    static func start(executable: String, arguments: [String], workingDirectory: String? = nil,
                      environment: inout [UnsafeMutablePointer<CChar>?], argumentStorage: inout [UnsafeMutablePointer<CChar>?]) -> Started {
        spawning.withLock { _ in
            let out = closeOnExecPipe()
            let err = closeOnExecPipe()
            defer { close(out.write); close(err.write) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            posix_spawn_file_actions_adddup2(&actions, err.write, 2)
            func failure(_ message: String) -> Started {
                close(out.read)
                close(err.read)
                return .failure(message)
            }
            if let workingDirectory {
                guard let addChdir, addChdir(&actions, workingDirectory) == 0 else {
                    return failure("cannot run in \(workingDirectory): posix_spawn_file_actions_addchdir_np is unavailable")
                }
            }
            guard subreaper else {
                argumentStorage = ([executable] + arguments).map { strdup($0) } + [nil]
                var pid: pid_t = 0
                let spawned = posix_spawn(&pid, executable, &actions, nil, &argumentStorage, &environment)
                return spawned == 0
                    ? .success(SpawnedChild(pid: pid, stdout: out.read, stderr: err.read, rssIsOwn: false)) : failure("spawn failed: \(spawned)")
            }
            let pidPipe = closeOnExecPipe()
            let goPipe = closeOnExecPipe()
            defer { close(pidPipe.read); close(goPipe.write) }
            posix_spawn_file_actions_adddup2(&actions, pidPipe.write, 3)
            posix_spawn_file_actions_adddup2(&actions, goPipe.read, 4)
            let script = #"{ exec 3>&-; read _ <&4; exec "$@" 4<&-; } & echo $! >&3"#
            argumentStorage = (["sh", "-c", script, "sh", executable] + arguments).map { strdup($0) } + [nil]
            var shell: pid_t = 0
            let spawned = posix_spawn(&shell, "/bin/sh", &actions, nil, &argumentStorage, &environment)
            close(pidPipe.write)
            close(goPipe.read)
            guard spawned == 0 else { return failure("spawn failed: \(spawned)") }
            var status: Int32 = 0
            while waitpid(shell, &status, 0) < 0 && errno == EINTR {}
            var text: [UInt8] = []
            var byte: UInt8 = 0
            while read(pidPipe.read, &byte, 1) == 1 && byte != 0x0A { text.append(byte) }
            guard let pid = pid_t(String(decoding: text.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)), pid > 0 else {
                return failure("spawn failed: /bin/sh reported no child")
            }
            return .success(SpawnedChild(pid: pid, stdout: out.read, stderr: err.read, rssIsOwn: true))  // closing goPipe[1] (defer) lets it exec
        }
    }
}
