#if canImport(Glibc)
import Glibc
#endif

/// Runs the `openssl` command-line tool for the TLS test: a throwaway self-signed certificate in a
/// temp dir and an `openssl s_server` on a kernel-chosen loopback port. Only Glibc (posix_spawn),
/// so the tests add no dependency. The server is killed by its own PID and reaped in `stop()`.
struct OpenSSLServer {
    let pid: pid_t
    let port: Int
    let directory: String

    /// True when an `openssl` binary runs (`openssl version` exits 0).
    static let isAvailable: Bool = {
        guard let pid = try? spawn(["openssl", "version"], stdoutPath: "/dev/null") else { return false }
        return wait(pid, timeoutMilliseconds: 5000) == 0
    }()

    /// Generates a P-256 key (fast, unlike RSA) + self-signed cert and starts `s_server -rev` (echoes each line reversed).
    static func start() throws -> OpenSSLServer {
        var template = Array("/tmp/otaprobe-curltransport-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SocketFailure("mkdtemp")
        }
        let directory = String(cString: made)
        let key = directory + "/key.pem", cert = directory + "/cert.pem", log = directory + "/server.log"

        let req = try spawn(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                             "-out", cert, "-days", "1", "-subj", "/CN=localhost"], stdoutPath: "/dev/null")
        guard wait(req, timeoutMilliseconds: 20_000) == 0 else { throw SocketFailure("openssl req failed", errno: 0) }

        let pid = try spawn(["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key,
                             "-rev", "-naccept", "1"], stdoutPath: log)
        // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let port = acceptedPort(inLog: log) {
                return OpenSSLServer(pid: pid, port: port, directory: directory)
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        _ = wait(pid, timeoutMilliseconds: 2000)
        throw SocketFailure("openssl s_server did not start", errno: ETIMEDOUT)
    }

    func stop() {
        kill(pid, SIGKILL)
        _ = Self.wait(pid, timeoutMilliseconds: 3000)
        for file in ["key.pem", "cert.pem", "server.log"] { unlink(directory + "/" + file) }
        rmdir(directory)
    }

    private static func acceptedPort(inLog path: String) -> Int? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("ACCEPT "), let colon = text.lastIndex(of: ":") {
                return Int(text[text.index(after: colon)...].filter(\.isNumber))
            }
        }
        return nil
    }

    /// posix_spawnp with stdout (and stderr) redirected to `stdoutPath`, stdin from /dev/null.
    private static func spawn(_ arguments: [String], stdoutPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard rc == 0 else { throw SocketFailure("posix_spawnp \(arguments[0])", errno: rc) }
        return pid
    }

    /// Waits for `pid` to exit (bounded); returns its exit status, or nil (and kills it) on timeout.
    private static func wait(_ pid: pid_t, timeoutMilliseconds: Int) -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1 }
            if reaped < 0 && errno != EINTR { return nil }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return nil
            }
            usleep(10_000)
        }
    }
}
