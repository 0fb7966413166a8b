/// Servers that only a device that retries gets through: Tasmota's `Upgrade` asks again with
/// other URLs (spec esphome-and-tasmota.md §T1.2), so these answer by the file name the device
/// asked for, and the report shows each attempt. Use them with a file name after the scenario,
/// as an OtaUrl has one: `http://127.0.0.1:<port>/tasmota-minimal/tasmota.bin`.
enum TasmotaScenarios {
    static let all: [Scenario] = [
        Scenario(
            name: "tasmota-minimal",
            summary: "Only '<name>-minimal<ext>' fits: any other file name gets 200 with Content-Length: 16777216 (too big, no body); a name with '-minimal' gets the image"
        ) { context in
            if lastSegment(of: context).contains("-minimal") { return ResponseRecipe.download(context.bodies.image) }
            return ResponseRecipe.respond(.standard(contentLength: 16 << 20))
        },
        Scenario(
            name: "tasmota-gz-only",
            summary: "Only the .gz file exists: a file name ending in .gz gets the gzipped image, any other 404"
        ) { context in
            if lastSegment(of: context).lowercased().hasSuffix(".gz") { return ResponseRecipe.download(context.bodies.gzippedImage) }
            return ResponseRecipe.page(status: 404, reason: "Not Found", text: "404 page not found\n")
        },
    ]

    /// The request target's last path segment (the file the device asked for).
    private static func lastSegment(of context: ScenarioContext) -> String {
        let target = context.request?.target ?? ""
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        return path.split(separator: "/").last.map(String.init) ?? ""
    }
}
