/// A gzip member that inflates to 1 GiB of zeros, built by hand and streamed, never held whole.
///
/// Deflate's best case is a match of 258 bytes at distance 1. With a dynamic Huffman table that
/// has only three literal/length symbols (literal 0, end-of-block, length 258) and one distance
/// symbol, such a match costs 2 bits, so 1 GiB of zeros is about 1 MiB on the wire. The member is
/// a first block (the few literal zeros the 258-byte matches cannot cover), then one identical
/// block repeated `repeats` times (each ends byte-aligned with an empty stored block, as zlib's
/// Z_SYNC_FLUSH does, so its bytes can simply be sent again), then a final block, then the CRC-32
/// and size trailer. Every block refers only to zeros already written, so the repetition is a
/// valid stream (Python's `gzip.decompress` accepts it; see the README).
struct GzipBomb {
    /// Bytes the member inflates to.
    static let inflatedSize = 1 << 30
    /// 258-byte matches per repeated block (8 KiB compressed, 8 MiB inflated).
    static let matchesPerBlock = 32_768

    let header: [UInt8]
    let repeatedBlock: [UInt8]
    let repeats: Int
    let tail: [UInt8]

    /// Bytes on the wire.
    var compressedSize: Int { header.count + repeatedBlock.count * repeats + tail.count }

    static let zeros = GzipBomb()

    init() {
        let size = Self.inflatedSize
        var literals = size % 258
        if literals == 0 { literals = 258 }
        let matches = (size - literals) / 258
        repeats = matches / Self.matchesPerBlock
        var first = BitWriter()
        Self.block(into: &first, final: false, literals: literals, matches: 0)
        Self.syncFlush(into: &first)
        header = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF] + first.bytes
        var repeated = BitWriter()
        Self.block(into: &repeated, final: false, literals: 0, matches: Self.matchesPerBlock)
        Self.syncFlush(into: &repeated)
        repeatedBlock = repeated.bytes
        var last = BitWriter()
        Self.block(into: &last, final: true, literals: 0, matches: matches - repeats * Self.matchesPerBlock)
        tail = last.bytes + Self.le32(CRC32.ofZeros(count: size)) + Self.le32(UInt32(truncatingIfNeeded: size))
    }

    /// One dynamic-Huffman block: `literals` literal zeros, then `matches` (258, distance 1).
    private static func block(into writer: inout BitWriter, final: Bool, literals: Int, matches: Int) {
        writer.write(final ? 1 : 0, bits: 1)
        writer.write(2, bits: 2)  // BTYPE 10: dynamic Huffman
        writer.write(29, bits: 5)  // HLIT: 286 literal/length codes
        writer.write(0, bits: 5)  // HDIST: 1 distance code
        writer.write(14, bits: 4)  // HCLEN: 18 code-length codes
        // Code-length code lengths in RFC 1951 order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
        // symbol 18 (a run of zeros) gets 1 bit, symbols 1 and 2 get 2 bits.
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { writer.write(UInt32(length), bits: 3) }
        // Canonical code-length codes: 18 → 0, 1 → 10, 2 → 11.
        let lengthOne: (UInt32, Int) = (0b10, 2), lengthTwo: (UInt32, Int) = (0b11, 2), zeroRun: (UInt32, Int) = (0b0, 1)
        writer.huffman(lengthTwo)  // literal 0: 2 bits
        writer.huffman(zeroRun); writer.write(138 - 11, bits: 7)  // literals 1…138: none
        writer.huffman(zeroRun); writer.write(117 - 11, bits: 7)  // literals 139…255: none
        writer.huffman(lengthTwo)  // 256, end of block: 2 bits
        writer.huffman(zeroRun); writer.write(28 - 11, bits: 7)  // lengths 257…284: none
        writer.huffman(lengthOne)  // 285, length 258: 1 bit
        writer.huffman(lengthOne)  // distance code 0 (distance 1): 1 bit
        // Canonical literal/length codes: 285 → 0, literal 0 → 10, end of block → 11.
        for _ in 0..<literals { writer.huffman((0b10, 2)) }
        for _ in 0..<matches { writer.huffman((0b0, 1)); writer.huffman((0b0, 1)) }  // length 258, distance 1
        writer.huffman((0b11, 2))
        if final { writer.alignToByte() }
    }

    /// An empty non-final stored block: leaves the stream byte-aligned.
    private static func syncFlush(into writer: inout BitWriter) {
        writer.write(0, bits: 3)
        writer.alignToByte()
        writer.append([0x00, 0x00, 0xFF, 0xFF])
    }

    private static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}

/// Deflate's bit order: fields least-significant bit first, Huffman codes most-significant first.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var pending: UInt32 = 0
    private var pendingCount = 0

    mutating func write(_ value: UInt32, bits: Int) {
        for index in 0..<bits {
            pending |= ((value >> UInt32(index)) & 1) << UInt32(pendingCount)
            pendingCount += 1
            if pendingCount == 8 { flushByte() }
        }
    }

    mutating func huffman(_ code: (UInt32, Int)) {
        for index in stride(from: code.1 - 1, through: 0, by: -1) { write((code.0 >> UInt32(index)) & 1, bits: 1) }
    }

    mutating func alignToByte() {
        if pendingCount > 0 { flushByte() }
    }

    mutating func append(_ raw: [UInt8]) {
        precondition(pendingCount == 0)
        bytes += raw
    }

    private mutating func flushByte() {
        bytes.append(UInt8(pending & 0xFF))
        pending = 0
        pendingCount = 0
    }
}

/// gzip's CRC-32, of bytes or of `count` zero bytes without reading them (the CRC of 1 MiB of
/// zeros, then doubled with zlib's crc32_combine arithmetic: multiplication modulo the polynomial).
enum CRC32 {
    private static let polynomial: UInt32 = 0xEDB8_8320

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ polynomial : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func ofZeros(count: Int) -> UInt32 {
        var length = 1 << 20
        var crc = checksum([UInt8](repeating: 0, count: length))
        precondition(count % length == 0 && (count / length) & (count / length - 1) == 0, "a power-of-two multiple of 1 MiB")
        while length < count {
            crc = combine(crc, crc, secondLength: length)
            length *= 2
        }
        return crc
    }

    private static func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var mask: UInt32 = 1 << 31
        var product: UInt32 = 0
        var factor = b
        while true {
            if a & mask != 0 {
                product ^= factor
                if a & (mask - 1) == 0 { break }
            }
            mask >>= 1
            factor = factor & 1 != 0 ? (factor >> 1) ^ polynomial : factor >> 1
        }
        return product
    }

    /// x^(8·length) modulo the polynomial.
    private static func shift(bytes length: Int) -> UInt32 {
        var powers: [UInt32] = [1 << 30]  // x^1
        for _ in 1..<64 { powers.append(multiply(powers[powers.count - 1], powers[powers.count - 1])) }
        var result: UInt32 = 1 << 31  // x^0
        var n = length
        var k = 3
        while n != 0 {
            if n & 1 != 0 { result = multiply(powers[k], result) }
            n >>= 1
            k += 1
        }
        return result
    }

    private static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int) -> UInt32 {
        multiply(shift(bytes: secondLength), first) ^ second
    }
}

/// A gzip member made of stored (uncompressed) deflate blocks: a real gzip file of `bytes`
/// without needing a compressor.
enum GzipStored {
    static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + 65_535)
            let length = UInt16(end - offset)
            out += [end == bytes.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += bytes[offset..<end]
            offset = end
        } while offset < bytes.count
        for value in [CRC32.checksum(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
            out += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        }
        return out
    }
}
