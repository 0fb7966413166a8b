/// Every server behaviour from the spec's server-behaviour table (§10) that a server can
/// produce, each under a stable name. Grouped by what is bent, in the order `otaprobe demo`
/// lists them.
public enum ScenarioCatalog {
    public static let all: [Scenario] =
        ImageScenarios.all
        + MD5HeaderScenarios.all
        + ContentLengthScenarios.all
        + TransferEncodingScenarios.all
        + BodyContentScenarios.all
        + BodyDeliveryScenarios.all
        + StatusCodeScenarios.all
        + RedirectScenarios.all
        + StatusLineScenarios.all
        + HeaderSyntaxScenarios.all
        + ConnectionScenarios.all
        + ForensicScenarios.all
        + ESP32Scenarios.all
        + UpdateScriptScenarios.all
        + HostingScenarios.all
        + ESPHomeScenarios.all
        + TasmotaScenarios.all
        + ESPHomeESP32ArduinoScenarios.all

    private static let byName: [String: Scenario] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The scenario called `name`, or nil.
    public static func named(_ name: String) -> Scenario? {
        byName[name]
    }
}
