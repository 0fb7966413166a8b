/// The words a report prints for the enum cases that reach a person. A case name such as
/// `unsupportedByCore` is for code and for JSON (where it stays, as the schema promises); in a
/// sentence or a table cell it reads like a bug, so the human, Markdown and matrix output say
/// what it means instead.
extension RedirectRefusal {
    public var words: String {
        switch self {
        case .disabled: return "redirects not enabled in the sketch"
        case .unsupportedByCore: return "this core cannot follow redirects"
        case .codeNotFollowed: return "this status is not one the client follows"
        case .missingLocation: return "no Location header"
        case .schemeChange: return "the redirect changes the scheme"
        case .relativeWithoutSlash: return "relative Location without a leading /"
        case .limitReached: return "redirect limit reached"
        case .invalidPort: return "the Location's port is invalid"
        }
    }
}

extension ConnectionFailure.Kind {
    public var words: String {
        switch self {
        case .nameResolution: return "host name not resolved"
        case .refused: return "connection refused"
        case .timedOut: return "timed out"
        case .tlsHandshake: return "TLS handshake failed"
        case .other: return "connection error"
        }
    }
}

extension Exchange.Ending {
    public var words: String {
        switch self {
        case .open: return "left open"
        case .closedByServer: return "closed by the server"
        case .resetByServer: return "reset by the server"
        case .closedByDevice: return "closed by the device"
        case .neverConnected: return "never connected"
        }
    }
}
