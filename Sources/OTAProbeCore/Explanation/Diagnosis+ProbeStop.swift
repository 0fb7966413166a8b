/// Why and what to change when the probe stopped at one of its own bounds: the device had not
/// returned, so the sentences say what it was doing and how to see the end, never a result.
extension Diagnosis {
    func probeStopExplanation(_ stop: ProbeStop, last: Exchange?) -> (String, [String]) {
        let doing = Self.deviceActivity(last)
        switch stop {
        case .maxTime(let ms):
            return ("otaprobe stopped after \(HumanReport.seconds(ms)) (--max-time) and the device had not returned yet: it was \(doing). "
                        + "A device is not bounded like this: it would go on waiting (or downloading) for as long as the server keeps the connection alive.",
                    ["Run again with a larger --max-time to see how the device ends (the default is \(Limits.defaultMaxTimeMs / 1000) s).",
                     "If the server is merely slow, serve the file faster (a static file from a nearby host); a device that updates this slowly holds its update call (and its watchdog) the whole time."])
        case .requestLimit(let count):
            let target = last.map { " (the last to \($0.url))" } ?? ""
            return ("The device had opened \(count) connections\(target) and was about to open another. otaprobe replays at most \(Limits.requestsPerRun) requests per run, so it stopped here; the device itself would carry on.",
                    ["Look at what keeps the device asking again: a chain of redirects, or Range answers that do not move it forward (--verbose shows every request)."])
        case .headNeverEnds(let bytes):
            return ("The server had sent \(bytes) bytes of response head without the blank line that ends it, and was still sending. "
                        + "This stack reads header lines for as long as they keep coming, so the device would never get past the head while the server goes on.",
                    ["Fix the server: it streams header lines without end (a proxy or script in a loop, or a non-HTTP service on this port)."])
        case .manifestTooLong(let bytes):
            return ("The manifest's Content-Length is \(bytes) bytes. The device allocates a buffer of that size and parses the manifest in one piece; otaprobe reads manifests of at most \(Limits.manifestBytesKept) bytes, so it stopped here. A real ESPHome manifest is well under a kilobyte: on most ESP32s the allocation itself fails (Failed to allocate … bytes for manifest).",
                    ["Serve the manifest itself at this URL (a small JSON file), not the firmware or another large file."])
        }
    }

    func probeStopSummary(_ stop: ProbeStop) -> String {
        switch stop {
        case .maxTime(let ms): return "still waiting when otaprobe stopped at \(ms / 1000) s (--max-time)"
        case .requestLimit(let count): return "still requesting after \(count) requests"
        case .headNeverEnds(let bytes): return "head still arriving after \(bytes) bytes"
        case .manifestTooLong(let bytes): return "manifest of \(bytes) bytes not read"
        }
    }

    /// What the device was doing on its last connection, in a few words.
    static func deviceActivity(_ last: Exchange?) -> String {
        guard let last else { return "about to connect" }
        if last.connectFailure != nil || last.ending == .neverConnected { return "connecting to \(last.host):\(last.port)" }
        if last.connectedAtMs == nil { return "connecting to \(last.host):\(last.port)" }
        if last.head == nil {
            return last.responseHeadBytes == 0 ? "waiting for the server's answer" : "reading the response head (\(last.responseHeadBytes) bytes so far)"
        }
        return "reading the body (\(last.body.bytesReceived) bytes so far)"
    }
}
