/// `otaprobe inspect FILE`: a local image, its digests, and whether it fits the device. The
/// executable only reads the file; what is said about it is decided here and in `DeviceFit`.
public struct InspectReport: Sendable {
    public let file: String
    public let profile: DeviceProfile
    public let identity: DeviceIdentity
    public let image: FirmwareImageReport
    public let body: BodyKind
    public let md5: String
    public let sha256: String
    public let fit: [DeviceFit.Finding]

    public init(file: String, profile: DeviceProfile, identity: DeviceIdentity, image: FirmwareImageReport, prefix: [UInt8], md5: String, sha256: String) {
        self.file = file
        self.profile = profile
        self.identity = identity
        self.image = image
        self.body = BodyKind.recognize(prefix)
        self.md5 = md5
        self.sha256 = sha256
        self.fit = DeviceFit.assess(image, identity: identity, profile: profile, complete: true)
    }

    /// Exit 0 only when there was something to judge and nothing failed.
    public var fits: Bool { !fit.isEmpty && !fit.contains { $0.ok == false } }

    public func renderText(style: TerminalStyle, redactor: Redactor) -> String {
        let summary = image.summary.split(separator: "\n").map(String.init)
        var lines: [OutputLine] = [OutputLine(file, tone: .heading), "  \(summary.first ?? "")"]
        lines += summary.dropFirst().map { "  \($0)" }
        if image.kind == .unknown || image.kind == .empty { lines.append("  looks like: \(body.summary)") }
        lines.append("  MD5 \(md5)  SHA-256 \(sha256)")
        lines.append("")
        lines.append(.heading("Fit for \(profile.name), \(deviceSummary)"))
        lines += fit.map { "  \(OutputLine.mark($0.ok)) \($0.message)" }
        if fit.isEmpty { lines.append("  \(OutputLine.mark(nil)) not a firmware image: nothing to judge") }
        return TerminalOutput(style: style, redactor: redactor).render(lines)
    }

    /// The device facts the fit is judged against, in that family's terms: an ESP8266 has a
    /// flash layout and a sketch size; an ESP32 has a chip, a revision and an OTA partition.
    var deviceSummary: String {
        // An ESP8266 core (Tasmota's ESP8266 build included) has a layout; the rest an ESP32's.
        guard profile.esp8266 == nil else {
            return "layout \(identity.layout), sketch \(identity.sketchSize) bytes (\(identity.mode.rawValue))"
        }
        let device = identity.esp32
        return "\(device.chip.name) \(device.revisionText), next OTA partition \(device.partitionSize) bytes"
    }


    public func renderJSON() -> String {
        struct Document: Encodable {
            let schema = "otaprobe/1"
            let file: String
            let profile: String
            let image: JSONReport.ImageObject
            let bodyKind: String
            let md5: String
            let sha256: String
            let fit: [DeviceFit.Finding]
        }
        return JSONReport.encode(Document(file: file, profile: profile.name, image: JSONReport.ImageObject(image), bodyKind: body.summary,
                                          md5: md5, sha256: sha256, fit: fit))
    }
}
