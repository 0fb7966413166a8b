/// The start of a response body as the server meant it: chunk framing removed the way
/// http_parser removes it (`ESPIDFBodyReader`), nothing else undone. Content-Encoding stays,
/// because no device client decodes it (spec esp32-arduino-and-esp-idf.md:110, :288, :572;
/// esp8266-arduino.md:229).
///
/// ESP-IDF's esp_http_client hands `esp_https_ota` exactly these bytes, so its explanations
/// read them; the Arduino clients read chunked framing as data (their explanations keep the
/// raw prefix), but what a server *said* (an error text) is quoted from these bytes on every
/// stack.
enum DeliveredBody {
    static func prefix(of exchange: Exchange?) -> [UInt8] {
        guard let exchange else { return [] }
        let raw = exchange.body.prefix
        guard let coding = exchange.head?.transferEncoding?.lowercased(), coding.hasSuffix("chunked") else { return raw }
        // 80 KiB: esp_http_client's default HTTP_MAX_HEADER_SIZE, which chunk-size lines count toward.
        var reader = ESPIDFBodyReader(framing: .chunked, maxHeaderBytes: 80 * 1024)
        return raw.withUnsafeBytes { reader.feed($0) }
    }
}
