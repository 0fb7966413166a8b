import CurlTransport
import OTAProbeCore

/// Fetches a small published file (an `.md5` / `.sha256` next to the firmware) with a plain
/// HTTP/1.0 GET over the probe's own transport. This is the user's check, not the device's,
/// so it only needs to be simple and bounded: 64 KiB, 10 s, no redirects.
public enum SidecarFetcher {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func fetch(_ url: String, limit: Int = 64 * 1024, timeoutMs: Int = 10_000) throws(Failure) -> String {
        guard case .success(let parsed) = DeviceURL.parse(url, schemeCaseInsensitive: true) else {
            throw Failure(description: "\(url) is not an http(s) URL")
        }
        let tls: TLSSettings? = parsed.usesTLS ? TLSSettings(maxVersion: .tls1_3) : nil
        let connection: RawConnection
        do {
            connection = try RawConnection.open(to: TransportEndpoint(host: parsed.host, port: parsed.port, tls: tls), connectTimeoutMilliseconds: timeoutMs)
        } catch {
            throw Failure(description: "cannot fetch \(url): \(error.description)")
        }
        defer { connection.close() }
        let request = "GET \(parsed.requestTarget) HTTP/1.0\r\nHost: \(parsed.hostHeaderValue)\r\nUser-Agent: otaprobe\r\nConnection: close\r\n\r\n"
        do { try connection.sendAll(Array(request.utf8), timeoutMilliseconds: timeoutMs) } catch {
            throw Failure(description: "cannot fetch \(url): \(error.description)")
        }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        var received: [UInt8] = []
        reading: while received.count < limit {
            switch connection.receive(into: buffer, deadline: deadline) {
            case .data(let count): received.append(contentsOf: buffer[..<count])
            case .closed: break reading
            case .deadlineReached: throw Failure(description: "timed out fetching \(url)")
            case .reset(let detail): throw Failure(description: "connection reset fetching \(url): \(detail)")
            case .tlsRecordTooLarge(let length): throw Failure(description: "a \(length)-byte TLS record fetching \(url)")
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.firstRange(of: "\r\n\r\n") ?? text.firstRange(of: "\n\n") else {
            throw Failure(description: "\(url) gave no HTTP response")
        }
        let statusLine = text[..<split.lowerBound].prefix { $0 != "\r" && $0 != "\n" }
        guard statusLine.split(separator: " ").dropFirst().first == "200" else {
            throw Failure(description: "\(url) answered '\(statusLine)', not 200")
        }
        return String(text[split.upperBound...])
    }
}
