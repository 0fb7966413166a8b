/// Explanations that read what the server actually answered, on every stack: its own words
/// for an error status (an update script refusing the device), a compressed body, a redirect's
/// target as the device would find it, and an image built for another chip.
extension Diagnosis {
    /// The body bytes the device's client works on: ESP-IDF's http_parser removes chunk framing,
    /// the Arduino clients read it as data.
    func devicePrefix(_ last: Exchange?) -> [UInt8] {
        profile.family == .espIDF || profile.family == .esphome ? DeliveredBody.prefix(of: last) : last?.body.prefix ?? []
    }

    /// The updater's own request headers, as this stack names them.
    var updaterHeaders: String {
        switch profile.family {
        case .esp8266Arduino: return "x-ESP8266-*"
        case .esp32Arduino: return "x-ESP32-*"
        case .espIDF: return "request"
        case .esphome: return "request"
        case .tasmota: return "x-ESP8266-*"
        }
    }

    // MARK: The server's words

    /// Error statuses whose explanation is "the server said no": the server's words go in Why,
    /// and an update script's refusal replaces the generic fixes.
    private static func answersWithErrorStatus(_ cause: Cause) -> Bool {
        switch cause {
        case .statusNotHandled(let code): return code >= 400
        case .fileNotFound, .forbidden, .statusRejected: return true
        case .esphomeStatusNot200(let code): return code >= 400
        default: return false
        }
    }

    func withServerWords(_ verdict: Verdict, last: Exchange?, delivered: [UInt8], why: String, fix: [String]) -> (String, [String]) {
        guard Self.answersWithErrorStatus(verdict.cause), let words = ServerWords(last, delivered: delivered) else { return (why, fix) }
        guard words.refusesDevice else { return (why + " " + words.sentence, fix) }
        return (words.sentence + " " + why, scriptFixes(words, request: last?.request ?? []))
    }

    /// What an update script checks is the updater's request: name what this device sent and
    /// the one value the script's words point at.
    private func scriptFixes(_ words: ServerWords, request: [UInt8]) -> [String] {
        let headers = Self.requestHeaders(request)
        let agent = headers.first { $0.name.lowercased() == "user-agent" }?.value ?? "(none)"
        if profile.family == .espIDF {
            // esp_https_ota sends esp_http_client's own request: no x-ESP* headers at all
            // (spec esp32-arduino-and-esp-idf.md, ESP-IDF request).
            return ["esp_https_ota sends User-Agent '\(agent)' and none of the x-ESP8266-*/x-ESP32-* headers an Arduino update script checks: add the headers the script expects in http_client_init_cb (esp_https_ota_config_t) with esp_http_client_set_header(), or make the script accept ESP-IDF's request."]
        }
        if profile.family == .esphome {
            // ESPHome's http layer sends esp_http_client's request with its own User-Agent.
            return ["ESPHome sends User-Agent '\(agent)' and none of the x-ESP8266-*/x-ESP32-* headers an Arduino update script checks: make the script accept ESPHome's request, or serve the image as a static file."]
        }
        let family = profile.esp8266 != nil ? "ESP8266" : "ESP32"
        let sent = headers.filter { $0.name.lowercased().hasPrefix("x-esp") }
        var fixes: [String] = []
        if let named = words.namedFamily, named != family {
            fixes.append("The script serves the \(named) updater only; this profile (\(profile.name)) is the \(family) updater (User-Agent '\(agent)', x-\(family)-* headers): update this device from a script that knows it, or check --profile.")
        }
        if words.mentionsMAC {
            let mac = sent.first { $0.name.lowercased().hasSuffix("-sta-mac") }
            fixes.append("Register this device's MAC\(mac.map { " (\($0.value), sent as \($0.name))" } ?? "") in the script's list of devices, or probe as a registered device with --sta-mac.")
        }
        if words.mentionsVersion {
            let version = sent.first { $0.name.lowercased().hasSuffix("-version") }
            fixes.append("The script compares the version the sketch passes to update() (\(version.map { "sent: \($0.name): \($0.value)" } ?? "none sent")): pass the running version with --current-version.")
        }
        let names = sent.map(\.name).joined(separator: ", ")
        fixes.append("The script decides from the updater's request: User-Agent '\(agent)'\(names.isEmpty ? "" : " and \(names)") (see them with --verbose). Make it accept this device, or probe with the values it expects (--sta-mac, --current-version, --sketch-md5, --profile).")
        return fixes
    }

    /// `Name: value` lines of a request head, in order.
    static func requestHeaders(_ request: [UInt8]) -> [(name: String, value: String)] {
        let text = String(decoding: request, as: UTF8.self)
        let head = text.firstRange(of: "\r\n\r\n").map { text[..<$0.lowerBound] } ?? text[...]
        return head.split(separator: "\r\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmed(of: " \t"))
        }
    }

    // MARK: Compression

    /// Failures where the body was supposed to be the image itself.
    private static func concernsTheImage(_ cause: Cause) -> Bool {
        switch cause {
        case .lengthNotReported, .badMagic, .magicAfterDownload, .chipIDMismatch, .invalidMagicOnWrite, .imageRejected,
             .appDescriptorMissing, .md5Mismatch, .closeDelimitedBodyRejected, .imageHeaderIncomplete:
            return true
        default:
            return false
        }
    }

