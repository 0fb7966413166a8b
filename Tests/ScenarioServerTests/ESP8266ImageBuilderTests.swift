import Testing
@testable import ScenarioServer

@Suite(.timeLimit(.minutes(1))) struct ESP8266ImageBuilderTests {
    @Test func defaultHeaderBytes() {
        let image = ESP8266ImageBuilder().build()
        #expect(image.count == 300_000)
        // E9, 4 segments, DIO, 4 MB | 40 MHz, entry 0x40100004 little-endian.
        #expect(Array(image.prefix(8)) == [0xE9, 0x04, 0x02, 0x40, 0x04, 0x00, 0x10, 0x40])
    }

    @Test func headerFieldsFollowTheSettings() {
        let image = ESP8266ImageBuilder(totalSize: 8192, flashSizeNibble: 9, flashMode: 3, flashFrequency: 0xF, magic: 0xEA).build()
        #expect(image.count == 8192)
        #expect(Array(image.prefix(4)) == [0xEA, 0x04, 0x03, 0x9F])
    }

    @Test func checksumIsTheEFXorOfSegmentDataAtAnOffsetCongruentTo15Mod16() {
        let image = ESP8266ImageBuilder().build()
        var offset = 8
        var checksum: UInt8 = 0xEF
        for _ in 0..<Int(image[1]) {
            let size = Int(image[offset + 4]) | Int(image[offset + 5]) << 8 | Int(image[offset + 6]) << 16 | Int(image[offset + 7]) << 24
            offset += 8
            for byte in image[offset..<(offset + size)] { checksum ^= byte }
            offset += size
        }
        while offset % 16 != 15 {
            #expect(image[offset] == 0, "padding before the checksum is zeros")
            offset += 1
        }
        #expect(image[offset] == checksum)
        #expect(offset % 16 == 15)
    }

    @Test func deterministicAndSeeded() {
        #expect(ESP8266ImageBuilder().build() == ESP8266ImageBuilder().build())
        #expect(ESP8266ImageBuilder(fillerSeed: 7).build() != ESP8266ImageBuilder().build())
        #expect(md5Hex(ESP8266ImageBuilder().build()) == ServedBodies.standardImageMD5)
    }

    @Test func fillerIsNeverAllZeros() {
        let image = ESP8266ImageBuilder().build()
        let tail = image.suffix(4096)
        #expect(tail.contains { $0 != 0 })
        #expect(Set(tail).count > 200)
    }

    @Test func exactSizesIncludingTinyOnes() {
        for size in [0, 1, 4, 16, 7_000, 7_728, 7_729, 1_048_576] {
            let image = ESP8266ImageBuilder(totalSize: size).build()
            #expect(image.count == size, "size \(size)")
            if size >= 1 { #expect(image[0] == 0xE9) }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct DigestAndEncodingTests {
    @Test func md5HexKnownVectors() {
        #expect(md5Hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(md5Hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(md5Hex(Array("The quick brown fox jumps over the lazy dog".utf8)) == "9e107d9d372bb6826bd81d3542a419d6")
    }

    @Test func crc32KnownVector() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func storedGzipIsAValidMemberOfTheImage() {
        let image = ServedBodies.standardImage
        let gzip = StoredGzip.wrap(image)
        #expect(Array(gzip.prefix(4)) == [0x1F, 0x8B, 0x08, 0x00])
        // Walk the stored blocks and reassemble the payload.
        var offset = 10
        var payload: [UInt8] = []
        var sawFinal = false
        while !sawFinal {
            let header = gzip[offset]
            #expect(header & 0x06 == 0, "BTYPE 00 (stored)")
            sawFinal = header & 1 == 1
            let length = Int(gzip[offset + 1]) | Int(gzip[offset + 2]) << 8
            let complement = Int(gzip[offset + 3]) | Int(gzip[offset + 4]) << 8
            #expect(length ^ complement == 0xFFFF)
            payload += gzip[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
        }
        #expect(payload == image)
        let trailer = Array(gzip[offset...])
        #expect(trailer.count == 8)
        let crc = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        let size = UInt32(trailer[4]) | UInt32(trailer[5]) << 8 | UInt32(trailer[6]) << 16 | UInt32(trailer[7]) << 24
        #expect(crc == CRC32.checksum(image))
        #expect(size == UInt32(image.count))
    }

    @Test func storedGzipOfNothing() {
        #expect(StoredGzip.wrap([]) == [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func chunkedFramingOfSmallBodies() {
        #expect(ChunkedFraming.frame([]) == Array("0\r\n\r\n".utf8))
        #expect(ChunkedFraming.frame(Array("hello world".utf8), chunkSize: 5) == Array("5\r\nhello\r\n5\r\n worl\r\n1\r\nd\r\n0\r\n\r\n".utf8))
    }

    @Test func requestHeadBoundary() {
        #expect(RequestHeadBoundary.end(in: Array("GET / HTTP/1.0\r\n\r\nextra".utf8), searchingFrom: 0) == 18)
        #expect(RequestHeadBoundary.end(in: Array("GET / HTTP/1.0\n\n".utf8), searchingFrom: 0) == 16)
        #expect(RequestHeadBoundary.end(in: Array("GET / HTTP/1.0\r\nHost: x\r\n".utf8), searchingFrom: 0) == nil)
    }
}
