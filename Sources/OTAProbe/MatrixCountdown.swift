#if canImport(Glibc)
import Glibc
#endif

/// One countdown for a matrix whose profiles wait in parallel: each probe reports its own wait
/// (about once a second, from its own thread), and the user sees the longest wait still ahead,
/// which is when the whole table will be ready. A probe that has finished no longer counts.
///
/// A pthread mutex rather than `Synchronization.Mutex`: ThreadSanitizer understands it (see
/// `ProfileMatrix`), and the reports arrive from plain POSIX threads anyway.
final class MatrixCountdown: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    /// Per profile: when its current wait ends (ms on the matrix's clock), nil when it is not
    /// waiting or has finished.
    private var deadlines: [Int?]
    private let report: @Sendable (Probe.Wait) -> Void

    init(profiles: Int, report: @escaping @Sendable (Probe.Wait) -> Void) {
        deadlines = Array(repeating: nil, count: profiles)
        self.report = report
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// Profile `index` will wait `wait.remainingMs` more from `now`: report the longest wait
    /// of all (under the lock, so two threads never interleave their output).
    func waiting(_ index: Int, _ wait: Probe.Wait, now: Int) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        deadlines[index] = now + wait.remainingMs
        // A deadline already past belongs to a wait that ended (the server answered).
        let longest = deadlines.compactMap { $0 }.filter { $0 > now }.max() ?? now
        report(Probe.Wait(remainingMs: max(0, longest - now), elapsedMs: now))
    }

    /// Profile `index` is done: its wait no longer holds the table back.
    func finished(_ index: Int) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        deadlines[index] = nil
    }
}
