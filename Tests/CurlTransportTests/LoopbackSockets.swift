#if canImport(Glibc)
import Glibc
#endif

/// Test-side sockets on 127.0.0.1, written with plain Glibc so the CurlTransport tests depend on
/// nothing but the kernel. Every blocking wait is bounded by poll(2) with a timeout.

struct SocketFailure: Error, CustomStringConvertible {
    let description: String
    init(_ what: String, errno code: Int32 = errno) {
        description = "\(what): \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// A listening TCP socket on 127.0.0.1 with a kernel-chosen (ephemeral) port.
///
/// Note: the kernel completes the TCP handshake for queued connections before `accept()` is
/// called, so a test can `RawConnection.open` first and `accept` afterwards on the same thread.
struct LoopbackListener: Sendable {
    let fd: Int32
    let port: Int

    init(backlog: Int32 = 16, listen shouldListen: Bool = true) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { let e = SocketFailure("bind"); Glibc.close(fd); throw e }
        if shouldListen {
            guard Glibc.listen(fd, backlog) == 0 else { let e = SocketFailure("listen"); Glibc.close(fd); throw e }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { let e = SocketFailure("getsockname"); Glibc.close(fd); throw e }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Accepts one connection, waiting at most `timeoutMilliseconds`.
    func accept(timeoutMilliseconds: Int32 = 3000) throws -> PeerSocket {
        guard waitFor(fd, POLLIN, timeoutMilliseconds) else { throw SocketFailure("accept timed out", errno: ETIMEDOUT) }
        let peer = Glibc.accept(fd, nil, nil)
        guard peer >= 0 else { throw SocketFailure("accept") }
        return PeerSocket(fd: peer)
    }

    func close() { Glibc.close(fd) }
}

/// The server side of one accepted connection.
struct PeerSocket: Sendable {
    let fd: Int32

    /// Writes everything (blocking socket), or throws.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SocketFailure("send")
                }
                offset += n
            }
        }
    }

    /// Reads exactly `count` bytes, or throws on EOF, error or `timeoutMilliseconds` of silence.
    func read(exactly count: Int, timeoutMilliseconds: Int32 = 3000) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            guard waitFor(fd, POLLIN, timeoutMilliseconds) else { throw SocketFailure("read timed out", errno: ETIMEDOUT) }
            let n = result.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if n < 0 { if errno == EINTR { continue }; throw SocketFailure("recv") }
            if n == 0 { throw SocketFailure("peer closed after \(offset) of \(count) bytes", errno: 0) }
            offset += n
        }
        return result
    }

    /// Orderly close: sends FIN.
    func close() { Glibc.close(fd) }

    /// Abortive close: SO_LINGER {on, 0 s} makes close(2) send RST instead of FIN.
    func closeWithReset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        Glibc.close(fd)
    }
}

/// poll(2) for one event with a timeout; true if ready.
func waitFor(_ fd: Int32, _ event: Int32, _ timeoutMilliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: fd, events: Int16(event), revents: 0)
    while true {
        let result = poll(&descriptor, 1, timeoutMilliseconds)
        if result < 0 && errno == EINTR { continue }
        return result > 0
    }
}

/// A plain pthread, so a peer can stream while the test thread receives. Always `join()`ed.
final class TestThread: @unchecked Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private var thread = pthread_t()

    init(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    func join() { pthread_join(thread, nil) }
}
