/// The device's answer in its own stack's words, and how long the device would take to say so.
///
/// Arduino cores (ESP8266, arduino-esp32): `result` is the `t_httpUpdate_return` name, `code`
/// is `getLastError()`, `message` is `getLastErrorString()`. ESP-IDF: `result` is `ESP_OK` or the
/// `esp_err_t` name, `code` the `esp_err_t` as a signed decimal, `message` the `E (…) tag: …`
/// line the device logs.
public struct Verdict: Sendable, Equatable {
    public enum Result: String, Sendable, Equatable, Codable {
        case ok = "HTTP_UPDATE_OK"
        case noUpdates = "HTTP_UPDATE_NO_UPDATES"
        case failed = "HTTP_UPDATE_FAILED"
        /// The real code dereferences a null pointer: an exception and a reboot, no code at all.
        case deviceCrash = "DEVICE_CRASH"
        /// ESP-IDF: the OTA call returned `ESP_OK`.
        case espOK = "ESP_OK"
        /// ESP-IDF: the OTA call returned an error; its name is `name`.
        case espError = "ESP_ERR"
        /// The device never returns (ESP-IDF retries a stalled body or a redirect loop forever).
        case deviceHangs = "DEVICE_HANGS"
        /// The probe stopped at one of its own bounds (`--max-time`, `Limits`) while the device
        /// had not returned yet: what it would print is not known, only that it was still waiting.
        case stillWaiting = "DEVICE_STILL_WAITING"
        /// ESPHome: `do_ota_()` returned `OTA_RESPONSE_OK`; the device reboots into the image.
        case esphomeOK = "OTA_RESPONSE_OK"
        /// ESPHome: `do_ota_()` returned an error code; its name (`OTA_CONNECTION_ERROR`,
        /// `OTA_RESPONSE_ERROR_MD5_MISMATCH`, …) is `name`, the value `code`.
        case esphomeError = "ESPHOME_OTA_ERROR"
        /// ESPHome's update entity: the manifest's version is the running one (or empty), so
        /// its state is UPDATE_STATE_NO_UPDATE and nothing is installed.
        case esphomeNoUpdate = "UPDATE_STATE_NO_UPDATE"
        /// ESPHome's update entity could not use the manifest; `name` is the component error
        /// it sets (`Failed to fetch manifest`, …): there is no OTA code.
        case esphomeUpdateFailed = "ESPHOME_UPDATE_FAILED"
        /// Tasmota: `Upgrade` published `{"Upgrade":"Successful. Restarting"}` (an update, or a
        /// 304 that Tasmota counts as one); the word is its `D_JSON_SUCCESSFUL`.
        case tasmotaSuccessful = "Successful"
        /// Tasmota: every attempt failed, `{"Upgrade":"Failed <text>"}` (`D_JSON_FAILED`).
        case tasmotaFailed = "Failed"
    }

    /// Where in the update the outcome was decided.
    public enum Stage: String, Sendable, Equatable, Codable {
        case url, connect, request, headers, status, size, stream, imageHeader, download, verify, done
    }

    public var result: Result
    public var code: Int
    /// The code's macro name (`HTTP_UE_SERVER_WRONG_HTTP_CODE`), empty for 0.
    public var name: String
    /// `getLastErrorString()` exactly.
    public var message: String
    public var stage: Stage
    public var deviceTimeMs: Int
    public var cause: Cause
    /// Plain sentences; filled in by `Diagnosis`.
    public var why: String = ""
    /// A few words for one-line views (demo rows, tables); filled in by `Diagnosis`.
    public var summary: String = ""
    public var fix: [String] = []
    public var notes: [String] = []
    /// The log lines the device prints on the way (ESP-IDF `E (…) tag: …`, Arduino `log_e`),
    /// oldest first: what a serial monitor shows.
    public var log: [String] = []
    /// For https URLs: what the device's TLS client concluded (nil for plain HTTP).
    public var tls: TLSFinding?
    /// Frameworks that retry (Tasmota): what each attempt's update call returned, in order;
    /// empty for a single call. Each attempt is one of the report's exchanges.
    public var attempts: [Attempt] = []

