/// The routed server's answer to a path that names no scenario: a plain, well-formed 404, so a
/// typo in a test shows up as "not found" rather than as some scenario's deliberate misbehaviour.
enum UnknownScenarioResponse {
    static func steps(for name: String) -> [ScriptStep] {
        let printableName = String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(80))
        let body = "No scenario named \"\(printableName)\" on this server.\n".wireBytes
        let head = ResponseHead(
            statusLine: "HTTP/1.1 404 Not Found",
            headerLines: ["Content-Type: text/plain", "Content-Length: \(body.count)", "Connection: close"]
        )
        return [.send(head.bytes + body), .close]
    }
}
