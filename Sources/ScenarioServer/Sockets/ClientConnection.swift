import Glibc

/// One accepted client socket and every way the server may talk to it.
///
/// All I/O is non-blocking and every wait is a `poll(2)` on the socket *and* the server's stop
/// signal, bounded by the connection's lifetime cap. That is what makes the server safe to leave
/// misbehaving: a client that never reads, a script that holds a socket open for minutes, or a
/// test that forgets to call `stop()` cannot pin a thread beyond the cap.
///
/// Used by exactly one thread (the connection's handler), so it needs no locking.
final class ClientConnection {
    /// Why an operation on the connection ended before doing all it was asked to.
    enum Interruption: Error {
        /// The client went away (EPIPE, ECONNRESET, or an error reported by poll).
        case peerGone
        /// The connection's lifetime cap was reached.
        case lifetimeOver
        /// `ScenarioServer.stop()` was called.
        case stopRequested
    }

    /// How reading a request head ended; the bytes that arrived are kept in every case.
    enum HeadReadEnd {
        case blankLineSeen
        case sizeLimitReached
        case timedOut
        case clientClosed
        case interrupted(Interruption)
    }

    private(set) var descriptor: Int32
    private let stopSignal: StopSignal
    /// When this connection must be over, whatever its script says.
    let lifetimeEnds: MonotonicInstant

    /// Large writes go out in pieces of this size so a 16 MiB body streams instead of being
    /// handed to the kernel in one call (and so stop/lifetime checks happen between pieces).
    private static let writePieceSize = 64 * 1024
    /// After our FIN, how long we keep reading (and discarding) what the client still sends —
    /// closing a socket with unread input makes Linux send RST instead of a clean close, which
    /// would turn every "orderly close" scenario into a reset — and, before an RST, how long we
    /// wait for the client to acknowledge the bytes already sent.
    private static let closingGraceMilliseconds = 2_000

    init(descriptor: Int32, stopSignal: StopSignal, lifetimeMilliseconds: Int) {
        self.descriptor = descriptor
        self.stopSignal = stopSignal
        self.lifetimeEnds = MonotonicInstant.now.adding(milliseconds: lifetimeMilliseconds)
        disableNagle()
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Each write leaves as soon as it is made, so drip-fed bytes, pauses and "first bytes in
    /// their own segment" scenarios reach the client with the segmentation the script implies.
    private func disableNagle() {
        var on: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    // MARK: Reading the request head

    /// Reads until a blank line ends the request head (CRLF CRLF, or bare LF LF from a sloppy
    /// client), up to `maximumBytes`, for at most `timeoutMilliseconds`. Bytes after the blank
    /// line are read but not kept: a head is what is recorded and routed on.
    func readRequestHead(maximumBytes: Int, timeoutMilliseconds: Int) -> (bytes: [UInt8], end: HeadReadEnd) {
        let giveUpAt = min(MonotonicInstant.now.adding(milliseconds: timeoutMilliseconds), lifetimeEnds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let searchFrom = max(0, received.count - 2)
                received.append(contentsOf: buffer[0..<count])
                if let headEnd = RequestHeadBoundary.end(in: received, searchingFrom: searchFrom) {
                    return (Array(received[0..<headEnd]), .blankLineSeen)
                }
                if received.count >= maximumBytes {
                    return (Array(received.prefix(maximumBytes)), .sizeLimitReached)
                }
                continue
            }
            if count == 0 { return (received, .clientClosed) }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { return (received, .clientClosed) }
            let ready: Bool
            do throws(Interruption) {
                ready = try waitUntilReady(for: Int16(POLLIN), until: giveUpAt)
            } catch {
                return (received, .interrupted(error))
            }
            if !ready {
                return (received, lifetimeEnds.hasPassed ? .interrupted(.lifetimeOver) : .timedOut)
            }
        }
    }

    // MARK: Writing

    /// Writes every byte, or throws why it could not.
    func send(_ bytes: [UInt8]) throws(Interruption) {
        var offset = 0
        while offset < bytes.count {
            let piece = min(Self.writePieceSize, bytes.count - offset)
            let written = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, piece, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard try waitUntilReady(for: Int16(POLLOUT), until: lifetimeEnds) else { throw .lifetimeOver }
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw .peerGone  // EPIPE, ECONNRESET and friends: the client has gone away
            }
        }
    }