    /// One call of the core's updater inside a framework's retry sequence.
    public struct Attempt: Sendable, Equatable {
        /// The URL the framework passed to this call.
        public var url: String
        /// The call's own result (`HTTP_UPDATE_FAILED`), code and `getLastErrorString()`.
        public var result: Result
        public var code: Int
        public var message: String
        public var startedAtMs: Int
        public var endedAtMs: Int

        public init(url: String, result: Result, code: Int, message: String, startedAtMs: Int, endedAtMs: Int) {
            self.url = url
            self.result = result
            self.code = code
            self.message = message
            self.startedAtMs = startedAtMs
            self.endedAtMs = endedAtMs
        }
    }

    /// The verdict when the probe stops at one of its bounds before the device decided.
    public static func stillWaiting(_ stop: ProbeStop, stage: Stage, at time: Int, log: [String]) -> Verdict {
        var verdict = Verdict(result: .stillWaiting, code: 0, name: "", message: "", stage: stage, deviceTimeMs: time, cause: .probeStopped(stop))
        verdict.log = log
        return verdict
    }

    public init(result: Result, code: Int, name: String, message: String, stage: Stage, deviceTimeMs: Int, cause: Cause) {
        self.result = result
        self.code = code
        self.name = name
        self.message = message
        self.stage = stage
        self.deviceTimeMs = deviceTimeMs
        self.cause = cause
    }

    /// `result` as the stack spells it: the enum name, or for ESP-IDF errors the error's name.
    public var resultName: String { result == .espError || result == .esphomeError || result == .esphomeUpdateFailed ? name : result.rawValue }

    /// ESP-IDF codes are read in hex (`0x10A`, `-0x7007`); nil for Arduino results.
    public var codeHex: String? {
        // ESPHome's OTA codes are written in hex in ota_backend.h (0x8B = 139).
        if result == .esphomeOK || result == .esphomeError { return "0x" + String(String(code, radix: 16, uppercase: true).leftPadded(to: 2)) }
        guard result == .espOK || result == .espError else { return nil }
        return (code < 0 ? "-0x" : "0x") + String(abs(code), radix: 16, uppercase: true)
    }

    /// The line the core's examples print and users paste into forums:
    /// `Serial.printf("HTTP_UPDATE_FAILED Error (%d): %s\n", getLastError(), getLastErrorString())`
    /// (3.1.2 httpUpdateSecure.ino:107; the plain httpUpdate.ino:78 spells it "FAILD").
    public var deviceLine: String {
        switch result {
        case .failed: return "HTTP_UPDATE_FAILED Error (\(code)): \(message)"
        case .noUpdates: return "HTTP_UPDATE_NO_UPDATES"
        case .ok: return "HTTP_UPDATE_OK"
        case .deviceCrash: return "DEVICE_CRASH (exception and reboot; the sketch prints nothing)"
        case .espOK: return "ESP_OK"
        case .espError: return message.isEmpty ? "\(name) (\(codeHex ?? String(code)))" : message
        case .deviceHangs: return "DEVICE_HANGS (the update call never returns; the device prints nothing more)"
        case .stillWaiting: return "DEVICE_STILL_WAITING (the update call had not returned when otaprobe stopped; the device would still be waiting)"
        case .esphomeOK: return message.isEmpty ? "OTA_RESPONSE_OK" : message
        case .esphomeError: return message.isEmpty ? "\(name) (\(code))" : message
        case .esphomeNoUpdate: return "UPDATE_STATE_NO_UPDATE"
        case .esphomeUpdateFailed: return message.isEmpty ? name : message
        case .tasmotaSuccessful, .tasmotaFailed: return "{\"Upgrade\":\"\(message)\"}"
        }
    }

    public var deviceSucceeds: Bool { result == .ok || result == .noUpdates || result == .espOK || result == .esphomeOK || result == .esphomeNoUpdate || result == .tasmotaSuccessful }
}
