/// Everything one check produced: the inputs that shaped the prediction, the device's
/// verdict, and the exchanges behind it. Both renderers start from this value.
public struct ProbeReport: Sendable {
    public let url: String
    public let profile: DeviceProfile
    public let identity: DeviceIdentity
    public let settings: UpdaterSettings
    public let verdict: Verdict
    public let exchanges: [Exchange]
    /// Comparisons with published digests and the local build; never part of the verdict.
    public var integrity: [IntegrityCheck.Finding] = []
    /// What the last response's body was, parsed as it streamed (nil when there was none).
    public var image: FirmwareImageReport?
    /// Whether that image suits the device (from `DeviceFit`).
    public var fit: [DeviceFit.Finding] = []
    /// How the server answers a `Range` request (checked beside the device, not by it).
    public var range: RangeFinding?
    /// Where a redirect the device did not follow leads, fetched the device's way.
    public var redirectTarget: RedirectTarget?

    public init(url: String, profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings, verdict: Verdict, exchanges: [Exchange]) {
        self.url = url
        self.profile = profile
        self.identity = identity
        self.settings = settings
        self.verdict = verdict
        self.exchanges = exchanges
    }

    /// The report of a finished run: the verdict explained by `Diagnosis`, and the last body,
    /// when it was parsed as it streamed (`image`), judged for fit. One place for the probe
    /// and for anything else that drives a model (the fuzz harness).
    public static func assemble(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings,
                                verdict: Verdict, exchanges: [Exchange], lastBodyImage image: FirmwareImageReport?,
                                redirectTarget: RedirectTarget? = nil) -> ProbeReport {
        let diagnosis = Diagnosis(profile: profile, identity: identity, settings: settings, redirectTarget: redirectTarget)
        var report = ProbeReport(url: settings.url, profile: profile, identity: identity, settings: settings,
                                 verdict: diagnosis.explain(verdict, exchanges: exchanges), exchanges: exchanges)
        report.redirectTarget = redirectTarget
        if let image, let last = exchanges.last {
            report.image = image
            // Whole body seen: the device read all of Content-Length, or the server closed
            // with nothing cut short by the probe.
            let complete = (last.head?.size).map { $0 > 0 && last.body.bytesReceived >= $0 } ?? (!last.body.truncated && last.ending == .closedByServer)
            report.fit = DeviceFit.assess(image, identity: identity, profile: profile, complete: complete)
        }
        return report
    }

    /// What the run means for the user: the device's result weighed with the image it flashed.
    public var outcome: Outcome { Outcome.of(verdict, fit: fit, filesystem: identity.mode == .fs) }

    /// The head line of a report: the outcome in one sentence.
    public var outcomeSentence: String { outcome.sentence(for: verdict, fit: fit, filesystem: identity.mode == .fs) }

    /// The process exit status scripts rely on: 0 only when the device ends up updated or has
    /// nothing to update; 1 when it fails, crashes, hangs, or flashes what it cannot boot.
    public var exitCode: Int32 { outcome.isSuccess ? 0 : 1 }
}

/// Bytes as the report shows them: hex and a printable rendering.
enum ByteText {
    static func hex(_ bytes: some Collection<UInt8>, limit: Int = 16) -> String {
        bytes.prefix(limit).map { String(byte: $0).uppercased() }.joined(separator: " ")
    }

    static func printable(_ bytes: some Collection<UInt8>, limit: Int = 48) -> String {
        String(decoding: bytes.prefix(limit).map { (32...126).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    }


    /// Splits raw protocol bytes into lines for display, keeping line ends visible when odd.
    /// A line longer than `clip` bytes shows its start and how much was left out.
    static func lines(_ bytes: [UInt8], clip: Int = .max) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                var line = current
                let crlf = line.last == UInt8(ascii: "\r")
                if crlf { line.removeLast() }
                lines.append(render(line, clip: clip) + (crlf ? "" : "⏎(LF only)"))
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(render(current, clip: clip) + "…(no line end)") }
        return lines
    }

    private static func render(_ bytes: [UInt8], clip: Int) -> String {
        guard bytes.count <= clip else { return render(Array(bytes.prefix(clip)), clip: clip) + "…(\(bytes.count - clip) more bytes)" }
        return bytes.map { byte -> String in
            switch byte {
            case 32...126: return String(UnicodeScalar(byte))
            case 13: return "\\r"
            case 9: return "\\t"
            default: return "\\x" + String(byte: byte).uppercased()
            }
        }.joined()
    }
}
