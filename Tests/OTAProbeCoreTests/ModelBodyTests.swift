import Testing
@testable import OTAProbeCore

/// httpUpdate's checks after a 200 and the Updater (spec §5, §13).
@Suite struct ModelBodyTests {
    let body = image()

    @Test func goodImageUpdates() {
        for profile in Profiles.all {
            let model = run(.response(head: okHead(length: body.count), body: body), profile: profile) { $0.computeDigests = true }
            #expect(model.verdict?.result == .ok, "\(profile.name)")
            #expect(model.verdict?.code == 0)
            #expect(model.exchanges.last?.body.md5 == md5(body))
            // Without an expected MD5 and without --digests nothing is hashed.
            #expect(run(.response(head: okHead(length: body.count), body: body), profile: profile).exchanges.last?.body.md5 == nil)
        }
    }

    @Test func correctMD5UpdatesAndWrongOneIs7AfterDownload() {
        let good = run(.response(head: okHead(length: body.count, extra: "x-MD5: \(md5(body))\r\n"), body: body))
        #expect(good.verdict?.result == .ok)
        let wrong = String(repeating: "0", count: 32)
        let bad = run(.response(head: okHead(length: body.count, extra: "x-MD5: \(wrong)\r\n"), body: body)).verdict!
        #expect(bad.code == 7)
        #expect(bad.message == "Update error: ERROR[7]: MD5 verification failed: expected: \(wrong), calculated: \(md5(body))")
        #expect(bad.name == "UPDATE_ERROR_MD5")
        let old = run(.response(head: okHead(length: body.count, extra: "x-MD5: \(wrong)\r\n"), body: body), profile: Profiles.v302).verdict!
        #expect(old.message == "Update error: ERROR[7]: MD5 Failed: expected:\(wrong), calculated:\(md5(body))")
    }

    @Test func upperCaseMD5FailsOnlyOn242() {
        let upper = md5(body).uppercased()
        let head = okHead(length: body.count, extra: "x-MD5: \(upper)\r\n")
        #expect(run(.response(head: head, body: body)).verdict?.result == .ok)
        #expect(run(.response(head: head, body: body), profile: Profiles.v242).verdict?.code == 7)
    }

    @Test func setMD5sumWinsOverHeaderOn312() {
        let model = run(.response(head: okHead(length: body.count, extra: "x-MD5: \(md5(body))\r\n"), body: body)) {
            $0.expectedMD5 = "short"
        }
        #expect(model.verdict?.code == -105)
    }

    @Test func tooBigIs100BeforeAnyBody() {
        let v = run(.response("HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n")).verdict!
        #expect(v.code == -100 && v.message == "Not Enough space")
        #expect(v.cause == .notEnoughSpace(length: 3_000_000, available: 1_695_744, filesystem: false))
        // Above 2^31 the 32-bit toInt() clamps to LONG_MAX: still -100 (§13).
        #expect(run(.response("HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n")).verdict?.code == -100)
    }

    @Test func filesystemUpdateChecksThePartitionNotTheSketchSpace() {
        var identity = DeviceIdentity()
        identity.mode = .fs
        let fits = run(.response("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n", close: nil), identity: identity)
        #expect(fits.verdict?.code != -100)
        let tooBig = run(.response("HTTP/1.1 200 OK\r\nContent-Length: 2080000\r\n\r\n"), identity: identity).verdict!
        #expect(tooBig.cause == .notEnoughSpace(length: 2_080_000, available: 0x1FA000, filesystem: true))
    }

    @Test func htmlBodyIs106() {
        let page = Array("<!DOCTYPE html><html><head><title>Sign in</title></head></html>".utf8)
        let v = run(.response(head: okHead(length: page.count), body: page)).verdict!
        #expect(v.code == -106 && v.message == "Verify Bin Header Failed")
        #expect(v.cause == .badMagic(firstByte: 0x3C))
    }

