import Glibc
@testable import OTAProbeCore

/// Runs the real esptool (`python3 -m esptool`) on crafted images so our parser is checked against
/// the reference implementation, not against our own reading of it.
///
/// Every run is bounded (30 s); an overrunning esptool is killed by its pid. Output goes to a file
/// in a private temp dir, so no pipe can fill up and block the child.
enum Esptool {
    struct Run {
        let status: Int32?
        let output: String
        let timedOut: Bool
    }

    static let isCI = getenv("CI").map { String(cString: $0) == "true" } ?? false

    /// "5.6.0", or nil when esptool is not importable.
    static let version: String? = {
        let run = Esptool.run(["version"])
        guard run.status == 0 else { return nil }
        return run.output.split(whereSeparator: { $0 == "\n" }).last.map { String($0).trimmingSpaces() }
    }()

    static var major: Int { version.flatMap { $0.split(separator: ".").first }.flatMap { Int($0) } ?? 0 }

    /// `image-info` for v5 (`esptool --chip X image-info FILE`), `image_info --version 2` for v4.
    static func imageInfo(chip: String, bytes: [UInt8]) throws -> (Run, EsptoolImageInfo) {
        let directory = try TempDirectory()
        let path = directory.path + "/image.bin"
        try writeFile(path, bytes)
        let arguments = major >= 5 ? ["--chip", chip, "image-info", path] : ["--chip", chip, "image_info", "--version", "2", path]
        let result = Esptool.run(arguments)
        return (result, EsptoolImageInfo(result.output))
    }

    static func run(_ arguments: [String], timeoutSeconds: Int = 30) -> Run {
        guard let directory = try? TempDirectory() else { return Run(status: nil, output: "", timedOut: false) }
        let outputPath = directory.path + "/esptool.out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["python3", "-m", "esptool"] + arguments
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !text.hasPrefix("COLUMNS="), !text.hasPrefix("NO_COLOR="), !text.hasPrefix("TERM=") { environment.append(text) }
            entry += 1
        }
        environment += ["NO_COLOR=1", "COLUMNS=200", "TERM=dumb"]
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "python3", &actions, nil, &cArguments, &cEnvironment) == 0 else {
            return Run(status: nil, output: "", timedOut: false)
        }
        var status: Int32 = 0
        var exited = false
        for _ in 0..<(timeoutSeconds * 50) {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(20_000)
        }
        if !exited {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        let output = (try? readFile(outputPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let code: Int32? = exited && (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
        return Run(status: code, output: output, timedOut: !exited)
    }

    struct IOError: Error { let message: String }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let file = fopen(path, "wb") else { throw IOError(message: "cannot create \(path)") }
        defer { fclose(file) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw IOError(message: "short write to \(path)") }
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw IOError(message: "cannot open \(path)") }
        defer { fclose(file) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            result += buffer[0..<count]
        }
        return result
    }

    /// A private directory removed with its files when the value goes away.
    final class TempDirectory {
        let path: String
        init() throws {
            var template = Array("/tmp/otaprobe-image-XXXXXX".utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw IOError(message: "mkdtemp failed")
            }
            path = String(cString: made)
        }
        deinit {
            if let directory = opendir(path) {
                while let entry = readdir(directory) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                    if name != ".", name != ".." { unlink(path + "/" + name) }
                }
                closedir(directory)
            }
            rmdir(path)
        }
    }
}

/// The fields of `esptool image-info` output that our parser also reports.
struct EsptoolImageInfo {
    struct Segment: Equatable { let length: UInt32; let loadAddress: UInt32; let fileOffset: Int }

    var segmentCount: Int?
    var flashSize: String?
    var flashFrequency: String?
    var flashMode: String?
    var chipID: Int?
    var segments: [Segment] = []
    var checksumValid: Bool?
    var hashValid: Bool?
    var projectName: String?
    var appVersion: String?

    init(_ output: String) {
        var inSegments = false
        for raw in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(raw).trimmingSpaces()
            let lower = line.lowercased()
            func value(_ key: String) -> String? {
                lower.hasPrefix(key.lowercased() + ":") ? String(line.dropFirst(key.count + 1)).trimmingSpaces() : nil
            }
            if let text = value("Segments") { segmentCount = Int(text) }
            if let text = value("Flash size") { flashSize = text }
            if let text = value("Flash freq") { flashFrequency = text }
            if let text = value("Flash mode") { flashMode = text }
            if let text = value("Chip ID") { chipID = text.split(separator: " ").first.flatMap { Int($0) } }
            if let text = value("Checksum") { checksumValid = text.contains("(valid)") }
            if let text = value("Validation hash") { hashValid = text.contains("(valid)") }
            if let text = value("Project name") { projectName = text }
            if let text = value("App version") { appVersion = text }
            if lower.hasPrefix("segment ") && lower.contains("load addr") { inSegments = true; continue }
            if inSegments {
                if line.hasPrefix("---") { continue }
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 4, Int(fields[0]) != nil,
                      let length = UInt32(fields[1].dropFirst(2), radix: 16),
                      let address = UInt32(fields[2].dropFirst(2), radix: 16),
                      let offset = Int(fields[3].dropFirst(2), radix: 16) else { inSegments = false; continue }
                segments.append(Segment(length: length, loadAddress: address, fileOffset: offset))
            }
        }
    }
}

extension String {
    /// Also drops NULs: esptool v4 prints the fixed-size C string fields with their NUL padding.
    func trimmingSpaces() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\0" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
