import ScenarioServer

/// Every hostile behaviour, by group. README.md beside this file lists them with one line each;
/// `HostileCatalogReadme` keeps the two in step.
enum HostileCatalog {
    static let all: [HostileCase] =
        headerBombs + endlessHeads + endlessBodies + lengthOverflows + chunkOverflows + redirects
        + foreignLocations + controlBytes + resets + compression + tls + oddResponses

    private typealias B = HostileBodies

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Head (with Content-Length of the image) + the image + close.
    private static func download(_ served: Served, _ extra: [String] = []) -> [ScriptStep] {
        [.send(B.downloadHead(served.image, extra)), .send(served.image), .close]
    }

    /// The image after a head built from these lines (status line first, CRLF), then close.
    private static func rawHead(_ served: Served, _ head: [UInt8]) -> [ScriptStep] {
        [.send(head), .send(served.image), .close]
    }

    // MARK: Header bombs

    static let headerBombs: [HostileCase] = [
        HostileCase("headers-100k", .headerBomb, "200 with the image's Content-Length, then 100,000 distinct X-Bomb-n headers (2.4 MB of head), then the image",
                    deviceTime: .waits(2)) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(s.image.count)\r\n")),
             .send(B.hundredThousandHeaders), .send([13, 10]), .send(s.image), .close]
        },
        HostileCase("set-cookie-20k", .headerBomb, "200 with the image, preceded by 20,000 Set-Cookie headers", deviceTime: .waits(2)) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\n")), .send(B.twentyThousandCookies), .send([13, 10]), .send(s.image), .close]
        },
        HostileCase("header-line-1mib", .headerBomb, "200 with the image and one header whose value is 1 MiB long", deviceTime: .waits(2)) { s in
            download(s, ["X-Huge: " + B.oneMiBOfA])
        },
        HostileCase("header-name-1mib", .headerBomb, "200 with the image and one header whose name is 1 MiB long", deviceTime: .waits(2)) { s in
            download(s, [B.oneMiBOfA + ": v"])
        },
        HostileCase("header-no-colon-1mib", .headerBomb, "200 with the image and a 1 MiB header line without any colon", deviceTime: .waits(2)) { s in
            download(s, [B.oneMiBOfA])
        },
        HostileCase("location-1mib", .headerBomb, "302 whose Location is an http URL on this server with a 1 MiB path", deviceTime: .waits(2),
                    followRedirects: true) { s in
            B.redirect(to: s.url("location-1mib", B.oneMiBOfA))
        },
        HostileCase("x-md5-1mib", .headerBomb, "200 with the image and an x-MD5 header 1 MiB long", deviceTime: .waits(2)) { s in
            download(s, ["x-MD5: " + B.oneMiBOfA])
        },
        HostileCase("reason-1mib", .headerBomb, "200 whose reason phrase is 1 MiB long, then a normal head and the image", deviceTime: .waits(2)) { s in
            rawHead(s, B.head("HTTP/1.1 200 " + B.oneMiBOfA, ["Content-Length: \(s.image.count)", "Connection: close"]))
        },
        HostileCase("content-length-100k-times", .headerBomb, "200 with the same Content-Length header repeated 100,000 times, then the image",
                    deviceTime: .waits(2)) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\n")), .send(B.lines(Array(repeating: "Content-Length: \(s.image.count)", count: 100_000))),
             .send([13, 10]), .send(s.image), .close]
        },
    ]

    // MARK: Endless and dripping heads

    static let endlessHeads: [HostileCase] = [
        HostileCase("head-endless-headers", .endlessHead, "200 status line, then header lines at full speed for ever (no blank line)",
                    deviceTime: .unbounded) { _ in
            [.send(bytes("HTTP/1.1 200 OK\r\n")), .sendRepeatedly(B.headerFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("head-endless-status-line", .endlessHead, "a status line that never ends: `HTTP/1.1 200 ` then letters for ever, no line end",
                    deviceTime: .unbounded) { _ in
            [.send(bytes("HTTP/1.1 200 ")), .sendRepeatedly(B.letterFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("head-endless-header-value", .endlessHead, "200, Content-Length, then one header value that never ends",
                    deviceTime: .unbounded) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nX-Endless: ")), .sendRepeatedly(B.letterFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("continue-storm", .endlessHead, "interim `100 Continue` heads at full speed for ever, never a final status",
                    deviceTime: .unbounded) { _ in
            [.sendRepeatedly(B.continueFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("head-drip-500ms", .endlessHead, "a valid download head dripped one byte every 500 ms (about 45 s of head), then the image",
                    deviceTime: .unbounded, paced: true) { s in
            [.sendSlowly(B.downloadHead(s.image), chunk: 1, intervalMilliseconds: 500), .send(s.image), .close]
        },
        HostileCase("head-drip-endless", .endlessHead, "200 status line, then `X-Drip: 1` header lines one byte every 500 ms for ever",
                    deviceTime: .unbounded, paced: true) { _ in
            // 2,200 bytes at 2 a second: 18 minutes, far past the connection's cap.
            [.send(bytes("HTTP/1.1 200 OK\r\n")), .sendSlowly(Array(repeatElement(bytes("X-Drip: 1\r\n"), count: 200).joined()), chunk: 1, intervalMilliseconds: 500)]
        },
        HostileCase("headers-then-silence", .endlessHead, "200 with Content-Length but no blank line, then silence until the connection's cap",
                    deviceTime: .waits(2), paced: true) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\n")), .holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
    ]

    // MARK: Endless and dripping bodies

    static let endlessBodies: [HostileCase] = [
        HostileCase("body-endless-no-length", .endlessBody, "200 without Content-Length or chunking, then zeros at full speed for ever",
                    deviceTime: .unbounded) { _ in
            [.send(B.head(["Content-Type: application/octet-stream", "Connection: close"])), .sendRepeatedly(B.zeroFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("body-endless-past-length", .endlessBody, "200 with the image's Content-Length, the image, then noise for ever past the length",
                    deviceTime: .unbounded) { s in
            [.send(B.downloadHead(s.image)), .send(s.image), .sendRepeatedly(B.noise, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("body-endless-chunked", .endlessBody, "200 chunked: 4 KiB chunks of zeros for ever, never the last chunk", deviceTime: .unbounded) { _ in
            [.send(B.head(["Transfer-Encoding: chunked"])), .sendRepeatedly(B.chunkFlood, times: .max, intervalMilliseconds: 0)]
        },
        HostileCase("body-drip", .endlessBody, "200 with the image's Content-Length, the image dripped 256 bytes every 200 ms (minutes)",
                    deviceTime: .unbounded, paced: true) { s in
            [.send(B.downloadHead(s.image)), .sendSlowly(s.image, chunk: 256, intervalMilliseconds: 200), .close]
        },
        HostileCase("body-stall-half", .endlessBody, "200 with the image's Content-Length, half the image, then silence until the cap",
                    deviceTime: .unbounded, paced: true) { s in
            [.send(B.downloadHead(s.image)), .send(Array(s.image.prefix(s.image.count / 2))), .holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
    ]

    // MARK: Length overflows

    private static func lengthCase(_ name: String, _ summary: String, _ values: [String]) -> HostileCase {
        HostileCase(name, .lengthOverflow, summary, deviceTime: .waits(2)) { s in
            rawHead(s, B.head(["Content-Type: application/octet-stream"] + values.map { "Content-Length: \($0)" } + ["Connection: close"]))
        }
    }

    static let lengthOverflows: [HostileCase] = [
        lengthCase("length-2^64", "Content-Length 18446744073709551616 (2^64), then the image", ["18446744073709551616"]),
        lengthCase("length-2^64-1", "Content-Length 18446744073709551615 (2^64 - 1), then the image", ["18446744073709551615"]),
        lengthCase("length-2^63", "Content-Length 9223372036854775808 (2^63), then the image", ["9223372036854775808"]),
        lengthCase("length-2^32-plus-image", "Content-Length 2^32 + the image's size (wraps to the size in 32 bits), then the image", ["\(4_294_967_296 + 300_000)"]),
        lengthCase("length-2^31", "Content-Length 2147483648 (2^31, negative as a 32-bit int), then the image", ["2147483648"]),
        lengthCase("length-minus-1", "Content-Length -1, then the image", ["-1"]),
        lengthCase("length-1e9-text", "Content-Length `1e9`, then the image", ["1e9"]),
        lengthCase("length-1e9", "Content-Length 1000000000, then the image and close", ["1000000000"]),
        lengthCase("length-20-nines", "Content-Length 99999999999999999999, then the image", ["99999999999999999999"]),
        lengthCase("length-conflicting", "two Content-Length headers, 300000 and 100, then the image", ["300000", "100"]),
        lengthCase("length-hex-and-plus", "Content-Length `+0x493E0`, then the image", ["+0x493E0"]),
    ]

    // MARK: Chunk-size overflows

    private static func chunkCase(_ name: String, _ summary: String, _ body: @escaping @Sendable (Served) -> [ScriptStep],
                                  deviceTime: HostileCase.DeviceTime = .waits(2)) -> HostileCase {
        HostileCase(name, .chunkOverflow, summary, deviceTime: deviceTime) { s in
            [.send(B.head(["Content-Type: application/octet-stream", "Transfer-Encoding: chunked", "Connection: close"]))] + body(s)
        }
    }

    static let chunkOverflows: [HostileCase] = [
        chunkCase("chunk-size-17-f", "chunked, first chunk size FFFFFFFFFFFFFFFFF (17 hex digits, > 2^64), then the image and close") { s in
            [.send(bytes("FFFFFFFFFFFFFFFFF\r\n") + s.image), .close]
        },
        chunkCase("chunk-size-16-f", "chunked, first chunk size FFFFFFFFFFFFFFFF (2^64 - 1), then the image and close") { s in
            [.send(bytes("FFFFFFFFFFFFFFFF\r\n") + s.image), .close]
        },
        chunkCase("chunk-size-negative", "chunked, first chunk size -1, then the image and close") { s in
            [.send(bytes("-1\r\n") + s.image), .close]
        },
        chunkCase("chunk-extension-endless", "chunked, a chunk size followed by a chunk extension that never ends", { _ in
            [.send(bytes("1000;ext=")), .sendRepeatedly(B.letterFlood, times: .max, intervalMilliseconds: 0)]
        }, deviceTime: .unbounded),
        chunkCase("chunk-size-no-crlf", "chunked, chunk size `493E0` without CRLF, straight into the image, then close") { s in
            [.send(bytes("493E0") + s.image), .close]
        },
        chunkCase("chunk-one-byte-chunks", "chunked image in 1-byte chunks (about 6 bytes of framing per byte)") { s in
            [.send(B.chunked(s.image, size: 1)), .close]
        },
        chunkCase("chunk-size-lies", "chunked, chunks declare 64 KiB but carry 100 bytes each, then close") { s in
            [.send(bytes("10000\r\n") + Array(s.image.prefix(100)) + bytes("\r\n10000\r\n") + Array(s.image.prefix(100))), .close]
        },
        HostileCase("chunked-and-length", .chunkOverflow, "both Transfer-Encoding: chunked and Content-Length, a chunked image",
                    deviceTime: .waits(2)) { s in
            [.send(B.head(["Content-Length: \(s.image.count)", "Transfer-Encoding: chunked", "Connection: close"]) + B.chunked(s.image)), .close]
        },
    ]

    // MARK: Redirect loops and chains

    static let redirects: [HostileCase] = [
        HostileCase("redirect-self", .redirect, "302 to its own URL, for ever (A → A)", deviceTime: .waits(2), followRedirects: true) { s in
            B.redirect(to: s.url("redirect-self"))
        },
        HostileCase("redirect-ping-pong", .redirect, "302 A → B → A → … for ever", deviceTime: .waits(2), followRedirects: true) { s in
            B.redirect(to: s.url("redirect-ping-pong", s.pathParts.last == "a" ? "b" : "a"))
        },
        HostileCase("redirect-chain-50", .redirect, "a finite chain of 50 redirects (301, 302, 303, 307, 308 in turn) ending at the valid image",
                    deviceTime: .waits(2), followRedirects: true) { s in
            let hop = Int(s.pathParts.last ?? "") ?? 0
            guard hop < 50 else { return download(s) }
            let status = ["HTTP/1.1 301 Moved Permanently", "HTTP/1.1 302 Found", "HTTP/1.1 303 See Other",
                          "HTTP/1.1 307 Temporary Redirect", "HTTP/1.1 308 Permanent Redirect"][hop % 5]
            return B.redirect(to: s.url("redirect-chain-50", "\(hop + 1)"), status: status)
        },
        HostileCase("redirect-spiral", .redirect, "302 to a new URL every time (/1 → /2 → /3 …), never repeating, for ever",
                    deviceTime: .waits(2), followRedirects: true) { s in
            B.redirect(to: s.url("redirect-spiral", "\((Int(s.pathParts.last ?? "") ?? 0) + 1)"))
        },
        HostileCase("redirect-relative-loop", .redirect, "302 with a relative Location (`./fw.bin`) that names itself", deviceTime: .waits(2),
                    followRedirects: true) { _ in
            B.redirect(to: "./fw.bin")
        },
    ]

    // MARK: Foreign schemes and bad ports in Location

    private static func locationCase(_ name: String, _ summary: String, _ location: @escaping @Sendable (Served) -> [UInt8]) -> HostileCase {
        HostileCase(name, .foreignLocation, summary, deviceTime: .waits(2), followRedirects: true) { s in
            B.redirect(rawLocation: location(s))
        }
    }

    static let foreignLocations: [HostileCase] = [
        locationCase("location-ftp", "302 to ftp://127.0.0.1/fw.bin") { _ in bytes("ftp://127.0.0.1/fw.bin") },
        locationCase("location-file-passwd", "302 to file:///etc/passwd") { _ in bytes("file:///etc/passwd") },
        locationCase("location-gopher", "302 to gopher://127.0.0.1:70/1") { _ in bytes("gopher://127.0.0.1:70/1") },
        locationCase("location-javascript", "302 to javascript:alert(1)") { _ in bytes("javascript:alert(1)") },
        locationCase("location-data", "302 to a data: URL carrying an ESP8266 image header") { _ in bytes("data:application/octet-stream;base64,6QQCIAAAEEA=") },
        locationCase("location-scheme-control-bytes", "302 to `ht\\x01tp\\x1b[2J://…`: a scheme with control bytes in it") { s in
            bytes("ht") + [0x01] + bytes("tp") + [0x1B] + bytes("[2J://127.0.0.1:\(s.origin.split(separator: ":").last ?? "80")/x")
        },
        locationCase("location-dict-scheme", "302 to dict://127.0.0.1:11211/stat (a scheme curl speaks)") { _ in bytes("dict://127.0.0.1:11211/stat") },
        locationCase("location-port-70000", "302 to http://127.0.0.1:70000/fw.bin (port > 65535)") { _ in bytes("http://127.0.0.1:70000/fw.bin") },
        locationCase("location-port-huge", "302 to http://127.0.0.1:99999999999999999999/fw.bin") { _ in bytes("http://127.0.0.1:99999999999999999999/fw.bin") },
        locationCase("location-port-wraps", "302 to port 65536 + this server's port (wraps to this server in 16 bits)") { s in
            let port = Int(s.origin.split(separator: ":").last ?? "") ?? 0
            return bytes("http://127.0.0.1:\(65_536 + port)/location-port-wraps/\(s.stack.tag)/fw.bin")
        },
        locationCase("location-empty", "302 with an empty Location") { _ in [] },
        locationCase("location-protocol-relative-ftp", "302 to `//127.0.0.1:21/fw.bin` (scheme-relative)") { _ in bytes("//127.0.0.1:21/fw.bin") },
    ]

    // MARK: Control bytes and NULs

    private static func controlCase(_ name: String, _ summary: String, followRedirects: Bool = false,
                                    _ steps: @escaping @Sendable (Served) -> [ScriptStep]) -> HostileCase {
        HostileCase(name, .controlBytes, summary, deviceTime: .waits(2), followRedirects: followRedirects, respond: steps)
    }

    /// An ANSI sequence that clears the screen, sets the title, and rings the bell.
    static let escapeSoup: [UInt8] = [0x1B] + Array("[2J".utf8) + [0x1B] + Array("]0;pwned".utf8) + [0x07, 0x1B] + Array("[31mred".utf8) + [0x1B] + Array("[0m".utf8)

    static let controlBytes: [HostileCase] = [
        controlCase("ctl-reason-escapes", "200 whose reason phrase holds ESC sequences, BEL and DEL, then the image") { s in
            rawHead(s, bytes("HTTP/1.1 200 O") + escapeSoup + [0x7F] + bytes("K\r\nContent-Length: \(s.image.count)\r\nConnection: close\r\n\r\n"))
        },
        controlCase("ctl-status-nul", "a status line with a NUL in it (`HTTP/1.1 2\\0 00 OK`), then the image") { s in
            rawHead(s, bytes("HTTP/1.1 2") + [0] + bytes("00 OK\r\nContent-Length: \(s.image.count)\r\n\r\n"))
        },
        controlCase("ctl-404-reason-escapes", "404 whose reason phrase is an ESC sequence soup") { _ in
            [.send(bytes("HTTP/1.1 404 ") + escapeSoup + bytes("\r\nContent-Length: 3\r\nConnection: close\r\n\r\nno\n")), .close]
        },
        controlCase("ctl-header-name-escape", "a header whose name holds ESC[2J, then the image") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nX-") + escapeSoup + bytes(": v\r\n\r\n"))
        },
        controlCase("ctl-header-value-escape-bel", "a header value with ESC sequences and BEL, then the image") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nServer: ") + escapeSoup + bytes("\r\n\r\n"))
        },
        controlCase("ctl-header-value-nul", "a header value with NUL bytes, then the image") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nX-Nul: a") + [0, 0] + bytes("b\r\n\r\n"))
        },
        controlCase("ctl-header-lone-cr", "a header value with a lone CR in the middle (`a\\rX-Injected: 1`)") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nX-Cr: a\rX-Injected: 1\r\n\r\n"))
        },
        controlCase("ctl-cr-only-lines", "a whole head with lone CR line ends, then the image") { s in
            rawHead(s, B.head(["Content-Length: \(s.image.count)", "Connection: close"], ending: "\r"))
        },
        controlCase("ctl-x-md5-escape", "the image with x-MD5 holding ESC sequences and a NUL") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nx-MD5: ") + escapeSoup + [0] + bytes("\r\n\r\n"))
        },
        controlCase("ctl-content-length-escape", "Content-Length preceded by ESC[1m (`\\e[1m300000`)") { s in
            rawHead(s, bytes("HTTP/1.1 200 OK\r\nContent-Length: ") + [0x1B] + bytes("[1m\(s.image.count)\r\nConnection: close\r\n\r\n"))
        },
        controlCase("ctl-transfer-encoding-escape", "Transfer-Encoding `chunk\\e[0med` with a chunked image") { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunk") + [0x1B] + bytes("[0med\r\n\r\n") + B.chunked(s.image)), .close]
        },
        controlCase("ctl-location-escape", "302 whose Location (http, this server) holds ESC sequences", followRedirects: true) { s in
            B.redirect(rawLocation: bytes(s.url("ctl-location-escape", "x")) + escapeSoup)
        },
        controlCase("ctl-location-nul", "302 whose Location holds a NUL before `@evil`", followRedirects: true) { s in
            B.redirect(rawLocation: bytes(s.origin + "/x") + [0] + bytes("@evil.example/fw.bin"))
        },
        controlCase("ctl-body-text-escapes", "a 404 text/plain page made of ESC sequences, BEL, NUL and backspaces") { _ in
            B.page("HTTP/1.1 404 Not Found", escapeSoup + [0, 0x08, 0x08, 0x07] + escapeSoup + bytes("\n"))
        },
        controlCase("ctl-body-instead-of-image", "200 with Content-Length whose body is ESC sequences (not an image)") { _ in
            let body = Array(repeatElement(escapeSoup, count: 64).joined())
            return [.send(B.head(["Content-Length: \(body.count)", "Connection: close"]) + body), .close]
        },
        controlCase("ctl-www-authenticate-escape", "401 with WWW-Authenticate holding ESC sequences and an OSC 8 hyperlink") { _ in
            let osc8: [UInt8] = [0x1B] + bytes("]8;;http://evil.example/") + [0x1B, 0x5C] + bytes("click") + [0x1B] + bytes("]8;;") + [0x1B, 0x5C]
            return [.send(bytes("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"") + osc8 + escapeSoup
                          + bytes("\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")), .close]
        },
        controlCase("ctl-c1-and-invalid-utf8", "200 whose reason and a header hold raw 0x9B (C1 CSI), 0xFF and overlong UTF-8") { s in
            rawHead(s, bytes("HTTP/1.1 200 O") + [0x9B, 0x32, 0x4A, 0xFF, 0xC0, 0x80] + bytes("K\r\nContent-Length: \(s.image.count)\r\nX-C1: ")
                    + [0xC2, 0x9B] + bytes("31m\r\n\r\n"))
        },
    ]

    // MARK: Resets and closes at each phase

    static let resets: [HostileCase] = [
        HostileCase("reset-before-any-byte", .reset, "RST right after accept, before the request is read", deviceTime: .waits(2), actsOnAccept: true) { _ in
            [.reset]
        },
        HostileCase("close-before-any-byte", .reset, "FIN right after accept, nothing sent", deviceTime: .waits(2), actsOnAccept: true) { _ in
            [.close]
        },
        HostileCase("reset-mid-status-line", .reset, "`HTTP/1.1 2` then RST", deviceTime: .waits(2)) { _ in
            [.send(bytes("HTTP/1.1 2")), .reset]
        },
        HostileCase("reset-mid-head", .reset, "status line and half a header, then RST", deviceTime: .waits(2)) { s in
            [.send(bytes("HTTP/1.1 200 OK\r\nContent-Length: \(s.image.count)\r\nContent-Ty")), .reset]
        },
        HostileCase("reset-after-head", .reset, "the whole head of a download, then RST", deviceTime: .waits(2)) { s in
            [.send(B.downloadHead(s.image)), .reset]
        },
        HostileCase("reset-mid-body", .reset, "the head and half the image, then RST", deviceTime: .waits(2)) { s in
            [.send(B.downloadHead(s.image)), .send(Array(s.image.prefix(s.image.count / 2))), .reset]
        },
        HostileCase("reset-after-redirect-head", .reset, "a 302 head to itself, then RST before the body", deviceTime: .waits(2), followRedirects: true) { s in
            [.send(B.head("HTTP/1.1 302 Found", ["Location: \(s.url("reset-after-redirect-head"))", "Content-Length: 100"])), .reset]
        },
    ]

    // MARK: Compression bombs

    private static func gzipBombSteps(head: [UInt8]) -> [ScriptStep] {
        let bomb = GzipBomb.zeros
        return [.send(head + bomb.header), .sendRepeatedly(bomb.repeatedBlock, times: bomb.repeats, intervalMilliseconds: 0), .send(bomb.tail), .close]
    }

    static let gzippedImages: [Stack: [UInt8]] = [
        .esp8266: GzipStored.wrap(HostileBodies.esp8266Image),
        .esp32: GzipStored.wrap(HostileBodies.esp32Image),
        .idf: GzipStored.wrap(HostileBodies.esp32Image),
    ]

    static let compression: [HostileCase] = [
        HostileCase("gzip-bomb-encoded", .compression, "Content-Encoding: gzip, a 1 MiB gzip of 1 GiB of zeros (streamed), with Content-Length",
                    deviceTime: .waits(2)) { _ in
            gzipBombSteps(head: B.head(["Content-Type: application/octet-stream", "Content-Encoding: gzip",
                                        "Content-Length: \(GzipBomb.zeros.compressedSize)", "Connection: close"]))
        },
        HostileCase("gzip-bomb-as-image", .compression, "the same 1 GiB-of-zeros gzip as a plain application/octet-stream body (gzip magic, as a compressed ESP8266 image has)",
                    deviceTime: .waits(2)) { _ in
            gzipBombSteps(head: B.head(["Content-Type: application/octet-stream", "Content-Length: \(GzipBomb.zeros.compressedSize)", "Connection: close"]))
        },
        HostileCase("gzip-bomb-no-length", .compression, "the 1 GiB-of-zeros gzip, Content-Encoding: gzip, close-delimited without Content-Length",
                    deviceTime: .waits(2)) { _ in
            gzipBombSteps(head: B.head(["Content-Type: application/octet-stream", "Content-Encoding: gzip", "Connection: close"]))
        },
        HostileCase("gzip-image-encoded", .compression, "the stack's valid image gzip'd, served with Content-Encoding: gzip and its Content-Length",
                    deviceTime: .waits(2)) { s in
            let body = gzippedImages[s.stack] ?? []
            return [.send(B.head(["Content-Encoding: gzip", "Content-Length: \(body.count)", "Connection: close"]) + body), .close]
        },
    ]

    // MARK: TLS garbage (https URL, the server acts on accept)

    private static func tlsCase(_ name: String, _ summary: String, deviceTime: HostileCase.DeviceTime = .waits(2), paced: Bool = false,
                                _ steps: @escaping @Sendable (Served) -> [ScriptStep]) -> HostileCase {
        HostileCase(name, .tls, summary, deviceTime: deviceTime, https: true, actsOnAccept: true, paced: paced, respond: steps)
    }

    static let tls: [HostileCase] = [
        tlsCase("tls-server-speaks-http", "https URL; the server answers with a plain HTTP 400 at once and closes") { _ in
            [.send(bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 4\r\nConnection: close\r\n\r\nno\r\n")), .close]
        },
        tlsCase("tls-random-bytes", "https URL; the server sends 64 KiB of noise and closes") { _ in
            [.send(B.noise), .close]
        },
        tlsCase("tls-endless-noise", "https URL; the server sends noise for ever", deviceTime: .unbounded) { _ in
            [.sendRepeatedly(B.noise, times: .max, intervalMilliseconds: 0)]
        },
        tlsCase("tls-huge-record", "https URL; a handshake record header claiming 65535 bytes (above TLS's 16 KiB + 2 KiB), then 65535 bytes, then close") { _ in
            [.send([0x16, 0x03, 0x03, 0xFF, 0xFF] + B.noise.prefix(65_535)), .close]
        },
        tlsCase("tls-alert-escapes", "https URL; a well-framed TLS alert record followed by ESC sequences and close") { _ in
            [.send([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28] + escapeSoup), .close]
        },
        tlsCase("tls-close-at-once", "https URL; the server closes right after accept") { _ in [.close] },
        tlsCase("tls-reset-at-once", "https URL; the server resets right after accept") { _ in [.reset] },
        tlsCase("tls-silent", "https URL; the server accepts and never sends a byte", deviceTime: .unbounded, paced: true) { _ in
            [.holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
    ]

    // MARK: Odd responses

    static let oddResponses: [HostileCase] = [
        HostileCase("http-0.9", .oddResponse, "an HTTP/0.9 answer: the image with no status line or head, then close", deviceTime: .waits(2)) { s in
            [.send(s.image), .close]
        },
        HostileCase("status-line-only", .oddResponse, "`HTTP/1.1 200 OK` and its CRLF, then close", deviceTime: .waits(2)) { _ in
            [.send(bytes("HTTP/1.1 200 OK\r\n")), .close]
        },
        HostileCase("lf-only", .oddResponse, "a whole download head with bare LF line ends, then the image", deviceTime: .waits(2)) { s in
            rawHead(s, B.head(["Content-Length: \(s.image.count)", "Connection: close"], ending: "\n"))
        },
        HostileCase("continue-then-close", .oddResponse, "one `100 Continue` head, then close", deviceTime: .waits(2)) { _ in
            [.send(bytes("HTTP/1.1 100 Continue\r\n\r\n")), .close]
        },
        HostileCase("continue-then-image", .oddResponse, "ten `100 Continue` heads, then a normal download", deviceTime: .waits(2)) { s in
            [.send(Array(repeatElement(bytes("HTTP/1.1 100 Continue\r\n\r\n"), count: 10).joined()))] + download(s)
        },
        HostileCase("status-code-overflow", .oddResponse, "status code 99999999999999999999, then the image", deviceTime: .waits(2)) { s in
            rawHead(s, B.head("HTTP/1.1 99999999999999999999 OK", ["Content-Length: \(s.image.count)"]))
        },
        HostileCase("status-code-negative", .oddResponse, "status code -200, then the image", deviceTime: .waits(2)) { s in
            rawHead(s, B.head("HTTP/1.1 -200 OK", ["Content-Length: \(s.image.count)"]))
        },
        HostileCase("binary-garbage", .oddResponse, "64 KiB of noise instead of an HTTP answer, then close", deviceTime: .waits(2)) { _ in
            [.send(B.noise), .close]
        },
        HostileCase("never-answers", .oddResponse, "reads the request, never answers, holds the connection until its cap", deviceTime: .waits(2), paced: true) { _ in
            [.holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
        HostileCase("silent-from-accept", .oddResponse, "acts on accept: sends nothing, whatever the client writes, until its cap", deviceTime: .waits(2),
                    actsOnAccept: true, paced: true) { _ in
            [.holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
        HostileCase("range-ignored-resume", .oddResponse, "ignores Range: 200 and the whole image to a resuming device (ESP-IDF: --advanced-api --resume-from 65536)",
                    deviceTime: .waits(2), extraArguments: { $0 == .idf ? ["--advanced-api", "--resume-from", "65536"] : [] }) { s in
            download(s, ["Accept-Ranges: bytes"])
        },
        HostileCase("range-garbage-content-range", .oddResponse, "206 with a Content-Range of 2^64 and control bytes to a resuming device",
                    deviceTime: .waits(2), extraArguments: { $0 == .idf ? ["--advanced-api", "--resume-from", "65536"] : [] }) { s in
            rawHead(s, bytes("HTTP/1.1 206 Partial Content\r\nContent-Length: \(s.image.count)\r\nContent-Range: bytes 65536-18446744073709551616/")
                    + escapeSoup + bytes("\r\n\r\n"))
        },
        HostileCase("keep-alive-extra-response", .oddResponse, "a download with keep-alive followed by a second unsolicited response and noise", deviceTime: .waits(2)) { s in
            [.send(B.head(["Content-Length: \(s.image.count)", "Connection: keep-alive"]) + s.image + bytes("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n") + B.noise), .close]
        },
    ]
}
