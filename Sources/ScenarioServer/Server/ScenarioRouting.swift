/// Which scenario answers a connection.
enum ScenarioRouting: Sendable {
    /// The first path segment of the request target names the scenario.
    case routed(byName: [String: Scenario])
    /// Every connection gets this one scenario, so it may act before reading anything.
    case single(Scenario)

    /// True when the server must read a request head before it knows what to do.
    var readsRequestBeforeActing: Bool {
        switch self {
        case .routed: return true
        case .single(let scenario): return scenario.readsRequest
        }
    }

    /// The scenario that answers `context`'s request; nil in routed mode when the path names
    /// none (it then gets `UnknownScenarioResponse`).
    func scenario(for context: ScenarioContext) -> Scenario? {
        switch self {
        case .single(let scenario):
            return scenario
        case .routed(let byName):
            return byName[Self.scenarioName(inTarget: context.request?.target ?? "")]
        }
    }

    /// The steps for one connection. In routed mode an unknown name gets a plain 404.
    func steps(for context: ScenarioContext) -> [ScriptStep] {
        if let scenario = scenario(for: context) { return scenario.respond(context) }
        return UnknownScenarioResponse.steps(for: Self.scenarioName(inTarget: context.request?.target ?? ""))
    }

    /// `/redirect-302?x=1` → `redirect-302`. An absolute-form target
    /// (`http://127.0.0.1:8080/good`, as a proxy-style client sends) is reduced to its path first.
    static func scenarioName(inTarget target: String) -> String {
        var path = Substring(target)
        for scheme in ["http://", "https://"] where path.lowercased().hasPrefix(scheme) {
            path = path.dropFirst(scheme.count)
            path = path.firstIndex(of: "/").map { path[$0...] } ?? ""
        }
        let withoutSlash = path.drop { $0 == "/" }
        return String(withoutSlash.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }
}
