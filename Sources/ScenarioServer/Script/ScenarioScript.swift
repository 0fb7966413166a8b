import FoundationEssentials

/// A scenario of one's own, read from a small YAML file (`otaprobe serve --script FILE.yaml`):
/// a status line, headers, a body, and what happens on the wire — in order, with pauses,
/// drips, closes and resets. It becomes an ordinary `Scenario`, served at `/<name>` beside the
/// built-in ones and decoded and predicted like them.
///
/// ```yaml
/// name: half-then-reset               # served at /half-then-reset: letters, digits, - _ .
/// summary: the image's length, half of it, then a reset   # optional, shown by serve --list
/// status: HTTP/1.1 200 OK             # the status line as sent (default HTTP/1.1 200 OK)
/// headers:                            # in order, as written; {length} and {md5} are the body's
///   - "Content-Type: application/octet-stream"
///   - "Content-Length: {length}"
///   - "x-MD5: {md5}"
/// line-ending: crlf                   # crlf (default), lf or cr: what ends each head line
/// body:                               # one of firmware, file, text, hex (none: no body)
///   firmware: true                    # the --firmware file (or the built-in image)
///   # file: build/app.bin             # relative to this script's folder
///   # text: "<html>not a firmware</html>"
///   # hex: "E9 01 02 20"
///   chunked: false                    # true: chunked framing (write the header yourself)
/// steps:                              # default: [head, {body: rest}, close]
///   - head                            # the status line and headers
///   - body: 150000                    # the next 150000 body bytes; `rest` for what is left
///   - pause: 500                      # milliseconds of silence, connection open
///   - body: rest
///     chunk: 8192                     # optional: in pieces of this many bytes,
///     every: 100                      # this many milliseconds apart
///   - raw: "garbage\r\n"              # text sent as is (UTF-8); raw-hex: "00 FF" for bytes
///   - reset                           # or close, or hold: 15000 (silence, then close)
/// ```
///
/// Every mistake is reported as `file:line:column: message` before the server starts.
public struct ScenarioScript: Sendable {
    public let name: String
    public let summary: String
    public let steps: [ScriptStep]

    /// The scenario the script describes: the same steps for every request.
    public var scenario: Scenario {
        let steps = steps
        return Scenario(name: name, summary: summary) { _ in steps }
    }

    /// The longest body a script may hold (read whole into memory).
    public static let bodyByteLimit = 64 * 1024 * 1024
    /// The longest pause or hold a step may ask for: the connection's lifetime cap ends it anyway.
    public static let longestWaitMilliseconds = 3_600_000

    /// Reads and validates the script at `path`. `firmware` is what `body: {firmware: true}`
    /// serves; `reservedNames` are names already taken (the built-in scenarios).
    public static func load(path: String, firmware: [UInt8], reservedNames: Set<String>) throws(ScenarioScriptError) -> ScenarioScript {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioScriptError(path: path, line: nil, column: nil, message: "cannot read the script (no such file, or not readable)")
        }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw ScenarioScriptError(path: path, line: nil, column: nil, message: "the script is not UTF-8 text")
        }
        return try parse(text, path: path, firmware: firmware, reservedNames: reservedNames)
    }

    /// Validates `text` as a script; `path` names it in errors and anchors relative `file:` paths.
    public static func parse(_ text: String, path: String, firmware: [UInt8], reservedNames: Set<String>) throws(ScenarioScriptError) -> ScenarioScript {
        var reader = ScriptReader(path: path, firmware: firmware)
        return try reader.read(text, reservedNames: reservedNames)
    }
}

/// A script that cannot be served, with where in the file the problem is.
public struct ScenarioScriptError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    /// 1-based line and column of the offending node, when there is one.
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        let place = [line, column].compactMap { $0 }.map(String.init).joined(separator: ":")
        return place.isEmpty ? "\(path): \(message)" : "\(path):\(place): \(message)"
    }
}

/// Walks the YAML tree, checking each key and value against the format above.
private struct ScriptReader {
    let path: String
    let firmware: [UInt8]

    private static let topKeys = ["name", "summary", "status", "headers", "line-ending", "body", "steps"]
    private static let bodyKeys = ["firmware", "file", "text", "hex", "chunked"]

    typealias Node = ScriptYAML.Node
    typealias Mapping = [ScriptYAML.Pair]

    func fail(_ node: Node?, _ message: String) -> ScenarioScriptError {
        fail(node?.mark, message)
    }

    func fail(_ mark: ScriptYAML.Mark?, _ message: String) -> ScenarioScriptError {
        ScenarioScriptError(path: path, line: mark?.line, column: mark?.column, message: message)
    }

