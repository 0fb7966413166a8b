import FoundationEssentials

/// Credentials set in the sketch with `ESPhttpUpdate.setAuthorization(...)` (3.0.2+). They are
/// applied after `begin()` parsed the URL, so they win over `user:pass@` in the URL; the
/// pre-encoded form is applied last and wins over both (3.1.2:UPD:189-197;
/// 3.1.2:HC:274-282). Either form is ignored when empty, as in the source.
public enum SketchAuthorization: Sendable, Equatable {
    /// `setAuthorization(user, password)`: used only when both are non-empty.
    case userPassword(user: String, password: String)
    /// `setAuthorization(base64)`: sent after `Basic ` without its LFs (CRs stay).
    case encoded(String)

    /// The value HTTPClient keeps in `_base64Authorization`, given what the URL set.
    func apply(to fromURL: String?) -> String? {
        switch self {
        case .userPassword(let user, let password):
            guard !user.isEmpty, !password.isEmpty else { return fromURL }
            return Data("\(user):\(password)".utf8).base64EncodedString()
        case .encoded(let value):
            // httpUpdate checks for empty before HTTPClient drops every '\n' (3.1.2:UPD:194-196,
            // 3.1.2:HC:299-303, 3.0.2:HC:282-288; arduino-esp32 drops them in sendHeader(),
            // A2.x(79928f9a) HTTPClient.cpp); a value of only LFs leaves no Authorization at all.
            guard !value.isEmpty else { return fromURL }
            let kept = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\n" }))
            return kept.isEmpty ? nil : kept
        }
    }
}
