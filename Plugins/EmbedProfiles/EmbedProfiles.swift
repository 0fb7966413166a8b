import Foundation
import PackagePlugin

/// Builds the shipped `profiles/*.json` into the target that owns `ProfileCatalog`, so that an
/// `otaprobe` copied anywhere (an install, a release download) carries its profiles with it.
///
/// `profiles/` stays the one source people edit. The inputs are every profile file (an edit
/// regenerates the source) and the directory itself (a file added or removed changes its
/// modification time); the tool lists the directory when it runs rather than trusting the list
/// made here, because SwiftPM asks this plugin again only when it re-plans the build (a target's
/// files or Package.swift changed), not at every build. One case that still needs a re-plan:
/// after *removing* a profile, the old plan names a missing input; `touch Package.swift`.
@main
struct EmbedProfiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "profiles")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInProfileData.swift")
        return [
            .buildCommand(
                displayName: "Embedding profiles/*.json into \(target.name)",
                executable: try context.tool(named: "ProfileEmbedder").url,
                arguments: [directory.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: [directory] + files,
                outputFiles: [output]
            ),
        ]
    }
}
