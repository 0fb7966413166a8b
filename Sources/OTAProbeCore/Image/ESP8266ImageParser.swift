/// Streaming parser for ESP8266 bodies: a plain app image, or Arduino's eboot+app .bin.
///
/// Feed it the body in any chunking; `finish()` describes what arrived so far as if the body ended
/// there. State is bounded (two walkers, 8 captured CRC bytes, the last 4 bytes, a running CRC),
/// whatever the body size.
public struct ESP8266ImageParser: Sendable {
    /// Where elf2bin puts the sketch (eboot is padded to this).
    public static let arduinoAppOffset = 0x1000
    /// The irom0 load address of a sketch at 0x1000: 0x40200000 + 0x1000 + 8 + 8.
    static let arduinoIrom0Address: UInt32 = 0x4020_1010

    private var position = 0
    private var first = SegmentedImageWalker(layout: .esp8266, captureLength: 0)
    private var second: SegmentedImageWalker?
    private var crc = ArduinoCRC32()
    private var crcWords: [UInt8] = []
    private var tail: [UInt8] = []

    public init() {}

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var index = 0
        while index < chunk.count {
            // Stop at 0x1000 so the second walker starts exactly there, and after the CRC words
            // so the stamped length bounds the CRC from the next byte on.
            let boundary = [Self.arduinoAppOffset, ArduinoFlashCRC.lengthOffset + 8].first { $0 > position } ?? Int.max
            let take = min(chunk.count - index, boundary - position)
            process(UnsafeRawBufferPointer(rebasing: chunk[index..<(index + take)]))
            index += take
            if position == Self.arduinoAppOffset, second == nil, first.phase == .done {
                second = SegmentedImageWalker(layout: .esp8266, captureLength: 8)
            }
        }
    }

    public mutating func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { feed($0) } }

    private mutating func process(_ bytes: UnsafeRawBufferPointer) {
        let start = position
        if !first.isFinished { first.consume(bytes) }
        if second != nil, !second!.isFinished { second!.consume(bytes) }
        if start < Self.arduinoAppOffset || second != nil { updateCRC(bytes, at: start) }
        tail.append(contentsOf: bytes.suffix(4))
        if tail.count > 4 { tail.removeFirst(tail.count - 4) }
        position += bytes.count
    }

    /// Runs the CRC over bytes below the stamped length, with the two stamped words as zero.
    private mutating func updateCRC(_ bytes: UnsafeRawBufferPointer, at start: Int) {
        let wordsStart = ArduinoFlashCRC.lengthOffset, wordsEnd = wordsStart + 8
        let limit = crcWords.count == 8 ? Int(crcWords.littleEndianUInt32(at: 0) ?? 0) : Int.max
        let end = min(start + bytes.count, limit)
        var offset = start
        while offset < end {
            if offset >= wordsStart, offset < wordsEnd {
                let run = min(end, wordsEnd) - offset
                crcWords.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(offset - start)..<(offset - start + run)]))
                crc.update(zeros: run)
                offset += run
            } else {
                let run = (offset < wordsStart ? min(end, wordsStart) : end) - offset
                crc.update(UnsafeRawBufferPointer(rebasing: bytes[(offset - start)..<(offset - start + run)]))
                offset += run
            }
        }
    }

    /// The description of the body so far, treating the stream as ended.
    public func finish() -> ESP8266FirmwareInfo {
        let firstInfo = first.header.isEmpty || first.phase == .notAnImage ? nil : ESP8266ImageInfo(offset: 0, walker: first, ended: true)
        var bootloader: ESP8266ImageInfo?
        var app = firstInfo
        var arduinoCRC: ArduinoFlashCRC?
        if let second, !second.header.isEmpty, second.phase != .notAnImage {
            bootloader = firstInfo
            let appInfo = ESP8266ImageInfo(offset: Self.arduinoAppOffset, walker: second, ended: true)
            app = appInfo
            if crcWords.count == 8, appInfo.segments.first?.loadAddress == Self.arduinoIrom0Address,
               let length = crcWords.littleEndianUInt32(at: 0), let stored = crcWords.littleEndianUInt32(at: 4) {
                let words = second.firstSegmentPrefix
                let patchXor = words.reduce(UInt8(0), ^)
                let unpatched = second.computedChecksum ^ patchXor
                arduinoCRC = ArduinoFlashCRC(
                    storedLength: length, storedCRC: stored,
                    computedCRC: Int(length) > ArduinoFlashCRC.lengthOffset + 8 && position >= Int(length) ? crc.value : nil,
                    checksumMatchesWithoutCRCWords: second.storedChecksum.map { $0 == unpatched } ?? false)
            }
        }
        var signature: ArduinoSignature?
        if let end = app?.endOffset, tail.count == 4, let word = tail.littleEndianUInt32(at: 0) {
            signature = ArduinoSignature.detect(lengthWord: word, trailing: position - end, appEnd: end)
        }
        return ESP8266FirmwareInfo(bootloader: bootloader, app: app, totalLength: position, arduinoCRC: arduinoCRC, signature: signature)
    }
}
