/// The ESP8266 core's why and fix, told to a Tasmota user: Tasmota calls `ESPhttpUpdate`
/// itself (support_tasmota.ino), so advice to change the sketch's calls — follow redirects,
/// raise the client timeout, set credentials — has no Tasmota command behind it; what a user
/// can change is the server and the `OtaUrl`.
enum TasmotaAdvice {
    /// Fix lines that ask for a sketch call Tasmota never makes.
    private static let sketchCalls = ["ESPhttpUpdate.", "setClientTimeout", "followRedirects", "setAuthorization", "in the sketch",
                                      "minimal intermediate sketch", "setMD5sum"]

    /// The table phrase, with the attempt it is about when there were several.
    static func summary(_ phrase: String, attempts: [Verdict.Attempt]) -> String {
        let phrase = phrase.replacingOccurrences("not enabled in the sketch", with: "off in Tasmota")
        guard attempts.count > 1 else { return phrase }
        return "attempt \(attempts.count): " + phrase
    }

    static func adapt(_ verdict: Verdict, why: String, fix: [String], profile: TasmotaProfile, attempts: [Verdict.Attempt]) -> (String, [String]) {
        if case .probeStopped(.maxTime(let ms)) = verdict.cause, let last = attempts.last,
           verdict.log.filter({ $0.hasPrefix(profile.console.attemptLogPrefix) }).count == attempts.count {
            // Every attempt started had returned: the probe stopped in the wait between two.
            let text = last.message.isEmpty ? "" : " '\(last.message)'"
            let why = "otaprobe stopped after \(ms) ms (--max-time) while Tasmota waited between attempts: \(attempts.count) attempt\(attempts.count == 1 ? "" : "s") had failed, the last with \(last.code)\(text); it retries about every \(profile.retry.intervalMs / 1000) s (up to \(profile.retry.counterStart - 1) attempts) before it publishes its result."
            return (why, ["Run again with a larger --max-time to see the whole sequence and the published result.",
                          "Or fix what the attempts so far were refused for (see Attempts): the later ones ask for the same file, or its .gz / -minimal variant."])
        }
        var why = why.replacingOccurrences("unless the sketch enables it", with: "and Tasmota never turns them on (it calls ESPhttpUpdate with the core's default)")
        var fix = fix.filter { line in !sketchCalls.contains { line.contains($0) } }
        switch verdict.cause {
        case .redirectNotFollowed:
            fix.append("Set OtaUrl to the final http:// URL (OtaUrl <url>, then Upgrade 1).")
        case .urlRefused where verdict.result == .tasmotaSuccessful:
            why += " Tasmota counts this as success (ota_result = -999): it logs 'OTA: unsupported protocol', publishes Successful. Restarting and restarts without having updated anything."
            fix.append("Write the scheme in lower case, exactly http:// or https:// (OtaUrl <url>, then Upgrade 1).")
        case .notEnoughSpace, .imageTooBigForFlash:
            if let minimal = attempts.map(\.url).first(where: { $0.contains(profile.retry.minimalWord) }) {
                why += " Tasmota then asked for the minimal image (\(minimal)) in its later attempts, which did not succeed either."
                fix.insert("Put the -minimal build beside the image so that \(minimal) answers with it: Tasmota flashes it first and then upgrades from it (the two-step upgrade of 1 MB devices).", at: 0)
            }
        case .connectFailed where profile.esp8266Core == nil:
            // HTTPClientLight does not report every failed connect as -1 (§T3.4): say what the
            // device returned and logged instead of the arduino-esp32 sentence.
            if let cut = why.firstRange(of: " The device reports") { why = String(why[..<cut.lowerBound]) }
            why += " " + esp32ConnectSentence(verdict)
        case .connectFailed:
            if profile.esp8266Core != nil, verdict.message.contains("connection failed"), attempts.first?.url.lowercased().hasPrefix("https://") == true {
                fix.append("Tasmota on the ESP8266 has no TLS for OTA: an https:// OtaUrl is sent as plain HTTP (to port 443 by default). Use an http:// URL.")
            }
        default:
            break
        }
        if profile.esp8266Core != nil, attempts.first?.url.lowercased().hasPrefix("https://") == true, !verdict.deviceSucceeds, !why.contains("plain HTTP") {
            why += " The OtaUrl is https://, but Tasmota's ESP8266 OTA uses a plain WiFiClient: the request went out unencrypted (to port 443 unless the URL names another)."
            if !fix.contains(where: { $0.contains("http:// URL") }) { fix.append("Use an http:// OtaUrl: Tasmota on the ESP8266 has no TLS for OTA.") }
        }
        return (why, fix)
    }

    /// What HTTPClientLight and HTTPUpdateLight made of a failed connect, from the code and the
    /// lines the device logged (spec §T3.4: GET() = -1000 - getLastError() when that is set).
    static func esp32ConnectSentence(_ verdict: Verdict) -> String {
        if verdict.code <= -1000 {
            let engine = -verdict.code - 1000
            return "HTTPClientLight returns -1000 - \(engine) (BearSSL's error) from GET(); HTTPUpdateLight logs 'OTA: TLS connection error \(engine) after … ms' and stops with lastError \(verdict.code)."
        }
        let status = verdict.log.last { $0.hasPrefix("OTA: unsupported HTTP return code ") }.map { String($0.dropFirst("OTA: unsupported HTTP return code ".count)) }
        if verdict.code == -104, let status {
            let meaning = ["1": "the name lookup failed (ERR_CANT_RESOLVE_IP)", "2": "the TCP connect failed (ERR_TCP_CONNECT)",
                           "5": "the TLS handshake did not finish within 10 s (ERR_TLS_TIMEOUT)"][status] ?? "its secure client reported an error"
            return "Over https HTTPClientLight returns -1000 - getLastError() = \(status) from GET(): \(meaning). HTTPUpdateLight logs 'OTA: Connection error \(status) after … ms', then takes \(status) for an HTTP status: 'OTA: unsupported HTTP return code \(status)', -104."
        }
        return "HTTPClientLight returns -1 from GET() for it; HTTPUpdateLight logs 'OTA: Connection timeout after … ms', whatever the cause."
    }
}
