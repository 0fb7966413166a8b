/// What the run means for the person or script that asked: not the device's own words (those are
/// `Verdict`) but whether the device ends up running the new firmware.
///
/// The two differ where a device accepts what it cannot use: the ESP8266 updater checks four bytes
/// of the header (3.1.2 Updater.cpp:_verifyHeader), so it flashes an ESP32 image, returns
/// `HTTP_UPDATE_OK` and reboots into something the boot ROM refuses. The exit status follows the
/// outcome, so `HTTP_UPDATE_OK` is no longer a green light on its own.
public enum Outcome: String, Sendable, Equatable, Codable, CaseIterable {
    /// The device flashes the image and reboots into firmware it can start.
    case updated
    /// The server said there is nothing new (304, or the app's version check): nothing changes.
    case noUpdate = "no-update"
    /// The update call returns an error; the device keeps running its current firmware.
    case failed
    /// The device reports success, but the image it flashed cannot start on it.
    case failsToBoot = "fails-to-boot"
    /// The device throws an exception and reboots into its current firmware.
    case crashes
    /// The update call never returns (or had not returned when otaprobe stopped at its bounds).
    case hangs

    /// Whether a script should treat the run as good: exit status 0.
    public var isSuccess: Bool { self == .updated || self == .noUpdate }

    /// The words a report leads with (`fails to boot`).
    public var words: String { rawValue.split(separator: "-").joined(separator: " ") }

    /// The outcome of a verdict, given what the image check beside it found.
    ///
    /// Only a device that reports success can fail to boot; a refusal leaves the old firmware in
    /// place whatever the image was. `fit` findings that stop the boot ROM or bootloader are the
    /// chip, the declared flash size, the kind of file, the checksums and completeness; a version
    /// equal to the running one or the free-space finding do not (the device already decided on
    /// space). A filesystem update (`updateFS()`) writes no code, so nothing there stops a boot.
    public static func of(_ verdict: Verdict, fit: [DeviceFit.Finding], filesystem: Bool = false) -> Outcome {
        switch verdict.result {
        case .noUpdates: return .noUpdate
        case .failed, .espError: return .failed
        case .deviceCrash: return .crashes
        case .deviceHangs, .stillWaiting: return .hangs
        case .esphomeError, .esphomeUpdateFailed: return .failed
        case .esphomeNoUpdate: return .noUpdate
        case .ok, .espOK, .esphomeOK:
            return bootBlockers(in: fit, filesystem: filesystem).isEmpty ? .updated : .failsToBoot
        case .tasmotaFailed: return .failed
        case .tasmotaSuccessful:
            // Tasmota publishes the same words for a 304 (support_tasmota.ino: any result but
            // HTTP_UPDATE_FAILED is success): it restarts, but nothing was flashed.
            if verdict.cause == .notModified { return .noUpdate }
            // ESP32: a URL HTTPClientLight refuses is reported as success (`ota_result = -999`)
            // although nothing was sent; the device restarts into its old firmware.
            if case .urlRefused = verdict.cause { return .failed }
            return bootBlockers(in: fit, filesystem: filesystem).isEmpty ? .updated : .failsToBoot
        }
    }

    /// The image findings that keep a flashed image from starting.
    public static func bootBlockers(in fit: [DeviceFit.Finding], filesystem: Bool = false) -> [DeviceFit.Finding] {
        guard !filesystem else { return [] }
        let stopsBoot: Set<String> = ["chip", "flashSize", "kind", "checksum", "sha256", "complete", "revision"]
        return fit.filter { $0.ok == false && stopsBoot.contains($0.aspect) }
    }

    /// One sentence for the head of a report.
    public func sentence(for verdict: Verdict, fit: [DeviceFit.Finding], filesystem: Bool = false) -> String {
        switch self {
        case .updated:
            return "updated — the device flashes the image and restarts into it"
        case .noUpdate:
            return "no update — the server has nothing new for this device; it keeps running its firmware"
        case .failed:
            return "failed — the update call returns an error and the device keeps running its current firmware"
        case .failsToBoot:
            let reasons = Self.bootBlockers(in: fit, filesystem: filesystem).map(\.message)
            return "fails to boot — the device reports success and restarts, but cannot start what it flashed (\(reasons.joined(separator: "; ")))"
        case .crashes:
            return "crashes — the device throws an exception and restarts into its current firmware"
        case .hangs:
            return verdict.result == .stillWaiting
                ? "hangs — the update call had not returned when otaprobe stopped; the device would still be waiting"
                : "hangs — the update call never returns; the device needs a reset"
        }
    }
}
