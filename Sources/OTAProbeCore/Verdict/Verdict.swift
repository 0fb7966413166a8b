/// The device's answer: what `ESPhttpUpdate.update()` returns, `getLastError()`,
/// `getLastErrorString()`, and how long the device would have taken to say so.
public struct Verdict: Sendable, Equatable {
    public enum Result: String, Sendable, Equatable, Codable {
        case ok = "HTTP_UPDATE_OK"
        case noUpdates = "HTTP_UPDATE_NO_UPDATES"
        case failed = "HTTP_UPDATE_FAILED"
        /// The real code dereferences a null pointer: an exception and a reboot, no code at all.
        case deviceCrash = "DEVICE_CRASH"
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

    public init(result: Result, code: Int, name: String, message: String, stage: Stage, deviceTimeMs: Int, cause: Cause) {
        self.result = result
        self.code = code
        self.name = name
        self.message = message
        self.stage = stage
        self.deviceTimeMs = deviceTimeMs
        self.cause = cause
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
        }
    }

    public var deviceSucceeds: Bool { result == .ok || result == .noUpdates }
}
