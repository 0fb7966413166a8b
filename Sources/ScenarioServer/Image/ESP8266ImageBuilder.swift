/// Builds a plausible ESP8266 application image — the kind of `.bin` an Arduino build produces —
/// for the scenarios to serve.
///
/// The device only inspects bytes 0–3 before downloading (magic, and the flash-size nibble it
/// compares with the real chip) and the magic again after, so those are exact; the rest follows
/// esptool's layout (8-byte header, segments, checksum byte at a file offset ≡ 15 mod 16) so that
/// an image parser reading the served file sees a well-formed image. After that comes
/// reproducible pseudo-random filler standing in for the rest of the firmware.
///
/// Not modelled: the eboot image that a real Arduino `.bin` starts with (padded to 4 KiB with
/// 0xAA before the app image); nothing the updater checks depends on it.
public struct ESP8266ImageBuilder: Sendable {
    /// Bytes in the whole file. Smaller than the header and segments, the output is that prefix.
    public var totalSize: Int
    /// High nibble of byte 3, the flash size the image was built for:
    /// 0 = 512 KiB, 1 = 256 KiB, 2 = 1 MiB, 3 = 2 MiB, 4 = 4 MiB, 8 = 8 MiB, 9 = 16 MiB.
    public var flashSizeNibble: UInt8
    /// Byte 2, the SPI flash mode: 0 QIO, 1 QOUT, 2 DIO, 3 DOUT.
    public var flashMode: UInt8
    /// Low nibble of byte 3, the SPI flash frequency: 0 = 40 MHz, 1 = 26, 2 = 20, 0xF = 80.
    public var flashFrequency: UInt8
    /// Byte 0; 0xE9 for a real image. Other values reproduce "not a firmware image" uploads.
    public var magic: UInt8
    /// Seeds the segment contents and the filler, so two builders differing only here give
    /// images of the same shape with different bytes (and different MD5s).
    public var fillerSeed: UInt64

    public init(
        totalSize: Int = 300_000,
        flashSizeNibble: UInt8 = 4,
        flashMode: UInt8 = 2,
        flashFrequency: UInt8 = 0,
        magic: UInt8 = 0xE9,
        fillerSeed: UInt64 = 0x8266_0000_0000_0001
    ) {
        self.totalSize = totalSize
        self.flashSizeNibble = flashSizeNibble
        self.flashMode = flashMode
        self.flashFrequency = flashFrequency
        self.magic = magic
        self.fillerSeed = fillerSeed
    }

    /// Where the segments load and how big they are: the four an Arduino sketch has
    /// (flash-mapped code, IRAM code, initialised data, read-only data), kept small.
    static let segmentLayout: [(loadAddress: UInt32, size: Int)] = [
        (0x4020_1010, 4096),  // .irom0.text, executed from flash
        (0x4010_0000, 2048),  // .text, IRAM
        (0x3FFE_8000, 512),   // .data
        (0x3FFE_8200, 1024),  // .rodata
    ]
    /// The entry point written into the header (an IRAM address, as for any ESP8266 app).
    static let entryPoint: UInt32 = 0x4010_0004

    public func build() -> [UInt8] {
        var random = DeterministicBytes(seed: fillerSeed)
        let layout = Self.segmentLayout
        var image: [UInt8] = [
            magic,
            UInt8(layout.count),
            flashMode,
            (flashSizeNibble & 0x0F) << 4 | (flashFrequency & 0x0F),
        ]
        image += Self.littleEndian(Self.entryPoint)

        var checksum: UInt8 = 0xEF
        for segment in layout {
            let data = random.bytes(segment.size)
            image += Self.littleEndian(segment.loadAddress)
            image += Self.littleEndian(UInt32(segment.size))
            image += data
            for byte in data { checksum ^= byte }
        }
        // esptool pads with zeros so the checksum byte is the last of a 16-byte line.
        while image.count % 16 != 15 { image.append(0) }
        image.append(checksum)

        if image.count >= totalSize { return Array(image.prefix(max(0, totalSize))) }
        image += random.bytes(totalSize - image.count)
        return image
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}
