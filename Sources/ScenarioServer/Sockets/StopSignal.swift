import Glibc

/// A level-triggered "stop now" flag that `poll(2)` can wait on.
///
/// Every blocking point of the server (accept, reads, writes, pauses) polls this descriptor next
/// to its socket, so `stop()` wakes all of them at once without closing a descriptor that another
/// thread may still be using (closing under a blocked thread is racy: the number can be reused).
/// It is a socket pair rather than an eventfd or pipe2 because those flags are not visible through
/// Swift's Glibc module, and a socket pair gets non-blocking and close-on-exec atomically.
final class StopSignal: Sendable {
    /// Polled for readability by waiters; becomes readable (forever) once `raise()` was called.
    let pollDescriptor: Int32
    private let raiseDescriptor: Int32

    init() throws {
        var pair: [Int32] = [-1, -1]
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, flags, 0, &pair) == 0 else {
            throw ScenarioServerError("socketpair(AF_UNIX)")
        }
        pollDescriptor = pair[0]
        raiseDescriptor = pair[1]
    }

    /// Makes `pollDescriptor` readable. The byte is never consumed, so every present and future
    /// waiter sees the signal. Idempotent.
    func raise() {
        var byte: UInt8 = 1
        _ = send(raiseDescriptor, &byte, 1, Int32(MSG_NOSIGNAL))
    }

    /// Closed only when the last thread holding the server's core has let go of it, so no waiter
    /// can ever poll a closed (or reused) descriptor.
    deinit {
        close(pollDescriptor)
        close(raiseDescriptor)
    }
}
