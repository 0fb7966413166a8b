#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CurlTransport

/// Behaviour of RawConnection against real sockets on 127.0.0.1 (ephemeral ports, bounded waits).
@Suite struct RawConnectionTests {
    static let connectTimeout = 3000

    /// Receives until `count` bytes arrived (or anything else happens), with a bounded deadline.
    func receive(_ connection: RawConnection, count: Int, within seconds: Int = 3) -> ([UInt8], ReceiveEvent?) {
        var received: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while received.count < count {
            let event = connection.receive(into: buffer, deadline: deadline)
            guard case .data(let n) = event else { return (received, event) }
            received.append(contentsOf: buffer[0..<n])
        }
        return (received, nil)
    }

    @Test func sendsAndReceivesExactBytes() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        defer { peer.close() }

        #expect(connection.remoteAddress == "127.0.0.1:\(listener.port)")
        #expect(connection.tlsVersion == nil)
        #expect(connection.timings.tlsMs == nil)
        #expect(connection.timings.connectMs >= connection.timings.nameLookupMs)
        #expect(connection.timings.connectMs < Double(Self.connectTimeout))

        let request = Array("GET /fw.bin HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: ESP8266-http-Update\r\n\r\n".utf8)
        try connection.sendAll(request, timeoutMilliseconds: 2000)
        #expect(try peer.read(exactly: request.count) == request)

