import Foundation

/// The EmbedProfiles plugin's tool: `ProfileEmbedder PROFILES-DIR OUTPUT.swift` writes one Swift
/// source holding the bytes of every `*.json` in the directory, unchanged, with the name and
/// aliases read from each so the catalogue can find `--profile esp32` without decoding every
/// profile first. It lists the directory itself: the plugin's list can be older than the files.
///
/// A shipped profile that is not valid UTF-8 JSON with a `name` fails the build here, naming the
/// file: the executable must never carry a profile it cannot read. The schema itself is checked
/// where it is defined (ProfileDecoder) and by the tests that load every shipped profile.
@main
struct ProfileEmbedder {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: ProfileEmbedder PROFILES-DIR OUTPUT.swift\n".utf8))
            exit(64)
        }
        let (directory, output) = (arguments[0], arguments[1])
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
            guard !names.isEmpty else { throw Failure(description: "\(directory): no *.json profiles") }
            var entries: [String] = []
            for name in names { entries.append(try entry(for: directory + "/" + name)) }
            let source = """
                // Generated at build time by the EmbedProfiles plugin (Plugins/ProfileEmbedder) from
                // profiles/*.json. Edit those files, not this one; the next build regenerates it.

                extension BuiltInProfiles {
                    static let files: [File] = [
                \(entries.joined(separator: "\n"))
                    ]
                }

                """
            // Written only when it changes, so an unrelated rebuild does not recompile the target.
            if (try? String(contentsOfFile: output, encoding: .utf8)) != source {
                try source.write(toFile: output, atomically: true, encoding: .utf8)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    /// One `File(...)` initialiser for the profile at `path`.
    static func entry(for path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot read it") }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(description: "\(path): not UTF-8") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Failure(description: "\(path): not valid JSON (\(error.localizedDescription))")
        }
        guard let fields = object as? [String: Any], let name = fields["name"] as? String else {
            throw Failure(description: "\(path): no \"name\" string at the top level")
        }
        let aliases = (fields["aliases"] as? [Any] ?? []).compactMap { $0 as? String }
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        return """
                    File(
                        fileName: \(literal(fileName)),
                        name: \(literal(name)),
                        aliases: [\(aliases.map(literal).joined(separator: ", "))],
                        json: \(literal(text))
                    ),
            """
    }

    /// A Swift string literal whose UTF-8 is exactly `text`'s: quotes, backslashes and control
    /// characters escaped, everything else as it is (so the bytes survive unchanged, CR and all).
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// `Fuzz/run` builds with `-Xswiftc -sanitize=fuzzer,address`, and SwiftPM hands `-Xswiftc` to
/// host tools too, so this tool is then linked against libFuzzer, which needs this symbol.
/// It is never called: the tool's own `main` above still runs.
@_cdecl("LLVMFuzzerTestOneInput")
func unusedFuzzerEntry(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { 0 }
