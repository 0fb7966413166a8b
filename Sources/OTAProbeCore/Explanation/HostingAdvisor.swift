/// Recognises the hosting services whose links serve a web page instead of the file, and
/// names the link form that serves the raw bytes (spec field-failures.md §1.B, §5).
///
/// The advice comes from the URL the device fetched plus what came back, because the same
/// HTML page means different things on different hosts.
public enum HostingAdvisor {
    public struct Advice: Sendable, Equatable {
        public let host: String
        public let problem: String
        public let rawURL: String?
    }

    /// `prefix` is the start of the body: hosting pages name their canonical URL in
    /// `<meta property="og:url">`, which identifies the host even behind a proxy.
    public static func advise(url: String, body: BodyKind, prefix: [UInt8] = []) -> Advice? {
        if case .html = body, let canonical = canonicalURL(in: prefix), canonical != url,
           let advice = advise(url: canonical, body: body) {
            return advice
        }
        guard case .html(let title) = body else {
            if case .storageError(let code, _) = body {
                let host = url.contains("googleapis.com") ? "Google Cloud Storage" : url.contains("amazonaws.com") || url.contains("X-Amz-") ? "Amazon S3" : "the storage service"
                let meaning: String
                switch code {
                case "AccessDenied": meaning = "access denied: the link is unsigned, expired (X-Amz-Expires) or the object is private"
                case "NoSuchKey": meaning = "no such object: the key in the URL does not exist"
                case "ExpiredToken", "TokenRefreshRequired": meaning = "the signed link's token expired"
                case "SignatureDoesNotMatch": meaning = "the signature does not match: the URL was altered, or signed for other headers"
                default: meaning = "error \(code)"
                }
                return Advice(host: host, problem: "\(host) answered with an XML error document — \(meaning)", rawURL: nil)
            }
            return nil
        }
        let parts = split(url)
        let lowerTitle = title?.lowercased() ?? ""
        if parts.host == "github.com", let blob = parts.path.firstRange(of: "/blob/") {
            let repo = parts.path[..<blob.lowerBound]
            let rest = parts.path[blob.upperBound...]
            return Advice(host: "GitHub", problem: "a /blob/ link serves GitHub's HTML page for the file",
                          rawURL: "https://raw.githubusercontent.com\(repo)/\(rest)")
        }
        if parts.host == "github.com", parts.path.contains("/releases/tag/") {
            return Advice(host: "GitHub", problem: "a release *page* link serves HTML; the asset link has the form /OWNER/REPO/releases/download/TAG/FILE", rawURL: nil)
        }
        if parts.host == "drive.google.com" || parts.host == "docs.google.com" {
            let id = fileID(inDrivePath: parts.path) ?? queryValue("id", in: parts.query)
            let scan = lowerTitle.contains("virus scan") || lowerTitle.contains("can't scan")
            return Advice(host: "Google Drive",
                          problem: scan ? "Google Drive shows its virus-scan warning page instead of the file" : "a Google Drive share link serves the viewer page, not the file",
                          rawURL: id.map { "https://drive.google.com/uc?export=download&id=\($0) (still an https redirect to another host: host the file elsewhere for OTA)" })
        }
        if parts.host.hasSuffix("dropbox.com") {
            return Advice(host: "Dropbox", problem: "a Dropbox link with dl=0 serves the preview page",
                          rawURL: "\(parts.scheme)://\(parts.host)\(parts.path)?dl=1 (answers with a redirect to dl.dropboxusercontent.com; link that host directly)")
        }
        if parts.host.hasSuffix("1drv.ms") || parts.host.hasSuffix("onedrive.live.com") || parts.host.hasSuffix("sharepoint.com") {
            return Advice(host: "OneDrive", problem: "a OneDrive share link serves the viewer page", rawURL: nil)
        }
        if lowerTitle.hasSuffix("· github") || lowerTitle.hasSuffix("- github") {
            return Advice(host: "GitHub", problem: "the link serves GitHub's HTML page for the file", rawURL: nil)
        }
        if lowerTitle.contains("google drive") {
            return Advice(host: "Google Drive", problem: lowerTitle.contains("virus scan") ? "Google Drive shows its virus-scan warning page instead of the file" : "the link serves a Google Drive page, not the file", rawURL: nil)
        }
        if lowerTitle.contains("sign in") || lowerTitle.contains("login") || lowerTitle.contains("log in") {
            return Advice(host: parts.host, problem: "the server answers with a login page: the device sends no cookies and only the URL's Basic credentials", rawURL: nil)
        }
        return nil
    }

    private static func split(_ url: String) -> (scheme: String, host: String, path: String, query: String) {
        let scheme = url.firstRange(of: "://").map { String(url[..<$0.lowerBound]).lowercased() } ?? "http"
        var rest = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        let hostPort = authority.split(separator: "@").last ?? ""
        let host = (hostPort.split(separator: ":").first.map(String.init) ?? "").lowercased()
        let queryStart = rest.firstIndex(of: "?")
        let path = String(rest[..<(queryStart ?? rest.firstIndex(of: "#") ?? rest.endIndex)])
        let query = queryStart.map { String(rest[rest.index(after: $0)...].prefix { $0 != "#" }) } ?? ""
        return (scheme, host, path, query)
    }

    private static func fileID(inDrivePath path: String) -> String? {
        guard let range = path.firstRange(of: "/d/") else { return nil }
        let id = path[range.upperBound...].prefix { $0 != "/" }
        return id.isEmpty ? nil : String(id)
    }

    private static func queryValue(_ name: String, in query: String) -> String? {
        for pair in query.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1))
        }
        return nil
    }

    /// `<meta property="og:url" content="…">` from the start of an HTML page.
    static func canonicalURL(in prefix: [UInt8]) -> String? {
        let text = String(decoding: prefix.prefix(16 * 1024), as: UTF8.self)
        guard let meta = text.firstRange(of: "property=\"og:url\""),
              let content = text[meta.upperBound...].firstRange(of: "content=\"") else { return nil }
        let value = text[content.upperBound...].prefix { $0 != "\"" }
        return value.isEmpty ? nil : String(value)
    }
}
