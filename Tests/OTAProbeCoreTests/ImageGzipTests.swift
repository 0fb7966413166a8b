import Testing
@testable import OTAProbeCore

/// Fixtures made once by `Tests/ImageCrossCheck/make_gzip_fixtures.py` with Python's zlib/gzip.
enum GzipFixtures {
    // gzipImage: 144 bytes, first block type 1
    static let gzipImage = "1f8b08000000000002037bc9c4e4c0c220e0c000c4408281819d4f544659cbd0c2decd37243a29b3a0bcaeb567f2ac852bd66fdb7be4f4a59b0f9ebffbfa87994b50425e4dd7c4dac933203c2e35a7b8aab1a37fdadc25ab37ed6468f867af00348655485ec7d22d3821b7aa7dcac275bb4f5c7df4fe0fa798b281ad57784a615df70c0608f00700935f61dc80000000"
    // storedBlock: 205 bytes, first block type 0
    static let storedBlock = "01c80037ff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7"
    // fixedBlock: 10 bytes, first block type 1
    static let fixedBlock = "cb48cdc9c957c8402701"
    // dynamicBlock: 1855 bytes, first block type 2
    static let dynamicBlock = "edd5439220080200c0b26ddbb66ddbb66dbbabcbb66ddbb66ddb36e7be3fd8883ee51312001004120193844950c9d42bbe62e4108858cc3aa1eb1445d8a5740b45366c1844346c0655affc4534e5823fe556aa14cc62922115c07a4da29d261f231e260232023601b380ae536ad30e388365d606ba4afe294bf42e5be6bbce0c77255e0e7626411defb4c15f8ee0712cd7439901e17ea93d2fdcc5485188958a100b0d1909190d9b88865d44d9c43daaa87bed198555c3af78e69d4c35b4e3964c3f63154d23738fdca11342a3fc4bb10c50a703d36b5ba81cc9ef526b92af91aa083f0b3b0bbf88a659605ae73a00ad5a6cdf0fb7c708bc461da8560f61d083feacd08060bfc892e17d28c1900974a33ec24c9808f864b221ebaf8bb18a380f0b2d05290929051d2b9fa49aa95b446ecbec05389984755ceb1e348745fa14208763d505a555f50367d00cb655279c71078afd1475d4ad4a1769dcb7cdb6c2086f0b630d6d0d532bdfa8d2ae1d402245afc6631cc3bc0b669f25ca8023d17284e0478b33d3638bb710cc6a91b308fad550b6872a0beadbce704d7aa8ab9996bc183f173b1b07b780b882b685477856fdd8fe1716a7966fc1f8039eb457e50eb25448ef17b74f2f884cf21eadcf3481db3459e00e6f0e90f90c7b01bcdf9df19afc98709f40bfc8b8c2bac943205231d7bc1558a1d06128f5820ff95230cb69960aecd81f11d0b11855bcf3963f6a54bf2bb511e66214d077ab7d9569619e36861a8a32529252b24a9a4676de119935831b4ff034d236b14d5ba00cba51dd7764ba29f370b2310be87aa50ffc317bcc61bb1c89770af5289e7b924d44f140ae17861b6a8b4a8b6a9b4657ee208924ad3247be18cd2acf697cc7319c27c9621fb566f81ba96a189b79e60c9f6369963c8867fd595e9a5cb840e70b3d9519917ece5626fa3ada3afa2636ae01d159d57d2bd760847cba7e05a337e842f63973c01cf665870406f947940eed204af90fa219f75225c0468364910f3aa32c85287fbf5cae2d8e4d8e2d6e5c7fc2d18ad926f45f62a946cd202a155ef3a4dfca3461fa3d18af2a2ca9ae1b3c85e0362bbce5883f966aa3ac65e851be8ee7baabb2e3427ddd1ced6ced9cdcfdfe26e4d6f42d9efd62302b38c437ad0350aa04d51fa04a0576bc303b35be70074da19b3482a85781e8b6a1ba2c73e480daad8b359365c087fe7abdbabd7903fc45c8a46893dc7284c8e7d9f0c4ea36826cd083eeb0c65b8c10f9edf2e6f91d8a5225b8ee8a3660833de9cff1d51322877b3d98eda92b4c8b0d0b0e08080c098f4b2f6ae85f38fe40a412330e2a1cb944e2314f1a7c22d7499a86100d1986904bdea1741b46b3ea45b39f200f3d93ae430fb8d418e3ac224c438c820a878a464a27aae19ed0be09c66a92bf8aa49975c11976c09df26538c956439c8996435acd3167fa9dc97396c07f5bac8b7354e124807c3a981f68aec8cf48494c484cc92ca86a1d5a3c7a8521e1d5704d6a5efb2195f32c5906e3b22fd9c5524f59c33628bde30e5ba3f499a708dce24affd01da04cf8b1de90ee61ae20c9c5c9c4c925a962ed93ddb20548a11d31fcc9e63bf84bb71a44bf1327fc566b41bc976748725ee72982b4dff0478b11ea64b020d84c9a0907fce97069b4aba9baacb8a8b8aca6b9677ce5f8050a9f4ddeea6fc9d82502bb4164db19a64c60db3d8d55f905ad533b905ce60577cc2157d2ad4c258cfd124f3182ef95ee9c58375b3d5d355d037b8ff882fe4d007219ff9a33429de253bac07992d07d812a54bf17db638333dbe740943ac9e350aa8d08eedb7253b2879e281d26d8f3c9c6ec486f476b4b5b67dfe8dce6d91b240ea384a14f46fbc63791a453cee407b55ee20408bf4fe7177fc814aa41f5976cde8b6c09a05e375ed0a95c2b51ec8fc3a1c6acc4a0409fe090e49ce6911360026987e24528f1803158a5d257a90a709339ce52b404e8d01f09b8e51c4b36d0950a7f357aa8d391b2480775016a0c88f7abfdb5f9a989f189e985f5839b4f286c3a612d97d8aac92b78169d3f75db30bc0e25db688a31d3704aa93be44ebd70068d10fa6dc80e738c49ef06e32c058841cf56fb5a2bca0bca2bda0736af21c845ec5326df69ac4bae183da670ed66a8235ef427b95ae82b69da04a775de1218e75df11682381feb1dd941964a7cd458d03f8f1747bb5b9b5bbb4757cf00b038b4026ab6a1f93ddb3f44e276a903b7780ac16db714c6797b8426e5779c210b844ec3588e1364c107c225d04e5be24dc449e03e4fb667a647a66776cf7e9029a42d52bb6ef015e22761d473ee04931e14eb51826ff53654e715b64cef0331da549f33855e2af4309753b5493ea60abc34b80860df2ff737d7370faf3fe048f87402ca16fe698d7377882c9a01e54b408c46c913805c6e8d0fcc6e9d4032a947cc21ab3421db1cc94faa6d787f6e3447584bb062c1fc3fdc5f3c3e03c0e3b0cb38c675eec308bbb4de33780fc2997622b92e7394a186fc793ebbfc456096f36c7960f75aa2cd04f1be77064a63dc8de4f9188831e021800100fefdf7efbf7ffffdfbefffec3f5165050e2636b67ffc0fff01"

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { $0 <= 57 ? $0 - 48 : $0 - 87 }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}

