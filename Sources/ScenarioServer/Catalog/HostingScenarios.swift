/// What ordinary web servers do with firmware URLs when they are configured the usual way
/// (spec field-failures.md §4 "nginx / Apache / PHP / Node"): a directory URL without its
/// trailing slash is redirected to the directory, which is a listing or a refusal, not a
/// file; and a compressing server gzips the `.bin` itself. Each scenario answers the paths
/// below its name the way that server would, so a test can follow the advice it is given.
enum HostingScenarios {
    static let all: [Scenario] = [
        Scenario(
            name: "dir-listing",
            summary: "nginx autoindex: /dir-listing → 301 to the absolute http://127.0.0.1:<port>/dir-listing/, an 'Index of' page linking firmware.bin, which is the image"
        ) { context in
            let path = HostingPath(context)
            switch path.rest {
            case "": return ResponseRecipe.redirect(status: 301, reason: "Moved Permanently", location: "\(context.origin)/dir-listing/")
            case "/": return ResponseRecipe.page(status: 200, reason: "OK", text: HostingBodies.listing(of: "/dir-listing/", files: ["firmware.bin", "notes.txt"]), contentType: "text/html")
            case "/firmware.bin": return ResponseRecipe.download(path.image)
            default: return HostingBodies.notFound
            }
        },
        Scenario(
            name: "dir-forbidden",
            summary: "busybox httpd: /dir-forbidden → 302 with the relative Location /dir-forbidden/, which answers 403 (no index, listing off)"
        ) { context in
            switch HostingPath(context).rest {
            case "": return ResponseRecipe.redirect(status: 302, reason: "Found", location: "/dir-forbidden/")
            case "/": return ResponseRecipe.page(status: 403, reason: "Forbidden", text: HostingBodies.errorPage(403, "Forbidden", "Directory listing is not allowed."), contentType: "text/html")
            default: return HostingBodies.notFound
            }
        },
        Scenario(
            name: "deflate-bin",
            summary: "Apache mod_deflate forced on .bin: Content-Encoding: gzip and no Content-Length; HTTP/1.0 gets the gzip until the close, HTTP/1.1 gets it chunked"
        ) { context in
            let path = HostingPath(context)
            let gzip = path.wantsESP32 ? HostingBodies.gzippedESP32App : ServedBodies.gzippedStandardImage
            var headers = ["Vary: Accept-Encoding", "Content-Encoding: gzip"]
            if path.isHTTP11 {
                headers.append("Transfer-Encoding: chunked")
                return ResponseRecipe.respond(.standard(contentLength: nil, extraHeaders: headers), body: ChunkedFraming.frame(gzip))
            }
            return ResponseRecipe.respond(.standard(contentLength: nil, extraHeaders: headers), body: gzip)
        },
        Scenario(
            name: "gzip-bin",
            summary: "200 with Content-Length and a gzip of the image served as firmware.bin, without Content-Encoding (a pre-compressed file under the .bin name)"
        ) { context in
            ResponseRecipe.download(HostingPath(context).wantsESP32 ? HostingBodies.gzippedESP32App : ServedBodies.gzippedStandardImage)
        },
    ]
}

/// The parts of a request the hosting scenarios route on.
struct HostingPath {
    /// The target after the scenario's name, without the query: "", "/", "/firmware.bin".
    let rest: Substring
    let isHTTP11: Bool
    /// The request comes from an ESP32 stack (arduino-esp32 or ESP-IDF): serve an ESP32 image.
    let wantsESP32: Bool

    init(_ context: ScenarioContext) {
        let target = context.request?.target ?? ""
        let path = target.prefix { $0 != "?" && $0 != "#" }.drop { $0 == "/" }
        rest = path.drop { $0 != "/" }
        let requestLine = (context.request?.bytes ?? []).prefix { $0 != ASCII.carriageReturn && $0 != ASCII.lineFeed }
        isHTTP11 = String(decoding: requestLine, as: UTF8.self).hasSuffix("HTTP/1.1")
        wantsESP32 = context.request?.header("User-Agent")?.contains("ESP32") ?? false
    }

    var image: [UInt8] { wantsESP32 ? ESP32Bodies.app : ServedBodies.standardImage }
}

/// The pages of the hosting scenarios, in the style of the servers they stand for.
enum HostingBodies {
    static let gzippedESP32App: [UInt8] = StoredGzip.wrap(ESP32Bodies.app)

    static func listing(of directory: String, files: [String]) -> String {
        let rows = files.map { "<a href=\"\($0)\">\($0)</a>\n" }.joined()
        return "<html>\n<head><title>Index of \(directory)</title></head>\n<body>\n<h1>Index of \(directory)</h1><hr><pre><a href=\"../\">../</a>\n\(rows)</pre><hr></body>\n</html>\n"
    }

    static func errorPage(_ code: Int, _ reason: String, _ line: String) -> String {
        "<HTML><HEAD><TITLE>\(code) \(reason)</TITLE></HEAD>\n<BODY><H1>\(code) \(reason)</H1>\n\(line)\n</BODY></HTML>\n"
    }

    static var notFound: [ScriptStep] {
        ResponseRecipe.page(status: 404, reason: "Not Found", text: errorPage(404, "Not Found", "The requested URL was not found."), contentType: "text/html")
    }
}
