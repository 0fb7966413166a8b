/// The notes a Tasmota verdict adds: how many attempts the retry sequence made, with which URL
/// changes, so a reader sees why the server's log shows several GETs for one `Upgrade 1`.
enum TasmotaNotes {
    static func notes(_ verdict: Verdict, exchanges: [Exchange], safeboot: TasmotaProfile.Safeboot? = nil) -> [String] {
        guard !verdict.attempts.isEmpty else { return [] }
        var notes: [String] = []
        if safeboot != nil {
            notes.append("Single-OTA (safeboot) layout: the running Tasmota sent nothing; it restarted into the safeboot image, which made these requests about 6 s after its network came up (hence x-ESP32-version …(release-safeboot)). After a success it restarts into the new firmware; after a failure the device stays in safeboot.")
        }
        let count = verdict.attempts.count
        let urls = verdict.attempts.map(\.url)
        let distinct = urls.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if count > 1 {
            let seconds = Double(verdict.attempts[1].startedAtMs - verdict.attempts[0].endedAtMs) / 1000
            let apart = seconds >= 1 ? "about \(Int(seconds.rounded())) s apart" : "\(Int(seconds * 1000)) ms apart"
            let which = distinct.count > 1 ? " (\(distinct.count) different URLs)" : " (the same URL each time)"
            notes.append("Tasmota made \(count) attempts\(which), \(apart), each a new connection and GET; it publishes its result after the last one.")
        }
        if urls.contains(where: { $0.contains("-minimal") }), !(urls.first?.contains("-minimal") ?? true) {
            notes.append("After -100 (too big) or -107 (wrong flash size) Tasmota asks for the '-minimal' file: a 1 MB device upgrades in two steps, minimal first.")
        }
        if let first = urls.first, !first.lowercased().contains(".gz"), urls.contains(where: { $0.hasSuffix(".gz") }) {
            notes.append("The last attempts append .gz to the URL (OTA_ATTEMPTS / 2 and below); a URL that already holds .gz gets one last try instead.")
        }
        return notes
    }
}
