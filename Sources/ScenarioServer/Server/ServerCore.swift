import Dispatch
import Glibc
import Synchronization

/// Everything the server's threads share: the listener, the stop signal, the scenarios and the
/// request log.
///
/// The threads hold this object, never the public `ScenarioServer`, so that dropping the last
/// reference to the public object still runs its `deinit` (which stops everything) while
/// connections are open; and the stop signal's descriptors are closed only when the last thread
/// has let go of this object.
final class ServerCore: Sendable {
    let listener: ListeningSocket
    let stopSignal: StopSignal
    let routing: ScenarioRouting
    let connectionLifetimeMilliseconds: Int
    let bodies: ScenarioBodies
    let observer: ServeObserver?

    /// A request head longer than this is cut here (and acted on as it is).
    static let requestHeadByteLimit = 64 * 1024
    /// A client that has not finished its request head by then gets answered anyway.
    static let requestHeadTimeoutMilliseconds = 5_000
    /// The log keeps the newest requests only, so a long-running `otaprobe serve` stays bounded.
    static let recordedRequestLimit = 4_096
    /// How long `stop()` waits for connection threads to notice the stop signal. They poll it at
    /// every wait, so this is only a backstop (e.g. against a scenario closure that never returns).
    static let stopGraceMilliseconds = 5_000

    private let requestLog = Mutex<[RecordedRequest]>([])
    /// Entered when a connection thread starts, left when it ends: `stop()` waits on it.
    private let liveConnections = DispatchGroup()
    private let lifecycle = Mutex<Lifecycle>(Lifecycle())

    private struct Lifecycle {
        var acceptThread: pthread_t?
        var stopped = false
    }

    init(routing: ScenarioRouting, address: ListenAddress = .loopback, port: UInt16 = 0, connectionLifetimeMilliseconds: Int,
         bodies: ScenarioBodies = .builtIn, observer: ServeObserver? = nil) throws {
        self.stopSignal = try StopSignal()
        self.listener = try ListeningSocket(port: port, address: address)
        self.routing = routing
        self.connectionLifetimeMilliseconds = connectionLifetimeMilliseconds
        self.bodies = bodies
        self.observer = observer
    }

    var port: UInt16 { listener.port }

    var recordedRequests: [RecordedRequest] { requestLog.withLock { $0 } }

    func startAccepting() throws {
        do {
            let thread = try OSThread.start(detached: false) { [self] in acceptLoop() }
            lifecycle.withLock { $0.acceptThread = thread }
        } catch {
            lifecycle.withLock { $0.stopped = true }
            listener.close()
            throw error
        }
    }

    /// Idempotent. Wakes every waiting thread, joins the accept thread, closes the listener, and
    /// waits (bounded) for the connection threads, each of which closes its own socket.
    func stop() {
        let acceptThread: pthread_t?? = lifecycle.withLock { state in
            guard !state.stopped else { return .none }
            state.stopped = true
            defer { state.acceptThread = nil }
            return .some(state.acceptThread)
        }
        guard case .some(let threadToJoin) = acceptThread else { return }
        stopSignal.raise()
        if let threadToJoin { OSThread.join(threadToJoin) }
        listener.close()
        _ = liveConnections.wait(timeout: .now() + .milliseconds(Self.stopGraceMilliseconds))
    }

    // MARK: Accepting

    private func acceptLoop() {
        while true {
            var watched = [
                pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopSignal.pollDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&watched, nfds_t(watched.count), -1)
            if watched[1].revents != 0 { return }
            if ready < 0 && errno != EINTR { backOffBriefly(); continue }
            guard watched[0].revents != 0 else { continue }
            switch listener.acceptPending() {
            case .connection(let descriptor): startConnectionThread(for: descriptor)
            case .tryAgain: continue
            case .exhausted: backOffBriefly()
            }
        }
    }

    /// Sleeps 100 ms (or until stop) so a persistent accept/poll failure cannot spin a core.
    private func backOffBriefly() {
        var watched = [pollfd(fd: stopSignal.pollDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&watched, 1, 100)
    }

    private func startConnectionThread(for descriptor: Int32) {
        liveConnections.enter()
        do {
            _ = try OSThread.start(detached: true) { [self] in
                defer { liveConnections.leave() }
                serve(descriptor)
            }
        } catch {
            Glibc.close(descriptor)
            liveConnections.leave()
        }
    }

    // MARK: Serving one connection

    private func serve(_ descriptor: Int32) {
        let connection = ClientConnection(
            descriptor: descriptor, stopSignal: stopSignal, lifetimeMilliseconds: connectionLifetimeMilliseconds)
        var request: RecordedRequest?
        if routing.readsRequestBeforeActing {
            let (head, end) = connection.readRequestHead(
                maximumBytes: Self.requestHeadByteLimit, timeoutMilliseconds: Self.requestHeadTimeoutMilliseconds)
            switch end {
            case .interrupted:
                connection.closeOrderly(lingering: false)
                return
            case .clientClosed where head.isEmpty:
                // A connect-and-close (a port check, a refused TLS attempt): nothing to answer.
                connection.closeOrderly(lingering: false)
                return
            case .blankLineSeen, .sizeLimitReached, .timedOut, .clientClosed:
                // A short or unfinished head is still acted on: it is what the client sent.
                let recorded = RecordedRequest(bytes: head)
                record(recorded)
                request = recorded
            }
        }
        // Redirects point back at the address the client used: 127.0.0.1 on loopback, the LAN
        // address a device reached (`serve --listen`), whichever interface of 0.0.0.0 it came in on.
        let local = SocketEnds.local(of: descriptor)
        let context = ScenarioContext(host: local?.host ?? LoopbackAddress.host, port: port, request: request, bodies: bodies)
        let scenario = routing.scenario(for: context)
        var finished: (@Sendable (ServedAnswer) -> Void)?
        if let observer, let request {
            let peer = SocketEnds.peer(of: descriptor)
            finished = observer.requestArrived(ArrivedRequest(
                request: request, peer: peer.map { "\($0.host):\($0.port)" }, local: local.map { "\($0.host):\($0.port)" },
                scenario: scenario?.name))
        }
        let started = MonotonicInstant.now
        let outcome = ScriptRunner.run(routing.steps(for: context), on: connection) { record($0) }
        finished?(ServedAnswer(bytesSent: outcome.bytesSent, firstBytes: outcome.firstBytes, ending: outcome.ending,
                               milliseconds: started.millisecondsElapsed))
    }

    private func record(_ request: RecordedRequest) {
        requestLog.withLock { log in
            log.append(request)
            if log.count > Self.recordedRequestLimit { log.removeFirst(log.count - Self.recordedRequestLimit) }
        }
    }
}
