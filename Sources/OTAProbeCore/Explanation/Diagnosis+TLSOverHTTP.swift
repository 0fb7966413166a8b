/// ESPHome on the ESP8266 picks its TLS client when "https:" appears anywhere in the URL
/// (`url.find("https:") != npos`, E25 http_request_arduino.cpp:32, spec E2), so an http:// URL
/// carrying an https:// link in its query makes a TLS handshake with the http port. The TLS
/// words (record version, cipher) are true but point at the server; the change is the URL.
extension Diagnosis {
    /// The exchange that made TLS although its URL says http://, if any.
    static func tlsOverHTTP(_ exchanges: [Exchange]) -> Exchange? {
        exchanges.first { $0.tls && $0.url.lowercased().hasPrefix("http://") }
    }

    /// Leads why with the URL's "https:", and makes removing it the change, when the device
    /// failed to connect over such a handshake; otherwise says it in a note.
    func explainTLSOverHTTP(in verdict: inout Verdict, exchanges: [Exchange]) {
        guard profile.family == .esphome, let exchange = Self.tlsOverHTTP(exchanges) else { return }
        let choice = "ESPHome on the ESP8266 chooses its TLS client (WiFiClientSecure) whenever \"https:\" appears anywhere in the URL (`url.find(\"https:\")`, http_request_arduino.cpp:32), and HTTPClient keeps that client for every request of the fetch, redirects included"
        guard verdict.code != 0, verdict.stage == .connect, exchanges.last?.connectFailure != nil else {
            verdict.notes.append("The URL contains \"https:\" after its http:// scheme: \(choice), so the device made TLS with \(exchange.host):\(exchange.port), an http:// URL's port.")
            return
        }
        verdict.why = "The URL contains \"https:\" after its http:// scheme: \(choice). So the device started a TLS handshake with \(exchange.host):\(exchange.port), the http:// URL's port, where the server expects plain HTTP. " + verdict.why
        verdict.fix = ["Keep \"https:\" out of an http:// URL: write the colon of a URL inside a query value as %3A (…?from=https%3A//…), or serve the file over https:// (this device makes TLS without a certificate check)."]
        verdict.summary = "TLS to an http:// port: \"https:\" in the URL selects WiFiClientSecure"
    }
}
