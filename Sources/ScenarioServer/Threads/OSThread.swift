import Glibc

/// Plain POSIX threads for the accept loop and the connection handlers.
///
/// Not Dispatch queues: every handler blocks (in `poll`) for up to its lifetime cap, and parking
/// dozens of blocked work items on Dispatch's shared pool can starve unrelated work in the same
/// process (the CLI, the tests). A dedicated thread per connection is what the scenarios need:
/// each one sleeps, drips and stalls on its own clock.
enum OSThread {
    /// Starts `body` on a new thread. A joinable thread must be joined with `join(_:)`; a
    /// detached one cleans up after itself.
    static func start(detached: Bool, _ body: @escaping @Sendable () -> Void) throws -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if detached {
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        }
        let entry = Unmanaged.passRetained(ThreadEntry(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, entry)
        guard result == 0 else {
            Unmanaged<ThreadEntry>.fromOpaque(entry).release()
            throw ScenarioServerError("pthread_create", code: result)
        }
        return thread
    }

    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}

/// Carries the Swift closure through `pthread_create`'s single C pointer argument.
private final class ThreadEntry {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
