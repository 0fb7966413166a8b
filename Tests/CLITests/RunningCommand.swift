import FoundationEssentials
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// An `otaprobe` process left running (for `serve`), ended by its PID.
final class RunningCommand {
    let pid: pid_t

    /// Starts `otaprobe arguments`; its stdout and stderr go to the files named (created or
    /// truncated), or nowhere.
    init?(_ arguments: [String], stdoutPath: String? = nil, stderrPath: String? = nil) {
        if CommandRunner.staleness != nil { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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
