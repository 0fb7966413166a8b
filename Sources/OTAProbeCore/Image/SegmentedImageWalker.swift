import Crypto

/// The streaming state machine shared by ESP8266 and ESP32 images, which have the same skeleton:
/// header, `segment_count` × (8-byte segment header + data), zero padding up to the byte that makes
/// the image a multiple of 16, the checksum byte, and (ESP32, `hash_appended`) 32 bytes of SHA-256.
/// (esptool v5.6.0:esptool/bin_image.py:512-531 and 708-768; esp-idf
/// v5.5.5:components/bootloader_support/src/esp_image_format.c:1045-1062.)
///
/// It sees each byte once and keeps only the header, the segment table, the first bytes of the
/// first segment (for `esp_app_desc_t` or Arduino's CRC words), a running XOR and a running
/// SHA-256: memory is bounded by the segment count (≤ 255), not by the image size.
struct SegmentedImageWalker: Sendable {
    enum Layout: Sendable {
        /// 8-byte header (`ESP8266ROMFirmwareImage`).
        case esp8266
        /// 24-byte `esp_image_header_t`.
        case esp32

        var headerLength: Int { self == .esp8266 ? 8 : 24 }
    }

    enum Phase: Sendable, Equatable {
        case header, segmentHeader, segmentData, padding, checksum, digest, done
        /// The first byte was not 0xE9.
        case notAnImage
    }

    let layout: Layout
    let captureLength: Int
    private(set) var phase: Phase = .header
    /// Bytes of this image consumed so far (offset relative to the image start).
    private(set) var consumed = 0
    private(set) var header: [UInt8] = []
    private(set) var segments: [ImageSegment] = []
    /// The first `captureLength` data bytes of segment 0.
    private(set) var firstSegmentPrefix: [UInt8] = []
    private(set) var computedChecksum: UInt8 = 0xEF
    private(set) var storedChecksum: UInt8?
    private(set) var storedDigest: [UInt8] = []
    private(set) var computedDigest: [UInt8]?
    private(set) var hashAppended = false
    private var segmentHeader: [UInt8] = []
    private var remainingInSegment = 0
    private var sha: SHA256?

    init(layout: Layout, captureLength: Int) {
        self.layout = layout
        self.captureLength = captureLength
    }

    var isFinished: Bool { phase == .done || phase == .notAnImage }
    var declaredSegmentCount: Int { header.count > 1 ? Int(header[1]) : 0 }
    /// Offset just past the image (after the checksum, or after the digest when one is appended).
    var endOffset: Int? { phase == .done ? consumed : nil }
    /// Offset of the checksum byte once it was read.
    private(set) var checksumAt: Int?