    mutating func read(_ text: String, reservedNames: Set<String>) throws(ScenarioScriptError) -> ScenarioScript {
        let root: Node?
        do {
            root = try ScriptYAML.parse(text)
        } catch {
            throw fail(error.mark, "not valid YAML here: \(error.problem)")
        }
        guard let root, let mapping = root.mapping else {
            throw ScenarioScriptError(path: path, line: root?.mark?.line ?? 1, column: root?.mark?.column ?? 1,
                                      message: "a script is a mapping with at least `name:` (see otaprobe serve --help)")
        }
        let fields = try keyed(mapping, allowed: Self.topKeys, in: "the script")

        guard let nameNode = fields["name"] else { throw fail(root, "missing `name:` (the path the scenario is served at)") }
        let name = try string(nameNode, "name")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw fail(nameNode, "`name` must be 1 to 64 letters, digits, '-', '_' or '.' (it becomes the path /NAME)")
        }
        guard !reservedNames.contains(name) else {
            throw fail(nameNode, "`\(name)` is already a scenario's name; choose another")
        }
        let summary = try fields["summary"].map { node throws(ScenarioScriptError) in try string(node, "summary") } ?? "script \(path)"
        let statusLine = try fields["status"].map { node throws(ScenarioScriptError) in try line(node, "status") } ?? "HTTP/1.1 200 OK"
        let lineEnding = try fields["line-ending"].map { node throws(ScenarioScriptError) in try self.lineEnding(node) } ?? "\r\n"

