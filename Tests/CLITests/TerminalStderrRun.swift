import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Runs the executable with its standard error on a pseudo-terminal (standard output stays a
/// pipe), the way a person runs it with `> report.md`: what otaprobe shows only on a terminal
/// (the countdown) can be seen, and what it prints for scripts stays apart.
enum TerminalStderrRun {
    struct Output {
        let status: Int32
        let stdout: String
        /// Everything written to the terminal, control sequences included.
        let terminal: String
    }

    static func run(_ arguments: [String], timeoutSeconds: Int = 30) -> Output? {
        guard CommandRunner.staleness == nil else { return nil }
        guard let pty = PseudoTerminal.open() else { return nil }
        let (master, slavePath) = pty
        var outPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, slavePath, O_RDWR | O_NOCTTY, 0)
        posix_spawn_file_actions_addclose(&actions, outPipe[0])
        posix_spawn_file_actions_addclose(&actions, master)
        let argv: [UnsafeMutablePointer<CChar>?] = ([CommandRunner.executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = CommandRunner.defaultEnvironment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, CommandRunner.executable, &actions, nil, argv, envp)
        close(outPipe[1])
        guard spawned == 0 else { close(outPipe[0]); close(master); return nil }
        var out: [UInt8] = []
        var terminal: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var outOpen = true
        var status: Int32 = 0
        var exited = false
        while ContinuousClock.now < deadline {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)] + (outOpen ? [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0)] : [])
            _ = poll(&fds, nfds_t(fds.count), 100)
            // A pty master reads EIO once the child's side is closed: then only the pipe matters.
            if fds[0].revents != 0 {
                let count = read(master, &buffer, buffer.count)
                if count > 0 { terminal += buffer[..<count] }
            }
            if outOpen, fds[1].revents != 0 {
                let count = read(outPipe[0], &buffer, buffer.count)
                if count > 0 { out += buffer[..<count] } else { outOpen = false }
            }
            if !exited, waitpid(pid, &status, WNOHANG) == pid { exited = true }
            if exited && !outOpen { break }
        }
        if !exited { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        // What the terminal still holds after the exit.
        while true {
            var fd = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            guard poll(&fd, 1, 50) > 0, fd[0].revents & Int16(POLLIN) != 0 else { break }
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            terminal += buffer[..<count]
        }
        close(outPipe[0])
        close(master)
        return Output(status: exited ? (status >> 8) & 0xFF : -2, stdout: String(decoding: out, as: UTF8.self),
                      terminal: String(decoding: terminal, as: UTF8.self))
    }
}

/// posix_openpt, grantpt, unlockpt and ptsname_r are in glibc, but its headers show them only
/// under _XOPEN_SOURCE, which the Glibc module is not built with: they are looked up by name
/// (as `CommandRunner` does for prctl).
enum PseudoTerminal {
    typealias IntToInt = @convention(c) (Int32) -> Int32
    typealias NameFunction = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    static func function<T>(_ name: String, as type: T.Type) -> T? {
        dlsym(nil, name).map { unsafeBitCast($0, to: type) }
    }

    /// The master's descriptor and the path of its terminal side.
    static func open() -> (Int32, String)? {
        guard let openpt = function("posix_openpt", as: IntToInt.self), let grant = function("grantpt", as: IntToInt.self),
              let unlock = function("unlockpt", as: IntToInt.self), let name = function("ptsname_r", as: NameFunction.self) else { return nil }
        let master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        var path = [CChar](repeating: 0, count: 128)
        guard grant(master) == 0, unlock(master) == 0, name(master, &path, path.count) == 0 else { close(master); return nil }
        return (master, String(cString: path))
    }
}
