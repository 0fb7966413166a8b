import OTAProbeCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a device that `otaprobe serve` recognised will report for the answer it was served.
///
/// How: the same `Probe` that `check` runs — the newest matching profile, the identity the device
/// reported — against a private twin of the server on 127.0.0.1 that serves the same scenarios
/// with the same images, at the path the device asked for. Not by feeding the model the bytes
/// the real device was sent: an update is often more than one exchange (a redirect is followed
/// on a new connection, ESP-IDF sends a HEAD and then Range requests), a scenario's answer can
/// depend on the request (Range, HEAD, an update policy's version check), its timing matters (a
/// stall is the device's timeout, not the server's), and https redirects need a real handshake.
/// Probing the twin replays all of that exactly as `check` would, so `serve` and `check` cannot
/// disagree about a scenario. The cost is time: a prediction takes as long as the device's run
/// (a silent server costs its timeout), bounded by `maxTimeMs`.
public struct ServePrediction: Sendable {
    /// `http://127.0.0.1:<twin port>`: where the twin serves the scenarios.
    public let twinOrigin: String
    /// What the sketch set with `setFollowRedirects()`: not in the request until a redirect is
    /// followed, so `serve` takes it as a flag (default: the cores' default, disable).
    public var redirectMode: RedirectMode = .disable
    /// The bound on one prediction's run (`Probe.maxTimeMs`).
    public var maxTimeMs = Limits.defaultMaxTimeMs

    public init(twinOrigin: String) { self.twinOrigin = twinOrigin }

    /// Why a request gets no prediction.
    public enum Missing: Error, Sendable, CustomStringConvertible {
        case noProfile
        case notAnUpdateRequest(String)

        public var description: String {
            switch self {
            case .noProfile: return "no built-in profile sends these bytes"
            case .notAnUpdateRequest(let reason): return reason
            }
        }
    }

    /// The probe `check` would run for the device that sent `recognition`'s request.
    public func probe(for recognition: DeviceRecognition) -> Result<Probe, Missing> {
        guard let match = recognition.newest else { return .failure(.noProfile) }
        let target = Self.path(of: recognition.head.target)
        // arduino-esp32 1.0.6 sends an empty target for a URL without a path: so does the twin's URL.
        var settings = UpdaterSettings(url: twinOrigin + target)
        switch match.profile {
        case .esp8266(let profile):
            settings.redirectMode = profile.redirects.modes.contains(redirectMode.rawValue) || redirectMode == .disable ? redirectMode : .disable
        case .esp32Arduino(let profile):
            settings.redirectMode = profile.redirects.modes.contains(redirectMode.rawValue) || redirectMode == .disable ? redirectMode : .disable
        case .tasmota:
            // Tasmota's own call: the core's default, redirects off.
            settings.redirectMode = .disable
        case .espIDF:
            // A HEAD, or a Range with an end, is partial download; its size is the first range's.
            let head = recognition.head
            if head.method == "HEAD" { settings.partialDownload = true }
            if let range = head.value(of: "Range"), let (start, end) = Self.range(range), let end {
                settings.partialDownload = true
                if start == 0 { settings.rangeSize = end + 1 }
            }
        case .esphome:
            // Its result turns on the action's md5: / md5_url:, which no request carries (a GET
            // of the MD5 file looks like any other): predicting one would be a guess.
            return .failure(.notAnUpdateRequest("an ESPHome device's result depends on its md5: or md5_url:, which its request does not carry; run otaprobe check --profile esphome --expected-md5 MD5 (or --md5-url URL) on this URL"))
        }
        var probe = Probe(profile: match.profile, identity: recognition.deviceIdentity, settings: settings)
        probe.maxTimeMs = maxTimeMs
        return .success(probe)
    }

    /// Starts the prediction on its own thread (a probe sits in `poll` for as long as the device
    /// would wait, which must not hold the server's connection threads' pool or each other).
    public func start(for recognition: DeviceRecognition) -> Pending {
        switch probe(for: recognition) {
        case .failure(let missing):
            return Pending(finished: .failure(missing))
        case .success(let probe):
            let pending = Pending(finished: nil)
            if let thread = ProbeThread.start(detached: false, {
                let report = probe.run()
                pending.box.withLock { $0 = .success(report) }
            }) {
                pending.thread.withLock { $0 = thread }
            } else {
                pending.box.withLock { $0 = .failure(.notAnUpdateRequest("no thread was available to run the prediction")) }
            }
            return pending
        }
    }

    /// A prediction under way.
    public final class Pending: Sendable {
        fileprivate let box: Mutex<Result<ProbeReport, Missing>?>
        fileprivate let thread = Mutex<pthread_t?>(nil)

        fileprivate init(finished: Result<ProbeReport, Missing>?) {
            box = Mutex(finished)
        }

        /// Waits for the probe to end (it is bounded by `maxTimeMs`) and returns its report.
        public func wait() -> Result<ProbeReport, Missing> {
            if let thread = thread.withLock({ value -> pthread_t? in defer { value = nil }; return value }) {
                ProbeThread.join(thread)
            }
            return box.withLock { $0 } ?? .failure(.notAnUpdateRequest("the prediction did not finish"))
        }
    }

    /// The path of a request target: `/good?x=1` as is; an absolute-form target
    /// (`http://host/good`) reduced to its path.
    static func path(of target: String) -> String {
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        return target
    }

    /// `bytes=a-b` / `bytes=a-`.
    static func range(_ value: String) -> (Int, Int?)? {
        guard value.hasPrefix("bytes=") else { return nil }
        let parts = value.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]) else { return nil }
        return (start, parts[1].isEmpty ? nil : Int(parts[1]))
    }
}
