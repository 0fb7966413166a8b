import CurlTransport
import OTAProbeCore

/// Asks the server for the first bytes with `Range` and reports what it does with it: the
/// finding beside the verdict that partial download and resumption depend on.
public enum RangeCheck {
    /// Runs the check against `url` (as the device splits it), bounded by `timeoutMs`.
    public static func run(url text: String, timeoutMs: Int = 5000) -> RangeFinding? {
        guard case .success(let url) = DeviceURL.parse(text, schemeCaseInsensitive: true) else { return nil }
        let endpoint = TransportEndpoint(host: url.host, port: url.port, tls: url.usesTLS ? TLSSettings() : nil)
        guard let connection = try? RawConnection.open(to: endpoint, connectTimeoutMilliseconds: timeoutMs) else {
            return RangeFinding.judge(status: nil, contentRange: nil, requestedLength: RangeFinding.probeLength)
        }
        defer { connection.close() }
        guard (try? connection.sendAll(RangeFinding.request(for: url), timeoutMilliseconds: timeoutMs)) != nil else {
            return RangeFinding.judge(status: nil, contentRange: nil, requestedLength: RangeFinding.probeLength)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var head: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while head.count < 64 * 1024 {
            if let parsed = RangeFinding.parseHead(head) {
                return RangeFinding.judge(status: parsed.status, contentRange: parsed.contentRange, requestedLength: RangeFinding.probeLength)
            }
            switch connection.receive(into: buffer, deadline: deadline) {
            case .data(let count): head += buffer[..<count]
            case .closed, .reset, .deadlineReached, .tlsRecordTooLarge:
                let parsed = RangeFinding.parseHead(head + Array("\r\n\r\n".utf8))
                return RangeFinding.judge(status: parsed?.status, contentRange: parsed?.contentRange, requestedLength: RangeFinding.probeLength)
            }
        }
        return RangeFinding.judge(status: nil, contentRange: nil, requestedLength: RangeFinding.probeLength)
    }
}
