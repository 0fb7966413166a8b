import Glibc

/// The server's listening socket, on 127.0.0.1 unless another address is given (an ephemeral
/// port unless one is asked for).
///
/// Owned by the server core; only the accept thread uses it, and it is closed only after that
/// thread has been joined, so no descriptor is closed under a blocked call.
final class ListeningSocket: Sendable {
    let descriptor: Int32
    let port: UInt16
    let address: ListenAddress

    init(port requested: UInt16 = 0, address: ListenAddress = .loopback) throws {
        let (descriptor, port) = try LoopbackAddress.bindSocket(port: requested, address: address)
        guard listen(descriptor, 128) == 0 else {
            let failure = ScenarioServerError("listen(\(address):\(port))")
            Glibc.close(descriptor)
            throw failure
        }
        self.descriptor = descriptor
        self.port = port
        self.address = address
    }

    /// What one `accept` attempt produced.
    enum AcceptResult {
        case connection(Int32)
        /// Nothing to accept right now, or a transient failure worth retrying after the next poll.
        case tryAgain
        /// Out of descriptors (EMFILE/ENFILE): back off briefly instead of spinning.
        case exhausted
    }

    /// Accepts one pending connection and makes it non-blocking and close-on-exec. (`accept4` is
    /// not visible through Swift's Glibc module, hence the two `fcntl` calls.)
    func acceptPending() -> AcceptResult {
        let client = accept(descriptor, nil, nil)
        guard client >= 0 else {
            return (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) ? .exhausted : .tryAgain
        }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        return .connection(client)
    }

    func close() {
        Glibc.close(descriptor)
    }
}