        let body = try fields["body"].map { node throws(ScenarioScriptError) in try self.body(node) } ?? Body()
        let md5 = md5Hex(body.unframed)
        var headerLines: [String] = []
        if let headersNode = fields["headers"] {
            guard let sequence = headersNode.sequence else { throw fail(headersNode, "`headers` is a list of \"Name: value\" lines") }
            for item in sequence {
                // `- Content-Type: text/plain` unquoted is a one-key mapping in YAML: take it as the line.
                var text: String
                if let pair = item.mapping, pair.count == 1, let value = pair[0].value.text {
                    text = pair[0].key + ": " + value
                } else {
                    text = try line(item, "a header line")
                }
                guard text.contains(":") else { throw fail(item, "a header line needs a colon: \"Name: value\"") }
                headerLines.append(text.replacing("{length}", with: String(body.unframed.count)).replacing("{md5}", with: md5))
            }
        }
        let statusText = statusLine.replacing("{length}", with: String(body.unframed.count))
        let head = ResponseHead(statusLine: statusText, headerLines: headerLines, lineEnding: lineEnding).bytes
        let steps = try fields["steps"].map { node throws(ScenarioScriptError) in try self.steps(node, head: head, body: body.sent) }
            ?? [.send(head)] + (body.sent.isEmpty ? [] : [.send(body.sent)]) + [.close]
        return ScenarioScript(name: name, summary: summary, steps: steps)
    }

    // MARK: Parts

    private struct Body {
        var unframed: [UInt8] = []
        /// What goes on the wire (chunk-framed when asked).
        var sent: [UInt8] = []
    }

    private func body(_ node: Node) throws(ScenarioScriptError) -> Body {
        guard let mapping = node.mapping else { throw fail(node, "`body` is a mapping with one of: firmware, file, text, hex") }
        let fields = try keyed(mapping, allowed: Self.bodyKeys, in: "`body`")
        let sources = ["firmware", "file", "text", "hex"].filter { fields[$0] != nil }
        guard sources.count == 1 else {
            throw fail(node, sources.isEmpty ? "`body` needs one of: firmware, file, text, hex" : "`body` takes one source, not \(sources.joined(separator: " and "))")
        }
        var bytes: [UInt8]
        switch sources[0] {
        case "firmware":
            guard fields["firmware"]?.bool == true else { throw fail(fields["firmware"], "`firmware` takes true") }
            bytes = firmware
        case "file":
            let fileNode = fields["file"]!
            let name = try string(fileNode, "file")
            let resolved = name.hasPrefix("/") ? name : directory(of: path) + name
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory,
                  let data = FileManager.default.contents(atPath: resolved) else {
                throw fail(fileNode, "cannot read `\(resolved)`")
            }
            guard data.count <= ScenarioScript.bodyByteLimit else { throw fail(fileNode, "`\(resolved)` is larger than \(ScenarioScript.bodyByteLimit) bytes") }
            bytes = Array(data)
        case "text":
            bytes = Array(try string(fields["text"]!, "text").utf8)
        default:
            bytes = try hex(fields["hex"]!)
        }
        var sent = bytes
        if let chunked = fields["chunked"] {
            guard let value = chunked.bool else { throw fail(chunked, "`chunked` takes true or false") }
            if value { sent = ChunkedFraming.frame(bytes) }
        }
        return Body(unframed: bytes, sent: sent)
    }

    private func steps(_ node: Node, head: [UInt8], body: [UInt8]) throws(ScenarioScriptError) -> [ScriptStep] {
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw fail(node, "`steps` is a non-empty list: head, body: N|rest, pause: ms, raw: text, raw-hex: bytes, close, reset, hold: ms|forever")
        }
        var steps: [ScriptStep] = []
        var bodyOffset = 0
        var ended: String?
        for item in sequence {
            if let ended { throw fail(item, "nothing can follow `\(ended)`: the connection is over") }
            if let word = item.text {
                switch word {
                case "head": steps.append(.send(head))
                case "close": steps.append(.close); ended = "close"
                case "reset": steps.append(.reset); ended = "reset"
                default: throw fail(item, "unknown step `\(word)`; a step is head, close, reset, or one of body:, pause:, raw:, raw-hex:, hold:")
                }
                continue
            }
            guard let mapping = item.mapping else { throw fail(item, "a step is a word (head, close, reset) or a mapping (body: 1000)") }
            let fields = try keyed(mapping, allowed: ["body", "raw", "raw-hex", "pause", "hold", "chunk", "every"], in: "a step")
            let actions = ["body", "raw", "raw-hex", "pause", "hold"].filter { fields[$0] != nil }
            guard actions.count == 1 else {
                throw fail(item, actions.isEmpty ? "a step needs one of body:, raw:, raw-hex:, pause:, hold:" : "one action per step, not \(actions.joined(separator: " and "))")
            }
            let action = actions[0]
            let value = fields[action]!
            if action == "pause" || action == "hold" {
                if let extra = fields["chunk"] ?? fields["every"] { throw fail(extra, "`chunk` and `every` go with body:, raw: or raw-hex:") }
                if action == "hold", value.text == "forever" {
                    steps.append(.holdOpen(milliseconds: ScriptStep.untilLifetimeCap))
                } else {
                    let milliseconds = try integer(value, action, in: 0...ScenarioScript.longestWaitMilliseconds)
                    steps.append(action == "pause" ? .pause(milliseconds: milliseconds) : .holdOpen(milliseconds: milliseconds))
                }
                if action == "hold" { ended = "hold" }
                continue
            }
            let bytes: [UInt8]
            switch action {
            case "body":
                let remaining = body.count - bodyOffset
                let count: Int
                if value.text == "rest" {
                    count = remaining
                } else {
                    count = try integer(value, "body", in: 0...Int.max)
                    guard count <= remaining else {
                        throw fail(value, "only \(remaining) body bytes are left to send (the body has \(body.count)); use `rest` for all of them")
                    }
                }
                bytes = Array(body[bodyOffset..<(bodyOffset + count)])
                bodyOffset += count
            case "raw":
                bytes = Array(try string(value, "raw").utf8)
            default:
                bytes = try hex(value)
            }
            if fields["chunk"] != nil || fields["every"] != nil {
                let chunk = try fields["chunk"].map { node throws(ScenarioScriptError) in try integer(node, "chunk", in: 1...Int.max) } ?? 1
                let every = try fields["every"].map { node throws(ScenarioScriptError) in try integer(node, "every", in: 0...ScenarioScript.longestWaitMilliseconds) } ?? 0
                steps.append(.sendSlowly(bytes, chunk: chunk, intervalMilliseconds: every))
            } else {
                steps.append(.send(bytes))
            }
        }
        return steps
    }

    // MARK: Values

    /// A mapping's values by key, refusing unknown and non-string keys.
    private func keyed(_ mapping: Mapping, allowed: [String], in what: String) throws(ScenarioScriptError) -> [String: Node] {
        var fields: [String: Node] = [:]
        for pair in mapping {
            let (name, keyMark, value) = (pair.key, pair.keyMark, pair.value)
            guard allowed.contains(name) else {
                throw fail(keyMark, "unknown key `\(name)` in \(what); known: \(allowed.joined(separator: ", "))")
            }
            guard fields[name] == nil else { throw fail(keyMark, "`\(name)` appears twice in \(what)") }
            fields[name] = value
        }
        return fields
    }

    private func string(_ node: Node, _ what: String) throws(ScenarioScriptError) -> String {
        guard let text = node.text else { throw fail(node, "`\(what)` takes text") }
        return text
    }

    /// One line of the head: text without line breaks (they would break the head's framing
    /// silently; `raw:` steps are the way to send such bytes on purpose).
    private func line(_ node: Node, _ what: String) throws(ScenarioScriptError) -> String {
        let text = try string(node, what)
        guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw fail(node, "\(what) cannot hold a line break (use a raw: step to send such bytes)")
        }
        return text
    }

    private func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws(ScenarioScriptError) -> Int {
        guard let text = node.text, let value = Int(text), range.contains(value) else {
            let upper = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
            throw fail(node, "`\(what)` takes a whole number from \(range.lowerBound)\(upper)")
        }
        return value
    }

    private func lineEnding(_ node: Node) throws(ScenarioScriptError) -> String {
        switch node.text {
        case "crlf": return "\r\n"
        case "lf": return "\n"
        case "cr": return "\r"
        default: throw fail(node, "`line-ending` is crlf, lf or cr")
        }
    }

    /// `E9 01 0220` → bytes: pairs of hex digits, spaces anywhere.
    private func hex(_ node: Node) throws(ScenarioScriptError) -> [UInt8] {
        let digits = Array(try string(node, "hex").unicodeScalars.filter { $0 != " " })
        guard digits.count % 2 == 0, digits.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
            throw fail(node, "hex bytes are pairs of hex digits, e.g. \"E9 01 02 20\"")
        }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(String.UnicodeScalarView(digits[$0..<$0 + 2])), radix: 16)! }
    }

    private func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }
}
