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
        if case .tasmota(let tasmota) = profile, tasmota.esp8266Core == nil { return esp32Arduino }
        return table(for: profile.family)
    }

    private static let codesAfter274: Set<Int> = [-108, 13, 14]

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
