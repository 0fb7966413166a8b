import Testing
@testable import OTAProbeCore

@Suite struct IntegrityTests {
    let body = image()

    func downloaded(extra: String = "") -> Exchange {
        run(.response(head: okHead(length: body.count, extra: extra), body: body)) { $0.computeDigests = true }.exchanges[0]
    }

    @Test func digestFilesAreParsedLikeMd5sumOutput() {
        #expect(IntegrityCheck.firstHexToken("d41d8cd98f00b204e9800998ecf8427e  firmware.bin\n", length: 32) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(IntegrityCheck.firstHexToken("SHA256 (fw.bin) = " + String(repeating: "AB", count: 32), length: 64) == String(repeating: "ab", count: 32))
        #expect(IntegrityCheck.firstHexToken("no digest here", length: 32) == nil)
    }

    @Test func matchingAndDifferingDigests() {
        let exchange = downloaded()
        var expectations = IntegrityCheck.Expectations()
        expectations.md5URL = ("http://h/fw.md5", "\(md5(body))  fw.bin")
        expectations.file = ("build/other.bin", String(repeating: "0", count: 32), String(repeating: "1", count: 64), 10)
        let findings = IntegrityCheck.check(expectations, exchange: exchange)
        #expect(findings.map(\.matches) == [true, false])
        #expect(findings[1].message.hasPrefix("the server serves a different build than build/other.bin"))
        #expect(exchange.body.sha256?.count == 64)
    }

    @Test func xMD5ThatDisagreesWithThePublishedOneIsReported() {
        let exchange = downloaded(extra: "x-MD5: \(md5(body))\r\n")
        var expectations = IntegrityCheck.Expectations()
        expectations.md5URL = ("http://h/fw.md5", String(repeating: "a", count: 32))
        let findings = IntegrityCheck.check(expectations, exchange: exchange)
        #expect(findings.contains { $0.source == "x-MD5" && $0.matches == false })
    }

    @Test func noDownloadMeansNoVerdictOnDigests() {
        let stopped = run(.response("HTTP/1.1 404 Not Found\r\n\r\n")).exchanges[0]
        var expectations = IntegrityCheck.Expectations()
        expectations.file = ("fw.bin", "x", "y", 1)
        #expect(IntegrityCheck.check(expectations, exchange: stopped).first?.matches == nil)
    }
}
