import Glibc

/// The IPv4 address a server binds: 127.0.0.1 unless someone asks for another one.
///
/// IPv4 only, as literal dotted quads: the devices connect over IPv4 only (their HTTP clients
/// resolve A records), and a literal is what a device's URL will carry. No host names: binding
/// must not depend on a resolver, and a name could stand for an address nobody meant to expose.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The address in network byte order, as `sockaddr_in.sin_addr` holds it.
    let networkOrder: UInt32

    /// 127.0.0.1: the default, and the only address tests ever bind.
    public static let loopback = ListenAddress(networkOrder: UInt32(0x7F00_0001).bigEndian)

    init(networkOrder: UInt32) { self.networkOrder = networkOrder }

    /// Parses a dotted-quad IPv4 literal (`192.168.1.10`, `0.0.0.0`); nil for anything else.
    public init?(_ text: String) {
        var address = in_addr()
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              inet_pton(AF_INET, text, &address) == 1 else { return nil }
        networkOrder = address.s_addr
    }

    /// 127.0.0.0/8: reachable from this machine only.
    public var isLoopback: Bool { UInt32(bigEndian: networkOrder) >> 24 == 127 }
    /// 0.0.0.0: every interface of this machine.
    public var isAny: Bool { networkOrder == 0 }

    public var description: String { Self.text(networkOrder) }

    /// `a.b.c.d` of an address in network byte order.
    static func text(_ networkOrder: UInt32) -> String {
        let host = UInt32(bigEndian: networkOrder)
        return [24, 16, 8, 0].map { String((host >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}

/// The two ends of an accepted connection, as `a.b.c.d:port` text.
enum SocketEnds {
    /// Where the client reached us: the address a device used (what redirects must point at).
    static func local(of descriptor: Int32) -> (host: String, port: UInt16)? {
        address(of: descriptor, peer: false)
    }

    /// Who connected.
    static func peer(of descriptor: Int32) -> (host: String, port: UInt16)? {
        address(of: descriptor, peer: true)
    }

    private static func address(of descriptor: Int32, peer: Bool) -> (host: String, port: UInt16)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(descriptor, $0, &length) : getsockname(descriptor, $0, &length)
            }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return (ListenAddress.text(address.sin_addr.s_addr), UInt16(bigEndian: address.sin_port))
    }
}
