import Glibc

/// `127.0.0.1:<port>` as the socket API wants it. The server binds nothing else unless it is
/// given another `ListenAddress` explicitly (`otaprobe serve --listen`): it is a test fixture
/// that misbehaves on purpose and must not be reachable from the network by default.
enum LoopbackAddress {
    static let host = "127.0.0.1"

    static func socketAddress(port: UInt16, address listen: ListenAddress = .loopback) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = listen.networkOrder
        return address
    }

    /// Binds a fresh TCP socket to `address` (127.0.0.1 by default) — on `port`, or an ephemeral
    /// one when 0 — and returns the descriptor and the bound port. The socket is non-blocking and
    /// close-on-exec.
    static func bindSocket(port requested: UInt16 = 0, address listen: ListenAddress = .loopback) throws -> (descriptor: Int32, port: UInt16) {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { throw ScenarioServerError("socket(AF_INET)") }
        do {
            if requested != 0 {
                // A chosen port (otaprobe serve) should be reusable right after a restart.
                var one: Int32 = 1
                setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = socketAddress(port: requested, address: listen)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw ScenarioServerError("bind(\(listen):\(requested))") }
            return (descriptor, try boundPort(of: descriptor))
        } catch {
            close(descriptor)
            throw error
        }
    }

    private static func boundPort(of descriptor: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard result == 0 else { throw ScenarioServerError("getsockname") }
        return UInt16(bigEndian: address.sin_port)
    }
}
