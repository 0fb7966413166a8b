/// What a server said when it answered with an error status, in its own words: the status
/// line's reason phrase when it is not the standard one, and the page title or the first line
/// of a short text body. An update script that refuses a device says why there ("ESP MAC not
/// configured for updates", "only for ESP8266 updater!"), and that beats any generic advice.
///
/// Only short pieces are kept (`Limits.serverWordsCharacters`, bodies up to
/// `Limits.quotedBodyBytes`); escaping and redaction happen on the way out, like every string
/// a server supplied.
struct ServerWords: Sendable, Equatable {
    let status: Int
    /// The reason phrase, when the server chose its own (not "Forbidden" for 403).
    let reason: String?
    /// The page title or the first text line, when it adds to the status and reason.
    let message: String?
    /// The words read as an update script refusing this device (see `refusesDevice`).
    let refusesDevice: Bool

    /// nil when the exchange is not a 4xx/5xx or the server said nothing beyond its code.
    init?(_ exchange: Exchange?, delivered body: [UInt8]) {
        guard let exchange, let head = exchange.head, head.sawStatusLine, (400..<600).contains(head.code) else { return nil }
        status = head.code
        let phrase = head.firstLine.flatMap(Self.reasonPhrase)
        let standard = Self.standardPhrases[head.code] ?? []
        reason = phrase.flatMap { standard.contains($0.lowercased()) ? nil : $0 }
        let said = Self.bodyWords(exchange, delivered: body).flatMap { words -> String? in
            let plain = Self.normalized(words)
            let known = [phrase, phrase.map { "\(head.code) \($0)" }].compactMap { $0 }.map(Self.normalized)
                + standard.flatMap { [Self.normalized($0), Self.normalized("\(head.code) \($0)")] }
                + Self.genericTitles.map(Self.normalized)
            return plain.isEmpty || known.contains(plain) ? nil : words
        }
        message = said
        guard reason != nil || message != nil else { return nil }
        refusesDevice = Self.readsAsRefusal([reason, message].compactMap { $0 }.joined(separator: " "))
    }

    /// `"ESP MAC not configured for updates"` or `"Forbidden"` — `"only for ESP8266 updater!"`.
    var quoted: String {
        [reason, message].compactMap { $0.map { "\"\($0)\"" } }.joined(separator: " — ")
    }

    /// The sentence for Why.
    var sentence: String {
        refusesDevice
            ? "The update script refused this device: \(quoted) (\(status))."
            : "The server's own words: \(quoted) (\(status))."
    }

    /// Whether `text` mentions the device or the updater and does not read as a crash.
    /// Conservative on purpose: a generic 403 page or a stack trace must not be taken for an
    /// update script's decision. A device word alone (ESP8266, ESP32, MAC, updater) counts; a
    /// vaguer one (device, firmware, version, chip, sketch) only with a refusal phrase.
    static func readsAsRefusal(_ text: String) -> Bool {
        let lower = text.lowercased()
        if crashMarkers.contains(where: lower.contains) { return false }
        let words = Set(lower.split { !($0.isLetter || $0.isNumber) }.map(String.init))
        if !words.isDisjoint(with: deviceWords) { return true }
        return !words.isDisjoint(with: vagueDeviceWords) && refusalPhrases.contains(where: lower.contains)
    }

    /// Whether the words name something the script compares: the MAC or the version.
    var mentionsMAC: Bool { words.contains("mac") }
    var mentionsVersion: Bool { words.contains("version") }
    /// The family the words name ("ESP8266", "ESP32"), if one.
    var namedFamily: String? {
        if words.contains("esp8266") { return "ESP8266" }
        if words.contains("esp32") { return "ESP32" }
        return nil
    }

    private var words: Set<String> {
        Set([reason, message].compactMap { $0 }.joined(separator: " ").lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init))
    }

    private static let deviceWords: Set<String> = ["esp8266", "esp32", "esp", "mac", "updater", "updaters"]
    private static let vagueDeviceWords: Set<String> = ["device", "devices", "firmware", "version", "chip", "sketch"]
    private static let refusalPhrases = ["not configured", "not registered", "unknown", "only for", "not allowed", "no version",
                                         "not supported", "unsupported", "invalid", "missing", "denied", "refused", "not permitted",
                                         "not authori", "unauthori", "no update", "not found", "no firmware", "wrong", "required"]
    /// Words of an interpreter's error report, not of a script's decision.
    private static let crashMarkers = ["traceback", "exception", "fatal error", "parse error", "warning:", "notice:", "stack trace",
                                       "uncaught", " on line ", "debugger", "keyerror", "undefined index", "undefined array key"]
    private static let genericTitles = ["error", "error response", "server error", "untitled"]

    /// The reason phrase of a status line: what follows the code, trimmed, bounded.
    static func reasonPhrase(_ line: String) -> String? {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        return clean(String(parts[2]))
    }

    /// A page title or the first text line of a short body.
    private static func bodyWords(_ exchange: Exchange, delivered body: [UInt8]) -> String? {
        let whole = max(exchange.body.bytesReceived, exchange.head?.size ?? 0)
        guard !body.isEmpty, whole <= Limits.quotedBodyBytes else { return nil }
        switch BodyKind.recognize(body) {
        case .html(let title): return title.flatMap(clean)
        case .text(let line): return clean(line)
        case .json: return clean(String(decoding: body.prefix(Limits.serverWordsCharacters * 2), as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
        case .storageError(let code, let message): return clean(code + (message.map { ": \($0)" } ?? ""))
        default: return nil
        }
    }

    /// Control characters out, spaces collapsed, bounded; nil when nothing is left.
    static func clean(_ text: String) -> String? {
        let collapsed = text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : String($0) }.joined()
            .split(separator: " ").joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed.clipped(to: Limits.serverWordsCharacters)
    }

    private static func normalized(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }.map(Character.init))
    }

    /// RFC 9110 §15 reason phrases (and the older RFC 2616 spellings still sent).
    static let standardPhrases: [Int: Set<String>] = [
        400: ["bad request"], 401: ["unauthorized"], 402: ["payment required"], 403: ["forbidden"], 404: ["not found"],
        405: ["method not allowed"], 406: ["not acceptable"], 407: ["proxy authentication required"], 408: ["request timeout", "request time-out"],
        409: ["conflict"], 410: ["gone"], 411: ["length required"], 412: ["precondition failed"],
        413: ["content too large", "payload too large", "request entity too large"], 414: ["uri too long", "request-uri too long", "request-uri too large"],
        415: ["unsupported media type"], 416: ["range not satisfiable", "requested range not satisfiable"], 417: ["expectation failed"],
        418: ["i'm a teapot"], 421: ["misdirected request"], 422: ["unprocessable content", "unprocessable entity"], 425: ["too early"],
        426: ["upgrade required"], 428: ["precondition required"], 429: ["too many requests"], 431: ["request header fields too large"],
        451: ["unavailable for legal reasons"], 500: ["internal server error"], 501: ["not implemented"], 502: ["bad gateway", "proxy error"],
        503: ["service unavailable", "service temporarily unavailable"], 504: ["gateway timeout", "gateway time-out"],
        505: ["http version not supported"], 507: ["insufficient storage"], 508: ["loop detected"], 511: ["network authentication required"],
    ]
}
