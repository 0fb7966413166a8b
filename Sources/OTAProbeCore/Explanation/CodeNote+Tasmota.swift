/// Tasmota on the ESP8266: the codes are the core's (`ESPhttpUpdate.getLastError()` of
/// tasmota/Arduino 2.7.8 = esp8266/Arduino 2.7.4), published as `{"Upgrade":"Failed <text>"}`
/// after the last attempt. What Tasmota adds to a code — a retry with `-minimal`, `.gz`, a 304
/// that reads as success — is said here; the rest is the ESP8266 core's note.
/// Spec esphome-and-tasmota.md §T1-T2, §T4.
extension CodeNote {
    static let tasmota: [Int: CodeNote] = esp8266Arduino.filter { !codesAfter274.contains($0.key) }.merging(tasmotaOwn) { _, own in own }

    /// Codes the 2.7.4 core cannot return: -108 (401) came with 3.0.2, Updater errors 13 and
    /// 14 with 3.x (esp8266-arduino.md §5, §6).
    /// The notes for a profile: Tasmota on the ESP32 runs a copy of arduino-esp32's
    /// HTTPUpdate (HTTPUpdateLight), so its codes mean what they mean there.
    static func table(for profile: DeviceProfile) -> [Int: CodeNote] {
        if case .tasmota(let tasmota) = profile, tasmota.esp8266Core == nil { return tasmota32 }
        return table(for: profile.family)
    }

    private static let codesAfter274: Set<Int> = [-108, 13, 14]

    /// Tasmota on the ESP32: arduino-esp32's meanings (HTTPUpdateLight is a copy), with what
    /// HTTPClientLight, BearSSL light and TasUpdate do differently, and the `OTA: …` lines
    /// HTTPUpdateLight logs — the only place the reason shows, as the console says
    /// `{"Upgrade":"Failed "}` (spec esphome-and-tasmota.md §T3.4, §T3.5, §T3.7, T4).
    static let tasmota32: [Int: CodeNote] = esp32Arduino.merging(tasmota32Own) { _, own in own }

    private static let tasmota32Own: [Int: CodeNote] = [
        -1: CodeNote("GET() returned -1: over http any DNS or TCP failure; over https a handshake the server ended without an alert (getLastError() 0). HTTPUpdateLight logs it as a timeout whatever it was; the console says {\"Upgrade\":\"Failed \"}.",
                     causes: ["the host does not resolve or the port is closed (http:// OtaUrl)", "an https server that drops the connection during the handshake"],
                     fixes: ["Check the OtaUrl's host and port from the device's network (Ping, or a browser on the same network).", "For https, read the server's TLS log: something closed the handshake without saying why."],
                     printed: ["OTA: Connection timeout after <ms> ms"]),
        -101: CodeNote("The 200 answer had no Content-Length (chunked or read to the close): getSize() is -1, so HTTPUpdateLight first logs it like a connection error with the status, then gives up.",
                       causes: ["a server or proxy that streams the file chunked", "a script that does not set Content-Length"],
                       fixes: ["Serve the file as a static file with Content-Length (nginx, Apache, python -m http.server)."],
                       printed: ["OTA: Connection error 200 after <ms> ms"]),
        -104: CodeNote("Any status but 200, 304, 403 and 404 — and, over https, GET() = 1, 2 or 5 (-1000 - getLastError() for DNS, TCP and handshake-timeout failures), which HTTPUpdateLight takes for a status. Redirects 301/302/303/307 are followed (same scheme, up to 10); 308 and a change of scheme are not.",
                       causes: ["a 308, or a redirect from http to https (or back)", "401, 5xx",
                                "https: 'unsupported HTTP return code 1' = the host does not resolve, 2 = the port is closed or unreachable, 5 = the server did not finish the TLS handshake within 10 s"],
                       fixes: ["Point OtaUrl at the final URL of the same scheme, or use a 301/302/307 redirect.",
                               "For codes 1/2/5 check the https host and port, and that the port speaks TLS 1.2."],
                       printed: ["OTA: unsupported HTTP return code <n>", "OTA: Connection error 1 after <ms> ms",
                                 "OTA: Connection error 2 after <ms> ms", "OTA: Connection error 5 after <ms> ms"]),
        -105: CodeNote("The x-MD5 header is not exactly 32 characters. TasUpdate stays running afterwards, so every later attempt of this boot fails with code 0 whatever the server sends.",
                       causes: ["an x-MD5 header with a prefix, quotes or two values", "a SHA-256 sent as x-MD5"],
                       fixes: ["Send one x-MD5 header with the 32-character lower-case hex MD5, or none; then restart the device."]),
        -106: CodeNote("The first body byte is not 0xE9, or it had not arrived 100 ms after the headers (the peek does not wait, over http or https). A gzip image (.bin.gz, 1F 8B) is refused on the ESP32 on every attempt.",
                       causes: ["a tasmota32….bin.gz: the ESP32 build takes only the raw .bin", "an HTML page with status 200", "a slow server or proxy that sends the body later than the headers"],
                       fixes: ["Serve the raw tasmota32 .bin (the ESP32 OtaUrl has no .gz).", "Send the body right after the headers (no buffering proxy)."]),
        7: CodeNote("The image's MD5 differs from x-MD5; TasUpdate compares case-sensitively with lower-case hex, so an upper-case x-MD5 fails even for the right file.",
                    causes: ["an upper-case x-MD5", "an x-MD5 of another file"],
                    fixes: ["Send the MD5 in lower-case hex (md5sum prints it so)."]),
    ]

