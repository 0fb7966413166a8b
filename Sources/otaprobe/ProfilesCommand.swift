import ArgumentParser
import OTAProbeCore

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the device profiles, with their aliases and what sets them apart."
    )

    func run() throws {
        let catalog = try CLIEnvironment.catalog()
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
        lines.append("Profiles are read from \(catalog.directory); copy one, edit it, and pass --profile ./mine.json.")
        CLIEnvironment.writeReport(lines)
    }
}