@Suite("gzip and raw DEFLATE")
struct ImageGzipTests {
    @Test func storedBlock() throws {
        let result = try RawInflater.inflate(GzipFixtures.bytes(GzipFixtures.storedBlock), limit: 10_000)
        #expect(result.output == (0..<200).map { UInt8($0) })
        #expect(result.status == .streamEnded)
    }

    @Test func fixedHuffmanBlock() throws {
        let result = try RawInflater.inflate(GzipFixtures.bytes(GzipFixtures.fixedBlock), limit: 10_000)
        #expect(result.output == Array("hello hello hello hello".utf8))
        #expect(result.status == .streamEnded)
    }

    @Test func dynamicHuffmanBlock() throws {
        let expected = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * $0 + $0 / 7) } + Array(String(repeating: "ESP8266", count: 40).utf8)
        let input = GzipFixtures.bytes(GzipFixtures.dynamicBlock)
        let whole = try RawInflater.inflate(input, limit: 10_000)
        #expect(whole.output == expected)
        #expect(whole.status == .streamEnded)
        #expect(whole.consumed == input.count)
        let prefix = try RawInflater.inflate(input, limit: 300)
        #expect(prefix.output == Array(expected.prefix(300)))
        #expect(prefix.status == .limitReached)
        let cut = try RawInflater.inflate(Array(input.prefix(input.count / 2)), limit: 10_000)
        #expect(cut.status == .inputExhausted)
        #expect(expected.starts(with: cut.output))
    }

    @Test func invalidData() {
        #expect(throws: InflateError.reservedBlockType) { try RawInflater.inflate([0x07], limit: 10) }
        #expect(throws: InflateError.storedLengthMismatch) { try RawInflater.inflate([0x01, 0x05, 0x00, 0x00, 0x00], limit: 10) }
    }

    @Test func gzipHeader() throws {
        let header = try GzipHeader(GzipFixtures.bytes(GzipFixtures.gzipImage))
        #expect(header.length == 10)
        #expect(throws: GzipHeader.ParseError.badMagic) { try GzipHeader([0x1F, 0x8C, 8, 0, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: GzipHeader.ParseError.truncated) { try GzipHeader([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3, 0x61]) }
        let named = try GzipHeader([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3] + Array("app.bin".utf8) + [0, 0x4B])
        #expect(named.fileName == "app.bin")
        #expect(named.length == 18)
    }

    @Test func gzipESP8266ImageIsIdentifiedFromItsInflatedStart() throws {
        let bytes = GzipFixtures.bytes(GzipFixtures.gzipImage)
        let report = sniff(bytes)
        #expect(report.kind == .esp8266Gzip)
        let gzip = try #require(report.gzip)
        let image = ImageFixtures.gzipFixtureImage()
        #expect(gzip.uncompressedSize == UInt32(image.count))
        #expect(gzip.inflatedCount == image.count)
        let app = try #require(gzip.inner?.app)
        #expect(app.segments.map(\.loadAddress) == [0x4010_0000, 0x3FFE_8000])
        #expect(app.flash.sizeName == "4MB")
        #expect(app.checksum.isValid)
        #expect(report.summary.contains("gzip"))
    }

    @Test func gzipOfSomethingElse() {
        // gzip header + the stored block (200 bytes 0…199): not an image inside.
        let bytes = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + GzipFixtures.bytes(GzipFixtures.storedBlock) + [UInt8](repeating: 0, count: 8)
        let report = sniff(bytes)
        #expect(report.kind == .gzip)
        #expect(report.gzip?.inflatedCount == 200)
        #expect(report.gzip?.inner == nil)
    }
}