    @Test func imageForBiggerFlashIs107() {
        let big = image(flashNibble: 9)
        let v = run(.response(head: okHead(length: big.count), body: big)).verdict!
        #expect(v.code == -107 && v.message == "New Binary Does Not Fit Flash Size")
        var mapped = DeviceIdentity()
        mapped.flashMapSupport = true
        #expect(run(.response(head: okHead(length: big.count), body: big), identity: mapped).verdict?.result == .ok)
    }

    @Test func gzipAcceptedFrom274() {
        var gz = image()
        gz[0] = 0x1F
        gz[1] = 0x8B
        #expect(run(.response(head: okHead(length: gz.count), body: gz)).verdict?.result == .ok)
        #expect(run(.response(head: okHead(length: gz.count), body: gz), profile: Profiles.v252).verdict?.code == -106)
    }

    @Test func magic1FWithout8BFailsAfterTheDownloadFrom274() {
        var bad = image()
        bad[0] = 0x1F
        bad[1] = 0x00
        let v = run(.response(head: okHead(length: bad.count), body: bad)).verdict!
        #expect(v.code == 10 && v.message == "Update error: ERROR[10]: Magic byte is not 0xE9")
        #expect(run(.response(head: okHead(length: bad.count), body: bad), profile: Profiles.v274).verdict?.message == "Update error: ERROR[10]: Magic byte is wrong, not 0xE9")
    }

    @Test func fewerThanFourBytesIs106AfterThePeekTimeout() {
        let v = run(.response(head: okHead(length: 2), body: [0xE9, 0x01], at: 5, close: 6)).verdict!
        #expect(v.code == -106)
        #expect(v.deviceTimeMs == 5 + 100 + 8000)
    }

    @Test func aFirstBodySegmentOfUnderFourBytesFailsThePeek() {
        let head = Array(okHead(length: body.count).utf8)
        let split = Timeline([.bytes(head + body.prefix(2), at: 1), .bytes(Array(body.dropFirst(2)), at: 500), .close(at: 501)])
        let v = run(split).verdict!
        #expect(v.code == -106 && v.cause == .peekSawShortSegment(bytes: 2))
        #expect(v.deviceTimeMs == 500)
        let together = Timeline([.bytes(head + body.prefix(4), at: 1), .bytes(Array(body.dropFirst(4)), at: 500), .close(at: 501)])
        #expect(run(together).verdict?.result == .ok)
    }

    @Test func closeRightAfterHeadersIsMinus5On312AndACrashBefore() {
        let timeline = Timeline.response("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", at: 5, close: 6)
        let v = run(timeline).verdict!
        #expect(v.code == -5 && v.message == "HTTP error: connection lost" && v.cause == .streamGoneAfterHeaders)
        for profile in [Profiles.v302, Profiles.v274, Profiles.v252] {
            #expect(run(timeline, profile: profile).verdict?.result == .deviceCrash)
        }
        // A close long after the headers comes after getStreamPtr(): the peek times out.
        let late = run(.response("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", at: 5, close: 2000), profile: Profiles.v302).verdict!
        #expect(late.code == -106)
    }

    @Test func shortBodyThenCloseTimesOutLikeTheMeasuredDevice() {
        // §13: ~73 s on 3.x, ~24 s on 2.7.4/2.5.2.
        let partial = Array(body.prefix(5000))
        let timeline = Timeline.response(head: okHead(length: body.count), body: partial, at: 0, close: 10)
        let v3 = run(timeline).verdict!
        #expect(v3.code == 6 && v3.message == "Update error: ERROR[6]: Stream Read Timeout")
        #expect(v3.deviceTimeMs == 100 + 8000 + 64_700)
        let v2 = run(timeline, profile: Profiles.v274).verdict!
        #expect(v2.code == 6 && v2.deviceTimeMs == 100 + 8000 + 8000 + 100 + 8000)
    }

