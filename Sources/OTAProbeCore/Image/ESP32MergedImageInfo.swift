/// A whole-flash image (`esptool merge-bin`, or Arduino's `*.merged.bin` / PlatformIO's
/// `factory.bin`): bootloader at the chip's bootloader offset, 0xFF padding, the partition table
/// at 0x8000, the app at its partition (usually 0x10000).
///
/// OTA wants the app alone. esp_https_ota writes the body into an app partition and verifies it
/// as one image, so a merged file fails — usually with the bootloader's image accepted as "the
/// app" and the partition bytes breaking the length, or with a chip-id mismatch when the first
/// bytes are 0xFF. The fix is to serve the app slice, which `app.offset` locates.
public struct ESP32MergedImageInfo: Sendable, Equatable {
    public let bootloader: ESP32ImageInfo?
    public let partitionTable: PartitionTable
    /// The partition the app image was read from (factory, else ota_0, else the first app).
    public let appPartition: PartitionTable.Entry?
    public let app: ESP32ImageInfo?

    public var chip: ESP32Chip? { bootloader?.chip ?? app?.chip }

    public var summary: String {
        var lines = ["merged flash image for \(chip?.name ?? "an ESP32-family chip") (bootloader + partition table + app); OTA needs the app alone"]
        if let bootloader { lines.append("  bootloader: " + bootloader.summary) }
        lines.append("  partition table: " + partitionTable.entries.map { "\($0.label) \($0.kindName) at \(ImageHex.offset(Int($0.offset)))" }.joined(separator: ", "))
        if let app { lines.append("  app: " + app.summary) }
        else if let appPartition { lines.append("  no app image at \(ImageHex.offset(Int(appPartition.offset))) (\(appPartition.label))") }
        return lines.joined(separator: "\n")
    }
}
