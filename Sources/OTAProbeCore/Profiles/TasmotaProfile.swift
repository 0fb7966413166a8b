/// Tasmota's `OtaUrl` + `Upgrade 1` at one firmware version, as data.
///
/// Tasmota does not write its own HTTP client on the ESP8266: each attempt is the core's
/// `ESPhttpUpdate.update(WiFiClient, url, version)`, so the profile carries that core whole
/// (`core`, the same schema as an `esp8266-arduino` profile, read by the same model) and adds
/// only what Tasmota's own code decides around it: the retry sequence of
/// support_tasmota.ino (how many attempts, when `.gz` is appended, when the file name is
/// rewritten to `-minimal`, the wait between attempts), the version string it sends, and the
/// words its console publishes (spec esphome-and-tasmota.md §T1-T2).
public struct TasmotaProfile: Codable, Sendable, Equatable {
    public var schema: String
    public var name: String
    public var aliases: [String]
    /// The model that interprets this profile: `tasmota`.
    public var family: String
    public var title: String
    public var description: String
    public var source: String
    /// `esp8266` (the core's `ESPhttpUpdate`, `core`) or `esp32` (Tasmota's own
    /// HTTPClientLight + HTTPUpdateLight, `core32`).
    public var chip: String
    public var firmware: Firmware
    public var retry: Retry
    public var console: Console
    /// The core's `ESPhttpUpdate`, `HTTPClient` and `Updater` (tasmota/Arduino 2.7.8, whose OTA
    /// files are byte-identical to esp8266/Arduino 2.7.4).
    public var core: ESP8266ArduinoProfile?
    /// ESP32: HTTPClientLight + HTTPUpdateLight + TasUpdate, a copy of arduino-esp32's
    /// HTTPClient/HTTPUpdate/Update with changes of its own (spec §T3), in the arduino-esp32
    /// schema and read by the same model.
    public var core32: ESP32ArduinoProfile?
    /// ESP32 single-OTA (safeboot) layout: the main firmware only restarts, the safeboot image
    /// downloads (spec §T3.6). nil = the updating firmware downloads itself.
    public var safeboot: Safeboot?
    /// Fact → citation (`tag:file:line`), keyed by the dotted field path it supports.
    public var cite: [String: String]

    /// `Upgrade 1` on a layout with one OTA slot (factory = safeboot image, ota_0 = Tasmota):
    /// the main firmware sends no request — it stores `otal=1`, logs the restart, erases
    /// otadata and restarts; the safeboot image finds the flag once its network is up, logs
    /// that it propagates the upload and runs the retry sequence itself with the stored
    /// OtaUrl. `firmware` is then the safeboot image's (its `image_name` is `safeboot`).
    public struct Safeboot: Codable, Sendable, Equatable {
        /// What the main firmware logs before it restarts (`APP: Restarting`).
        public var mainFirmwareLog: [String]
        /// What the safeboot image logs before its first attempt (`OTA: Propagating upload`).
        public var safebootLog: [String]
    }

    public struct Firmware: Codable, Sendable, Equatable {
        /// `TasmotaGlobal.version` of the running firmware (`15.2.0`); `--current-version`
        /// replaces it.
        public var version: String
        /// `TasmotaGlobal.image_name`, appended to the version for the update call's `version`
        /// argument, sent as `x-ESP8266-version` (`15.2.0(release-tasmota)`).
        public var imageName: String
        /// Whether this is a `FIRMWARE_MINIMAL` build: it never rewrites to `-minimal` itself.
        public var minimal: Bool
    }

    /// The `version` argument Tasmota passes to `update()`: the running version and the image
    /// name, `snprintf("%s%s", TasmotaGlobal.version, TasmotaGlobal.image_name)`. A version
    /// given whole, image name included (as read from a device's header), is kept as it is.
    public func versionArgument(running: String) -> String {
        if running.isEmpty { return firmware.version + firmware.imageName }
        return Self.carriesImageName(running) ? running : running + firmware.imageName
    }

