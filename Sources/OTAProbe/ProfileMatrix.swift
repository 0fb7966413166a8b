import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs one URL through every profile at once and keeps one report per profile, in profile
/// order. Each probe gets its own thread: a probe blocks on its own device clock (8 s of
/// silence, a 73 s stall), and parking those on a shared pool of two would serialise them.
public enum ProfileMatrix {
    public struct Row: Sendable {
        public let profile: DeviceProfile
        public let report: ProbeReport
        /// Settings the sketch cannot have on this core (dropped, and said so).
        public let adjustments: [String]
    }

    /// `onWait` hears the longest wait still ahead of any profile, about once a second while
    /// one waits (see `MatrixCountdown`); nil when nobody is watching.
    public static func run(profiles: [DeviceProfile], identity: DeviceIdentity, settings: UpdaterSettings, maxTimeMs: Int = Limits.defaultMaxTimeMs,
                           onWait: (@Sendable (Probe.Wait) -> Void)? = nil) -> [Row] {
        // One slot per profile, written by its thread alone and read after `pthread_join`,
        // which orders the write before the read (and ThreadSanitizer sees that, unlike the
        // futex inside `Synchronization.Mutex`).
        let slots = profiles.map { _ in ResultSlot() }
        let countdown = onWait.map { MatrixCountdown(profiles: profiles.count, report: $0) }
        let clock = ContinuousClock()
        let start = clock.now
        var threads: [pthread_t] = []
        for (index, profile) in profiles.enumerated() {
            let (adapted, adjustments) = adapt(settings, to: profile)
            var probe = Probe(profile: profile, identity: identity, settings: adapted)
            probe.maxTimeMs = maxTimeMs
            if let countdown {
                probe.onWait = { wait in countdown.waiting(index, wait, now: Probe.milliseconds(clock.now - start)) }
            }
            let configured = probe
            let slot = slots[index]
            let work: @Sendable () -> Void = {
                slot.row = Row(profile: profile, report: configured.run(), adjustments: adjustments)
                countdown?.finished(index)
            }
            if let thread = ProbeThread.start(work) {
                threads.append(thread)
            } else {
                work()
            }
        }
        for thread in threads { ProbeThread.join(thread) }
        return slots.compactMap(\.row)
    }

    /// Where one profile's thread leaves its row.
    private final class ResultSlot: @unchecked Sendable {
        var row: Row?
    }

    /// A sketch written for the newest core, compiled against another stack: what does not
    /// exist there is dropped (setMD5sum, setAuthorization, FORCE; partial download off
    /// Arduino), as the matrix compares servers, not APIs. Each drop is said in the row.
    static func adapt(_ settings: UpdaterSettings, to profile: DeviceProfile) -> (UpdaterSettings, [String]) {
        var adapted = settings
        var notes: [String] = []
        if case .esphome = profile {
            // ESPHome has md5: / md5_url: and follows redirects itself; no ESP-IDF OTA options.
            if settings.partialDownload || settings.resumeFrom != nil || settings.advancedAPI {
                adapted.partialDownload = false
                adapted.resumeFrom = nil
                adapted.advancedAPI = false
                notes.append("ESP-IDF options ignored")
            }
            if settings.redirectMode != .disable { notes.append("follows redirects itself") }
            adaptTLS(settings.tls, to: profile, into: &adapted.tls, notes: &notes)
            return (adapted, notes)
        }
        // md5_url is ESPHome's: other stacks never fetch it.
        adapted.md5URL = nil
        let arduino: (redirects: ESP8266ArduinoProfile.RedirectRules, md5: Bool, auth: Bool)?
        switch profile {
        case .esp8266(let p): arduino = (p.redirects, p.update.supportsSetMD5, p.request.supportsSetAuthorization)
        case .esp32Arduino(let p): arduino = (p.redirects, p.update.supportsSetMD5, p.request.supportsSetAuthorization)
        case .espIDF, .esphome: arduino = nil
        case .tasmota(let p):
            // Tasmota calls the updater itself: its own redirect rule, no setMD5sum/setAuthorization.
            var redirects = p.redirects
            redirects.modes = ["disable"]
            arduino = (redirects, false, false)
        }
        if profile.family == .tasmota, settings.clientTimeoutMs != nil {
            adapted.clientTimeoutMs = nil
            notes.append("no setClientTimeout()")
        }
        if let arduino {
            if settings.redirectMode != .disable, !arduino.redirects.modes.contains(settings.redirectMode.rawValue) {
                adapted.redirectMode = arduino.redirects.modes.contains("strict") ? .strict : .disable
                notes.append("follow-redirects \(settings.redirectMode.rawValue) → \(adapted.redirectMode.rawValue)")
            }
            if settings.expectedMD5 != nil, !arduino.md5 {
                adapted.expectedMD5 = nil
                notes.append("no setMD5sum()")
            }
            if !settings.authorization.isEmpty, !arduino.auth {
                adapted.authorization = []
                notes.append("no setAuthorization()")
            }
            if settings.partialDownload || settings.resumeFrom != nil || settings.advancedAPI {
                adapted.partialDownload = false
                adapted.resumeFrom = nil
                adapted.advancedAPI = false
                notes.append("ESP-IDF options ignored")
            }
        } else {
            if settings.expectedMD5 != nil {
                adapted.expectedMD5 = nil
                notes.append("esp_https_ota checks no MD5")
            }
            if !settings.authorization.isEmpty {
                adapted.authorization = []
                notes.append("no Basic auth configured")
            }
            if settings.redirectMode != .disable { notes.append("follows redirects itself") }
            if settings.resumeFrom != nil, case .espIDF(let p) = profile, !p.ota.supportsResumption {
                adapted.resumeFrom = nil
                notes.append("no OTA resumption")
            }
        }
        adaptTLS(settings.tls, to: profile, into: &adapted.tls, notes: &notes)
        return (adapted, notes)
    }

    /// The sketch's TLS calls on another core's client: what that client lacks is dropped, and
    /// an assumed trust mode becomes that stack's own assumption.
    static func adaptTLS(_ tls: TLSClientSettings, to profile: DeviceProfile, into adapted: inout TLSClientSettings, notes: inout [String]) {
        guard let capabilities = profile.tlsCapabilities else { return }
        if capabilities.configurable == false {
            // Tasmota's HTTPClientLight sets its client itself: no sketch call reaches it.
            if tls != TLSClientSettings() {
                adapted = TLSClientSettings()
                notes.append("sets its TLS client itself: --tls options do not apply")
            }
            return
        }
        if capabilities.stack == "mbedtls" {
            switch tls.trust {
            case .fingerprint, .knownKey, .selfSigned:
                adapted.trust = .insecure
                notes.append("mbedTLS has no \(tls.trust.sketchCall): setInsecure()")
            default: break
            }
            if tls.receiveBuffer != nil || tls.sendBuffer != nil {
                adapted.receiveBuffer = nil
                adapted.sendBuffer = nil
                notes.append("no setBufferSizes()")
            }
            if tls.lessSecureCiphers || tls.cipherSuites != nil {
                adapted.lessSecureCiphers = false
                adapted.cipherSuites = nil
                notes.append("cipher choice is a build setting")
            }
        } else if case .bundle = tls.trust {
            adapted.trust = .insecure
            notes.append("no certificate bundle: setInsecure()")
        }
        for version in [tls.minVersion, tls.maxVersion].compactMap({ $0 }) where !capabilities.versions.contains(version) {
            adapted.minVersion = nil
            adapted.maxVersion = nil
            notes.append("TLS \(version) unavailable: default versions")
            break
        }
    }
}
