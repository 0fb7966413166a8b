import Testing
@testable import ScenarioServer

/// The catalogue as data: names are a contract, every scenario renders, and the details the
/// device's verdict hinges on are what the names promise.
@Suite(.timeLimit(.minutes(1))) struct ScenarioCatalogTests {
    static let contractNames = [
        "good", "good-md5", "md5-uppercase", "md5-wrong", "md5-short", "md5-twice", "no-length", "length-zero",
        "length-negative", "length-garbage", "chunked", "chunked-with-length", "te-identity", "te-gzip", "gzip-image",
        "magic-1f", "too-big", "html", "tiny-body", "flash-16m", "flash-1m", "short-body", "stall-body", "long-body",
        "close-after-headers", "not-modified", "unauthorized", "forbidden", "not-found", "server-error", "created",
        "partial", "continue-then-ok", "redirect-301", "redirect-302", "redirect-303", "redirect-307", "redirect-308",
        "redirect-relative", "redirect-https", "redirect-no-location", "redirect-loop", "redirect-uppercase-scheme",
        "redirect-chain-2", "status-zero", "status-text", "status-negative", "no-status", "http2-status",
        "lowercase-status", "leading-blank-line", "lf-only", "no-reason", "leading-space-status", "header-space-name",
        "cookies", "silent", "partial-headers-close", "close-immediately", "reset-immediately", "headers-then-silent",
        "slow-headers", "cr-only",
    ]

    let context = ScenarioContext(port: 8266, request: RecordedRequest(bytes: Array("GET / HTTP/1.0\r\n\r\n".utf8)))

    private func sentBytes(_ name: String) -> [UInt8] {
        ScenarioCatalog.named(name)!.respond(context).flatMap { step -> [UInt8] in
            switch step {
            case .send(let bytes), .sendSlowly(let bytes, _, _): return bytes
            default: return []
            }
        }
    }

    /// The response head a scenario sends, as text (decoding only the head keeps debug builds quick).
    private func headText(_ name: String) -> String {
        let bytes = sentBytes(name)
        let end = RequestHeadBoundary.end(in: bytes, searchingFrom: 0) ?? bytes.count
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }

    @Test func everyContractNameIsPresentAndNamesAreUnique() {
        let names = ScenarioCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        for name in Self.contractNames {
            #expect(ScenarioCatalog.named(name)?.name == name, "missing \(name)")
        }
        #expect(ScenarioCatalog.named("no-such-scenario") == nil)
    }

    @Test func everyScenarioHasASummaryAndRenders() {
        for scenario in ScenarioCatalog.all {
            #expect(!scenario.summary.isEmpty)
            #expect(!scenario.name.contains("/") && !scenario.name.contains("?"))
            #expect(!scenario.respond(context).isEmpty, "\(scenario.name) renders no steps")
        }
    }

    @Test func onlyTheAcceptTimeScenariosSkipTheRequest() {
        let acting = ScenarioCatalog.all.filter { !$0.readsRequest }.map(\.name).sorted()
        #expect(acting == ["close-immediately", "reset-immediately"])
        #expect(ScenarioCatalog.named("close-immediately")!.respond(ScenarioContext(port: 1)) == [.close])
        #expect(ScenarioCatalog.named("reset-immediately")!.respond(ScenarioContext(port: 1)) == [.reset])
    }

    @Test func md5Variants() {
        let md5 = ServedBodies.standardImageMD5
        #expect(headText("md5-uppercase").contains("\r\nx-MD5: \(md5.uppercased())\r\n"))
        #expect(headText("md5-short").contains("\r\nx-MD5: 1234\r\n"))
        #expect(MD5HeaderScenarios.mismatchingMD5 != md5)
        #expect(MD5HeaderScenarios.mismatchingMD5.utf8.count == 32)
    }

    @Test func bodiesThatBendTheMagicOrTheFlashSize() {
        let headLength = { (bytes: [UInt8]) -> Int in RequestHeadBoundary.end(in: bytes, searchingFrom: 0)! }
        let gzip = sentBytes("gzip-image")
        #expect(Array(gzip[headLength(gzip)...].prefix(4)) == [0x1F, 0x8B, 0x08, 0x00])
        #expect(headText("gzip-image").contains("\r\nContent-Encoding: gzip\r\n"))
        let magic = sentBytes("magic-1f")
        #expect(Array(magic[headLength(magic)...].prefix(2)) == [0x1F, 0x00])
        let flash16 = sentBytes("flash-16m")
        #expect(flash16[headLength(flash16) + 3] >> 4 == 9)
        let flash1 = sentBytes("flash-1m")
        #expect(flash1[headLength(flash1) + 3] >> 4 == 2)
        let tooBig = sentBytes("too-big")
        #expect(headText("too-big").contains("\r\nContent-Length: 3000000\r\n"))
        #expect(tooBig.count - headLength(tooBig) == 3_000_000)
        #expect(tooBig[headLength(tooBig)] == 0xE9)
        let html = String(decoding: sentBytes("html"), as: UTF8.self)
        #expect(html.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(html.contains("\r\n\r\n<!DOCTYPE html><html><head><title>Sign in - Example Cloud</title></head><body>"))
        #expect(html.hasSuffix("</body></html>"))
    }

    @Test func crOnlyAndSlowHeadersScripts() {
        let crOnly = ScenarioCatalog.named("cr-only")!.respond(context)
        #expect(crOnly.count == 2)
        #expect(crOnly.first == .send(Array("HTTP/1.1 200 OK\rContent-Type: application/octet-stream\rContent-Length: 300000\rConnection: close\r\r".utf8)))
        #expect(crOnly.last == .holdOpen(milliseconds: 3_000))
        guard case .sendSlowly(let head, chunk: 1, intervalMilliseconds: 50) = ScenarioCatalog.named("slow-headers")!.respond(context).first else {
            Issue.record("slow-headers does not drip its head")
            return
        }
        #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func stallingScenariosWaitForTheLifetimeCap() {
        for name in ["silent", "stall-body", "headers-then-silent"] {
            #expect(ScenarioCatalog.named(name)!.respond(context).last == .holdOpen(milliseconds: ScriptStep.untilLifetimeCap), "\(name)")
        }
    }
}
