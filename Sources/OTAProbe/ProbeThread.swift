#if canImport(Glibc)
import Glibc
#endif

/// A plain POSIX thread for work that blocks on a device's clock.
///
/// Not Dispatch: a probe sits in `poll` for as long as the device would wait (8 s of silence,
/// a 73 s stall), and parking such work on the shared pool of a 2-core machine serialises it.
enum ProbeThread {
    /// Starts `body` on a new thread: joinable (join it with `join(_:)`) or detached (it
    /// cleans up after itself). nil when the system has no thread to give.
    static func start(detached: Bool = false, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}

/// Carries a closure through `pthread_create`'s one C pointer.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
