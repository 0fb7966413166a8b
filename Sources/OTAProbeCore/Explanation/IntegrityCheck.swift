/// Compares what the server served with what it should serve: the `x-MD5` / `x-SHA256`
/// headers, published digest files (`--md5-url`, `--sha256-url`) and the build on disk
/// (`--expect-file`). The device only ever checks `x-MD5`; the rest catches "the server
/// serves a different build than the one you just compiled" before any device tries it.
public struct IntegrityCheck: Sendable {
    public struct Finding: Sendable, Equatable, Codable {
        /// What was compared: `x-MD5`, `x-SHA256`, `md5-url`, `sha256-url`, `expect-file`.
        public let source: String
        public let algorithm: String
        public let expected: String
        /// nil when the served digest is unknown (the device did not download the body).
        public let served: String?
        public let matches: Bool?
        public let message: String

        public init(source: String, algorithm: String, expected: String, served: String?, matches: Bool?, message: String) {
            self.source = source
            self.algorithm = algorithm
            self.expected = expected
            self.served = served
            self.matches = matches
            self.message = message
        }
    }

    /// Digests the user supplied, already fetched or computed by the caller.
    public struct Expectations: Sendable {
        public var md5URL: (url: String, text: String)?
        public var sha256URL: (url: String, text: String)?
        public var file: (path: String, md5: String, sha256: String, size: Int)?
        /// A digest published beside the URL by other means (an ESPHome manifest's `ota.md5`):
        /// `source` names where it came from in the finding.
        public var published: (source: String, algorithm: String, digest: String)?
        public init() {}
    }

    public static func check(_ expectations: Expectations, exchange: Exchange?) -> [Finding] {
        var findings: [Finding] = []
        let body = exchange?.body
        let servedMD5 = body?.md5
        let servedSHA = body?.sha256
        let notDownloaded = "the device did not download the body, so there is no served digest to compare"
        if let header = exchange?.head?.header("x-SHA256") {
            findings.append(compare("x-SHA256", "SHA-256", expected: header, served: servedSHA, notDownloaded: notDownloaded))
        }
        if let (url, text) = expectations.md5URL {
            if let digest = firstHexToken(text, length: 32) {
                findings.append(compare("md5-url", "MD5", expected: digest, served: servedMD5, notDownloaded: notDownloaded, origin: url))
            } else {
                findings.append(Finding(source: "md5-url", algorithm: "MD5", expected: "", served: servedMD5, matches: nil, message: "\(url) holds no 32-digit hex MD5"))
            }
            if let header = exchange?.head?.md5Header, let digest = firstHexToken(text, length: 32), header.lowercased() != digest {
                findings.append(Finding(source: "x-MD5", algorithm: "MD5", expected: digest, served: header, matches: false,
                                        message: "the x-MD5 header (\(header)) differs from the published MD5 (\(digest))"))
            }
        }
        if let (url, text) = expectations.sha256URL {
            if let digest = firstHexToken(text, length: 64) {
                findings.append(compare("sha256-url", "SHA-256", expected: digest, served: servedSHA, notDownloaded: notDownloaded, origin: url))
            } else {
                findings.append(Finding(source: "sha256-url", algorithm: "SHA-256", expected: "", served: servedSHA, matches: nil, message: "\(url) holds no 64-digit hex SHA-256"))
            }
        }
        if let published = expectations.published {
            let served = published.algorithm == "MD5" ? servedMD5 : servedSHA
            findings.append(compare(published.source, published.algorithm, expected: published.digest, served: served, notDownloaded: notDownloaded))
        }
        if let file = expectations.file {
            var finding = compare("expect-file", "SHA-256", expected: file.sha256, served: servedSHA, notDownloaded: notDownloaded, origin: file.path)
            if finding.matches == false {
                let servedSize = body?.bytesConsumedByDevice ?? 0
                finding = Finding(source: "expect-file", algorithm: "SHA-256", expected: file.sha256, served: servedSHA, matches: false,
                                  message: "the server serves a different build than \(file.path): local \(file.size) bytes, MD5 \(file.md5), SHA-256 \(file.sha256); served \(servedSize) bytes, MD5 \(servedMD5 ?? "?"), SHA-256 \(servedSHA ?? "?")")
            }
            findings.append(finding)
        }
        return findings
    }

    private static func compare(_ source: String, _ algorithm: String, expected: String, served: String?, notDownloaded: String, origin: String? = nil) -> Finding {
        let from = origin.map { " (\($0))" } ?? ""
        guard let served else {
            return Finding(source: source, algorithm: algorithm, expected: expected, served: nil, matches: nil, message: "\(source)\(from): \(notDownloaded)")
        }
        let matches = served.lowercased() == expected.lowercased()
        let message = matches
            ? "\(algorithm) of the served image matches \(source)\(from)"
            : "\(algorithm) of the served image (\(served)) differs from \(source)\(from) (\(expected))"
        return Finding(source: source, algorithm: algorithm, expected: expected, served: served, matches: matches, message: message)
    }

    /// The first run of exactly `length` hex digits: digest files hold "HASH  filename" lines.
    static func firstHexToken(_ text: String, length: Int) -> String? {
        var run = ""
        for character in text + " " {
            if character.isHexDigit, character.isASCII {
                run.append(character)
            } else {
                if run.count == length { return run.lowercased() }
                run = ""
            }
        }
        return nil
    }
}
