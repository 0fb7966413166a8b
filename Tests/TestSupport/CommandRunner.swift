import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Runs the `otaprobe` executable that `swift test` built next to the test bundle, with a
/// time limit, and captures what it prints.
enum CommandRunner {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return String(bundle[..<(bundle.lastIndex(of: "/") ?? bundle.endIndex)]) + "/otaprobe"
    }

    static func run(_ arguments: [String], timeoutSeconds: Int = 30) -> Output {
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
