import Testing
@testable import OTAProbeCore

/// HTTPClient's header loop (spec §3; 3.1.2:HC:979-1088; 2.5.2:HC:1244-1338).
@Suite struct ModelHeaderTests {
    func verdict(_ timeline: Timeline, _ profile: ESP8266ArduinoProfile = Profiles.v312) -> Verdict { run(timeline, profile: profile).verdict! }

    @Test func notFound404() {
        let v = verdict(.response("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"))
        #expect(v.code == -102 && v.message == "File Not Found (404)" && v.name == "HTTP_UE_SERVER_FILE_NOT_FOUND")
    }

    @Test(arguments: [("HTTP/1.1 500 Internal Server Error\r\n\r\n", 500), ("HTTP/1.1 201 Created\r\n\r\n", 201), ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 100)])
    func unhandledStatusIsWrongHTTPCode(head: String, status: Int) {
        let v = verdict(.response(head))
        #expect(v.code == -104 && v.message == "Wrong HTTP Code")
        #expect(v.cause == .statusNotHandled(status))
    }

    @Test func unauthorizedPerVersion() {
        #expect(verdict(.response("HTTP/1.1 401 Unauthorized\r\n\r\n")).code == -108)
        #expect(verdict(.response("HTTP/1.1 401 Unauthorized\r\n\r\n")).message == "Unauthorized (401)")
        #expect(verdict(.response("HTTP/1.1 401 Unauthorized\r\n\r\n"), Profiles.v302).code == -108)
        #expect(verdict(.response("HTTP/1.1 401 Unauthorized\r\n\r\n"), Profiles.v274).code == -104)
    }

    @Test func notModifiedIsNoUpdatesWithCodeZero() {
        let v = verdict(.response("HTTP/1.1 304 Not Modified\r\n\r\n"))
        #expect(v.result == .noUpdates && v.code == 0 && v.message == "")
    }

    @Test(arguments: ["HELLO THERE\r\n\r\n", "HTTP/2 200\r\nContent-Length: 5\r\n\r\n", "http/1.1 200 OK\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 OK\r\n\r\n", "HTTP/1.1 0 Zero\r\n\r\n"])
    func noUsableStatusIs7From274(head: String) {
        #expect(verdict(.response(head)).code == -7)
        #expect(verdict(.response(head)).message == "HTTP error: no HTTP server")
        #expect(verdict(.response(head), Profiles.v274).code == -7)
    }

    @Test func noStatusLineIsMinusOneBefore274() {
        let v = verdict(.response("HELLO THERE\r\n\r\n"), Profiles.v252)
        #expect(v.code == -1 && v.message == "HTTP error: connection refused")
        #expect(verdict(.response("HTTP/1.1 0 Zero\r\n\r\n"), Profiles.v252).code == -7)
    }

    @Test func negativeStatusPassesThroughUntil274() {
        #expect(verdict(.response("HTTP/1.1 -3 Negative\r\n\r\n"), Profiles.v274).code == -3)
        #expect(verdict(.response("HTTP/1.1 -3 Negative\r\n\r\n"), Profiles.v274).message == "HTTP error: send payload failed")
        #expect(verdict(.response("HTTP/1.1 -3 Negative\r\n\r\n")).code == -7)
    }

    @Test func leadingSpaceOnlyToleratedWhenLinesAreTrimmed() {
        #expect(verdict(.response(" HTTP/1.1 404 Not Found\r\n\r\n")).code == -7)
        #expect(verdict(.response(" HTTP/1.1 404 Not Found\r\n\r\n"), Profiles.v252).code == -102)
    }

    @Test func lfOnlyAndNoReasonPhraseAreAccepted() {
        let body = image()
        let lf = run(.response(head: "HTTP/1.1 200\nContent-Length: \(body.count)\n\n", body: body)).verdict!
        #expect(lf.result == .ok)
    }

    @Test func transferEncodingOtherThanChunkedIs9() {
        let v = verdict(.response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"))
        #expect(v.code == -9 && v.message == "HTTP error: Transfer-Encoding not supported")
        #expect(verdict(.response("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n"), Profiles.v242).code == -9)
    }

    @Test func chunkedWithoutLengthIs101() {
        let v = verdict(.response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n"))
        #expect(v.code == -101 && v.message == "Server Did Not Report Size")
        #expect(v.cause == .lengthNotReported(contentLength: nil, chunked: true))
    }

    @Test(arguments: ["Content-Length: 0", "Content-Length: -1", "Content-Length: abc", "Content-Length : 300"])
    func nonPositiveOrUnrecognisedLengthIs101(line: String) {
        #expect(verdict(.response("HTTP/1.1 200 OK\r\n\(line)\r\n\r\nxyz")).code == -101)
    }

    @Test func silentServerIsReadTimeoutAfterClientTimeout() {
        let model = run(Timeline([]))
        #expect(model.verdict?.code == -11)
        #expect(model.verdict?.message == "HTTP error: read Timeout")
        #expect(model.verdict?.deviceTimeMs == 8001)
        let short = run(Timeline([])) { $0.clientTimeoutMs = 300 }
        #expect(short.verdict?.deviceTimeMs == 301)
    }

    @Test func idleAfterSomeHeaderLinesTimesOutFromTheLastLine() {
        let model = run(Timeline([.bytes(Array("HTTP/1.1 200 OK\r\nServer: x\r\n".utf8), at: 500)]))
        #expect(model.verdict?.code == -11 && model.verdict?.deviceTimeMs == 8501)
    }

    @Test func partialHeadersThenCloseIsConnectionLost() {
        let v = verdict(Timeline([.bytes(Array("HTTP/1.1 200 OK\r\nContent-Le".utf8), at: 10), .close(at: 20)]))
        #expect(v.code == -5 && v.message == "HTTP error: connection lost")
        // `readStringUntil` waits one timeout for the rest of the partial line first.
        #expect(v.deviceTimeMs == 8010)
        // Certain at the close, so the model answers without waiting for its own deadline.
        var model = ESP8266UpdaterModel(profile: Profiles.v312, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://h/x"))
        model.start(at: 0)
        model.connected(remoteAddress: nil, at: 0)
        Array("HTTP/1.1 200 OK\r\nContent-Le".utf8).withUnsafeBytes { model.receive($0, at: 10) }
        model.connectionClosed(at: 20)
        #expect(model.verdict?.code == -5 && model.nextAction == .finished)
        let closedAtLineEnd = verdict(Timeline([.bytes(Array("HTTP/1.1 200 OK\r\n".utf8), at: 10), .close(at: 20)]))
        #expect(closedAtLineEnd.code == -5 && closedAtLineEnd.deviceTimeMs == 20)
    }

    @Test func closeWithoutAnswerIsConnectionLost() {
        #expect(verdict(Timeline([.close(at: 3)])).code == -5)
    }

    @Test func crOnlyLinesBecomeOneLine() {
        // One "line" holds the status line: code 200, no blank line ever, then -11.
        let model = run(Timeline([.bytes(Array("HTTP/1.1 200 OK\rContent-Length: 5\r\r".utf8), at: 0)]))
        #expect(model.verdict?.code == -11)
        #expect(model.verdict?.deviceTimeMs == 16001)
    }

    @Test func repeatedMD5IsJoinedFrom252AndLastWinsIn242() {
        let body = image()
        let sum = md5(body)
        let head = okHead(length: body.count, extra: "x-MD5: \(sum)\r\nx-MD5: \(sum)\r\n")
        let joined = verdict(.response(head: head, body: body))
        #expect(joined.code == -105 && joined.message == "Wrong MD5")
        #expect(joined.cause == .md5HeaderMalformed("\(sum),\(sum)"))
        #expect(verdict(.response(head: head, body: body), Profiles.v242).result == .ok)
    }
}