    @Test func stallTimeoutComesFromTheProfile() {
        var profile = Profiles.v312
        profile.update.stallTimeoutMs = 1000
        let timeline = Timeline.response(head: okHead(length: body.count), body: Array(body.prefix(4096)), at: 0, close: nil)
        let v = run(timeline, profile: profile) { $0.clientTimeoutMs = 200 }.verdict!
        // No partial read (4096 is a whole buffer); reads of 200 ms + 100 ms until 1 s passed.
        #expect(v.code == 6 && v.deviceTimeMs == 100 + 4 * 200 + 3 * 100)
    }

    @Test func bodyLongerThanLengthOnlyFails242() {
        let longer = body + Array(repeating: 0x55, count: 1000)
        let timeline = Timeline.response(head: okHead(length: body.count), body: longer)
        #expect(run(timeline).verdict?.result == .ok)
        #expect(run(timeline, profile: Profiles.v252).verdict?.result == .ok)
        let old = run(timeline, profile: Profiles.v242).verdict!
        #expect(old.code == 6 && old.cause == .bodyLongerThanLength(extra: 1000))
    }

    @Test func exactBodyOn242WaitsOneTimeoutUnlessItEndsOnABuffer() {
        let odd = image(size: 5000)
        let v = run(.response(head: okHead(length: odd.count), body: odd, at: 0, close: 5), profile: Profiles.v242).verdict!
        #expect(v.result == .ok && v.deviceTimeMs == 100 + 8000)
        let even = image(size: 8192)
        #expect(run(.response(head: okHead(length: even.count), body: even, at: 0, close: 5), profile: Profiles.v242).verdict?.deviceTimeMs == 100)
    }

    @Test func chunkedWithLengthReadsFramingAsTheImage() {
        let framed = Array("2000\r\n".utf8) + body
        let v = run(.response(head: okHead(length: body.count, extra: "Transfer-Encoding: chunked\r\n"), body: framed)).verdict!
        #expect(v.code == -106 && v.cause == .badMagic(firstByte: UInt8(ascii: "2")))
    }
}

/// A BearSSL client times some phases on its own (spec §7).
@Suite struct TLSTimingTests {
    let body = image()

    @Test func theTLSPeekWaitsAFixedFiveSeconds() {
        let v = run(.response(head: okHead(length: 2), body: [0xE9, 0x01], at: 5, close: 6), url: "https://h/fw.bin").verdict!
        #expect(v.code == -106 && v.deviceTimeMs == 5 + 100 + 5000)
        // The client timeout does not change it; it still bounds the header idle time.
        let silent = run(Timeline([]), url: "https://h/fw.bin") { $0.clientTimeoutMs = 3000 }.verdict!
        #expect(silent.code == -11 && silent.deviceTimeMs == 3001)
    }

    @Test func versions25And27ReadWithAFiveSecondStreamTimeout() {
        let timeline = Timeline.response(head: okHead(length: body.count), body: Array(body.prefix(5000)), at: 0, close: 10)
        let old = run(timeline, profile: Profiles.v274, url: "https://h/fw.bin").verdict!
        #expect(old.code == 6 && old.deviceTimeMs == 100 + 5000 + 5000 + 100 + 5000)
        let new = run(timeline, url: "https://h/fw.bin").verdict!
        #expect(new.code == 6 && new.deviceTimeMs == 100 + 8000 + 64_700)
    }

    @Test func connectBudgetsPerVersion() {
        #expect(PhaseTimeouts(profile: Profiles.v312, clientTimeoutMs: nil, tls: true).connectMs == 30_000)
        #expect(PhaseTimeouts(profile: Profiles.v274, clientTimeoutMs: nil, tls: true).connectMs == 23_000)
        #expect(PhaseTimeouts(profile: Profiles.v252, clientTimeoutMs: nil, tls: true).connectMs == 8_000 + PhaseTimeouts.unboundedHandshakeCapMs)
        #expect(PhaseTimeouts(profile: Profiles.v312, clientTimeoutMs: 2000, tls: false).connectMs == 2000)
    }
}
