/// What otaprobe refuses before probing: things no sketch could mean. A scheme in the wrong
/// case is *not* refused here, because old cores answer it with -1 and that is a prediction;
/// nor is a CR or LF (a URL read from a file or a reply without trimming its line end): the
/// Arduino cores send it verbatim and ESP-IDF refuses it, and the report says which.
///
/// One rule for every place a URL comes in: the command line (`check`, `matrix`, `inspect`,
/// `fleet`) and the URLs of a fleet file or manifest, which are refused with their line.
public enum URLSyntax {
    /// Why `url` cannot be probed, or nil when it can.
    public static func problem(_ url: String) -> String? {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else {
            return "malformed URL '\(url)': expected http://host/path or https://host/path"
        }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "unsupported scheme '\(url[..<colon])': the updaters speak http and https only"
        }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != "/" }
        let host = authority.split(separator: "@").last.map { $0.prefix { $0 != ":" } } ?? ""
        guard !host.isEmpty else { return "malformed URL '\(url)': no host" }
        if url.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" }) {
            return "malformed URL: it contains white space (encode it as %20)"
        }
        return nil
    }
}
