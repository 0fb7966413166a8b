/// Why a profile could not be used, phrased for a one-line CLI error.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknown(name: String, available: [String])
    case unreadable(path: String, reason: String)
    /// Not valid JSON, or not the profile schema: `line` is the line at fault when known.
    case malformed(path: String, line: Int?, message: String)
    /// `--family` named no family the probe models.
    case unknownFamily(name: String, available: [String])
    /// `--family` named a family the profiles directory holds no profile of.
    case emptyFamily(name: String, directory: String)

    public var description: String {
        switch self {
        case .unknown(let name, let available):
            return "unknown profile '\(name)'; available: \(available.joined(separator: ", "))"
        case .unreadable(let path, let reason):
            return "cannot read profile \(path): \(reason)"
        case .malformed(let path, let line, let message):
            return "invalid profile \(path)\(line.map { ":\($0)" } ?? ""): \(message)"
        case .unknownFamily(let name, let available):
            return "unknown family '\(name)'; available: \(available.joined(separator: ", "))"
        case .emptyFamily(let name, let directory):
            return "no \(name) profile in \(directory)"
        }
    }
}