    /// Sends nothing until `milliseconds` have passed (or the lifetime cap, whichever is first).
    ///
    /// Whatever the client sends meanwhile is read and discarded, so its input never sits unread
    /// (unread input would turn our later close into a RST). Throws if the client resets. If the
    /// client closes its side and `endingEarlyIfClientCloses` is set, returns at once: a silent
    /// server's remaining silence is unobservable to a client that has left, and ending it frees
    /// the thread instead of parking it until the lifetime cap.
    func stayQuiet(milliseconds: Int, endingEarlyIfClientCloses: Bool = false) throws(Interruption) {
        let wakeAt = MonotonicInstant.now.adding(milliseconds: milliseconds)
        let limit = min(wakeAt, lifetimeEnds)
        var clientHasClosed = false
        while try waitUntilReady(for: clientHasClosed ? 0 : Int16(POLLIN), until: limit) {
            switch try discardAvailableInput() {
            case .moreMayCome: continue
            case .clientClosed:
                if endingEarlyIfClientCloses { return }
                clientHasClosed = true  // stop watching input, or poll would report EOF forever
            }
        }
        if lifetimeEnds <= wakeAt && lifetimeEnds.hasPassed { throw .lifetimeOver }
    }

    private enum InputState { case moreMayCome, clientClosed }

    /// Reads and drops everything the client has sent so far, without waiting.
    private func discardAvailableInput() throws(Interruption) -> InputState {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { continue }
            if count == 0 { return .clientClosed }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .moreMayCome }
            throw .peerGone
        }
    }

    // MARK: Ending the connection

    /// Orderly close: FIN, then (if `lingering`) read and discard what the client still sends until
    /// it closes too, for a short bounded time, so the kernel does not answer late input with RST.
    func closeOrderly(lingering: Bool) {
        guard descriptor >= 0 else { return }
        _ = shutdown(descriptor, Int32(SHUT_WR))
        let lingerEnds = lingering
            ? min(MonotonicInstant.now.adding(milliseconds: Self.closingGraceMilliseconds), lifetimeEnds)
            : MonotonicInstant.now
        discardInput(until: lingerEnds)
        Glibc.close(descriptor)
        descriptor = -1
    }

    /// Abortive close: with `SO_LINGER {on, 0}` the kernel sends RST and drops anything unsent.
    ///
    /// So that "send these bytes, then reset" means the client really gets those bytes before the
    /// RST, it first waits (briefly, bounded) until the kernel's send queue is empty, i.e. the
    /// client's TCP has acknowledged everything. A client that is not reading keeps its window
    /// shut; then the reset happens after the wait with the bytes still queued, as it would on
    /// a real server.
    func reset() {
        guard descriptor >= 0 else { return }
        let giveUpAt = min(MonotonicInstant.now.adding(milliseconds: Self.closingGraceMilliseconds), lifetimeEnds)
        while unacknowledgedByteCount > 0 && !giveUpAt.hasPassed {
            var watched = [pollfd(fd: stopSignal.pollDescriptor, events: Int16(POLLIN), revents: 0)]
            if poll(&watched, 1, 5) > 0 { break }  // stopping: reset now
        }
        var abortive = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &abortive, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(descriptor)
        descriptor = -1
    }

    /// Bytes written but not yet acknowledged by the client (`SIOCOUTQ`, spelled `TIOCOUTQ`).
    private var unacknowledgedByteCount: Int32 {
        var pending: Int32 = 0
        return ioctl(descriptor, UInt(TIOCOUTQ), &pending) == 0 ? pending : 0
    }

    /// Reads and drops the client's input until it closes, it fails, or `limit` passes.
    private func discardInput(until limit: MonotonicInstant) {
        while (try? discardAvailableInput()) == .moreMayCome,
              (try? waitUntilReady(for: Int16(POLLIN), until: limit)) == true {}
    }

    // MARK: Waiting

    /// Blocks until the socket is ready for `events` (true) or `limit` passes (false). Throws
    /// `.stopRequested` if the server is stopping, and `.peerGone` if the socket reports an error
    /// or hang-up during a pure wait (`events == 0`), where there is nothing left to wait for.
    private func waitUntilReady(for events: Int16, until limit: MonotonicInstant) throws(Interruption) -> Bool {
        while true {
            var watched = [
                pollfd(fd: descriptor, events: events, revents: 0),
                pollfd(fd: stopSignal.pollDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&watched, nfds_t(watched.count), limit.pollTimeoutFromNow)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .peerGone
            }
            if watched[1].revents != 0 { throw .stopRequested }
            if watched[0].revents != 0 {
                if events == 0 { throw .peerGone }
                return true
            }
            if limit.hasPassed { return false }
        }
    }
}
