import FoundationEssentials

/// Turns profile JSON into a `DeviceProfile` of the family it names, and every failure into an error that names the
/// line, because profiles are meant to be copied and edited by hand.
public enum ProfileDecoder {
    public static func decode(_ bytes: [UInt8], path: String) throws(ProfileError) -> DeviceProfile {
        if let problem = JSONSyntaxLocator.firstProblem(in: bytes) {
            throw .malformed(path: path, line: problem.line, message: "not valid JSON at column \(problem.column): \(problem.message)")
        }
        let header = try decodeBody(Header.self, bytes, path: path)
        func fail(_ keys: [String], _ message: String) -> ProfileError {
            .malformed(path: path, line: JSONLineLocator.line(of: keys, in: bytes), message: message)
        }
        guard header.schema == "otaprobe-profile/1" else {
            throw fail(["schema"], "schema must be \"otaprobe-profile/1\", not \"\(header.schema)\"")
        }
        switch DeviceProfile.Family(rawValue: header.family) {
        case .esp8266Arduino:
            let profile = try decodeBody(ESP8266ArduinoProfile.self, bytes, path: path)
            try validate(profile, bytes: bytes, path: path)
            return .esp8266(profile)
        case .esp32Arduino:
            let profile = try decodeBody(ESP32ArduinoProfile.self, bytes, path: path)
            try validate(profile, bytes: bytes, path: path)
            return .esp32Arduino(profile)
        case .espIDF:
            let profile = try decodeBody(ESPIDFProfile.self, bytes, path: path)
            try validateTimes([("timeoutMs", profile.timeouts.timeoutMs)], bytes: bytes, path: path)
            if profile.ota.imageHeaderBytes < 24 || profile.ota.defaultRangeBytes <= 0 {
                throw fail(["ota"], "imageHeaderBytes must be at least 24, defaultRangeBytes positive")
            }
            if let unknown = profile.ota.chips.first(where: { ESP32Chip.named($0) == nil }) {
                throw fail(["ota", "chips"], "unknown chip \"\(unknown)\"")
            }
            return .espIDF(profile)
        case .esphome:
            let profile = try decodeBody(ESPHomeProfile.self, bytes, path: path)
            try validateTimes([("timeoutMs", profile.timeouts.timeoutMs)], bytes: bytes, path: path)
            // ESPHome's esp_http_client implementation and its HTTPClient one (ESP8266 core,
            // arduino-esp32) are modelled; any other would be predicted with the wrong client,
            // so it is refused. The Arduino build writes through the backend of its chip.
            switch profile.platform {
            case "esp-idf" where profile.request != nil && profile.response != nil: break
            case "esp8266" where profile.arduino != nil, "esp32-arduino" where profile.arduino != nil:
                if let arduino = profile.arduino, arduino.emptyBufferGapMs <= 0 || arduino.redirects.limit < 0 {
                    throw fail(["arduino"], "emptyBufferGapMs must be positive, redirects.limit not negative")
                }
                if let unknown = profile.arduino.flatMap({ ($0.request.headerOrder + $0.request.redirectedHeaderOrder).first { !UpdateRequestBuilder.knownHeaderNames.contains($0) } }) {
                    throw fail(["arduino", "request"], "unknown header \"\(unknown)\"")
                }
                let expected: [ESPHomeProfile.ArduinoClient.Backend] = profile.platform == "esp8266" ? [.esp8266Updater, .esp8266Native] : [.espIDF]
                if profile.arduino?.chosenClient == nil {
                    throw fail(["arduino", "clientChoice"], "unknown value (known: \(ESPHomeProfile.ArduinoClient.ClientChoice.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                if !expected.contains(where: { $0 == profile.arduino?.otaBackend }) {
                    throw fail(["arduino", "backend"], "platform \"\(profile.platform)\" writes through \(expected.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")) (known: \(ESPHomeProfile.ArduinoClient.Backend.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            case "esp-idf", "esp8266", "esp32-arduino":
                throw fail(["platform"], "platform \"\(profile.platform)\" needs \(profile.platform == "esp-idf" ? "request and response" : "arduino")")
            default:
                throw fail(["platform"], "platform \"\(profile.platform)\" is not modelled (known: esp-idf, esp8266, esp32-arduino)")
            }
            if let loop = profile.ota.readLoop, !["break-on-zero", "idle-timeout"].contains(loop) {
                throw fail(["ota", "readLoop"], "readLoop \"\(loop)\" is not modelled (known: break-on-zero, idle-timeout)")
            }
            if profile.ota.readBytes <= 0 || profile.ota.md5Size <= 0 || profile.ota.rxBufferBytes <= 0 || profile.redirects.limit < 0 {
                throw fail(["ota"], "readBytes, md5Size and rxBufferBytes must be positive, redirects.limit not negative")
            }
            return .esphome(profile)
        case .tasmota:
            let profile = try decodeBody(TasmotaProfile.self, bytes, path: path)
            switch profile.chip {
            case "esp8266":
                guard let core = profile.core else { throw fail(["core"], "an esp8266 Tasmota profile needs \"core\" (the ESP8266 core's rules)") }
                try validate(core, bytes: bytes, path: path)
            case "esp32":
                guard let core32 = profile.core32 else { throw fail(["core32"], "an esp32 Tasmota profile needs \"core32\" (HTTPClientLight/HTTPUpdateLight rules)") }
                try validate(core32, bytes: bytes, path: path)
            default:
                throw fail(["chip"], "chip \"\(profile.chip)\" is not modelled for Tasmota (known: esp8266, esp32)")
            }
            let retry = profile.retry
            if retry.counterStart < 2 || retry.intervalMs < 0 || retry.urlMaxBytes <= 0 || retry.rewriteBufferBytes <= 0 {
                throw fail(["retry"], "counterStart must be at least 2, intervalMs non-negative, urlMaxBytes and rewriteBufferBytes positive")
            }
            return .tasmota(profile)
        case nil:
            let known = DeviceProfile.Family.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(["family"], "family \"\(header.family)\" is not modelled (known: \(known))")
        }
    }

    /// The two fields read before the rest, to choose the schema.
    private struct Header: Decodable {
        let schema: String
        let family: String
    }

    private static func decodeBody<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], path: String) throws(ProfileError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, in: bytes, path: path)
        } catch {
            throw .malformed(path: path, line: nil, message: "\(error)")
        }
    }

    private static func validateTimes(_ times: [(String, Int)], bytes: [UInt8], path: String) throws(ProfileError) {
        if let bad = times.first(where: { $0.1 <= 0 }) {
            throw .malformed(path: path, line: JSONLineLocator.line(of: ["timeouts", bad.0], in: bytes), message: "\(bad.0) must be a positive number of milliseconds")
        }
    }

    /// An arduino-esp32 schema's values the model understands (also Tasmota's ESP32 `core32`).
    static func validate(_ profile: ESP32ArduinoProfile, bytes: [UInt8], path: String) throws(ProfileError) {
        func fail(_ keys: [String], _ message: String) -> ProfileError {
            .malformed(path: path, line: JSONLineLocator.line(of: keys, in: bytes), message: message)
        }
        try validateTimes([("clientMs", profile.timeouts.clientMs), ("tlsStreamTimeoutMs", profile.timeouts.tlsStreamTimeoutMs),
                           ("blockingConnectCapMs", profile.timeouts.blockingConnectCapMs)], bytes: bytes, path: path)
        for key in ["headerOrder", "redirectedHeaderOrder"] {
            let names = key == "headerOrder" ? profile.request.headerOrder : profile.request.redirectedHeaderOrder
            if let unknown = names.first(where: { !ESP32ArduinoRequestBuilder.knownHeaderNames.contains($0) }) {
                throw fail(["request", key], "unknown header \"\(unknown)\" (known: \(ESP32ArduinoRequestBuilder.knownHeaderNames.sorted().joined(separator: ", ")))")
            }
        }
        if let bad = profile.redirects.modes.first(where: { RedirectMode(rawValue: $0) == nil }) {
            throw fail(["redirects", "modes"], "unknown redirect mode \"\(bad)\"")
        }
    }

    /// Checks what the type system cannot: values the model understands.
    static func validate(_ profile: ESP8266ArduinoProfile, bytes: [UInt8], path: String) throws(ProfileError) {
        func fail(_ keys: [String], _ message: String) -> ProfileError {
            .malformed(path: path, line: JSONLineLocator.line(of: keys, in: bytes), message: message)
        }
        for key in ["headerOrder", "redirectedHeaderOrder"] {
            let names = key == "headerOrder" ? profile.request.headerOrder : profile.request.redirectedHeaderOrder
            if let unknown = names.first(where: { !UpdateRequestBuilder.knownHeaderNames.contains($0) }) {
                throw fail(["request", key], "unknown header \"\(unknown)\" (known: \(UpdateRequestBuilder.knownHeaderNames.sorted().joined(separator: ", ")))")
            }
        }
        guard ["two-reads", "retry-until"].contains(profile.update.stallPolicy) else {
            throw fail(["update", "stallPolicy"], "stallPolicy must be \"two-reads\" or \"retry-until\"")
        }
        guard ["join", "last"].contains(profile.response.repeatedCollectedHeader) else {
            throw fail(["response", "repeatedCollectedHeader"], "repeatedCollectedHeader must be \"join\" or \"last\"")
        }
        let times = [("clientMs", profile.timeouts.clientMs), ("connectMs", profile.timeouts.connectMs),
                     ("dnsMs", profile.timeouts.dnsMs), ("tls.tcpConnectMs", profile.timeouts.tls.tcpConnectMs),
                     ("tls.peekTimeoutMs", profile.timeouts.tls.peekTimeoutMs), ("tls.dnsMs", profile.timeouts.tls.dnsMs)]
        if let bad = times.first(where: { $0.1 <= 0 }) {
            throw fail(["timeouts", bad.0], "\(bad.0) must be a positive number of milliseconds")
        }
        if profile.update.bufferBytes <= 0 || profile.update.stallTimeoutMs < 0 || profile.update.stallRetryDelayMs < 0 {
            throw fail(["update"], "bufferBytes must be positive and stall times non-negative")
        }
        if let bad = profile.update.acceptedMagic.first(where: { !(0...255).contains($0) }) {
            throw fail(["update", "acceptedMagic"], "acceptedMagic holds byte values 0-255, not \(bad)")
        }
        if let bad = profile.redirects.modes.first(where: { RedirectMode(rawValue: $0) == nil }) {
            throw fail(["redirects", "modes"], "unknown redirect mode \"\(bad)\"")
        }
    }

    private static func describe(_ error: DecodingError, in bytes: [UInt8], path: String) -> ProfileError {
        switch error {
        case .dataCorrupted(let context):
            let message = context.debugDescription
            let line = JSONLineLocator.line(in: message) ?? JSONLineLocator.line(of: context.codingPath.map(\.stringValue), in: bytes)
            let reason = context.underlyingError.map { "\($0)" } ?? message
            return .malformed(path: path, line: line, message: context.codingPath.isEmpty ? "not valid JSON: \(reason)" : "\(dotted(context.codingPath)): \(message)")
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue)
            return .malformed(path: path, line: JSONLineLocator.line(of: parent, in: bytes), message: "missing field \"\(dotted(context.codingPath + [key]))\"")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return .malformed(path: path, line: JSONLineLocator.line(of: context.codingPath.map(\.stringValue), in: bytes),
                              message: "\(dotted(context.codingPath)) must be \(Self.typeName(type))")
        @unknown default:
            return .malformed(path: path, line: nil, message: "\(error)")
        }
    }

    private static func dotted(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(".[", with: "[")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch "\(type)" {
        case "Int", "Optional<Int>": return "a whole number"
        case "String": return "a string"
        case "Bool": return "true or false"
        default: return "a \(type)"
        }
    }
}

/// Finds the line of a JSON key path in the raw text: good enough to point at a hand edit.
enum JSONLineLocator {
    /// "… around line 12, column 3." → 12
    static func line(in message: String) -> Int? {
        guard let range = message.firstRange(of: "line ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// The line where the last key of `keys` appears, searching each key after the previous.
    static func line(of keys: [String], in bytes: [UInt8]) -> Int? {
        var position = 0
        var found = false
        for key in keys where Int(key) == nil && !key.hasPrefix("Index ") {
            let needle = Array("\"\(key)\"".utf8)
            guard let at = find(needle, in: bytes, from: position) else { break }
            position = at + needle.count
            found = true
        }
        guard found else { return keys.isEmpty ? 1 : nil }
        return bytes[..<position].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
