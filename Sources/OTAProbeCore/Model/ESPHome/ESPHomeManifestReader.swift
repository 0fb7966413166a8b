import FoundationEssentials

/// What ESPHome's `update: platform: http_request` takes from a manifest (E25
/// http_request/update/http_request_update.cpp:87-150, json/json_util.cpp:27-62): `name`,
/// `version` and `builds` required, every build visited needs a string `chipFamily`, the first
/// build whose `chipFamily` is the device's variant needs an object `ota` with string `path` and
/// `md5`; then `ota.path` joined to the manifest's URL.
///
/// The JSON itself is read strictly (RFC 8259, after cutting what follows the first value, which
/// ArduinoJson ignores too). ArduinoJson is more lenient in places (single-quoted strings, for
/// one), so a manifest only it accepts is reported here as a parse error: a known gap, said in
/// the README.
public enum ESPHomeManifestReader {
    public enum Outcome: Sendable, Equatable {
        case build(path: String, md5: String, version: String)
        /// `No data to parse` (json_util.cpp:38-41).
        case noData
        /// ArduinoJson's error name (`IncompleteInput`, `InvalidInput`) as `Parse error: %s` prints it.
        case parseError(String)
        /// `Manifest does not contain required fields` (:96-117).
        case missingFields
        /// No build for this variant: parse returns false without a line of its own (:129).
        case noBuild
    }

    public static func read(_ bytes: [UInt8], variant: String) -> Outcome {
        guard !bytes.isEmpty else { return .noData }
        var document = bytes
        if let problem = JSONSyntaxLocator.firstProblem(in: bytes) {
            switch problem.message {
            case "unexpected text after the end of the document":
                // deserializeJson stops after the first value; the rest is never looked at.
                document = Array(bytes.prefix(offset(line: problem.line, column: problem.column, in: bytes)))
            case "unexpected end of file", "unterminated string":
                return .parseError("IncompleteInput")
            default:
                return .parseError("InvalidInput")
            }
        }
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: Data(document)) else { return .parseError("InvalidInput") }
        guard case .object(let top) = root, case .string? = top["name"], case .string(let version)? = top["version"],
              case .array(let builds)? = top["builds"] else { return .missingFields }
        for build in builds {
            guard case .object(let fields) = build, case .string(let chip)? = fields["chipFamily"] else { return .missingFields }
            guard chip == variant else { continue }
            guard case .object(let ota)? = fields["ota"], case .string(let path)? = ota["path"], case .string(let md5)? = ota["md5"] else {
                return .missingFields
            }
            return .build(path: path, md5: md5, version: version)
        }
        return .noBuild
    }

    /// `ota.path` as the device joins it to the manifest URL (:140-150): a path containing
    /// "http" anywhere is taken verbatim; one starting with `/` goes after `scheme://host[:port]`
    /// (up to the first `/` from offset 8); anything else replaces what follows the URL's last
    /// `/`. No `..` normalisation. (Shared with `fleet`'s manifest reading.)
    public static func resolve(_ path: String, against source: String?) -> String? {
        if path.contains("http") { return path }
        guard let source else { return nil }
        let characters = Array(source)
        if path.hasPrefix("/") {
            let slash = characters.count > 8 ? characters[8...].firstIndex(of: "/") : nil
            return String(characters[..<(slash ?? characters.count)]) + path
        }
        guard let last = characters.lastIndex(of: "/") else { return nil }
        return String(characters[...last]) + path
    }

    /// The byte offset of a 1-based line and column.
    private static func offset(line: Int, column: Int, in bytes: [UInt8]) -> Int {
        var current = 1
        var index = 0
        while current < line, index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { current += 1 }
            index += 1
        }
        return min(bytes.count, index + column - 1)
    }

    /// Any JSON value, for the few fields the device looks at.
    indirect enum JSONValue: Decodable {
        case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
            else { self = .object(try container.decode([String: JSONValue].self)) }
        }
    }
}