    /// Consumes image bytes and returns how many belonged to the image; fewer than offered means
    /// the image ended (or the bytes are not an image) and the rest is someone else's.
    @discardableResult
    mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index < bytes.count, !isFinished {
            let available = bytes.count - index
            let hashed = phase != .digest
            let start = index
            switch phase {
            case .header:
                if header.isEmpty, bytes[index] != 0xE9 { phase = .notAnImage; return 0 }
                let take = min(available, layout.headerLength - header.count)
                header.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                consumed += take
                if header.count == layout.headerLength { headerComplete() }
                continue
            case .segmentHeader:
                let take = min(available, 8 - segmentHeader.count)
                segmentHeader.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                consumed += take
                if segmentHeader.count == 8 { segmentHeaderComplete() }
            case .segmentData:
                let take = min(available, remainingInSegment)
                let slice = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)])
                var xor = computedChecksum
                for byte in slice { xor ^= byte }
                computedChecksum = xor
                if segments.count == 1, firstSegmentPrefix.count < captureLength {
                    firstSegmentPrefix.append(contentsOf: slice.prefix(captureLength - firstSegmentPrefix.count))
                }
                index += take
                consumed += take
                remainingInSegment -= take
                if remainingInSegment == 0 { segmentDataComplete() }
            case .padding:
                let take = min(available, 15 - consumed % 16)
                index += take
                consumed += take
                if consumed % 16 == 15 { phase = .checksum }
            case .checksum:
                storedChecksum = bytes[index]
                checksumAt = consumed
                index += 1
                consumed += 1
                if var running = sha {
                    running.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                    computedDigest = Array(running.finalize())
                    sha = nil
                    phase = .digest
                } else {
                    phase = .done
                }
                continue
            case .digest:
                let take = min(available, 32 - storedDigest.count)
                storedDigest.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                consumed += take
                if storedDigest.count == 32 { phase = .done }
            case .done, .notAnImage:
                break
            }
            if hashed, index > start {
                sha?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            }
        }
        return index
    }

    private mutating func headerComplete() {
        if layout == .esp32 {
            hashAppended = header[23] != 0
            if hashAppended {
                var digest = SHA256()
                header.withUnsafeBytes { digest.update(bufferPointer: $0) }
                sha = digest
            }
        }
        phase = declaredSegmentCount == 0 ? .padding : .segmentHeader
        if phase == .padding, consumed % 16 == 15 { phase = .checksum }
    }

    private mutating func segmentHeaderComplete() {
        let address = segmentHeader.littleEndianUInt32(at: 0) ?? 0
        let length = segmentHeader.littleEndianUInt32(at: 4) ?? 0
        segments.append(ImageSegment(index: segments.count, loadAddress: address, length: length,
                                     headerOffset: consumed - 8, isComplete: length == 0))
        segmentHeader.removeAll(keepingCapacity: true)
        remainingInSegment = Int(length)
        if length == 0 { segmentDataComplete() } else { phase = .segmentData }
    }

    private mutating func segmentDataComplete() {
        let last = segments.count - 1
        let segment = segments[last]
        segments[last] = ImageSegment(index: segment.index, loadAddress: segment.loadAddress, length: segment.length,
                                      headerOffset: segment.headerOffset, isComplete: true)
        if segments.count < declaredSegmentCount {
            phase = .segmentHeader
        } else {
            phase = consumed % 16 == 15 ? .checksum : .padding
        }
    }

    /// Structural findings so far, plus truncation when the stream is over (`ended`).
    func problems(base: Int, ended: Bool) -> [ImageProblem] {
        var found: [ImageProblem] = []
        if declaredSegmentCount > 16 { found.append(.tooManySegments(declaredSegmentCount)) }
        for segment in segments {
            if segment.length % 4 != 0 { found.append(.segmentLengthNotWordAligned(segment: segment.index, length: segment.length)) }
            if segment.length >= 0x100_0000 { found.append(.segmentTooLarge(segment: segment.index, length: segment.length)) }
        }
        if layout == .esp32, header.count == 24 {
            if header[19..<23].contains(where: { $0 != 0 }) { found.append(.reservedHeaderBytesNotZero) }
            if header[23] > 1 { found.append(.unusualHashAppendedFlag(header[23])) }
        }
        if ended, !isFinished, consumed > 0 { found.append(.truncated(atOffset: base + consumed)) }
        return found
    }

    /// The checksum verdict as esptool computes it.
    var checksum: ChecksumCheck {
        guard let stored = storedChecksum else { return .unavailable }
        return stored == computedChecksum ? .valid(stored) : .invalid(stored: stored, computed: computedChecksum)
    }

    /// The appended-digest verdict.
    var digest: DigestCheck {
        guard hashAppended else { return header.count == layout.headerLength || layout == .esp8266 ? .notAppended : .unavailable }
        guard let computed = computedDigest, storedDigest.count == 32 else { return .unavailable }
        return computed == storedDigest ? .valid(digest: computed) : .invalid(stored: storedDigest, computed: computed)
    }

    /// Segments with absolute offsets.
    func segments(base: Int) -> [ImageSegment] {
        segments.map { ImageSegment(index: $0.index, loadAddress: $0.loadAddress, length: $0.length,
                                    headerOffset: base + $0.headerOffset, isComplete: $0.isComplete) }
    }
}
