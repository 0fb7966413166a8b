import Glibc

/// `127.0.0.1:<port>` as the socket API wants it. The server never binds anything else: it is a
/// test fixture that misbehaves on purpose and must not be reachable from the network.
enum LoopbackAddress {
    static let host = "127.0.0.1"

    static func socketAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Binds a fresh TCP socket to 127.0.0.1 with an ephemeral port and returns the descriptor
    /// and the port the kernel chose. The socket is non-blocking and close-on-exec.
    static func bindEphemeralSocket() throws -> (descriptor: Int32, port: UInt16) {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { throw ScenarioServerError("socket(AF_INET)") }
        do {
            var address = socketAddress(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw ScenarioServerError("bind(127.0.0.1:0)") }
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
