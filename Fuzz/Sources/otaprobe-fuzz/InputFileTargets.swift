@testable import OTAProbe
@testable import OTAProbeCore

/// `FleetFile.parse` (a fleet file or ESPHome manifest, fetched from a URL a user names or read
/// from disk): libyaml through `YAMLDocument` (nesting and alias-expansion bounds), the strict
/// checks reader, the manifest reader and ESPHome's path resolution, then the entries' invariants.
///
/// Input: `[1 byte: manifest base URL or none]` YAML or JSON text.
enum FleetTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        guard let first = buffer.first else { return }
        let text = String(decoding: buffer.dropFirst(), as: UTF8.self)
        let source: String? = first & 1 == 0 ? nil : "http://fw.example.lan/m/manifest.json?dir=/x"
        guard let plan = try? FleetFile.parse(text, name: "fuzz.yaml", sourceURL: source, profileFor: .defaults) else { return }
        var names: Set<String> = []
        for entry in plan.entries {
            if entry.publishedMD5 == nil, !names.insert(entry.name).inserted { finding("two checks named \(entry.name)") }
            if URLSyntax.problem(entry.url) != nil { finding("an entry with a refused URL: \(entry.url)") }
            if entry.expect.outcomes.isEmpty { finding("an entry that can meet no outcome") }
            _ = entry.runKey
        }
    }
}

/// `DeviceRecognizer.recognize` (what `otaprobe serve` does with every request a client on the
/// network sends): head splitting, matching against every profile's learnt request shape, and
/// the identity read back; a request recognised as some profile must name that profile's stack.
///
/// Input: the request bytes as they arrive.
enum RequestTarget {
    static let recognizer = DeviceRecognizer(profiles: Catalog.all)

    static func run(_ buffer: UnsafeRawBufferPointer) {
        let recognition = recognizer.recognize(Array(buffer))
        _ = String(describing: recognition)
    }
}
