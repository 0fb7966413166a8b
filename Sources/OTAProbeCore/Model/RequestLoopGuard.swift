/// Tells a device loop that really repeats forever from a long but finite sequence of requests.
///
/// ESP-IDF's OTA path follows redirects with no hop limit, retries a 401 without limit on
/// v4.4, and sends the same Range again after an empty answer (spec B3, B5.5). Counting hops
/// cannot tell "50 distinct redirects, then the image" from "A → B → A …": only the device's
/// state can. A model names the state it is about to send a request from (everything that
/// decides the device's next steps: target, request bytes, its counters); when a state comes
/// back, the device — a deterministic program talking to a server that answered the same way —
/// is in a cycle it never leaves. The cycle is replayed `Limits.loopReplays` times against the
/// real server before the verdict says so, in case the server changes its answer. Sequences
/// that never repeat a state are followed to their end, bounded only by the probe's own
/// `Limits.requestsPerRun`, which is the probe stopping, not a device fact.
struct RequestLoopGuard: Sendable {
    enum Decision: Sendable, Equatable {
        case send
        /// The state came back and the cycle has been replayed `Limits.loopReplays` times:
        /// the labels of one turn of the cycle, oldest first.
        case loop(cycle: [String])
        /// The probe's request budget is spent; the device had not finished.
        case probeLimit(requests: Int)
    }

    private var sends: [String: Int] = [:]
    private var order: [(state: String, label: String)] = []

    /// Requests admitted so far.
    var requests: Int { order.count }

    /// Admits the request the device is about to send from `state`; `label` names it in the
    /// verdict (the URL).
    mutating func admit(state: String, label: String) -> Decision {
        let sent = sends[state, default: 0]
        if sent > Limits.loopReplays, let start = order.lastIndex(where: { $0.state == state }) {
            return .loop(cycle: order[start...].map(\.label))
        }
        guard order.count < Limits.requestsPerRun else { return .probeLimit(requests: order.count) }
        sends[state] = sent + 1
        order.append((state, label))
        return .send
    }
}
