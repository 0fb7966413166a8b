/// Scripts for the well-formed parts of responses, shared by the catalogue so each scenario's
/// code shows only what it bends.
enum ResponseRecipe {
    /// Head, body, close: what a plain static-file server does for an HTTP/1.0 request.
    static func respond(_ head: ResponseHead, body: [UInt8] = []) -> [ScriptStep] {
        body.isEmpty ? [.send(head.bytes), .close] : [.send(head.bytes), .send(body), .close]
    }

    /// A textbook 200 download: `application/octet-stream`, exact Content-Length, the body,
    /// `Connection: close`, close.
    static func download(_ body: [UInt8], extraHeaders: [String] = []) -> [ScriptStep] {
        respond(.standard(contentLength: body.count, extraHeaders: extraHeaders), body: body)
    }

    /// A short plain-text (or HTML) page with the given status, as error pages are.
    static func page(
        status: Int, reason: String, text: String,
        contentType: String = "text/plain; charset=utf-8", extraHeaders: [String] = []
    ) -> [ScriptStep] {
        let body = text.wireBytes
        return respond(
            .standard(status: status, reason: reason, contentType: contentType,
                      contentLength: body.count, extraHeaders: extraHeaders),
            body: body)
    }

    /// A redirect with a short HTML body, as web servers send; no Location header if nil.
    static func redirect(status: Int, reason: String, location: String?) -> [ScriptStep] {
        let text = location.map { "<html><body>Moved to <a href=\"\($0)\">\($0)</a>.</body></html>\n" }
            ?? "<html><body>Moved.</body></html>\n"
        return page(
            status: status, reason: reason, text: text, contentType: "text/html",
            extraHeaders: location.map { ["Location: \($0)"] } ?? [])
    }
}
