/// Everything the sniffer learned about a body: its kind, and the detail record for that kind.
/// Exactly one of the detail fields is set for an image kind; none for `.unknown`/`.empty`/`.littleFS`.
public struct FirmwareImageReport: Sendable, Equatable {
    public let kind: ImageKind
    /// Bytes seen.
    public let length: Int
    public let esp8266: ESP8266FirmwareInfo?
    /// A single ESP32-family image at offset 0 (app or bootloader).
    public let esp32: ESP32ImageInfo?
    public let merged: ESP32MergedImageInfo?
    public let gzip: GzipImageInfo?
    public let elf: ELFInfo?

    public var summary: String {
        let detail = esp8266?.summary ?? esp32?.summary ?? merged?.summary ?? gzip?.summary ?? elf?.summary
        let head = "\(length) bytes: \(kind.summary)"
        return detail.map { head + "\n" + $0 } ?? head
    }
}
