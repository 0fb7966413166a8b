import Testing
@testable import ScenarioServer

/// Exact bytes on the wire for a representative set of scenarios, read with a plain socket.
@Suite(.timeLimit(.minutes(1))) struct ResponseBytesTests {
    let image = ESP8266ImageBuilder().build()

    private func fetch(_ name: String, from server: ScenarioServer) -> ReceivedResponse {
        LoopbackTestClient.exchange(port: server.port, request: LoopbackTestClient.deviceRequest(path: "/\(name)", port: server.port))
    }

    @Test func goodIsATextbookDownload() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let response = fetch("good", from: server)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n"
        #expect(response.ending == .endOfStream)
        #expect(response.bytes == Array(head.utf8) + image)
    }

    @Test func goodMD5CarriesTheLowerCaseDigestOfTheBody() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let response = fetch("good-md5", from: server)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\n"
            + "x-MD5: \(md5Hex(image))\r\nConnection: close\r\n\r\n"
        #expect(response.bytes == Array(head.utf8) + image)
    }

    @Test func chunkedFramesTheImageIn4096ByteChunks() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let response = fetch("chunked", from: server)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        var expected = Array(head.utf8)
        for start in stride(from: 0, to: image.count, by: 4096) {
            let end = min(image.count, start + 4096)
            expected += Array("\(String(end - start, radix: 16))\r\n".utf8) + image[start..<end] + Array("\r\n".utf8)
        }
        expected += Array("0\r\n\r\n".utf8)
        #expect(response.bytes == expected)
        // 300 000 = 73 × 4096 + 992: the last data chunk is 0x3e0 bytes.
        let lastChunkHeader = head.utf8.count + 73 * (6 + 4096 + 2)
        #expect(Array(response.bytes[lastChunkHeader..<(lastChunkHeader + 5)]) == Array("3e0\r\n".utf8))
    }

    @Test func chunkedWithLengthCarriesBothHeaders() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let response = fetch("chunked-with-length", from: server)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        #expect(response.head == head)
        // Same framing as `chunked` (checked byte by byte there); the Content-Length is the unframed size.
        #expect(Array(response.bytes.dropFirst(head.utf8.count)) == ChunkedFraming.frame(image))
    }

    @Test func redirectsPointBackAtThisServersPort() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let origin = "http://127.0.0.1:\(server.port)"
        for (name, statusLine, location) in [
            ("redirect-301", "HTTP/1.1 301 Moved Permanently", "\(origin)/good"),
            ("redirect-302", "HTTP/1.1 302 Found", "\(origin)/good"),
            ("redirect-303", "HTTP/1.1 303 See Other", "\(origin)/good"),
            ("redirect-307", "HTTP/1.1 307 Temporary Redirect", "\(origin)/good"),
            ("redirect-308", "HTTP/1.1 308 Permanent Redirect", "\(origin)/good"),
            ("redirect-relative", "HTTP/1.1 302 Found", "/good"),
            ("redirect-https", "HTTP/1.1 302 Found", "https://127.0.0.1:\(server.port)/good"),
            ("redirect-uppercase-scheme", "HTTP/1.1 302 Found", "HTTP://127.0.0.1:\(server.port)/good"),
            ("redirect-loop", "HTTP/1.1 302 Found", "\(origin)/redirect-loop"),
            ("redirect-chain-2", "HTTP/1.1 302 Found", "\(origin)/redirect-302"),
        ] {
            let body = "<html><body>Moved to <a href=\"\(location)\">\(location)</a>.</body></html>\n"
            let expected = "\(statusLine)\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Location: \(location)\r\nConnection: close\r\n\r\n\(body)"
            #expect(fetch(name, from: server).text == expected, "scenario \(name)")
        }
        #expect(!fetch("redirect-no-location", from: server).text.contains("Location"))
    }

    @Test func lfOnlyUsesBareLineFeeds() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let response = fetch("lf-only", from: server)
        let head = "HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nContent-Length: 300000\nConnection: close\n\n"
        #expect(response.bytes == Array(head.utf8) + image)
    }

    @Test func statusLineScenariosBendOnlyTheStatusLine() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let rest = "\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n"
        for (name, statusLine) in [
            ("status-zero", "HTTP/1.1 0 Zero"), ("status-text", "HTTP/1.1 OK"), ("status-negative", "HTTP/1.1 -3 Negative"),
            ("http2-status", "HTTP/2 200"), ("lowercase-status", "http/1.1 200 OK"), ("no-reason", "HTTP/1.1 200"),
            ("leading-space-status", " HTTP/1.1 200 OK"),
        ] {
            #expect(fetch(name, from: server).bytes == Array((statusLine + rest).utf8) + image, "scenario \(name)")
        }
        #expect(fetch("no-status", from: server).text == "HELLO THERE\r\n\r\n")
        #expect(fetch("leading-blank-line", from: server).bytes == Array(("\r\nHTTP/1.1 200 OK" + rest).utf8) + image)
        #expect(fetch("continue-then-ok", from: server).bytes
            == Array(("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK" + rest).utf8) + image)
    }

    @Test func headerSyntaxScenarios() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        #expect(fetch("header-space-name", from: server).head == (
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length : 300000\r\nConnection: close\r\n\r\n"))
        let cookies = fetch("cookies", from: server)
        #expect(cookies.head == "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\n"
            + "Set-Cookie: session=5e55i0n; Path=/; HttpOnly\r\nKeep-Alive: timeout=5\r\nConnection: keep-alive\r\n\r\n")
        #expect(cookies.bytes.suffix(image.count) == image[...])
        #expect(cookies.ending == .endOfStream)
        let md5Line = "x-MD5: \(md5Hex(image))\r\n"
        #expect(fetch("md5-twice", from: server).head
            == "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\n\(md5Line)\(md5Line)Connection: close\r\n\r\n")
    }

    @Test func truncatedAndPartialResponses() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n"
        let short = fetch("short-body", from: server)
        #expect(short.bytes == Array(head.utf8) + image.prefix(100_000))
        #expect(short.ending == .endOfStream)
        #expect(fetch("close-after-headers", from: server).text == head)
        #expect(fetch("partial-headers-close", from: server).text == "HTTP/1.1 200 OK\r\nContent-Le")
        #expect(fetch("long-body", from: server).bytes.count == head.utf8.count + 300_000 + 1000)
        #expect(fetch("tiny-body", from: server).bytes.suffix(2) == [0xE9, 0x01])
        let reset = fetch("reset-mid-body", from: server)
        #expect(reset.bytes == Array(head.utf8) + image.prefix(100_000))
        #expect(reset.ending == .reset)
        #expect(fetch("split-first-bytes", from: server).bytes == Array(head.utf8) + image)
    }

    @Test func unknownNameGetsAPlain404() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let body = "No scenario named \"nope\" on this server.\n"
        let expected = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        #expect(fetch("nope?x=1", from: server).text == expected)
    }

    @Test func routingUsesTheFirstPathSegment() {
        #expect(ScenarioRouting.scenarioName(inTarget: "/redirect-302?x=1") == "redirect-302")
        #expect(ScenarioRouting.scenarioName(inTarget: "/good/firmware.bin") == "good")
        #expect(ScenarioRouting.scenarioName(inTarget: "http://127.0.0.1:8080/good#f") == "good")
        #expect(ScenarioRouting.scenarioName(inTarget: "//127.0.0.1:8080/good") == "127.0.0.1:8080")
        #expect(ScenarioRouting.scenarioName(inTarget: "") == "")
    }
}
