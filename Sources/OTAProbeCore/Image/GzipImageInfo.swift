/// A gzip body: its header, the trailer's uncompressed size, and what the first inflated bytes are.
///
/// The ESP8266 Updater does not look inside (it skips the flash-size check for gzip,
/// 3.1.2:cores/esp8266/Updater.cpp:497-500); eboot inflates at boot, so a gzip of the wrong thing
/// only fails after the reboot. Looking inside is how a probe catches that early.
public struct GzipImageInfo: Sendable, Equatable {
    public let header: GzipHeader?
    public let headerError: GzipHeader.ParseError?
    /// ISIZE from the last 4 bytes (uncompressed length mod 2^32), when the body ended.
    public let uncompressedSize: UInt32?
    /// How many bytes were inflated to look inside.
    public let inflatedCount: Int
    public let inflateError: InflateError?
    /// The inner ESP8266 firmware as far as the inflated prefix shows it (incomplete by design).
    public let inner: ESP8266FirmwareInfo?

    public var summary: String {
        var text = "gzip"
        if let name = header?.fileName { text += " of \"\(name)\"" }
        if let uncompressedSize { text += ", \(uncompressedSize) bytes uncompressed" }
        if let headerError { text += ", unreadable header (\(headerError))" }
        if let inflateError { text += ", corrupt deflate data (\(inflateError))" }
        if let inner {
            text += "; inside (first \(inflatedCount) bytes):\n" + inner.summary.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        } else if headerError == nil, inflateError == nil {
            text += "; the first \(inflatedCount) inflated bytes are not an ESP8266 image"
        }
        return text
    }
}
