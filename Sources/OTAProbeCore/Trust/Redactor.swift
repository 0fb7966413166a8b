import FoundationEssentials

/// Masks secrets in everything otaprobe prints, because reports are pasted into forums and
/// issue trackers. Every output path — the human report, `--verbose` byte dumps (both columns),
/// JSON, matrix, inspect, usage errors — goes through one of these; `--show-secrets` turns it off.
///
/// The rule, as the README states it:
/// - URL userinfo: `user:password@` keeps the user and masks the password, with or without a
///   scheme in front;
/// - header values: `Authorization` and `Proxy-Authorization` (the scheme stays: `Basic ***`),
///   `Cookie` (every value) and `Set-Cookie` (the cookie's value);
/// - query parameters whose name looks like a credential (`token`, `key`, `sig`, `password`, …,
///   names ending in token/secret/password/signature, and pre-signed `X-Amz-*` / `X-Goog-*`);
/// - token-like path segments: 20 or more characters of `[A-Za-z0-9_-]` mixing letters and digits
///   (Blynk-style `/<token>/update`, signed paths; a 40-digit commit hash is masked too);
/// - and every secret taken from the user's input by those rules (plus its percent-decoded form
///   and the Base64 of `user:password` a Basic header carries) wherever it appears again: echoed by
///   a server, inside a `Location`, in a body. Secrets shorter than 4 characters are masked only
///   where the rules above find them, since masking every "ab" would garble the report.
public struct Redactor: Sendable {
    public let enabled: Bool
    /// Secrets from the inputs, longest first, masked wherever they appear.
    public let knownSecrets: [String]
    public static let mask = "***"
    public static let shortestKnownSecret = 4
    /// Token-like path segments: at least this many characters.
    public static let tokenSegmentLength = 20

    public init(enabled: Bool = true, secrets: [String] = []) {
        self.enabled = enabled
        let usable = Set(secrets.filter { $0.unicodeScalars.count >= Self.shortestKnownSecret })
        knownSecrets = usable.sorted { $0.unicodeScalars.count != $1.unicodeScalars.count ? $0.unicodeScalars.count > $1.unicodeScalars.count : $0 < $1 }
    }

    /// A redactor that knows the secrets in the URLs (with or without a scheme) and the
    /// credentials (`user:password` or Basic's Base64) the user gave.
    public init(enabled: Bool = true, urls: [String], credentials: [String] = []) {
        self.init(enabled: enabled, secrets: urls.flatMap(Self.secrets(inURL:)) + credentials.flatMap(Self.secrets(inCredential:)))
    }

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

    // MARK: Redacting

    public func redact(_ text: String) -> String {
        guard enabled, !text.isEmpty else { return text }
        var scalars = Array(text.unicodeScalars)
        apply(to: &scalars, secrets: knownSecrets.map { Array($0.unicodeScalars) })
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Raw protocol bytes (a request, a response head, a body prefix), for byte dumps: the same
    /// rules over the bytes read one byte per character, so the hex and the text columns of a
    /// dump both show the mask.
    public func redact(bytes: [UInt8]) -> [UInt8] {
        guard enabled, !bytes.isEmpty else { return bytes }
        var scalars = bytes.map { Unicode.Scalar($0) }
        apply(to: &scalars, secrets: knownSecrets.map { $0.utf8.map { Unicode.Scalar($0) } })
        return scalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    /// A header's value, judged by its name (JSON keeps headers as name/value pairs).
    public func redactHeader(name: String, value: String) -> String {
        guard enabled else { return value }
        return redact(name + ": " + value).dropFirst(name.count + 2).description
    }

    private func apply(to text: inout [Unicode.Scalar], secrets: [[Unicode.Scalar]]) {
        for secret in secrets { Self.replaceAll(secret, in: &text) }
        text = Self.maskHeaderValues(Self.maskUserInfo(text))
        text = Self.maskQueries(text)
        text = Self.maskTokenSegments(text)
    }

    private static let maskScalars = Array(mask.unicodeScalars)

    private static func replaceAll(_ secret: [Unicode.Scalar], in text: inout [Unicode.Scalar]) {
        guard let first = secret.first, text.count >= secret.count else { return }
        var output: [Unicode.Scalar] = []
        var index = 0
        var changed = false
        output.reserveCapacity(text.count)
        while index < text.count {
            if text[index] == first, index + secret.count <= text.count, text[index..<index + secret.count].elementsEqual(secret) {
                output += maskScalars
                index += secret.count
                changed = true
            } else {
                output.append(text[index])
                index += 1
            }
        }
        if changed { text = output }
    }

    /// Where a word (and so a userinfo) ends. A switch, not a `Set`: the redactor visits every
    /// character of every report, and hashing each one was a tenth of a fleet's CPU.
    private static func isTokenEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\"", "'", "\n", "\r", "\t", "<", ">", "(", ")", "`", ",": return true
        default: return false
        }
    }

