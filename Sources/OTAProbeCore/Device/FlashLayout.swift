/// An Arduino "Flash Size" board option such as `4M2M` (4 MB chip, 2 MB filesystem).
///
/// The layout decides where the filesystem starts, and the device computes its free sketch
/// space (the `-100` threshold and the `x-ESP8266-free-space` header) from that start, so the
/// probe derives it exactly as `tools/boards.txt.py` `flash_map()` does
/// (3.1.2:tools/boards.txt.py:1393-1427; 2.4.2 ships the same numbers as linker scripts,
/// 2.4.2:tools/sdk/ld/eagle.flash.*.ld).
public struct FlashLayout: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let flashSizeKiB: Int
    public let filesystemKiB: Int

    /// Every layout the core's board menu offers (3.1.2:tools/boards.txt.py:1525-1565).
    public static let known: [FlashLayout] = [
        (512, [32, 64, 128, 0]), (1024, [64, 128, 144, 160, 192, 256, 512, 0]),
        (2048, [64, 128, 256, 512, 1024, 0]), (4096, [2048, 3072, 1024, 0]),
        (8192, [6144, 7168, 0]), (16384, [14336, 15360, 0]),
    ].flatMap { flash, filesystems in filesystems.map { FlashLayout(flashSizeKiB: flash, filesystemKiB: $0) } }

    public init(flashSizeKiB: Int, filesystemKiB: Int) {
        self.flashSizeKiB = flashSizeKiB
        self.filesystemKiB = filesystemKiB
        // boards.txt.py names the filesystem part without a unit below 1 MB: "1M64", "4M2M".
        let filesystemLabel = filesystemKiB >= 1024 ? "\(filesystemKiB / 1024)M" : filesystemKiB > 0 ? "\(filesystemKiB)" : ""
        self.name = Self.sizeLabel(flashSizeKiB) + filesystemLabel
    }

    /// Accepts the board-menu names case-insensitively (`4M2M`, `1m64`, `4M`).
    public static func named(_ text: String) -> FlashLayout? {
        known.first { $0.name.lowercased() == text.lowercased() }
    }

    public var description: String { name }
    public var flashSizeBytes: Int { flashSizeKiB * 1024 }

    /// Offset of the filesystem from the start of flash (`_FS_start - 0x40200000`).
    public var filesystemStart: Int {
        if filesystemKiB == 0 { return unroundedFilesystemEnd }
        if flashSizeKiB <= 1024 { return unroundedFilesystemEnd - filesystemKiB * 1024 }
        return (flashSizeKiB - filesystemKiB) * 1024
    }

    /// Offset of the filesystem end (`_FS_end - 0x40200000`). From 2.7.4 the end is rounded
    /// down to the filesystem block size; before, it is the EEPROM start.
    public func filesystemEnd(roundedToBlockSize: Bool) -> Int {
        guard filesystemKiB > 0, roundedToBlockSize else { return filesystemKiB == 0 ? filesystemStart : unroundedFilesystemEnd }
        let blockSize = filesystemKiB < 512 ? 4096 : 8192
        return blockSize * ((unroundedFilesystemEnd - filesystemStart) / blockSize) + filesystemStart
    }

    /// EEPROM (4 KiB), RF calibration (4 KiB) and SDK Wi-Fi settings (12 KiB) sit at the top.
    private var unroundedFilesystemEnd: Int { (flashSizeKiB - 12 - 4 - 4) * 1024 }

    private static func sizeLabel(_ kib: Int) -> String {
        kib >= 1024 ? "\(kib / 1024)M" : "\(kib)K"
    }
}
