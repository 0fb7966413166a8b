import Testing
@testable import CurlTransport

/// The pure pieces: deadline arithmetic and CURLcode naming.
@Suite struct InternalsTests {
    @Test func pollTimeoutRoundsUpAndClamps() {
        let now = ContinuousClock.now
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now) == 0)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now - .seconds(5)) == 0)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now + .nanoseconds(1)) == 1)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now + .milliseconds(250)) == 250)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now + .microseconds(250_001)) == 251)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now + .seconds(3)) == 3000)
        #expect(SocketWait.timeoutMilliseconds(from: now, to: now + .seconds(100_000_000)) == Int32.max)
    }

    @Test func curlCodesHaveTheirCNames() {
        #expect(CurlError.name(of: 0) == "CURLE_OK")
        #expect(CurlError.name(of: 6) == "CURLE_COULDNT_RESOLVE_HOST")
        #expect(CurlError.name(of: 7) == "CURLE_COULDNT_CONNECT")
        #expect(CurlError.name(of: 28) == "CURLE_OPERATION_TIMEDOUT")
        #expect(CurlError.name(of: 35) == "CURLE_SSL_CONNECT_ERROR")
        #expect(CurlError.name(of: 60) == "CURLE_PEER_FAILED_VERIFICATION")
        #expect(CurlError.name(of: 81) == "CURLE_AGAIN")
        #expect(CurlError.name(of: 99) == "CURLE_UNRECOVERABLE_POLL")
        #expect(CurlError.name(of: 1000) == "CURLE_1000")
    }

    @Test func tlsVersionBitsMatchCurl() {
        // CURL_SSLVERSION_TLSv1_0 = 4 ... TLSv1_3 = 7; the MAX_ variants are shifted by 16.
        #expect(TLSSettings.Version.tls1_0.curlMinimum == 4)
        #expect(TLSSettings.Version.tls1_3.curlMinimum == 7)
        #expect(TLSSettings.Version.tls1_2.curlMaximum == 6 << 16)
    }

    @Test func descriptionsAreOneLine() {
        let failures: [ConnectFailure] = [
            .nameResolution(host: "h", detail: "d"), .refused(address: "a:1", detail: "d"),
            .timedOut(afterMilliseconds: 5, detail: "d"), .tlsHandshake(detail: "d"),
            .other(CurlError(code: 3, name: "CURLE_URL_MALFORMAT", message: "m")),
        ]
        for failure in failures { #expect(!failure.description.contains("\n")) }
        #expect(!TransportError.sendTimedOut(afterMilliseconds: 1).description.isEmpty)
    }
}