        // Bytes no HTTP parser would pass through unchanged: LF-only lines, NUL, 0xFF, no CR.
        let response: [UInt8] = Array("HTTP/1.0 200 OK\nX: a\n\n".utf8) + [0x00, 0xFF, 0x0D, 0x0A, 0xE9, 0x01]
        try peer.write(response)
        let (received, stop) = receive(connection, count: response.count)
        #expect(stop == nil)
        #expect(received == response)
    }

    @Test func peerCloseIsReportedAsClosedAfterTheData() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        try peer.write(Array("abc".utf8))
        peer.close()

        let (received, stop) = receive(connection, count: .max)
        #expect(received == Array("abc".utf8))
        #expect(stop == .closed)
        // EOF is sticky.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        #expect(connection.receive(into: buffer, deadline: .now + .seconds(1)) == .closed)
    }

    @Test func silentPeerReachesTheDeadline() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        defer { peer.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }

        let start = ContinuousClock.now
        let deadline = start + .milliseconds(300)
        #expect(connection.receive(into: buffer, deadline: deadline) == .deadlineReached)
        let end = ContinuousClock.now
        #expect(end >= deadline, "must never return before the deadline")
        #expect(end - start < .seconds(2))

        // A deadline already in the past returns at once.
        let again = ContinuousClock.now
        #expect(connection.receive(into: buffer, deadline: again - .seconds(1)) == .deadlineReached)
        #expect(ContinuousClock.now - again < .milliseconds(200))
    }

    /// Linux behaviour: after an RST, the first recv(2) fails with ECONNRESET (curl:
    /// CURLE_RECV_ERROR "Recv failure: Connection reset by peer") → `.reset`; later reads see EOF
    /// (the kernel reports the pending socket error once), so the next call gives `.closed`.
    @Test func peerResetIsReportedAsReset() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        peer.closeWithReset()

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        let event = connection.receive(into: buffer, deadline: .now + .seconds(3))
        guard case .reset(let detail) = event else {
            Issue.record("expected .reset on Linux, got \(event)")
            return
        }
        #expect(detail.contains("reset"), "detail: \(detail)")
        #expect(connection.receive(into: buffer, deadline: .now + .seconds(1)) == .closed)
    }

    @Test func sendingToAResetPeerFails() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        try listener.accept().closeWithReset()

        var failure: TransportError?
        for _ in 0..<100 where failure == nil {
            do { try connection.sendAll([UInt8](repeating: 0x41, count: 1024), timeoutMilliseconds: 1000) }
            catch { failure = error }
        }
        guard case .sendFailed(let detail) = failure else {
            Issue.record("expected .sendFailed, got \(String(describing: failure))")
            return
        }
        #expect(!detail.isEmpty)
    }

    @Test func sendTimesOutWhenThePeerStopsReading() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        defer { peer.close() }
        // Far more than loopback send + receive buffers can hold, and the peer never reads.
        let big = [UInt8](repeating: 0x5A, count: 64 << 20)
        let start = ContinuousClock.now
        #expect(throws: TransportError.sendTimedOut(afterMilliseconds: 300)) {
            try connection.sendAll(big, timeoutMilliseconds: 300)
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func noListenerIsRefused() throws {
        // Bind without listen: the port is ours (no one else can take it), and a SYN gets RST.
        let unused = try LoopbackListener(listen: false)
        defer { unused.close() }
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: unused.port),
                                       connectTimeoutMilliseconds: Self.connectTimeout)
            Issue.record("connect unexpectedly succeeded")
        } catch {
            guard case .refused(let address, let detail) = error else {
                Issue.record("expected .refused, got \(error)")
                return
            }
            #expect(address == "127.0.0.1:\(unused.port)")
            #expect(!detail.isEmpty)
            #expect(error.description.contains("refused"))
        }
    }

    /// ".invalid" is reserved (RFC 6761) and never resolves. The lookup goes through the machine's
    /// resolver: normally NXDOMAIN → `.nameResolution`. If the configured DNS server is
    /// unreachable, the lookup can instead run out the connect timeout → `.timedOut`. Both mean
    /// "could not resolve"; anything else (e.g. a connection) is a bug.
    @Test func unresolvableHostIsANameResolutionFailure() throws {
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "no-such-host.invalid", port: 80),
                                       connectTimeoutMilliseconds: 3000)
            Issue.record("connect unexpectedly succeeded")
        } catch {
            switch error {
            case .nameResolution(let host, _): #expect(host == "no-such-host.invalid")
            case .timedOut: break
            default: Issue.record("expected .nameResolution (or .timedOut), got \(error)")
            }
        }
    }

    @Test func hostThatIsNotAHostNameIsRejectedBeforeCurlSeesIt() {
        #expect(throws: ConnectFailure.self) {
            _ = try RawConnection.open(to: TransportEndpoint(host: "evil.example@127.0.0.1", port: 80),
                                       connectTimeoutMilliseconds: 100)
        }
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "a/b", port: 80), connectTimeoutMilliseconds: 100)
        } catch {
            guard case .nameResolution = error else { Issue.record("got \(error)"); return }
        }
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: 0), connectTimeoutMilliseconds: 100)
        } catch {
            guard case .other(let curlError) = error else { Issue.record("got \(error)"); return }
            #expect(curlError.name == "CURLE_URL_MALFORMAT")
        }
    }

    /// TLS to a server that accepts TCP but never answers the ClientHello: the connect timeout
    /// covers the handshake, so this is `.timedOut` with the configured budget.
    @Test func tlsHandshakeThatNeverCompletesTimesOut() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let start = ContinuousClock.now
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port, tls: TLSSettings()),
                                       connectTimeoutMilliseconds: 300)
            Issue.record("connect unexpectedly succeeded")
        } catch {
            guard case .timedOut(let ms, _) = error else { Issue.record("expected .timedOut, got \(error)"); return }
            #expect(ms == 300)
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    /// TLS to a plain-HTTP server: it answers the ClientHello with HTTP text, which OpenSSL rejects
    /// ("wrong version number") → `.tlsHandshake`.
    @Test func tlsToAPlainServerIsAHandshakeFailure() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let server = TestThread {
            guard let peer = try? listener.accept() else { return }
            _ = waitFor(peer.fd, POLLIN, 3000)  // the ClientHello
            try? peer.write(Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".utf8))
            peer.close()
        }
        defer { server.join() }
        do {
            _ = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port, tls: TLSSettings()),
                                       connectTimeoutMilliseconds: Self.connectTimeout)
            Issue.record("connect unexpectedly succeeded")
        } catch {
            guard case .tlsHandshake(let detail) = error else { Issue.record("expected .tlsHandshake, got \(error)"); return }
            #expect(!detail.isEmpty)
        }
    }

    @Test func closeIsIdempotentAndLaterCallsFailCleanly() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        defer { peer.close() }
        connection.close()
        connection.close()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { buffer.deallocate() }
        guard case .reset = connection.receive(into: buffer, deadline: .now) else {
            Issue.record("receive after close should be .reset"); return
        }
        #expect(throws: TransportError.self) { try connection.sendAll([1], timeoutMilliseconds: 100) }
        // The peer sees our FIN.
        #expect(waitFor(peer.fd, POLLIN, 3000))
        var byte: UInt8 = 0
        #expect(recv(peer.fd, &byte, 1, 0) == 0)
    }

    @Test func sixteenMebibytesArriveIntact() throws {
        let size = 16 << 20
        var payload = [UInt8](repeating: 0, count: size)
        var state: UInt32 = 0x1234_5678
        payload.withUnsafeMutableBufferPointer { bytes in
            for i in bytes.indices {  // xorshift32: no repeating period a shifted copy could fake
                state ^= state << 13; state ^= state >> 17; state ^= state << 5
                bytes[i] = UInt8(truncatingIfNeeded: state)
            }
        }
        let expected = Checksum(payload)

        let listener = try LoopbackListener()
        defer { listener.close() }
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: listener.port),
                                                connectTimeoutMilliseconds: Self.connectTimeout)
        let peer = try listener.accept()
        let writer = TestThread { [payload] in
            try? peer.write(payload)
            peer.close()
        }
        defer { writer.join() }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var checksum = Checksum()
        var last: ReceiveEvent = .closed
        while true {
            last = connection.receive(into: buffer, deadline: .now + .seconds(5))
            guard case .data(let n) = last else { break }
            checksum.add(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        #expect(last == .closed)
        #expect(checksum.count == size)
        #expect(checksum == expected)
    }
}

/// Byte count plus a Fletcher-style pair of running sums (order-sensitive, cheap).
struct Checksum: Equatable {
    var count = 0
    var a: UInt64 = 1
    var b: UInt64 = 0

    init() {}
    init(_ bytes: [UInt8]) { bytes.withUnsafeBytes { add($0) } }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            a &+= UInt64(byte)
            b &+= a
        }
        count += bytes.count
    }
}
