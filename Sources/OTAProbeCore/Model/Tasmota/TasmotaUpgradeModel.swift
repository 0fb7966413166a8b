/// Tasmota's `Upgrade 1` on the ESP8266: the retry sequence of support_tasmota.ino around the
/// core's `ESPhttpUpdate.update(WiFiClient, url, version)`.
///
/// Each attempt *is* the core's update call, so each runs a fresh `ESP8266UpdaterModel` with the
/// profile's `core` (tasmota/Arduino 2.7.8 = esp8266/Arduino 2.7.4 for every OTA file): nothing of
/// HTTPClient, the status switch or the Updater is repeated here. This type only decides what
/// Tasmota decides: the URL of each attempt (`TasmotaRetryPlan`), the pause between attempts,
/// which result ends the sequence (anything but `HTTP_UPDATE_FAILED`), and the words it
/// publishes (`{"Upgrade":"Successful. Restarting"}` / `{"Upgrade":"Failed <text>"}`).
public struct TasmotaUpgradeModel: DeviceModel {
    public let profile: TasmotaProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public private(set) var verdict: Verdict?
    public private(set) var attempts: [Verdict.Attempt] = []

    private var plan: TasmotaRetryPlan
    /// The update call under way.
    private var current: (any DeviceModel)?
    private var currentURL = ""
    private var currentStart = 0
    private var earlier: [Exchange] = []
    private var log: [String] = []
    /// A -105 left the core's Updater running: every later call of this boot meets it.
    private var updaterLeftRunning = false
    /// Set between attempts: the device is waiting for its next one-second tick.
    private var pausedUntil: Int?

    public init(profile: TasmotaProfile, identity: DeviceIdentity, settings: UpdaterSettings) {
        self.profile = profile
        var identity = identity
        // Tasmota always passes its version and image name to `update()`, and always updates
        // the application (`update()`, never `updateFS()`).
        identity.currentVersion = profile.versionArgument(running: identity.currentVersion)
        identity.mode = .sketch
        self.identity = identity
        self.settings = settings
        self.plan = TasmotaRetryPlan(rules: profile.retry, minimalFirmware: profile.firmware.minimal)
    }

    public var exchanges: [Exchange] { earlier + (current?.exchanges ?? []) }
    /// The stored OtaUrl as `GetOtaUrl` hands it over (chip id filled in).
    private var otaURL: String { TasmotaRetryPlan.expandChipID(settings.url, chipID: identity.chipID) }
    public var logSoFar: [String] { log }
    public var attemptsSoFar: [Verdict.Attempt] { attempts }

    public var nextAction: DeviceAction {
        if verdict != nil { return .finished }
        if let pausedUntil { return .pause(until: pausedUntil) }
        return current?.nextAction ?? .finished
    }

    public mutating func start(at time: Int) {
        if let safeboot = profile.safeboot {
            // The main firmware's first tick restarts into the safeboot image, which makes the
            // attempts after its own boot (§T3.6); that boot's length is the device's alone.
            log += safeboot.mainFirmwareLog + safeboot.safebootLog
        }
        beginAttempt(at: time)
    }

    public mutating func connected(remoteAddress: String?, at time: Int) {
        current?.connected(remoteAddress: remoteAddress, at: time)
        settle(at: time)
    }

    public mutating func connectFailed(_ failure: ConnectionFailure, at time: Int) {
        current?.connectFailed(failure, at: time)
        settle(at: time)
    }

    public mutating func sendFailed(detail: String, at time: Int) {
        current?.sendFailed(detail: detail, at: time)
        settle(at: time)
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        current?.receive(bytes, at: time)
        settle(at: time)
    }

    public mutating func connectionClosed(at time: Int, reset: Bool) {
        current?.connectionClosed(at: time, reset: reset)
        settle(at: time)
    }

    public mutating func deadlinePassed(at time: Int) {
        if let until = pausedUntil {
            guard time >= until else { return }
            pausedUntil = nil
            beginAttempt(at: time)
            return
        }
        current?.deadlinePassed(at: time)
        settle(at: time)
    }

    // MARK: The sequence

    /// `ota_retry_counter--`; if it is still non-zero, log `UPL: <url> <version>` and call the
    /// core's update with the rebuilt URL; else publish the last attempt's failure.
    private mutating func beginAttempt(at time: Int) {
        guard let url = plan.nextURL(from: otaURL) else {
            concludeFailed()
            return
        }
        if let finished = current {
            earlier += Self.closedByDevice(finished.exchanges)
        }
        currentURL = url
        currentStart = time
        log.append("\(profile.console.attemptLogPrefix)\(url) \(identity.currentVersion)")
        var model = call(url)
        model.start(at: time)
        current = model
        settle(at: time)
    }

    /// One update call with this attempt's URL.
    private func call(_ url: String) -> any DeviceModel {
        var attemptSettings = settings
        attemptSettings.url = url
        switch profile.updater {
        case .esp8266(let core):
            // `WiFiClient OTAclient; ESPhttpUpdate.update(OTAclient, url, version)`.
            attemptSettings.plainClient = true
            attemptSettings.updaterLeftRunning = updaterLeftRunning
            return ESP8266UpdaterModel(profile: core, identity: identity, settings: attemptSettings)
        case .esp32(let core):
            // `HTTPClientLight.begin(url)` + `httpUpdateLight.update()`, whose client follows
            // redirects by default: HTTPC_STRICT_FOLLOW_REDIRECTS (HTTPUpdateLight.cpp:39-49).
            attemptSettings.redirectMode = .strict
            // A -105 left TasUpdate running too: its `begin()` says "already running" (§T3.4 step 4).
            attemptSettings.updaterLeftRunning = updaterLeftRunning
            return ESP32HTTPUpdateModel(profile: core, identity: identity, settings: attemptSettings)
        }
    }

