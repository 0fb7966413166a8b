/// Notes about the sketch's own values, when the device does not take them as written: the
/// user set one thing and the device runs with another, which no server change explains.
enum SettingNotes {
    static func notes(profile: DeviceProfile, settings: UpdaterSettings) -> [String] {
        var notes: [String] = []
        if profile.clientTimeoutWraps(settings), let requested = settings.clientTimeoutMs {
            let kept = profile.clientTimeoutMs(settings)
            notes.append("The sketch's timeout \(requested) ms (--timeout-ms) is kept as \(kept) ms: HTTPClient stores it in a uint16_t (setTimeout(uint16_t)), so it wraps modulo 65536 and every wait of this device is \(kept) ms.")
        }
        return notes
    }
}