    /// `user:password@host` → `user:***@host`, after `://` or at the start of a word.
    private static func maskUserInfo(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var index = 0
        var atWordStart = true
        while index < text.count {
            let scalar = text[index]
            let afterScheme = index >= 3 && text[index - 3] == ":" && text[index - 2] == "/" && text[index - 1] == "/"
            if atWordStart || afterScheme, let masked = userInfoEnd(text, from: index) {
                output += text[index...masked.colon]
                output += maskScalars
                index = masked.at
                atWordStart = false
                continue
            }
            output.append(scalar)
            atWordStart = isTokenEnd(scalar) || scalar == "=" || scalar == ":"
            index += 1
        }
        return output
    }

    /// Where `user:password@` ends, if an authority starting at `start` has one.
    private static func userInfoEnd(_ text: [Unicode.Scalar], from start: Int) -> (colon: Int, at: Int)? {
        var colon: Int?
        var index = start
        var lastAt: Int?
        while index < text.count {
            let scalar = text[index]
            if isTokenEnd(scalar) || scalar == "/" || scalar == "?" || scalar == "#" { break }
            if scalar == ":", colon == nil { colon = index }
            if scalar == "@" { lastAt = index }
            index += 1
        }
        guard let colon, let lastAt, colon > start, lastAt > colon + 1 else { return nil }
        return (colon, lastAt)
    }

    /// `Authorization: Basic abc` → `Authorization: Basic ***`; `Cookie` and `Set-Cookie` values
    /// likewise. Lines split on "\n" only (to Swift "\r\n" is one Character).
    private static func maskHeaderValues(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var lineStart = 0
        while lineStart <= text.count {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.count
            output += maskHeaderLine(text[lineStart..<lineEnd])
            if lineEnd < text.count { output.append("\n") }
            lineStart = lineEnd + 1
        }
        return output
    }

    private static let maskedHeaders: [(name: [Unicode.Scalar], keepsScheme: Bool, cookie: Bool)] = [
        (Array("proxy-authorization:".unicodeScalars), true, false),
        (Array("authorization:".unicodeScalars), true, false),
        (Array("set-cookie:".unicodeScalars), false, true),
        (Array("cookie:".unicodeScalars), false, true),
    ]

