import FoundationEssentials
import ScenarioServer

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx on 127.0.0.1, started by a test with a config it writes into a temp folder,
/// stopped by its PID. Hosting realism matters: nginx is what many firmware servers run.
final class NginxServer {
    let port: UInt16
    let root: String
    private let pid: pid_t

    static let binary = "/usr/sbin/nginx"
    static var isInstalled: Bool { access(binary, X_OK) == 0 }

    /// `locations` is pasted into the `server` block.
    init(files: [String: [UInt8]], locations: String) throws {
        var template = Array("/tmp/otaprobe-nginx-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("mkdtemp failed") }
        root = String(cString: made)
        port = try ScenarioServer.unusedLoopbackPort()
        for (name, bytes) in files {
            let path = root + "/www/" + name
            try FileManager.default.createDirectory(atPath: String(path[..<path.lastIndex(of: "/")!]), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw Failure("cannot write \(path)") }
        }
        chmod(root, 0o755)
        let config = """
            daemon off;
            master_process off;
            worker_processes 1;
            error_log \(root)/error.log;
            pid \(root)/nginx.pid;
            events { worker_connections 64; }
            http {
                access_log \(root)/access.log;
                client_body_temp_path \(root)/body;
                proxy_temp_path \(root)/proxy;
                fastcgi_temp_path \(root)/fastcgi;
                uwsgi_temp_path \(root)/uwsgi;
                scgi_temp_path \(root)/scgi;
                types { application/octet-stream bin; text/html html; }
                default_type application/octet-stream;
                sendfile on;
                server {
                    listen 127.0.0.1:\(port);
                    server_name localhost;
                    root \(root)/www;
            \(locations)
                }
            }
            """
        guard FileManager.default.createFile(atPath: root + "/nginx.conf", contents: Data(config.utf8)) else { throw Failure("cannot write config") }
        var child: pid_t = 0
        let argv = [Self.binary, "-p", root, "-c", root + "/nginx.conf"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // Test threads may block signals, and a spawned child inherits the mask: reset it so
        // that SIGTERM stops nginx at once.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard posix_spawn(&child, Self.binary, nil, &attributes, &cArgs, environ) == 0 else { throw Failure("cannot start nginx") }
        pid = child
        // Wait (bounded) until the port accepts connections.
        for _ in 0..<100 {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        stop()
        throw Failure("nginx did not start: \((try? String(contentsOfFile: root + "/error.log", encoding: .utf8)) ?? "")")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(20_000)
        }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    private static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
