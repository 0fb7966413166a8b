@testable import OTAProbeCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a fuzz input front to back: a few leading bytes steer the harness, the rest is data.
struct FuzzInput {
    let bytes: [UInt8]
    var position = 0

    init(_ buffer: UnsafeRawBufferPointer) { bytes = Array(buffer) }

    /// The next control byte, 0 once the input is used up.
    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    var rest: ArraySlice<UInt8> { bytes[min(position, bytes.count)...] }
}

/// The shipped profiles, read once from the repository's `profiles/` (or `$OTAPROBE_PROFILES`).
enum Catalog {
    static let directory: String = {
        if let explicit = getenv("OTAPROBE_PROFILES") { return String(cString: explicit) }
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/profiles"
    }()

    static let all: [DeviceProfile] = {
        do {
            return try ProfileCatalog(directory: directory).profiles.sorted { $0.name < $1.name }
        } catch {
            printError("otaprobe-fuzz: cannot load the profiles in \(directory): \(error)")
            exit(2)
        }
    }()

    /// Every Arduino profile's response rules (both cores share HTTPClient's head parser).
    static let arduinoRules: [(name: String, rules: ESP8266ArduinoProfile.ResponseRules)] = all.compactMap {
        switch $0 {
        case .esp8266(let p): return (p.name, p.response)
        case .esp32Arduino(let p): return (p.name, p.response)
        case .tasmota(let p): return p.core.map { (p.name, $0.response) } ?? p.core32.map { (p.name, $0.response) }
        case .espIDF, .esphome: return nil
        }
    }

    static let esp8266: [ESP8266ArduinoProfile] = all.compactMap { if case .esp8266(let p) = $0 { return p } else { return nil } }
    static let esp32: [ESP32ArduinoProfile] = all.compactMap { if case .esp32Arduino(let p) = $0 { return p } else { return nil } }
    static let idf: [ESPIDFProfile] = all.compactMap { if case .espIDF(let p) = $0 { return p } else { return nil } }
    static let esphome: [ESPHomeProfile] = all.compactMap { if case .esphome(let p) = $0 { return p } else { return nil } }
    static let tasmota: [TasmotaProfile] = all.compactMap { if case .tasmota(let p) = $0 { return p } else { return nil } }

    /// Touches the per-family copies so the profiles' buffers stay reachable through plain
    /// pointers: inside `DeviceProfile` some are stored with the enum's tag in their spare
    /// bits, which LeakSanitizer cannot follow (it then reports the catalogue as leaked).
    static func load() {
        _ = (esp8266.count, esp32.count, idf.count, esphome.count, tasmota.count, arduinoRules.count, tls.count)
    }

    static let tls: [TLSCapabilities] = all.compactMap(\.tlsCapabilities)
}

/// Splits `data` into chunks: `size` 0 keeps it whole, otherwise `size` bytes each.
func chunks(_ data: ArraySlice<UInt8>, size: Int) -> [ArraySlice<UInt8>] {
    guard size > 0, data.count > size else { return data.isEmpty ? [] : [data] }
    return stride(from: data.startIndex, to: data.endIndex, by: size).map { data[$0..<min($0 + size, data.endIndex)] }
}

/// Splits at every occurrence of `marker` (the boundary between connections).
func split(_ data: ArraySlice<UInt8>, on marker: [UInt8]) -> [ArraySlice<UInt8>] {
    var parts: [ArraySlice<UInt8>] = []
    var start = data.startIndex
    var index = data.startIndex
    while index + marker.count <= data.endIndex {
        if data[index..<(index + marker.count)].elementsEqual(marker) {
            parts.append(data[start..<index])
            index += marker.count
            start = index
        } else {
            index += 1
        }
    }
    parts.append(data[start...])
    return parts
}

/// A timed stream for a reader: chunks at `gap` ms intervals after `start`, then a close or silence.
struct TimedStream {
    var chunks: [ArraySlice<UInt8>]
    var start: Int
    var gap: Int
    var closes: Bool

    /// The time chunk `index` arrives.
    func time(of index: Int) -> Int { start + 1 + index * gap }
    var closeTime: Int { time(of: chunks.count) }
}
