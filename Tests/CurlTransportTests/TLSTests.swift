#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CurlTransport

/// TLS through libcurl/OpenSSL against a local `openssl s_server`; skipped if `openssl` is missing.
@Suite(.enabled(if: OpenSSLServer.isAvailable, "needs the openssl command-line tool"))
struct TLSTests {
    @Test func exchangesBytesOverTLSWithTheDeviceDefaults() throws {
        let server = try OpenSSLServer.start()
        defer { server.stop() }

        // TLSSettings(): TLS 1.0...1.2, no verification (the device's setInsecure()).
        let connection = try RawConnection.open(
            to: TransportEndpoint(host: "127.0.0.1", port: server.port, tls: TLSSettings()),
            connectTimeoutMilliseconds: 5000)
        defer { connection.close() }
        #expect(connection.remoteAddress == "127.0.0.1:\(server.port)")
        #expect(connection.tlsVersion == "TLSv1.2")
        let tlsMs = try #require(connection.timings.tlsMs)
        #expect(tlsMs >= connection.timings.connectMs)

        try connection.sendAll(Array("hello ota\n".utf8), timeoutMilliseconds: 3000)
        let expected = Array("ato olleh\n".utf8)  // s_server -rev echoes each line reversed
        var received: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 1)
        defer { buffer.deallocate() }
        let deadline = ContinuousClock.now + .seconds(5)
        while received.count < expected.count {
            let event = connection.receive(into: buffer, deadline: deadline)
            guard case .data(let n) = event else { Issue.record("unexpected \(event)"); break }
            received.append(contentsOf: buffer[0..<n])
        }
        #expect(received == expected)
    }

    @Test func negotiatesTLS13OnlyWhenTheSettingsAllowIt() throws {
        let server = try OpenSSLServer.start()
        defer { server.stop() }
        let connection = try RawConnection.open(
            to: TransportEndpoint(host: "127.0.0.1", port: server.port, tls: TLSSettings(maxVersion: .tls1_3)),
            connectTimeoutMilliseconds: 5000)
        #expect(connection.tlsVersion == "TLSv1.3")
        connection.close()
    }

    /// Writing into a dead TLS peer must surface as `.sendFailed`, not kill the process with
    /// SIGPIPE (libcurl sends with MSG_NOSIGNAL, also beneath OpenSSL, so CURLOPT_NOSIGNAL is safe).
    @Test func sendingToADeadTLSPeerFailsWithoutSIGPIPE() throws {
        let server = try OpenSSLServer.start()
        let connection = try RawConnection.open(
            to: TransportEndpoint(host: "127.0.0.1", port: server.port, tls: TLSSettings()),
            connectTimeoutMilliseconds: 5000)
        server.stop()  // SIGKILL: the kernel closes its socket (FIN, then RST for our writes)
        var failure: TransportError?
        for _ in 0..<200 where failure == nil {
            do { try connection.sendAll([UInt8](repeating: 0x42, count: 1024), timeoutMilliseconds: 1000) }
            catch { failure = error }
            usleep(1000)
        }
        guard case .sendFailed = failure else {
            Issue.record("expected .sendFailed, got \(String(describing: failure))")
            return
        }
    }

    @Test func verifyingASelfSignedCertificateFailsTheHandshake() throws {
        let server = try OpenSSLServer.start()
        defer { server.stop() }
        do {
            _ = try RawConnection.open(
                to: TransportEndpoint(host: "127.0.0.1", port: server.port,
                                      tls: TLSSettings(verifyPeer: true, verifyHost: true)),
                connectTimeoutMilliseconds: 5000)
            Issue.record("a self-signed certificate must not verify")
        } catch {
            guard case .tlsHandshake(let detail) = error else { Issue.record("expected .tlsHandshake, got \(error)"); return }
            #expect(!detail.isEmpty)
        }
    }
}
