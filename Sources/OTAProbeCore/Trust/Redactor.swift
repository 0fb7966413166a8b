/// Masks credentials in anything the probe prints, because users paste reports into forums:
/// URL passwords, `Authorization` values, and query parameters that look like secrets
/// (tokens, signatures, keys, pre-signed `X-Amz-*` / `X-Goog-*` parameters).
public struct Redactor: Sendable {
    public let enabled: Bool
    public static let mask = "***"

    public init(enabled: Bool = true) { self.enabled = enabled }

    static let sensitiveNames: Set<String> = [
        "token", "access_token", "accesstoken", "auth", "auth_token", "authorization", "key", "apikey", "api_key",
        "api-key", "secret", "client_secret", "password", "passwd", "pass", "pwd", "signature", "sig", "sign",
        "credential", "credentials", "session", "sessionid", "jwt", "code", "awsaccesskeyid", "policy", "key-pair-id",
    ]

    static func isSensitive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return sensitiveNames.contains(lower) || lower.hasPrefix("x-amz-") || lower.hasPrefix("x-goog-")
            || lower.hasSuffix("token") || lower.hasSuffix("secret") || lower.hasSuffix("password") || lower.hasSuffix("signature")
    }

    public func redact(_ text: String) -> String {
        guard enabled else { return text }
        return redactQueries(redactAuthorization(redactUserInfo(text)))
    }

    /// `scheme://user:password@host` → `scheme://user:***@host`.
    private func redactUserInfo(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let marker = rest.firstRange(of: "://") {
            result += rest[..<marker.upperBound]
            rest = rest[marker.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != " " && $0 != "\"" && $0 != "\n" && $0 != "\r" && $0 != "?" }
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    result += userInfo[...colon] + Self.mask
                } else {
                    result += userInfo
                }
                rest = rest[at...]
            }
        }
        return result + rest
    }

    /// `Authorization: Basic abc` → `Authorization: Basic ***` (any scheme, any case).
    /// Works on scalars: to Swift "\r\n" is one Character, so lines are split on "\n" scalars.
    private func redactAuthorization(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for (number, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if number > 0 { output.append("\n") }
            let lower = String(String.UnicodeScalarView(line)).lowercased()
            guard let range = lower.firstRange(of: "authorization:") else { output.append(contentsOf: line); continue }
            let nameEnd = lower.unicodeScalars.distance(from: lower.unicodeScalars.startIndex, to: range.upperBound.samePosition(in: lower.unicodeScalars)!)
            let value = line.dropFirst(nameEnd).drop { $0 == " " }
            let scheme = value.prefix { $0 != " " && $0 != "\r" }
            output.append(contentsOf: line.prefix(nameEnd))
            output.append(" ")
            if value.count > scheme.count, value[value.index(value.startIndex, offsetBy: scheme.count)] == " " {
                output.append(contentsOf: scheme)
                output.append(" ")
            }
            output.append(contentsOf: Self.mask.unicodeScalars)
            if line.last == "\r" { output.append("\r") }
        }
        return String(output)
    }

    /// `?token=abc&x=1` → `?token=***&x=1`, wherever a query appears in the text.
    private func redactQueries(_ text: String) -> String {
        let terminators: Set<Unicode.Scalar> = ["&", "#", " ", "\"", "\n", "\r", "'", ">", "<", ")"]
        var result = String.UnicodeScalarView()
        var name = ""
        var inQuery = false
        var masking = false
        for scalar in text.unicodeScalars {
            if masking {
                guard terminators.contains(scalar) else { continue }
                masking = false
            }
            if scalar == "?" { inQuery = true; name = ""; result.append(scalar); continue }
            if inQuery {
                if scalar == "=" {
                    result.append(scalar)
                    if Self.isSensitive(name) { result.append(contentsOf: Self.mask.unicodeScalars); masking = true }
                    name = ""
                    continue
                }
                if scalar == "&" { name = "" }
                else if terminators.contains(scalar) { inQuery = false; name = "" }
                else { name.unicodeScalars.append(scalar) }
            }
            result.append(scalar)
        }
        return String(result)
    }
}
