import Glibc

/// A point on the monotonic clock in milliseconds.
///
/// Every wait in the server is "until some instant", never "for some duration", so that several
/// waits in a row cannot add up past a connection's lifetime cap. Arithmetic saturates, which
/// lets "hold until the lifetime cap" be written as `Int.max` milliseconds without overflow.
struct MonotonicInstant: Comparable, Sendable {
    let milliseconds: Int

    static var now: MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(milliseconds: spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000)
    }

    func adding(milliseconds delta: Int) -> MonotonicInstant {
        let (sum, overflow) = milliseconds.addingReportingOverflow(max(0, delta))
        return MonotonicInstant(milliseconds: overflow ? Int.max : sum)
    }

    /// Milliseconds left until this instant, clamped to what `poll(2)` accepts (never negative).
    var pollTimeoutFromNow: Int32 {
        let remaining = milliseconds - MonotonicInstant.now.milliseconds
        return Int32(clamping: max(0, remaining))
    }

    var hasPassed: Bool { MonotonicInstant.now >= self }

    /// Milliseconds from this instant until now.
    var millisecondsElapsed: Int { max(0, MonotonicInstant.now.milliseconds - milliseconds) }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}