    /// HTTPUpdateLight's log lines for a call (§T3.4, HTTPUpdateLight.cpp:233-247, 384-401):
    /// after `GET()`, when `getSize()` is negative (no Content-Length, or GET failed), INFO
    /// `OTA: TLS connection error <n>` for a BearSSL code (`GET() <= -1000`), `OTA: Connection
    /// timeout` for -1, else `OTA: Connection error <code>` — a 200 without Content-Length
    /// included; with a size, DEBUG `OTA: Connected in <ms> ms, stack low mark <n>`, where the
    /// stack's high-water mark (`uxTaskGetStackHighWaterMark`) is a device-only value written
    /// `…`; for a status its switch does not handle, INFO `OTA: unsupported HTTP return code <n>`.
    /// `<ms>` runs from just before `GET()` (the attempt's start) to its return.
    private func esp32InfoLines(_ call: Verdict, core: ESP32HTTPUpdateModel?) -> [String] {
        guard call.stage != .url, let (code, at) = core?.requestResult else { return [] }
        let ms = max(0, at - currentStart)
        // `getSize()`: the Content-Length parsed before `GET()` returned, else -1.
        let size = code == -1 || code <= -1000 ? -1 : core?.exchanges.last?.head?.size ?? -1
        var lines: [String] = []
        if size < 0 {
            if code <= -1000 {
                lines.append("OTA: TLS connection error \(-code - 1000) after \(ms) ms")
            } else if code == -1 {
                lines.append("OTA: Connection timeout after \(ms) ms")
            } else {
                lines.append("OTA: Connection error \(code) after \(ms) ms")
            }
        } else {
            lines.append("OTA: Connected in \(ms) ms, stack low mark …")
        }
        if call.code == -104, code > 0 { lines.append("OTA: unsupported HTTP return code \(code)") }
        return lines
    }

    /// After every event: when the core's call has returned, Tasmota decides.
    private mutating func settle(at time: Int) {
        // Once per call: after it returns the model is paused or finished until the next one.
        guard pausedUntil == nil, verdict == nil, let call = current?.verdict else { return }
        attempts.append(Verdict.Attempt(url: currentURL, result: call.result, code: call.code, message: call.message,
                                        startedAtMs: currentStart, endedAtMs: call.deviceTimeMs))
        if case .esp32 = profile.updater {
            log += esp32InfoLines(call, core: current as? ESP32HTTPUpdateModel)
            if call.stage == .url {
                // `HTTPClientLight.begin()` refused the scheme: `ota_result = -999`, which is
                // truthy, so Tasmota stops retrying and reports success (support_tasmota.ino, §T1.3).
                log.append("OTA: unsupported protocol")
                var result = Verdict(result: .tasmotaSuccessful, code: 0, name: "", message: profile.console.successText,
                                     stage: .url, deviceTimeMs: call.deviceTimeMs, cause: call.cause)
                log.append(result.deviceLine)
                result.log = log
                result.attempts = attempts
                verdict = result
                return
            }
        }
        switch call.result {
        case .failed:
            plan.failed(code: call.code)
            if call.code == -105 { updaterLeftRunning = true }
            // The counter is checked at the next tick; when it has run out there is nothing
            // to wait for (the result is published a few ticks later).
            var ahead = plan
            if ahead.nextURL(from: otaURL) == nil {
                concludeFailed()
            } else {
                pausedUntil = call.deviceTimeMs + profile.retry.intervalMs
            }
        case .ok, .noUpdates:
            // `ota_result = (HTTP_UPDATE_FAILED != update(...))`: a 304 is a success too.
            var result = Verdict(result: .tasmotaSuccessful, code: call.code, name: call.name, message: profile.console.successText,
                                 stage: call.stage, deviceTimeMs: call.deviceTimeMs, cause: call.cause)
            log.append(result.deviceLine)
            result.log = log
            result.attempts = attempts
            verdict = result
        default:
            // The core crashed (a null stream in 2.7.4): the device reboots, nothing is published.
            var result = call
            result.log = log
            result.attempts = attempts
            verdict = result
        }
    }

    /// The counter ran out: `{"Upgrade":"Failed <getLastErrorString()>"}` of the last call.
    private mutating func concludeFailed() {
        guard let last = current?.verdict else { return }
        if let finished = current {
            earlier += Self.closedByDevice(finished.exchanges)
            current = nil
        }
        let reason = profile.console.publishesUpdaterText ? last.message : ""
        var result = Verdict(result: .tasmotaFailed, code: last.code, name: last.name, message: profile.console.failedPrefix + reason,
                             stage: last.stage, deviceTimeMs: last.deviceTimeMs, cause: last.cause)
        log.append(result.deviceLine)
        result.log = log
        result.attempts = attempts
        verdict = result
    }

    /// `HTTPClient::end()` closes what the server left open before the next attempt starts.
    private static func closedByDevice(_ exchanges: [Exchange]) -> [Exchange] {
        exchanges.map { exchange in
            var exchange = exchange
            if exchange.ending == .open { exchange.ending = .closedByDevice }
            return exchange
        }
    }
}
