import FoundationEssentials
import OTAProbeCore
import ScenarioServer

#if canImport(Glibc)
import Glibc
#endif

/// Real TLS servers on 127.0.0.1 for the device-TLS tests: the certificates of
/// `Tests/Fixtures/tls/make-certs.sh` (generated once per run), `openssl s_server -HTTP`
/// restricted per server id, and the Go server of `nomfln-server.go` (a TLS stack that ignores
/// max_fragment_length). Each server is started by a test and stopped by its PID.
enum TLSLab {
    /// The firmware every server serves: a valid 300000-byte ESP8266 image.
    static let firmware = ESP8266ImageBuilder().build()

    static let fixtures: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Fixtures/tls"
    }()

    /// Certificates (and the web root), made once: RSA 8192 key generation takes a while.
    static let directory: Result<String, LabFailure> = {
        var template = Array("/tmp/otaprobe-tlslab-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return .failure(LabFailure("mkdtemp failed")) }
        let root = String(cString: made)
        let status = run(["/bin/bash", fixtures + "/make-certs.sh", root + "/certs"], log: root + "/make-certs.log", timeoutSeconds: 240)
        guard status == 0 else { return .failure(LabFailure("make-certs.sh failed (\(status.map(String.init) ?? "timeout")): \(read(root + "/make-certs.log").suffix(600))")) }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(firmware.count)\r\nConnection: close\r\n\r\n"
        guard FileManager.default.createFile(atPath: root + "/certs/fw.http", contents: Data(Array(head.utf8) + firmware)),
              FileManager.default.createFile(atPath: root + "/fw.bin", contents: Data(firmware)) else {
            return .failure(LabFailure("cannot write the firmware files"))
        }
        return .success(root)
    }()

    static func certificates() throws -> String { try directory.get() + "/certs" }

    /// The Go server binary, built once (`go build`, standard library only).
    static let goServer: Result<String, LabFailure> = {
        guard case .success(let root) = directory else { return .failure(LabFailure("no lab directory")) }
        let output = root + "/nomfln-server"
        let status = run(["go", "build", "-o", output, fixtures + "/nomfln-server.go"], log: root + "/go-build.log", timeoutSeconds: 300,
                         environment: ["GOCACHE=\(root)/gocache", "GOPATH=\(root)/gopath", "HOME=\(root)", "GO111MODULE=off",
                                       "PATH=/usr/lib/go/bin:/usr/local/go/bin:/usr/bin:/bin"])
        guard status == 0 else { return .failure(LabFailure("go build failed (is golang-go installed? .ci/setup installs it): \(read(root + "/go-build.log").suffix(400))")) }
        return .success(output)
    }()

    /// Servers by id: which certificate they present and how they are restricted (the same
    /// ids as the BearSSL reference runs the expectations come from).
    static func serverArguments(_ id: String, certs: String) -> [String] {
        let leaf = leafName(id)
        let base = ["-HTTP", "-cert", "\(certs)/\(leaf).pem", "-key", "\(certs)/\(leaf).key"]
        let chain = ["-cert_chain", "\(certs)/intermediate.pem"]
        switch id {
        case "missing-intermediate", "selfsigned": return base
        case "tls13-only": return base + chain + ["-tls1_3"]
        case "tls11-only": return base + chain + ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]
        case "tls10-only": return base + chain + ["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]
        case "dhe-only": return base + chain + ["-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-SHA", "-no_tls1_3"]
        case "chacha-only": return base + chain + ["-cipher", "ECDHE-RSA-CHACHA20-POLY1305", "-no_tls1_3"]
        case "rsakx-only": return base + chain + ["-cipher", "AES128-GCM-SHA256:AES128-SHA", "-no_tls1_3"]
        case "aria-camellia-only":
            return base + chain + ["-cipher", "ARIA128-GCM-SHA256:CAMELLIA128-SHA:ECDHE-ARIA128-GCM-SHA256:DHE-RSA-CAMELLIA128-SHA@SECLEVEL=0", "-no_tls1_3"]
        case "x448-rsa2048", "x448-ecdsa-p256": return base + chain + ["-groups", "X448"]
        case "pss-only": return base + chain + ["-sigalgs", "RSA-PSS+SHA256:RSA-PSS+SHA384:RSA-PSS+SHA512", "-no_tls1_3"]
        case "cbc-only": return base + chain + ["-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384", "-no_tls1_3"]
        case "p384-only": return base + chain + ["-groups", "P-384", "-no_tls1_3"]
        case "x25519-only": return base + chain + ["-groups", "X25519", "-no_tls1_3"]
        default: return base + chain
        }
    }

    /// A test's trust-mode name as the sketch setting, for server `id`'s certificate: insecure,
    /// self-signed, none, fingerprint=right|wrong, known-key=right|wrong, ca=root|intermediate|other-root.
    static func trust(_ name: String, server id: String) throws -> TLSTrustMode {
        let certs = try certificates(), leaf = leafName(id)
        switch name {
        case "insecure": return .insecure
        case "self-signed": return .selfSigned
        case "none": return .none
        case "fingerprint=right": return .fingerprint(TLSFingerprint.parse(read("\(certs)/\(leaf).sha1").filter { !$0.isWhitespace })!)
        case "fingerprint=wrong": return .fingerprint([UInt8](repeating: 0, count: 20))
        case "known-key=right": return .knownKey(try TLSTrustMaterial.publicKey(fromPEM: read("\(certs)/\(leaf).pub.pem"), source: leaf))
        case "known-key=wrong": return .knownKey(try TLSTrustMaterial.publicKey(fromPEM: read("\(certs)/rsa4096.pub.pem"), source: "rsa4096"))
        default:
            let anchor = String(name.dropFirst(3))
            return .certificateAuthorities(try TLSTrustMaterial.certificates(fromPEM: read("\(certs)/\(anchor).pem"), source: anchor))
        }
    }

    static func leafName(_ id: String) -> String {
        switch id {
        case "missing-intermediate", "tls13-only", "tls11-only", "tls10-only", "dhe-only", "chacha-only", "rsakx-only",
             "aria-camellia-only", "x448-rsa2048", "pss-only", "nomfln-go-rsa2048",
             "cbc-only", "p384-only", "x25519-only": return "rsa2048"
        case "x448-ecdsa-p256", "nomfln-go-ecdsa-p256": return "ecdsa-p256"
        default: return id
        }
    }

    /// Runs a command to completion (bounded), output to `log`; nil on timeout.
    static func run(_ arguments: [String], log: String, timeoutSeconds: Int, environment: [String]? = nil) -> Int32? {
        guard let pid = try? spawn(arguments, log: log, environment: environment) else { return -1 }
        return wait(pid, timeoutSeconds: timeoutSeconds)
    }

    static func spawn(_ arguments: [String], log: String, directory: String? = nil, environment: [String]? = nil) throws -> pid_t {
        // Glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift: change the
        // directory in a shell that then becomes the command (exec keeps the PID).
        let arguments = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        if let environment {
            var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
            defer { envp.forEach { free($0) } }
            rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        } else {
            rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        }
        guard rc == 0 else { throw LabFailure("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    static func wait(_ pid: pid_t, timeoutSeconds: Int) -> Int32? {
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        while ContinuousClock.now < deadline {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if reaped < 0 && errno != EINTR { return nil }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return nil
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    struct LabFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// One TLS server of the lab, alive for one test.
final class TLSLabServer {
    let id: String
    let port: UInt16
    private let pid: pid_t

    init(_ id: String) throws {
        self.id = id
        let certs = try TLSLab.certificates()
        let log = "\(certs)/../server-\(id)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        if id.hasPrefix("nomfln-go") {
            let binary = try TLSLab.goServer.get()
            let leaf = TLSLab.leafName(id)
            let portFile = log + ".port"
            let certificate = id == "nomfln-go-rsa2048" ? "\(certs)/\(leaf)-chain.pem" : "\(certs)/\(leaf).pem"
            pid = try TLSLab.spawn([binary, "-cert", certificate, "-key", "\(certs)/\(leaf).key", "-file", "\(certs)/../fw.bin",
                                    "-addr", "127.0.0.1:0", "-portfile", portFile, "-lifetime", "120"], log: log)
            for _ in 0..<200 {
                if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = UInt16(text.filter { !$0.isWhitespace }) {
                    self.port = port
                    return
                }
                usleep(25_000)
            }
            kill(pid, SIGKILL)
            _ = TLSLab.wait(pid, timeoutSeconds: 2)
            throw TLSLab.LabFailure("the Go server did not start: \(TLSLab.read(log))")
        }
        // The port is free when chosen but not held: another test's server can take it before
        // s_server binds, which then exits at once. That is retried on a new port; a server
        // still starting on a loaded machine (the full suite runs many in parallel) is waited
        // for up to 20 s.
        for attempt in 1...3 {
            let port = try ScenarioServer.unusedLoopbackPort()
            let pid = try TLSLab.spawn(["timeout", "120", "openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-quiet"] + TLSLab.serverArguments(id, certs: certs),
                                       log: log, directory: certs)
            var status: Int32 = 0
            for _ in 0..<800 {
                if Self.listening(port) {
                    (self.port, self.pid) = (port, pid)
                    return
                }
                if waitpid(pid, &status, WNOHANG) == pid { break }
                usleep(25_000)
            }
            if waitpid(pid, &status, WNOHANG) == 0 {
                kill(pid, SIGKILL)
                _ = TLSLab.wait(pid, timeoutSeconds: 2)
            }
            if attempt == 3 { break }
        }
        throw TLSLab.LabFailure("openssl s_server \(id) did not start: \(TLSLab.read(log))")
    }

    func url(host: String = "localhost", path: String = "/fw.http") -> String { "https://\(host):\(port)\(path)" }

    func stop() {
        kill(pid, SIGTERM)
        if TLSLab.wait(pid, timeoutSeconds: 3) == nil { kill(pid, SIGKILL) }
    }

    /// True once something listens on the port (checked in /proc, without connecting: a probe
    /// connection would count as a client of the single-threaded s_server).
    private static func listening(_ port: UInt16) -> Bool {
        let text = TLSLab.read("/proc/net/tcp")
        let needle = ":" + String(port, radix: 16, uppercase: true).leftPadded(4) + " "
        return text.split(separator: "\n").contains { $0.contains("0100007F" + needle) && $0.contains(" 0A ") }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
