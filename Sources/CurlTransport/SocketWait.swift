#if canImport(Glibc)
internal import Glibc
#endif

/// Waiting for a socket with poll(2) until an optional `ContinuousClock` deadline.
///
/// Why poll and not curl's own waiting: with `CURLOPT_CONNECT_ONLY`, curl_easy_send/recv never
/// block; they return `CURLE_AGAIN` and the caller must wait on `CURLINFO_ACTIVESOCKET` itself.
/// poll(2) has no fd-number limit (unlike select) and needs no allocation.
enum SocketWait {
    enum Outcome: Equatable {
        /// The socket reported the requested event, or an error/hangup the next curl call will name.
        case ready
        /// The deadline passed first.
        case deadlinePassed
        /// poll(2) itself failed with this errno.
        case failed(errno: Int32)
    }

    /// Waits for `events` (POLLIN / POLLOUT) on `socket` until `deadline` (nil = forever).
    ///
    /// The deadline is honoured exactly: the poll timeout is recomputed from the clock after every
    /// wake-up (EINTR, or a timer that fired a hair early on a different clock), and the result is
    /// `.deadlinePassed` only once `ContinuousClock.now >= deadline`.
    static func wait(socket: Int32, for events: Int16, until deadline: ContinuousClock.Instant?) -> Outcome {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        while true {
            var timeout: Int32 = -1
            if let deadline {
                timeout = timeoutMilliseconds(from: .now, to: deadline)
                if timeout == 0 { return .deadlinePassed }
            }
            descriptor.revents = 0
            let result = poll(&descriptor, 1, timeout)
            if result > 0 { return .ready }
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                return .failed(errno: code)
            }
            // result == 0: the timeout elapsed; loop re-checks the clock and returns .deadlinePassed.
        }
    }

    /// Milliseconds from `now` until `deadline`, rounded up (so we never wake before the deadline),
    /// clamped to `0...Int32.max` (poll's range; 0 means "already passed").
    static func timeoutMilliseconds(from now: ContinuousClock.Instant, to deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - now
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (secondsInMs, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return Int32.max }
        let ms = secondsInMs + (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return ms > Int64(Int32.max) ? Int32.max : Int32(ms)
    }
}
