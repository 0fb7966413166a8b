import ArgumentParser
import FoundationEssentials
import OTAProbe
import OTAProbeCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a firmware file or URL: image format, checksums, and whether it fits the device.",
        discussion: """
            Like esptool's image_info, plus device fit (flash size, space, chip family, version) \
            and forensics for bodies that are not firmware. A URL is fetched the device's way \
            (its request, its verdict); a file is read from disk. Exit status: 0 when the image \
            fits the device (and, for a URL, the device would succeed), 1 otherwise, 64 on bad usage.
            """
    )

    @Argument(help: ArgumentHelp("A local file (build/firmware.bin) or an http(s) URL.", valueName: "file|url"))
    var target: String

    @OptionGroup(title: "Device and sketch") var device: DeviceOptions

    @Flag(help: "Print one JSON object instead of the report.")
    var json = false

    @Flag(help: "Do not mask credentials in URLs.")
    var showSecrets = false

    var isURL: Bool { target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://") }

    func validate() throws {
        if isURL { try URLCheck.validate(target) }
    }

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        let profile = try CLIEnvironment.profile(device.profile, in: catalog)
        let identity = device.identity()
        let redactor = Redactor(enabled: !showSecrets)
        let style = TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput())
        if isURL {
            var settings = try device.settings(url: target, profile: profile)
            settings.computeDigests = true
            let report = Probe(profile: profile, identity: identity, settings: settings).run()
            if json {
                CLIEnvironment.write(JSONReport.render(report, redactor: redactor) + "\n")
            } else {
                CLIEnvironment.write(HumanReport(style: style, redactor: redactor, verbose: false).render(report))
            }
            let unfit = report.fit.contains { $0.ok == false }
            throw ExitCode(report.verdict.deviceSucceeds && !unfit ? 0 : 1)
        }
        let result: FileInspector.Result
        let digests: (md5: String, sha256: String, size: Int)
        do {
            result = try FileInspector.inspect(path: target)
            digests = try FileDigests.of(path: target)
        } catch {
            throw CLIEnvironment.usage(error.description)
        }
        let fit = DeviceFit.assess(result.image, identity: identity, profile: profile, complete: true)
        let body = BodyKind.recognize(result.prefix)
        if json {
            CLIEnvironment.write(InspectJSON.render(file: target, result: result, fit: fit, body: body, digests: digests, profile: profile) + "\n")
        } else {
            var lines = [style.bold(target) + ": " + result.image.summary.split(separator: "\n").first.map(String.init)!]
            lines += result.image.summary.split(separator: "\n").dropFirst().map { "  " + $0 }
            if result.image.kind == .unknown || result.image.kind == .empty { lines.append("  looks like: \(body.summary)") }
            lines.append("  MD5 \(digests.md5)  SHA-256 \(digests.sha256)")
            lines.append("")
            lines.append(style.bold("Fit for \(profile.name), layout \(identity.layout), sketch \(identity.sketchSize) bytes (\(device.mode))"))
            for finding in fit {
                let mark = finding.ok.map { $0 ? style.green("✔") : style.red("✘") } ?? style.yellow("?")
                lines.append("  \(mark) \(finding.message)")
            }
            if fit.isEmpty { lines.append("  ? not a firmware image: nothing to judge") }
            CLIEnvironment.write(lines.joined(separator: "\n") + "\n")
        }
        let fits = !fit.isEmpty && !fit.contains { $0.ok == false }
        throw ExitCode(fits ? 0 : 1)
    }
}

/// `inspect FILE --json`: the image fields, the fit findings and the digests.
enum InspectJSON {
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

    static func render(file: String, result: FileInspector.Result, fit: [DeviceFit.Finding], body: BodyKind, digests: (md5: String, sha256: String, size: Int), profile: DeviceProfile) -> String {
        let document = Document(file: file, profile: profile.name, image: JSONReport.ImageObject(result.image), bodyKind: body.summary,
                                md5: digests.md5, sha256: digests.sha256, fit: fit)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
