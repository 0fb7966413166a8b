import ScenarioServer
import Testing
@testable import OTAProbeCore

/// ESP-IDF against servers that try to make the device — or the probe — run forever: long and
/// looping redirect chains, ports out of range, Range answers that ignore resumption, and
/// bodies whose framing the device's http_parser refuses (issue 13). Each case is hand-fed
/// bytes, and each expectation cites the source line it rests on.
@Suite struct ESPIDFHostileServerTests {
    static let image = ESP32Bodies.app
    static func ok(_ body: [UInt8]) -> String { "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n" }
    static func run(_ name: String, _ timeline: Timeline, url: String = "http://h/fw.bin", identity: DeviceIdentity = DeviceIdentity(),
                    configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESPIDFOTAModel {
        ESP32ModelTests.runIDF(name, timeline, url: url, identity: identity, configure: configure)
    }
    static func redirect(to location: String, code: Int = 302) -> [Timeline.Event] {
        [.bytes(Array("HTTP/1.1 \(code) Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
    }
    static let imageAnswer: [Timeline.Event] = [.bytes(Array(ok(image).utf8) + image, at: 1), .close(at: 2)]

    // MARK: Redirects: no hop limit, so only a repeated request is a loop

    /// `_http_connect` loops while `process_again()` with no counter (v5.5.5 esp_https_ota.c:164-217;
    /// v5.4.4 :137-190; v5.1.7 :137-175; v4.4.8 :114-152); `max_redirection_count` is read only by
    /// `esp_http_check_response()` (v5.5.5 esp_http_client.c:1110-1118), i.e. by perform.
    @Test(arguments: ["esp-idf-4.4", "esp-idf-5.1", "esp-idf-5.4", "esp-idf-5.5"])
    func fiftyDistinctRedirectsThenTheImageUpdate(profile: String) {
        let hops = (1...50).map { Self.redirect(to: "/hop/\($0)") }
        let model = Self.run(profile, Timeline(connections: hops + [Self.imageAnswer]))
        #expect(model.verdict?.result == .espOK)
        #expect(model.exchanges.count == 51)
        #expect(model.exchanges.last?.url == "http://h:80/hop/50")
    }

    @Test func aLoopOfTwoURLsHangsAfterTheReplays() {
        // A → B → A …: the fifth request to A would leave the same state as the first four.
        let ab = (0..<20).map { Self.redirect(to: $0 % 2 == 0 ? "/b" : "/a") }
        let model = Self.run("esp-idf-5.5", Timeline(connections: ab), url: "http://h/a")
        #expect(model.verdict?.result == .deviceHangs)
        #expect(model.verdict?.cause == .redirectLoop(cycle: ["http://h:80/a", "http://h:80/b"]))
        #expect(model.exchanges.count == 2 * (1 + Limits.loopReplays))
    }

    @Test func aChainLongerThanTheProbesBudgetIsTheProbeStopping() {
        let hops = (1...(Limits.requestsPerRun + 5)).map { Self.redirect(to: "/hop/\($0)") }
        let model = Self.run("esp-idf-5.4", Timeline(connections: hops))
        #expect(model.verdict?.result == .deviceStillWaiting)
        #expect(model.verdict?.cause == .requestLimitReached(requests: Limits.requestsPerRun, lastURL: "http://h:80/hop/\(Limits.requestsPerRun)"))
        #expect(model.exchanges.count == Limits.requestsPerRun)
    }

    /// v4.4 retries a 401 with no cap (v4.4.8 esp_https_ota.c:84-85); after add_auth's own ten
    /// tries (esp_http_client.c:1540-1543) the request and the state repeat.
    @Test func v44UnauthorizedForeverIsALoopAfterAddAuthsTries() {
        let answer: [Timeline.Event] = [.bytes(Array("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = Self.run("esp-idf-4.4", Timeline(connections: Array(repeating: answer, count: 40)))
        #expect(model.verdict?.result == .deviceHangs)
        #expect(model.verdict?.cause == .unauthorizedRetries(nil))
        #expect(model.exchanges.count == 10 + Limits.loopReplays + 1)
    }
}
