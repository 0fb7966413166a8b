/// A real, valid gzip member (RFC 1952) whose deflate stream uses only stored blocks.
///
/// The "gzip-image" scenario needs a body that is genuinely gzip (eboot on 2.7.4+ would inflate
/// it at boot), not just one that starts with 1F 8B. Stored blocks need no compressor, so this is
/// exact and tiny; the output is slightly larger than the input (5 bytes per 64 KiB block + 18).
enum StoredGzip {
    private static let maximumStoredBlock = 65_535

    static func wrap(_ payload: [UInt8]) -> [UInt8] {
        // ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0 (reproducible), XFL=0, OS=3 (Unix).
        var member: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]
        member.reserveCapacity(payload.count + payload.count / maximumStoredBlock * 5 + 32)
        var offset = 0
        repeat {
            let length = min(maximumStoredBlock, payload.count - offset)
            let isFinal = offset + length == payload.count
            // BFINAL bit, BTYPE=00 (stored); the rest of the byte is padding to a byte boundary.
            member.append(isFinal ? 0x01 : 0x00)
            member += littleEndian(UInt16(length))
            member += littleEndian(~UInt16(length))
            member += payload[offset..<(offset + length)]
            offset += length
        } while offset < payload.count
        member += littleEndian(CRC32.checksum(payload))
        member += littleEndian(UInt32(truncatingIfNeeded: payload.count))
        return member
    }

    private static func littleEndian<Integer: FixedWidthInteger>(_ value: Integer) -> [UInt8] {
        (0..<(Integer.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
