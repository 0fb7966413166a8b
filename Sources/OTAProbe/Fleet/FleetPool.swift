#if canImport(Glibc)
import Glibc
#endif

/// Runs many checks with at most `workers` at once and at most `perHost` against one host.
///
/// A bounded pool of threads rather than libcurl's multi interface: a check is not one transfer
/// but a device's whole conversation (its own request bytes, redirects decided by its model,
/// the device's per-phase waits, the Range request beside it), which `Probe` already drives on
/// one blocking thread; a pool reuses that unchanged, so a fleet entry is exactly a `check`.
/// Plain threads, not Dispatch, for the reason `ProbeThread` gives: a check sits in `poll` as
/// long as the device would wait. Memory stays flat in the number of entries: the queue holds
/// indices, and each result is handed to `finished` (serialised, in completion order) and
/// dropped, so only `workers` reports are alive at once.
public enum FleetPool {
    public static func run<Job: Sendable, Output: Sendable>(
        _ jobs: [Job], host: (Job) -> String, workers: Int, perHost: Int,
        work: @escaping @Sendable (Job) -> Output,
        finished: @escaping @Sendable (Job, Output) -> Void
    ) {
        guard !jobs.isEmpty else { return }
        let state = PoolState(jobs: jobs, hosts: jobs.map(host), perHost: max(1, perHost))
        let body: @Sendable () -> Void = {
            while let index = state.next() {
                let output = work(jobs[index])
                state.done(index) { finished(jobs[index], output) }
            }
        }
        var threads: [pthread_t] = []
        for _ in 0..<min(max(1, workers), jobs.count) {
            if let thread = ProbeThread.start(body) { threads.append(thread) }
        }
        // No thread to be had: run in this one rather than not at all.
        if threads.isEmpty { body() }
        for thread in threads { ProbeThread.join(thread) }
    }
}

/// The queue per host and the count running per host, behind one mutex and condition.
private final class PoolState: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var queues: [String: [Int]] = [:]
    private var heads: [String: Int] = [:]
    private var hostOrder: [String] = []
    private var running: [String: Int] = [:]
    private var remaining: Int
    private let hosts: [String]
    private let perHost: Int

    init<Job>(jobs: [Job], hosts: [String], perHost: Int) {
        self.hosts = hosts
        self.perHost = perHost
        remaining = jobs.count
        for (index, host) in hosts.enumerated() {
            if queues[host] == nil { hostOrder.append(host) }
            queues[host, default: []].append(index)
        }
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// The next job whose host has a free slot, waiting for one; nil when none is left to start.
    func next() -> Int? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while true {
            var anyQueued = false
            for host in hostOrder {
                let head = heads[host, default: 0]
                guard let queue = queues[host], head < queue.count else { continue }
                anyQueued = true
                if running[host, default: 0] < perHost {
                    heads[host] = head + 1
                    running[host, default: 0] += 1
                    return queue[head]
                }
            }
            if !anyQueued { return nil }
            pthread_cond_wait(&condition, &mutex)
        }
    }

    /// Frees the job's host slot and reports it, one report at a time.
    func done(_ index: Int, report: () -> Void) {
        pthread_mutex_lock(&mutex)
        running[hosts[index], default: 1] -= 1
        remaining -= 1
        report()
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
    }
}