    /// Whether an `x-ESP8266-version` value has Tasmota's form: a version followed by the
    /// parenthesised image name (`15.2.0(release-tasmota)`, `14.1.0(tasmota)`), which a sketch's
    /// own version string (`1.2.3`) does not have (T:tasmota/tasmota.ino:665-672).
    public static func carriesImageName(_ version: String) -> Bool {
        guard version.hasSuffix(")"), let open = version.lastIndex(of: "(") else { return false }
        return open != version.startIndex
    }

    public struct Retry: Codable, Sendable, Equatable {
        /// `OTA_ATTEMPTS`: the counter's start; it is decremented before each attempt and an
        /// attempt runs only while it is non-zero, so one fewer attempts are made.
        public var counterStart: Int
        /// Below this counter value `.gz` is appended (or, for a URL already holding `.gz`, the
        /// counter drops to 1: one last try) — `OTA_ATTEMPTS / 2`.
        public var gzipBelowCounter: Int
        /// The suffix appended, and searched for case-insensitively anywhere in the URL.
        public var gzipSuffix: String
        /// Updater codes after which the next attempts ask for the `-minimal` image.
        public var minimalAfterCodes: [Int]
        /// The word put between the file name's stem and its extension (`-minimal`).
        public var minimalWord: String
        /// From the failed attempt's end to the next attempt's start: the state flag set to 2
        /// counts down once a second and the attempt runs at 0.
        public var intervalMs: Int
        /// `GetOtaUrl` copies the expanded URL into `char[TOPSZ]`: longer URLs are cut.
        public var urlMaxBytes: Int
        /// `full_ota_url` is `char[200]`: the `-minimal` rewrite is cut to fit it.
        public var rewriteBufferBytes: Int
    }

    public struct Console: Codable, Sendable, Equatable {
        /// The command the result is published under (`{"Upgrade":"…"}`).
        public var command: String
        /// `D_JSON_SUCCESSFUL ". " D_JSON_RESTARTING`.
        public var successText: String
        /// `D_JSON_FAILED " %s"` with `ESPhttpUpdate.getLastErrorString()`.
        public var failedPrefix: String
        /// Whether that string is the updater's own: on the ESP32 `ESPhttpUpdate` is
        /// arduino-esp32's unused global `httpUpdate`, so the reason is always empty (§T3.5).
        public var publishesUpdaterText: Bool
        /// The debug log line before each attempt: `UPL: <url> <version>`.
        public var attemptLogPrefix: String
    }
}

extension TasmotaProfile {
    /// The updater each attempt calls, by chip.
    public enum Updater: Sendable, Equatable {
        case esp8266(ESP8266ArduinoProfile)
        case esp32(ESP32ArduinoProfile)
    }

    /// `core` on the ESP8266, `core32` on the ESP32 (the decoder checks the one the chip needs).
    public var updater: Updater {
        if chip == "esp32", let core32 { return .esp32(core32) }
        if let core { return .esp8266(core) }
        guard let core32 else { preconditionFailure("a Tasmota profile without a core passed the decoder") }
        return .esp32(core32)
    }

    public var errors: ESP8266ArduinoProfile.ErrorTable {
        switch updater {
        case .esp8266(let core): return core.errors
        case .esp32(let core): return core.errors
        }
    }

    public var redirects: ESP8266ArduinoProfile.RedirectRules {
        switch updater {
        case .esp8266(let core): return core.redirects
        case .esp32(let core): return core.redirects
        }
    }

    public var clientTimeoutMs: Int {
        switch updater {
        case .esp8266(let core): return core.timeouts.clientMs
        case .esp32(let core): return core.timeouts.clientMs
        }
    }

    public var tls: TLSCapabilities? {
        switch updater {
        case .esp8266(let core): return core.tls
        case .esp32(let core): return core.tls
        }
    }

    /// The ESP8266 core, when this is the ESP8266 build.
    public var esp8266Core: ESP8266ArduinoProfile? {
        if case .esp8266(let core) = updater { return core }
        return nil
    }
}

