import ArgumentParser
import OTAProbeCore

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the device profiles, with their aliases and what sets them apart.",
        discussion: """
            The profiles are built into otaprobe (from profiles/ in its source tree); set \
            OTAPROBE_PROFILES=DIR to read a directory of profile files instead. To change a fact, \
            export a profile, edit the copy, and pass its path to --profile.

            Examples:
              otaprobe profiles
              otaprobe profiles --export esp8266 > mine.json
              otaprobe check --profile ./mine.json http://192.168.1.10/firmware.bin
            """
    )

    @Option(help: ArgumentHelp("Print one profile's file exactly as shipped (a name or an alias), to copy and edit.", valueName: "name"))
    var export: String?

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
        if let export {
            if export == "all" { throw CLIEnvironment.usage("--export takes one profile name or alias; run otaprobe profiles for the list") }
            let file: (profile: DeviceProfile, bytes: [UInt8])
            do { file = try catalog.sourceText(of: export) } catch { throw CLIEnvironment.usage(error.description) }
            // Decoded JSON, so no raw control byte outside whitespace: it is written as it is,
            // for a redirect into a file.
            CLIEnvironment.write(String(decoding: file.bytes, as: UTF8.self))
            return
        }
        var lines: [OutputLine] = []
        let profiles: [DeviceProfile]
        do { profiles = try catalog.profiles } catch { throw CLIEnvironment.usage(error.description) }
        for profile in profiles {
            let aliases = profile.aliases.isEmpty ? "" : " (alias: \(profile.aliases.joined(separator: ", ")))"
            let marker = profile.name == ProfileCatalog.defaultName ? " [default]" : ""
            lines.append(.heading(profile.name + aliases + marker))
            lines.append("  \(profile.description)")
        }
        lines.append("")
        lines.append("Profiles: \(catalog.origin). To change one: otaprobe profiles --export NAME > mine.json, edit it, pass --profile ./mine.json.")
        CLIEnvironment.writeReport(lines)
    }
}