    /// A compressed body named in Why, and "turn off compression" as the first fix.
    func withCompression(_ verdict: Verdict, last: Exchange?, delivered: [UInt8], why: String, fix: [String]) -> (String, [String]) {
        guard !verdict.deviceSucceeds, Self.concernsTheImage(verdict.cause),
              let compression = Compression.detect(last, delivered: delivered) else { return (why, fix) }
        var isLength = false
        if case .lengthNotReported = verdict.cause { isLength = true }
        var sentence = compression.sentence(withoutLength: isLength)
        if profile.family == .espIDF, let coding = last?.head?.transferEncoding?.lowercased(), coding.hasSuffix("chunked") {
            // http_parser decodes the chunked framing before esp_http_client_read() returns
            // (esp32-arduino-and-esp-idf.md B2), so what esp_https_ota sees is the compressed data.
            sentence += " The response was also chunked, but esp_http_client's http_parser removes the chunk framing: the bytes esp_https_ota reads are \(compression.coding)'s, starting \(ByteText.hex(delivered, limit: 4))."
        }
        return (sentence + " " + why, [compression.fix] + fix)
    }

    // MARK: Redirect targets

    /// The redirect advice with the target in it: named absolute, and "point the device there"
    /// only when the device succeeds there. `fix` holds the stack's other ways round the
    /// redirect ("Or follow it …"), which only help when the target is worth reaching.
    func withRedirectTarget(location: String?, last: Exchange?, why: String, fix: [String]) -> (String, [String]) {
        guard let location, !location.isEmpty else { return (why, fix) }
        let resolved = last.flatMap { RedirectTarget.resolve(location, against: RedirectTarget.base(of: $0, writtenURL: settings.url)) } ?? location
        if let target = redirectTarget, let reason = target.notFetched {
            return (why + " otaprobe did not fetch where it leads: \(reason).", fix)
        }
        guard let target = redirectTarget, target.checked else {
            return (why, ["Point the device at the final URL (where the redirect leads), e.g. \(resolved)."] + fix)
        }
        guard let succeeds = target.deviceSucceeds else {
            return (why + " otaprobe checked where the redirect leads, \(target.url), but ran out of time (--max-time) before the device's result there was known.",
                    ["Point the device at the final URL (where the redirect leads), e.g. \(target.url), once it serves the firmware; check it with otaprobe check \(target.url)."] + fix)
        }
        let answer = target.deviceLine ?? target.deviceResult ?? "no result"
        if succeeds {
            return (why + " The redirect leads to \(target.url), where the device's own request gets \(answer).",
                    ["Point the device at \(target.url): there it gets \(answer)."] + fix)
        }
        let status = target.status.map { "\($0)" } ?? "no usable status"
        let what = target.directoryListing ? "200 with a directory listing (\(target.body ?? "an HTML page"))" : status
        let sentence = " The redirect leads to \(target.url), which answers \(what) to the device's own request: the device would fail there too (\(answer))."
        if let next = target.redirectsTo {
            return (why + sentence, ["\(target.url) redirects again (\(status) to \(next)): point the device at the firmware file at the end of the chain, not at a URL that redirects."])
        }
        if target.isDirectory {
            let file = target.firmwareLinks.first.map { "the file itself, e.g. \($0) (linked from the listing)" } ?? "the .bin file inside it (\(target.url)<name>.bin), not at the directory"
            return (why + sentence, ["\(target.url) is a directory, not a firmware file: point the device at \(file)."])
        }
        return (why + sentence, ["Fix what \(target.url) answers before pointing the device there (\(target.summary ?? answer)); check it with otaprobe check \(target.url)."])
    }

    /// A device that follows redirects (ESP-IDF always, the Arduino cores when told to) and
    /// lands on a directory (`/dir` → `/dir/`, as nginx, Apache and busybox redirect it) fails
    /// on the listing or the refusal there: say that the URL names a directory.
    func withDirectoryRedirect(_ verdict: Verdict, exchanges: [Exchange], why: String, fix: [String]) -> (String, [String]) {
        guard !verdict.deviceSucceeds, exchanges.count > 1, let first = exchanges.first, let last = exchanges.last,
              Self.isDirectoryPath(last.url), !Self.isDirectoryPath(first.url) else { return (why, fix) }
        let links = RedirectTarget.firmwareLinks(in: DeliveredBody.prefix(of: last)).compactMap { RedirectTarget.resolve($0, against: last.url) }
        let file = links.first.map { "the file itself, e.g. \($0) (linked from the listing)" } ?? "the .bin file inside \(last.url), not at the directory"
        return (why + " The device followed the redirect from \(first.url) to \(last.url): a directory, not a firmware file.",
                ["Point the device at \(file)."] + fix)
    }

    private static func isDirectoryPath(_ url: String) -> Bool {
        url.prefix { $0 != "?" && $0 != "#" }.hasSuffix("/")
    }