    /// A scalar's lower case when that is one scalar (so "\u{212A}" Kelvin becomes "k"), itself
    /// otherwise; only used to find the ASCII header names. ASCII is mapped directly, and
    /// U+0080–U+00FF (what `redact(bytes:)` makes of high bytes, e.g. an image's prefix) kept as
    /// is — no scalar of that range lowercases to ASCII — because Unicode's case tables build a
    /// String per scalar, which was most of the cost of redacting a report.
    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            return ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
        if scalar.value < 0x100 { return scalar }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first! : scalar
    }

    private static func maskHeaderLine(_ line: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        // Every name ends in ":", so a line without one (most of a binary dump) has none.
        guard line.contains(":") else { return Array(line) }
        for header in maskedHeaders {
            guard let nameEnd = endOfFirstCaseInsensitiveMatch(of: header.name, in: line) else { continue }
            // "cookie:" inside "set-cookie:" is handled by the longer name first.
            let valueStart = nameEnd
            var output = Array(line[..<valueStart])
            var value = line[valueStart...].drop { $0 == " " || $0 == "\t" }
            output += line[valueStart..<value.startIndex]
            let carriageReturn = value.last == "\r"
            if carriageReturn { value = value.dropLast() }
            if header.keepsScheme {
                let scheme = value.prefix { $0 != " " }
                if scheme.count < value.count { output += scheme; output.append(" ") }
                if !value.isEmpty { output += maskScalars }
            } else if header.cookie {
                output += maskCookieValues(value)
            }
            if carriageReturn { output.append("\r") }
            return output
        }
        return Array(line)
    }

    /// `a=1; b=2` → `a=***; b=***` (attributes of a Set-Cookie are masked too: harmless).
    private static func maskCookieValues(_ value: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        var masking = false
        for scalar in value {
            if masking {
                if scalar == ";" { masking = false; output.append(scalar) }
                continue
            }
            output.append(scalar)
            if scalar == "=" { output += maskScalars; masking = true }
        }
        return output
    }

    /// Where the first occurrence of a lower-case ASCII `needle` ends in `line`, comparing each
    /// scalar's `lowercased` form (no lowered copy of the line is made).
    private static func endOfFirstCaseInsensitiveMatch(of needle: [Unicode.Scalar], in line: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = needle.first, line.count >= needle.count else { return nil }
        var start = line.startIndex
        let lastStart = line.endIndex - needle.count
        while start <= lastStart {
            if lowercased(line[start]) == first {
                var offset = 1
                while offset < needle.count, lowercased(line[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return start + needle.count }
            }
            start += 1
        }
        return nil
    }

    private static func firstRange(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Range<Int>? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
        }
        return nil
    }

    private static func isQueryEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "#", " ", "\"", "\n", "\r", "'", ">", "<", ")", "\t", "`": return true
        default: return false
        }
    }

    /// `?token=abc&x=1` → `?token=***&x=1`, wherever a query appears in the text.
    private static func maskQueries(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var name = ""
        var inQuery = false
        var masking = false
        for scalar in text {
            if masking {
                guard isQueryEnd(scalar) else { continue }
                masking = false
            }
            if scalar == "?" { inQuery = true; name = ""; result.append(scalar); continue }
            if inQuery {
                if scalar == "=" {
                    result.append(scalar)
                    if isSensitive(name) { result += maskScalars; masking = true }
                    name = ""
                    continue
                }
                if scalar == "&" { name = "" }
                else if isQueryEnd(scalar) { inQuery = false; name = "" }
                else if name.unicodeScalars.count < 64 { name.unicodeScalars.append(scalar) }
            }
            result.append(scalar)
        }
        return result
    }

    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    /// Whether a path segment is token-like: long, of token characters, letters and digits mixed.
    public static func isTokenLike<S: Collection<Unicode.Scalar>>(_ segment: S) -> Bool {
        guard segment.count >= tokenSegmentLength, segment.allSatisfy(isTokenCharacter) else { return false }
        return segment.contains { ("0"..."9").contains($0) } && segment.contains { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
    }

    private static func isSegmentEnd(_ scalar: Unicode.Scalar) -> Bool {
        isTokenEnd(scalar) || scalar == "/" || scalar == "?" || scalar == "#" || scalar == ";"
    }

    /// `/AbCd…0123/update` → `/***/update`.
    private static func maskTokenSegments(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let scalar = text[index]
            output.append(scalar)
            index += 1
            guard scalar == "/" else { continue }
            var end = index
            while end < text.count, isTokenCharacter(text[end]) { end += 1 }
            if end - index >= tokenSegmentLength, end == text.count || isSegmentEnd(text[end]), isTokenLike(text[index..<end]) {
                output += maskScalars
                index = end
            }
        }
        return output
    }

    // MARK: Finding the secrets in the inputs

    /// A URL's secrets: its password, its credential query values, its token-like segments.
    public static func secrets(inURL input: String) -> [String] {
        var found: [String] = []
        let scalars = Array(input.unicodeScalars)
        var authorityStart = 0
        if let scheme = firstRange(of: Array("://".unicodeScalars), in: scalars) { authorityStart = scheme.upperBound }
        if let userInfo = userInfoEnd(scalars, from: authorityStart) {
            found += credentialSecrets(String(String.UnicodeScalarView(scalars[authorityStart..<userInfo.at])))
        }
        if let query = input.firstIndex(of: "?") {
            let fragmentStart = input[query...].firstIndex(of: "#") ?? input.endIndex
            for pair in input[input.index(after: query)..<fragmentStart].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, isSensitive(String(parts[0])), !parts[1].isEmpty {
                    found.append(String(parts[1]))
                    if let decoded = percentDecoded(String(parts[1])) { found.append(decoded) }
                }
            }
        }
        let pathPart = input.prefix { $0 != "?" && $0 != "#" }
        for segment in pathPart.split(separator: "/") where isTokenLike(segment.unicodeScalars) {
            found.append(String(segment))
        }
        return found
    }

    /// A credential's secrets: `user:password` (its password and Basic Base64), or a Base64
    /// value as `setAuthorization(base64)` takes it (itself and the password inside).
    public static func secrets(inCredential input: String) -> [String] {
        if input.contains(":") { return credentialSecrets(input) }
        var found = [input]
        if let decoded = Data(base64Encoded: input), let text = String(validating: Array(decoded), as: UTF8.self), text.contains(":") {
            found += credentialSecrets(text)
        }
        return found
    }

    /// `user:password` → the password, its percent-decoded form, and `Basic`'s Base64 of both.
    private static func credentialSecrets(_ credential: String) -> [String] {
        guard let colon = credential.firstIndex(of: ":") else { return [] }
        let password = String(credential[credential.index(after: colon)...])
        guard !password.isEmpty else { return [] }
        var found = [password, Data(credential.utf8).base64EncodedString()]
        if let decoded = percentDecoded(password), decoded != password {
            found.append(decoded)
            let user = percentDecoded(String(credential[..<colon])) ?? String(credential[..<colon])
            found.append(Data((user + ":" + decoded).utf8).base64EncodedString())
        }
        return found
    }

    private static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
