import Glibc
import Testing
@testable import ScenarioServer

/// Accept-time behaviour, the lifetime cap, stop(), request recording and streaming.
@Suite(.timeLimit(.minutes(1))) struct ConnectionLifecycleTests {
    @Test func closeImmediatelySendsFinWithoutAnyBytes() throws {
        let server = try ScenarioServer(serving: ScenarioCatalog.named("close-immediately")!)
        defer { server.stop() }
        let response = LoopbackTestClient.exchange(port: server.port, request: LoopbackTestClient.deviceRequest(path: "/x", port: server.port))
        #expect(response.bytes.isEmpty)
        #expect(response.ending == .endOfStream)
        #expect(server.recordedRequests.isEmpty)
    }

    @Test func resetImmediatelyAbortsTheConnection() throws {
        let server = try ScenarioServer(serving: ScenarioCatalog.named("reset-immediately")!)
        defer { server.stop() }
        let (client, failure) = LoopbackTestClient.connect(port: server.port)
        let connected = try #require(client, "connect failed: errno \(failure)")
        defer { connected.close() }
        let response = connected.readToEnd(timeoutMilliseconds: 5_000)
        #expect(response.bytes.isEmpty)
        #expect(response.ending == .reset || response.ending == .endOfStream)
    }

    @Test func silentHoldsTheConnectionUntilTheLifetimeCap() throws {
        let server = try ScenarioServer(connectionLifetimeMilliseconds: 500)
        defer { server.stop() }
        let response = LoopbackTestClient.exchange(
            port: server.port, request: LoopbackTestClient.deviceRequest(path: "/silent", port: server.port),
            timeoutMilliseconds: 5_000)
        #expect(response.bytes.isEmpty)
        #expect(response.ending == .endOfStream)
        #expect(response.elapsedMilliseconds >= 400)
        #expect(response.elapsedMilliseconds < 3_000)
    }

    @Test func holdOpenEndsWhenTheClientClosesItsSide() throws {
        let server = try ScenarioServer()  // 150 s lifetime: only the client's FIN ends the hold early
        defer { server.stop() }
        let (client, _) = LoopbackTestClient.connect(port: server.port)
        let connected = try #require(client)
        defer { connected.close() }
        connected.send(LoopbackTestClient.deviceRequest(path: "/silent", port: server.port))
        sleepMilliseconds(100)
        _ = shutdown(connected.descriptor, Int32(SHUT_WR))
        let response = connected.readToEnd(timeoutMilliseconds: 5_000)
        #expect(response.bytes.isEmpty)
        #expect(response.ending == .endOfStream)
        #expect(response.elapsedMilliseconds < 2_000)
    }

    @Test func recordsTheExactRequestBytesInArrivalOrder() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let first = LoopbackTestClient.deviceRequest(path: "/good?version=1.0.0", port: server.port)
        let second = "GET /not-found HTTP/1.1\r\nHost: example\r\nX-Odd:   spaced value \r\n\r\n"
        _ = LoopbackTestClient.exchange(port: server.port, request: first)
        _ = LoopbackTestClient.exchange(port: server.port, request: second)
        let recorded = server.recordedRequests
        try #require(recorded.count == 2)
        #expect(recorded[0].bytes == Array(first.utf8))
        #expect(recorded[0].method == "GET")
        #expect(recorded[0].target == "/good?version=1.0.0")
        #expect(recorded[0].header("user-agent") == "ESP8266-http-Update")
        #expect(recorded[0].header("X-ESP8266-MODE") == "sketch")
        #expect(recorded[0].header("Content-Length") == "0")
        #expect(recorded[0].header("Authorization") == nil)
        #expect(recorded[1].bytes == Array(second.utf8))
        #expect(recorded[1].header("x-odd") == "spaced value")
    }

    @Test func anUnfinishedRequestHeadIsStillAnswered() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        let (client, _) = LoopbackTestClient.connect(port: server.port)
        let connected = try #require(client)
        defer { connected.close() }
        connected.send("GET /not-found HTTP/1.0\r\nHost: x\r\n")  // no blank line
        let response = connected.readToEnd(timeoutMilliseconds: 9_000)
        #expect(response.text.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(response.elapsedMilliseconds >= 4_500)
        #expect(server.recordedRequests.first?.bytes == Array("GET /not-found HTTP/1.0\r\nHost: x\r\n".utf8))
    }

    @Test func stopReturnsPromptlyAndClosesOpenConnections() throws {
        let sixteenMebibytes = [UInt8](repeating: 0x5A, count: 16 << 20)
        let big = Scenario(name: "big", summary: "16 MiB") { _ in [.send(sixteenMebibytes)] }
        // Default 150 s lifetime: only stop() can end these connections.
        let server = try ScenarioServer(scenarios: ScenarioCatalog.all + [big])
        let port = server.port
        var clients: [LoopbackTestClient] = []
        defer { clients.forEach { $0.close() } }
        for _ in 0..<3 {
            let (client, _) = LoopbackTestClient.connect(port: port)
            let connected = try #require(client)
            connected.send(LoopbackTestClient.deviceRequest(path: "/silent", port: port))
            clients.append(connected)
        }
        let (stalled, _) = LoopbackTestClient.connect(port: port)
        let notReading = try #require(stalled)  // never reads a 16 MiB body
        notReading.send("GET /big HTTP/1.0\r\n\r\n")
        clients.append(notReading)
        let waitStarted = LoopbackTestClient.nowMilliseconds()
        while server.recordedRequests.count < 4 && LoopbackTestClient.nowMilliseconds() - waitStarted < 5_000 {
            sleepMilliseconds(10)
        }
        #expect(server.recordedRequests.count == 4)

        let stopStarted = LoopbackTestClient.nowMilliseconds()
        server.stop()
        #expect(LoopbackTestClient.nowMilliseconds() - stopStarted < 2_000)
        for client in clients.prefix(3) {
            let response = client.readToEnd(timeoutMilliseconds: 2_000)
            #expect(response.ending == .endOfStream || response.ending == .reset)
        }
        #expect(LoopbackTestClient.connect(port: port).errno == ECONNREFUSED)
        server.stop()  // idempotent
    }

    @Test func stopEndsAConnectionWhoseClientDoesNotRead() throws {
        let sixteenMebibytes = [UInt8](repeating: 0xA5, count: 16 << 20)
        let big = Scenario(name: "big", summary: "16 MiB") { _ in [.send(sixteenMebibytes)] }
        let server = try ScenarioServer(scenarios: [big])
        let (client, _) = LoopbackTestClient.connect(port: server.port)
        let connected = try #require(client)
        defer { connected.close() }
        connected.send("GET /big HTTP/1.0\r\n\r\n")
        sleepMilliseconds(300)  // the server is now blocked on a full send buffer
        let stopStarted = LoopbackTestClient.nowMilliseconds()
        server.stop()
        #expect(LoopbackTestClient.nowMilliseconds() - stopStarted < 2_000)
    }

    @Test func largeBodiesStreamCompletely() throws {
        var pattern = [UInt8](repeating: 0, count: 16 << 20)
        for index in pattern.indices { pattern[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 16) }
        let body = pattern
        let big = Scenario(name: "big", summary: "16 MiB") { _ in [.send(body)] }
        let server = try ScenarioServer(scenarios: [big])
        defer { server.stop() }
        let response = LoopbackTestClient.exchange(port: server.port, request: "GET /big HTTP/1.0\r\n\r\n", timeoutMilliseconds: 20_000)
        #expect(response.ending == .endOfStream)
        #expect(response.bytes.count == body.count)
        #expect(response.bytes == body)
    }

    @Test func sendSlowlyDripsWithTheGivenInterval() throws {
        let drip = Scenario(name: "drip", summary: "5 bytes, 100 ms apart") { _ in
            [.sendSlowly(Array("HELLO".utf8), chunk: 1, intervalMilliseconds: 100), .pause(milliseconds: 100), .send([0x21])]
        }
        let server = try ScenarioServer(scenarios: [drip])
        defer { server.stop() }
        let response = LoopbackTestClient.exchange(port: server.port, request: "GET /drip HTTP/1.0\r\n\r\n")
        #expect(response.text == "HELLO!")
        #expect(response.elapsedMilliseconds >= 450)
        #expect(response.ending == .endOfStream)
    }

    @Test func sendRepeatedlyRepeatsAndEndlessStreamsEndWhenTheClientLeaves() throws {
        let thrice = Scenario(name: "thrice", summary: "AB three times, 50 ms apart") { _ in
            [.sendRepeatedly(Array("AB".utf8), times: 3, intervalMilliseconds: 50)]
        }
        let endless = Scenario(name: "endless", summary: "64 KiB of zeros for ever") { _ in
            [.sendRepeatedly([UInt8](repeating: 0, count: 65_536), times: .max, intervalMilliseconds: 0)]
        }
        let server = try ScenarioServer(scenarios: [thrice, endless])
        let response = LoopbackTestClient.exchange(port: server.port, request: "GET /thrice HTTP/1.0\r\n\r\n")
        #expect(response.text == "ABABAB")
        #expect(response.elapsedMilliseconds >= 90)
        // The endless stream goes on past many writes' worth, until the client leaves.
        let (client, _) = LoopbackTestClient.connect(port: server.port)
        let connected = try #require(client)
        defer { connected.close() }
        connected.send("GET /endless HTTP/1.0\r\n\r\n")
        var counted = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let giveUpAt = LoopbackTestClient.nowMilliseconds() + 5_000
        while counted < 4 * 1_048_576 && LoopbackTestClient.nowMilliseconds() < giveUpAt {
            var watched = [pollfd(fd: connected.descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&watched, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(connected.descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            counted += count
        }
        #expect(counted >= 4 * 1_048_576)
        server.stop()
    }

    @Test func unusedLoopbackPortRefusesConnections() throws {
        let port = try ScenarioServer.unusedLoopbackPort()
        #expect(port != 0)
        let (client, failure) = LoopbackTestClient.connect(port: port)
        client?.close()
        #expect(client == nil)
        #expect(failure == ECONNREFUSED)
    }

    @Test func urlNamesTheLoopbackAddressAndPort() throws {
        let server = try ScenarioServer()
        defer { server.stop() }
        #expect(server.url("good-md5") == "http://127.0.0.1:\(server.port)/good-md5")
    }

    @Test func droppingTheServerStopsIt() throws {
        var server: ScenarioServer? = try ScenarioServer()
        let port = server!.port
        server = nil
        #expect(LoopbackTestClient.connect(port: port).errno == ECONNREFUSED)
    }
}
