import FoundationEssentials
import Testing

@testable import OTAProbeCore

/// The redaction rule beyond the basics (ConnectAndTextTests): the secrets of the inputs come
/// back masked wherever they appear, token-like segments, cookies, and byte dumps.
@Suite struct RedactionRuleTests {
    let redactor = Redactor(urls: ["http://admin:p%40ss-word@h/AbCdEf0123456789AbCdEf01/update?token=tok-12345"], credentials: ["u:letmein-now"])

    @Test func secretsOfTheInputsAreMaskedWhereverTheyComeBack() {
        #expect(redactor.redact("the server said tok-12345 and p@ss-word") == "the server said *** and ***")
        #expect(redactor.redact("Location: http://other/x?next=letmein-now") == "Location: http://other/x?next=***")
        let basic = Data("admin:p@ss-word".utf8).base64EncodedString()
        #expect(redactor.redact("echo: \(basic)") == "echo: ***")
        #expect(redactor.redact("echo: \(Data("u:letmein-now".utf8).base64EncodedString())") == "echo: ***")
    }

    @Test func tokenLikePathSegments() {
        let plain = Redactor()
        #expect(plain.redact("http://blynk.example/AbCdEf0123456789AbCdEf01/update/V1") == "http://blynk.example/***/update/V1")
        #expect(plain.redact("GET /AbCdEf0123456789AbCdEf01?x=1 HTTP/1.0") == "GET /***?x=1 HTTP/1.0")
        // Not token-like: letters only, digits only, short, or with a dot (a file name).
        for kept in ["/firmware-release-esp-build/x", "/12345678901234567890123/x", "/Ab1/x", "/firmware_v1_2_3_esp32c3_release.bin"] {
            #expect(plain.redact(kept) == kept)
        }
        #expect(Redactor.isTokenLike("AbCdEf0123456789AbCd".unicodeScalars))
        #expect(!Redactor.isTokenLike("AbCdEf0123456789AbC".unicodeScalars))
    }

    @Test func cookiesAndProxyAuthorization() {
        let plain = Redactor()
        #expect(plain.redact("Set-Cookie: sid=abc123; Path=/") == "Set-Cookie: sid=***; Path=***")
        #expect(plain.redact("< Cookie: a=1; b=2\r") == "< Cookie: a=***; b=***\r")
        #expect(plain.redact("Proxy-Authorization: Bearer xyz") == "Proxy-Authorization: Bearer ***")
        #expect(plain.redactHeader(name: "Set-Cookie", value: "sid=abc") == "sid=***")
        #expect(plain.redactHeader(name: "Content-Length", value: "12") == "12")
    }

    @Test func userInfoWithoutAScheme() {
        #expect(Redactor().redact("malformed URL 'admin:pw1@host/x'") == "malformed URL 'admin:***@host/x'")
        #expect(Redactor().redact("at 12:30 the host was up") == "at 12:30 the host was up")
    }

    @Test func bytesAreMaskedInPlaceForDumps() {
        let request = Array("GET /x?token=tok-12345 HTTP/1.0\r\nAuthorization: Basic QUJD\r\n\r\n".utf8)
        let masked = String(decoding: redactor.redact(bytes: request), as: UTF8.self)
        #expect(masked == "GET /x?token=*** HTTP/1.0\r\nAuthorization: Basic ***\r\n\r\n")
        // A secret that is not ASCII is found in its UTF-8 bytes.
        let unicode = Redactor(secrets: ["pässwort"])
        #expect(String(decoding: unicode.redact(bytes: Array("x pässwort y".utf8)), as: UTF8.self) == "x *** y")
    }

    /// Header names are found case-insensitively by the scalar's own lower case, including the
    /// one non-ASCII scalar whose lower case is ASCII (U+212A KELVIN SIGN → "k"); high bytes of a
    /// dump (Latin-1 scalars, an image's first bytes) never turn into a header name.
    @Test func headerNamesAreFoundInAnyCase() {
        let plain = Redactor()
        #expect(plain.redact("AUTHORIZATION: Basic QUJD") == "AUTHORIZATION: Basic ***")
        #expect(plain.redact("set-COOKIE: a=1") == "set-COOKIE: a=***")
        #expect(plain.redact("Coo\u{212A}ie: a=1") == "Coo\u{212A}ie: a=***")
        #expect(plain.redact("Cookíe: a=1") == "Cookíe: a=1")
        let dump: [UInt8] = [0xE9, 0x01, 0xC3, 0x9F, 0xFF] + Array("\nAuthorization: Bearer xyz\r\nX-\u{C9}: 1\n".utf8)
        let masked = plain.redact(bytes: dump)
        #expect(Array(masked.prefix(5)) == [0xE9, 0x01, 0xC3, 0x9F, 0xFF])
        #expect(String(decoding: masked.dropFirst(5), as: UTF8.self) == "\nAuthorization: Bearer ***\r\nX-\u{C9}: 1\n")
    }

    @Test func shortSecretsAreOnlyMaskedByTheRules() {
        let short = Redactor(urls: ["http://a:xy@h/"])
        #expect(short.redact("xylophone http://a:xy@h/") == "xylophone http://a:***@h/")
    }
}

@Suite struct EscapingRuleTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(TerminalText.escape("a\u{1B}[31mb") == "a\\x1B[31mb")
        #expect(TerminalText.escape("x\r\ny\t\u{0}\u{7F}") == "x\\r\\ny\\t\\x00\\x7F")
        #expect(TerminalText.escape("\u{9B}31m \u{202E}gpj") == "\\u{9B}31m \\u{202E}gpj")
        #expect(TerminalText.escape("plain ✔ text") == "plain ✔ text")
    }

    @Test func outputIsEscapedThenRedactedThenStyled() {
        let output = TerminalOutput(style: TerminalStyle(enabled: true), redactor: Redactor())
        let line = output.render(OutputLine("Location: http://a:pw12@h/\u{1B}[2J", tone: .heading))
        #expect(line == "\u{1B}[1mLocation: http://a:***@h/\\x1B[2J\u{1B}[0m")
        // The only ESC left is otaprobe's own styling, and a finding's mark is coloured.
        #expect(output.render(OutputLine("  ✘ bad \u{1B}")) == "  \u{1B}[1;31m✘\u{1B}[0m bad \\x1B")
    }
}

@Suite struct HeadBoundTests {
    @Test func aHeaderBombKeepsTheFirstHeadersAndStillReadsTheLateOnes() {
        var head = ResponseHead(code: 200)
        for index in 0..<5000 { head.keep(.init(name: "X-\(index)", value: "v")) }
        head.keep(.init(name: "Content-Length", value: "42"))
        #expect(head.headers.count == Limits.headersKept)
        #expect(head.headerCount == 5001)
        #expect(head.header("Content-Length") == "42")
        #expect(head.header("X-4000") == nil)
    }
}
