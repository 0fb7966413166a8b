/// Bodies shared by many scenarios, built once on first use and kept for the life of the
/// process, so a routed server answers each request without rebuilding 300 KB of image.
enum ServedBodies {
    /// `ESP8266ImageBuilder()` with every default: 300 000 bytes, 4 MB flash, DIO, 40 MHz.
    static let standardImage: [UInt8] = ESP8266ImageBuilder().build()
    static let standardImageMD5: String = md5Hex(standardImage)
    /// The standard image as a real gzip member (stored blocks), see `StoredGzip`.
    static let gzippedStandardImage: [UInt8] = StoredGzip.wrap(standardImage)
}