    // MARK: Images for another chip

    /// The chip an ESP image (0xE9) at the start of `prefix` was built for, when it is not
    /// this device's: "ESP8266" (the header's bytes 8–11 are an ESP8266 load address,
    /// `ImageFamily`), or the ESP32-family chip its chip id names.
    func chipBuiltFor(_ prefix: [UInt8]) -> String? {
        guard prefix.count >= 24, prefix[0] == 0xE9 else { return nil }
        let header = Array(prefix.prefix(24))
        switch ImageFamily.classify(header: header) {
        case .esp8266:
            return "ESP8266"
        case .esp32:
            let chip = ESP32Chip(id: UInt16(header[12]) | UInt16(header[13]) << 8)
            return chip == identity.esp32.chip ? nil : chip.name
        }
    }

    /// "Build for this device's chip", and how to probe the other chip if the flags are wrong.
    private func buildForDeviceFixes(builtFor other: String) -> [String] {
        let chip = identity.esp32.chip.name
        let target = chip.lowercased().filter { $0 != "-" }
        let probeOther = other == "ESP8266"
            ? "If the device really is an ESP8266, probe it with --profile esp8266."
            : "If the device really is an \(other), pass --chip \(other.lowercased().filter { $0 != "-" })."
        return ["Build the firmware for the \(chip) (Arduino: select an \(chip) board; ESP-IDF: idf.py set-target \(target)) and serve that .bin.", probeOther]
    }

    /// ESP-IDF's `Mismatch chip id` (esp_https_ota.c read_header → chip id check, spec B5.4
    /// step 3): an image for another chip, or bytes that are no image at all.
    func chipIDExplanation(expected: Int, found: Int, last: Exchange?, body: BodyKind) -> (String, [String]) {
        let start = "esp_https_ota reads the first \(profile.espIDFRules?.ota.imageHeaderBytes ?? 1024) bytes and checks the chip id at offset 12 before anything else: it expected \(expected) (\(identity.esp32.chip.name)) and found \(found)"
        let end = "It returns ESP_ERR_INVALID_VERSION (0x10A)."
        if let other = chipBuiltFor(devicePrefix(last)) {
            let detail = other == "ESP8266"
                ? " (an ESP8266 image starts with 0xE9 too, but its bytes 12–13 belong to the first segment's header and read as \(found))"
                : ""
            return ("\(start): the image is built for another chip (\(other))\(detail). \(end)", buildForDeviceFixes(builtFor: other))
        }
        let why = "\(start) — not an ESP32 image (\(body.summary)); bytes 12–13 read as \(found). \(end)"
        if Compression.detect(last, delivered: DeliveredBody.prefix(of: last)) != nil {
            return (why, ["Then check that the .bin served is the app image the build writes for the \(identity.esp32.chip.name)."])
        }
        return (why, ["The URL does not return the firmware file: use the raw download link and make the server send the .bin itself."])
    }

    /// arduino-esp32 only finds another chip's image at Update.end() (error 9).
    func imageRejectedExplanation(_ line: String, last: Exchange?) -> (String, [String]) {
        let why = "The whole image was downloaded, but Update.end() → esp_ota_set_boot_partition() → esp_image_verify() refused it: '\(line)'. arduino-esp32 does not check the chip before downloading, so this shows only at the end: error 9 'Could Not Activate The Firmware'."
        if let other = chipBuiltFor(devicePrefix(last)) {
            return ("The image is built for another chip (\(other)). " + why, buildForDeviceFixes(builtFor: other))
        }
        return (why, ["Build for the right board (\(identity.esp32.chip.name)) and serve the complete .bin; check Content-Length matches the file."])
    }

    /// For arduino-esp32's -101: whether ESP-IDF's esp_https_ota would take the same body,
    /// which reads chunked and (v5.x) close-delimited bodies — judged from the bytes, because
    /// it would still check the chip id and ignore Content-Encoding. nil when the start of the
    /// body was not seen.
    func espIDFWouldAccept(_ last: Exchange?, chunked: Bool) -> String? {
        let delivered = DeliveredBody.prefix(of: last)
        guard delivered.count >= 24 else { return nil }
        if let compression = Compression.detect(last, delivered: delivered) {
            return "ESP-IDF would not accept this body either: esp_http_client ignores Content-Encoding, so esp_https_ota would check \(compression.coding)'s bytes as the image header and fail ('Mismatch chip id', 0x10A)."
        }
        if let other = chipBuiltFor(delivered) {
            return "ESP-IDF would not accept this body either: the image is built for another chip (\(other)), which esp_https_ota refuses before writing (0x10A)."
        }
        guard delivered[0] == 0xE9, ImageFamily.classify(header: Array(delivered.prefix(24))) == .esp32 else {
            return "ESP-IDF would not accept this body either: it is \(BodyKind.recognize(delivered).summary), not an ESP32 image."
        }
        return chunked
            ? "ESP-IDF would accept this body (http_parser decodes chunked framing); the Arduino updater does not."
            : "ESP-IDF v5.x would accept this body (it reads until the close; v4.4 does not); the Arduino updater does not."
    }
}
