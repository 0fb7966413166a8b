import Testing
@testable import OTAProbeCore

/// Redirects (spec §4, §13; 3.1.2:HC:481-541, setURL 3.1.2:HC:321-338).
@Suite struct RedirectTests {
    let body = image()

    func redirect(_ code: Int, to location: String?) -> String {
        "HTTP/1.1 \(code) Moved\r\n" + (location.map { "Location: \($0)\r\n" } ?? "") + "Content-Length: 0\r\n\r\n"
    }

    var good: [Timeline.Event] { [.bytes(Array(okHead(length: body.count).utf8) + body, at: 1), .close(at: 2)] }

    @Test(arguments: [301, 302, 303, 307, 308])
    func redirectsAreNotFollowedByDefault(code: Int) {
        let v = run(.response(redirect(code, to: "http://h/good"))).verdict!
        #expect(v.code == -104 && v.cause == .redirectNotFollowed(code: code, location: "http://h/good", reason: .disabled))
        #expect(v.fix.isEmpty)  // why/fix come from Diagnosis, not the model
    }

    @Test(arguments: [301, 302, 303, 307])
    func followedWhenEnabledFrom274(code: Int) {
        let timeline = Timeline(connections: [[.bytes(Array(redirect(code, to: "http://h/good").utf8), at: 1), .close(at: 2)], good])
        let model = run(timeline) { $0.redirectMode = .strict }
        #expect(model.verdict?.result == .ok)
        #expect(model.exchanges.count == 2)
        let second = String(decoding: model.exchanges[1].request, as: UTF8.self)
        #expect(second == "GET /good HTTP/1.0\r\nHost: h\r\nUser-Agent: ESP8266-http-Update\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func permanentRedirect308IsNeverFollowed() {
        let v = run(.response(redirect(308, to: "http://h/good"))) { $0.redirectMode = .force }.verdict!
        #expect(v.cause == .redirectNotFollowed(code: 308, location: "http://h/good", reason: .codeNotFollowed))
    }

    @Test func schemeChangeAndUpperCaseSchemeAreRefused() {
        let https = run(.response(redirect(302, to: "https://h/good"))) { $0.redirectMode = .strict }.verdict!
        #expect(https.cause == .redirectNotFollowed(code: 302, location: "https://h/good", reason: .schemeChange))
        let upper = run(.response(redirect(302, to: "HTTP://h/good"))) { $0.redirectMode = .strict }.verdict!
        #expect(upper.code == -104)
    }

    @Test func missingLocationAndRelativeWithoutSlash() {
        #expect(run(.response(redirect(302, to: nil))) { $0.redirectMode = .strict }.verdict?.cause == .redirectNotFollowed(code: 302, location: nil, reason: .missingLocation))
        #expect(run(.response(redirect(302, to: "good.bin"))) { $0.redirectMode = .strict }.verdict?.cause == .redirectNotFollowed(code: 302, location: "good.bin", reason: .relativeWithoutSlash))
    }

    @Test func loopEndsAfterTenFollowedRedirects() {
        let hop: [Timeline.Event] = [.bytes(Array(redirect(302, to: "/loop").utf8), at: 1), .close(at: 2)]
        let model = run(Timeline(connections: Array(repeating: hop, count: 11))) { $0.redirectMode = .strict }
        #expect(model.verdict?.cause == .redirectNotFollowed(code: 302, location: "/loop", reason: .limitReached))
        #expect(model.exchanges.count == 11)
    }

    @Test func credentialsSurviveAHostChange() {
        let timeline = Timeline(connections: [[.bytes(Array(redirect(302, to: "http://other/good").utf8), at: 1), .close(at: 2)], good])
        let model = run(timeline, url: "http://u:p@h/fw.bin") { $0.redirectMode = .strict }
        #expect(String(decoding: model.exchanges[1].request, as: UTF8.self).contains("Host: other\r\nUser-Agent: ESP8266-http-Update\r\nAuthorization: Basic dTpw\r\n"))
    }

    @Test func version252FollowsOnly301302307AndFailsRelativeOnTheOldSocket() {
        let see = run(.response(redirect(303, to: "http://h/good")), profile: Profiles.v252) { $0.redirectMode = .strict }.verdict!
        #expect(see.cause == .redirectNotFollowed(code: 303, location: "http://h/good", reason: .codeNotFollowed))
        let withBody = "HTTP/1.1 302 Found\r\nLocation: /good\r\nContent-Length: 5\r\n\r\nmoved"
        let relative = run(.response(withBody), profile: Profiles.v252) { $0.redirectMode = .strict }.verdict!
        #expect(relative.code == -2 && relative.message == "HTTP error: send header failed")
    }

    @Test func version242CannotFollowAtAll() {
        let v = run(.response(redirect(302, to: "http://h/good")), profile: Profiles.v242).verdict!
        #expect(v.cause == .redirectNotFollowed(code: 302, location: "http://h/good", reason: .unsupportedByCore))
    }

    @Test func otherThreeHundredsAreWrongCodeNotRedirects() {
        #expect(run(.response("HTTP/1.1 300 Multiple\r\nLocation: /x\r\n\r\n")).verdict?.cause == .statusNotHandled(300))
    }
}

/// `ESPhttpUpdate.setAuthorization` (3.1.2:UPD:189-197; HC:274-282).
@Suite struct SketchAuthorizationTests {
    func firstRequest(_ profile: ESP8266ArduinoProfile, url: String, _ authorization: [SketchAuthorization]) -> String {
        let model = run(.response("HTTP/1.1 404 Not Found\r\n\r\n"), profile: profile, url: url) { $0.authorization = authorization }
        return String(decoding: model.exchanges[0].request, as: UTF8.self)
    }

    @Test func sketchCredentialsWinOverTheURLAndTheEncodedFormWinsLast() {
        #expect(firstRequest(Profiles.v312, url: "http://u:p@h/x", [.userPassword(user: "a", password: "b")]).contains("Authorization: Basic YTpi\r\n"))
        #expect(firstRequest(Profiles.v312, url: "http://h/x", [.userPassword(user: "a", password: "b"), .encoded("TOKEN")]).contains("Authorization: Basic TOKEN\r\n"))
        // Empty user or password: ignored, the URL's credentials stay.
        #expect(firstRequest(Profiles.v312, url: "http://u:p@h/x", [.userPassword(user: "a", password: "")]).contains("Authorization: Basic dTpw\r\n"))
        #expect(!firstRequest(Profiles.v312, url: "http://h/x", []).contains("Authorization"))
    }

    @Test func theSketchsCredentialsSurviveARedirect() {
        let hop: [Timeline.Event] = [.bytes(Array("HTTP/1.1 302 Found\r\nLocation: http://other/fw.bin\r\n\r\n".utf8), at: 1), .close(at: 2)]
        let model = run(Timeline(connections: [hop, hop]), url: "http://h/x") {
            $0.redirectMode = .strict
            $0.authorization = [.encoded("TOKEN")]
        }
        #expect(String(decoding: model.exchanges[1].request, as: UTF8.self).contains("Authorization: Basic TOKEN\r\n"))
    }

    @Test func oldCoresIgnoreIt() {
        #expect(!firstRequest(Profiles.v274, url: "http://h/x", [.encoded("TOKEN")]).contains("Authorization"))
    }
}