    private static let tasmotaOwn: [Int: CodeNote] = [
        0: CodeNote("The last attempt did not fail: Tasmota publishes {\"Upgrade\":\"Successful. Restarting\"} and restarts — also for a 304, when nothing was flashed (any result but HTTP_UPDATE_FAILED counts as success).",
                    causes: ["the image was written and verified", "the server answered 304 Not Modified (no update, but the same words)"],
                    fixes: ["To tell the two apart, look at the version after the restart (Status 2) or at the server's log."],
                    printed: ["{\"Upgrade\":\"Successful. Restarting\"}", "UPL: <url> <version>"]),
        -100: CodeNote("The image is larger than the free sketch space. Tasmota then asks for '<name>-minimal<ext>' in every remaining attempt (ota_loader = 1): the two-step upgrade of 1 MB devices.",
                       causes: ["a full build on a 1 MB (or 2 MB) device", "no '-minimal' file beside the image on the server"],
                       fixes: ["Put tasmota-minimal.bin.gz beside the image (same directory, '-minimal' before the first '.'), or upgrade to a smaller build first.",
                               "Free flash: the device compares against ESP.getFreeSketchSpace()."]),
        -104: CodeNote("Any status but 200, 304, 404 and 403 — a redirect too: Tasmota's core has redirects off (HTTPC_DISABLE_FOLLOW_REDIRECTS), and an https:// OtaUrl is sent as plain HTTP to port 443, which TLS servers answer with 400.",
                       causes: ["a 301/302 to another host or to https (GitHub, CDNs)", "5xx",
                                "an https:// OtaUrl: the ESP8266 build sends plain HTTP to port 443"],
                       fixes: ["Point OtaUrl at the final http:// URL (no redirect).", "On the ESP8266 use an http:// OtaUrl: Tasmota's ESP8266 OTA has no TLS."]),
        -106: CodeNote("The first byte is neither 0xE9 (an image) nor 0x1F (gzip). Tasmota retries, appending .gz for the last attempts.",
                       causes: ["an HTML page (login, error or directory listing) with status 200", "a .zip or a factory image with a different header"],
                       fixes: ["Serve the raw tasmota.bin or tasmota.bin.gz from the release, not a page about it."]),
        -107: CodeNote("The image declares a flash larger than the chip. Tasmota then asks for '<name>-minimal<ext>' in every remaining attempt, like after -100.",
                       causes: ["a 4 MB build on a 1 MB device"],
                       fixes: ["Use the build for the device's flash size, or provide the -minimal image for the two-step upgrade."]),
    ]
}
