/// The RFC 1952 member header in front of a gzip-compressed firmware (Arduino's `elf2bin.py --gzip`,
/// esp8266/Arduino 3.1.2:tools/elf2bin.py:189-212, which eboot inflates on the device; the
/// Updater accepts `1F 8B` since 2.7.4, 3.1.2:cores/esp8266/Updater.cpp:497-500).
public struct GzipHeader: Sendable, Equatable {
    public enum ParseError: Error, Sendable, Equatable {
        /// Not `1F 8B`.
        case badMagic
        /// CM other than 8 (deflate).
        case unsupportedMethod(UInt8)
        /// The header (with its optional fields) is longer than the bytes available.
        case truncated
    }

    public let flags: UInt8
    public let modificationTime: UInt32
    public let operatingSystem: UInt8
    /// FNAME, when present (Python's gzip module stores the input file name).
    public let fileName: String?
    /// Where the DEFLATE data begins.
    public let length: Int

    public init(_ bytes: [UInt8]) throws(ParseError) {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == 0x1F, bytes[1] == 0x8B else { throw .badMagic }
        guard bytes.count >= 10 else { throw .truncated }
        guard bytes[2] == 8 else { throw .unsupportedMethod(bytes[2]) }
        flags = bytes[3]
        modificationTime = bytes.littleEndianUInt32(at: 4) ?? 0
        operatingSystem = bytes[9]
        var position = 10
        if flags & 0x04 != 0 {
            guard let extra = bytes.littleEndianUInt16(at: position) else { throw .truncated }
            position += 2 + Int(extra)
        }
        var name: String?
        if flags & 0x08 != 0 {
            guard let end = bytes[min(position, bytes.count)...].firstIndex(of: 0) else { throw .truncated }
            name = String(decoding: bytes[position..<end], as: UTF8.self)
            position = end + 1
        }
        if flags & 0x10 != 0 {
            guard let end = bytes[min(position, bytes.count)...].firstIndex(of: 0) else { throw .truncated }
            position = end + 1
        }
        if flags & 0x02 != 0 { position += 2 }
        guard position <= bytes.count else { throw .truncated }
        fileName = name
        length = position
    }
}
