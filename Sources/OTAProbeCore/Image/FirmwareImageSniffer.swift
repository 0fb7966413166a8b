/// Decides what a firmware body is while it streams past, and runs the matching parsers.
///
/// Feed the body in any chunking (the answer does not depend on it); call `finish()` at any time
/// for the view of what has arrived. Memory is bounded: a prefix of at most `prefixLimit` bytes
/// (for gzip inflation and signature checks), the 0xC00-byte partition table of a merged image,
/// and the parsers' own bounded state. Nothing is held beyond that, whatever the body size.
///
/// Layout knowledge: ESP8266 vs ESP32 by `ImageFamily.classify`; merged ESP32 images by an image at
/// 0x0 (or 0xFF padding and an image at 0x1000/0x2000, `ESP32Chip.bootloaderOffset`) plus a
/// partition table at 0x8000 (`PartitionTable`); LittleFS by the "littlefs" magic at offset 8 of
/// the superblock in block 0 or 1 (littlefs `lfs.c` superblock: revision, tag, "littlefs"; block
/// sizes 4096 and 8192 as mklittlefs uses for ESP32/ESP8266); ELF by `7F 45 4C 46`.
public struct FirmwareImageSniffer: Sendable {
    /// How many inflated bytes to look at inside gzip: eboot, padding, and the sketch header at 0x1000.
    public static let defaultInflateLimit = 0x1000 + 0x400

    public let prefixLimit: Int
    public let inflateLimit: Int
    private var position = 0
    private var prefix: [UInt8] = []
    private var tail: [UInt8] = []
    private var familyDecided = false
    private var esp8266: ESP8266ImageParser?
    private var esp32: ESP32ImageParser?
    private var bootloader: ESP32ImageParser?
    private var tableBytes: [UInt8]?
    private var table: PartitionTable?
    private var appPartition: PartitionTable.Entry?
    private var app: ESP32ImageParser?

    private static let familyCheckpoint = 24
    private static let tableEnd = PartitionTable.offset + PartitionTable.maximumLength

    public init(prefixLimit: Int = 64 << 10, inflateLimit: Int = FirmwareImageSniffer.defaultInflateLimit) {
        self.prefixLimit = max(prefixLimit, 0x2010)
        self.inflateLimit = inflateLimit
    }

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var index = 0
        while index < chunk.count {
            let next = nextCheckpoint()
            let take = min(chunk.count - index, next - position)
            process(UnsafeRawBufferPointer(rebasing: chunk[index..<(index + take)]))
            index += take
            if position == next { checkpoint() }
        }
    }

    public mutating func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { feed($0) } }

    private func nextCheckpoint() -> Int {
        var points = [Self.familyCheckpoint, 0x1000, 0x2000, PartitionTable.offset, Self.tableEnd]
        if let appPartition { points.append(Int(appPartition.offset)) }
        return points.filter { $0 > position }.min() ?? Int.max
    }

    private mutating func process(_ bytes: UnsafeRawBufferPointer) {
        if prefix.count < prefixLimit { prefix.append(contentsOf: bytes.prefix(prefixLimit - prefix.count)) }
        esp8266?.feed(bytes)
        esp32?.feed(bytes)
        bootloader?.feed(bytes)
        app?.feed(bytes)
        if tableBytes != nil, position < Self.tableEnd { tableBytes!.append(contentsOf: bytes.prefix(Self.tableEnd - position)) }
        tail.append(contentsOf: bytes.suffix(8))
        if tail.count > 8 { tail.removeFirst(tail.count - 8) }
        position += bytes.count
    }

    private mutating func checkpoint() {
        switch position {
        case Self.familyCheckpoint:
            decideFamily()
        case 0x1000, 0x2000:
            if prefix.first == 0xFF, bootloader.map({ !$0.isImage }) ?? true {
                bootloader = ESP32ImageParser(offset: position)
            }
        case PartitionTable.offset:
            if esp32 != nil || bootloader?.isImage == true { tableBytes = [] }
        case Self.tableEnd:
            if let bytes = tableBytes { adoptTable(bytes) }
        default:
            if let appPartition, position == Int(appPartition.offset), app == nil {
                app = ESP32ImageParser(offset: position)
            }
        }
    }

    private mutating func decideFamily() {
        guard !familyDecided else { return }
        familyDecided = true
        guard prefix.first == 0xE9 else { return }
        let replay = Array(prefix.prefix(position))
        if ImageFamily.classify(header: replay) == .esp8266 {
            var parser = ESP8266ImageParser()
            parser.feed(replay)
            esp8266 = parser
        } else {
            var parser = ESP32ImageParser()
            parser.feed(replay)
            esp32 = parser
        }
    }

    private mutating func adoptTable(_ bytes: [UInt8]) {
        guard let parsed = PartitionTable(bytes) else { return }
        table = parsed
        if let boot = parsed.bootApp, Int(boot.offset) >= Self.tableEnd { appPartition = boot }
    }

    /// The description of the body so far, treating the stream as ended.
    public func finish() -> FirmwareImageReport {
        var copy = self
        if !copy.familyDecided { copy.decideFamily() }
        if copy.table == nil, let bytes = copy.tableBytes { copy.adoptTable(bytes) }
        return copy.report()
    }

    private func report() -> FirmwareImageReport {
        func make(_ kind: ImageKind, esp8266: ESP8266FirmwareInfo? = nil, esp32: ESP32ImageInfo? = nil,
                  merged: ESP32MergedImageInfo? = nil, gzip: GzipImageInfo? = nil, elf: ELFInfo? = nil) -> FirmwareImageReport {
            FirmwareImageReport(kind: kind, length: position, esp8266: esp8266, esp32: esp32, merged: merged, gzip: gzip, elf: elf)
        }
        guard let first = prefix.first else { return make(.empty) }
        if let esp8266 {
            let info = esp8266.finish()
            return make(info.isArduinoCombined ? .esp8266ArduinoCombined : .esp8266App, esp8266: info)
        }
        let bootImage = esp32?.finish() ?? bootloader?.finish()
        if let table {
            let merged = ESP32MergedImageInfo(bootloader: bootImage, partitionTable: table, appPartition: table.bootApp, app: app?.finish())
            return make(.esp32Merged(merged.chip), merged: merged)
        }
        if let image = esp32?.finish() {
            return make(image.looksLikeBootloader ? .esp32Bootloader(image.chip) : .esp32App(image.chip), esp32: image)
        }
        if first == 0xFF, let image = bootloader?.finish() {
            // 0xFF padding then a bootloader, but the body ended before the partition table.
            return make(.esp32Merged(image.chip), esp32: image)
        }
        if prefix.starts(with: [0x1F, 0x8B]) { return gzipReport(make) }
        if let elf = ELFInfo(prefix) { return make(.elf, elf: elf) }
        let magic = Array("littlefs".utf8)
        if [8, 0x1008, 0x2008].contains(where: { prefix.count >= $0 + 8 && Array(prefix[$0..<($0 + 8)]) == magic }) {
            return make(.littleFS)
        }
        return make(.unknown)
    }

    private func gzipReport(_ make: (ImageKind, ESP8266FirmwareInfo?, ESP32ImageInfo?, ESP32MergedImageInfo?, GzipImageInfo?, ELFInfo?) -> FirmwareImageReport) -> FirmwareImageReport {
        let size = tail.count == 8 && position >= 18 ? tail.littleEndianUInt32(at: 4) : nil
        let header: GzipHeader
        do {
            header = try GzipHeader(prefix)
        } catch {
            let info = GzipImageInfo(header: nil, headerError: error, uncompressedSize: size, inflatedCount: 0, inflateError: nil, inner: nil)
            return make(.gzip, nil, nil, nil, info, nil)
        }
        var inflated: [UInt8] = []
        var failure: InflateError?
        do {
            inflated = try RawInflater.inflate(prefix, from: header.length, limit: inflateLimit).output
        } catch {
            failure = error
        }
        var inner: ESP8266FirmwareInfo?
        if inflated.first == 0xE9, ImageFamily.classify(header: Array(inflated.prefix(24))) == .esp8266 {
            var parser = ESP8266ImageParser()
            parser.feed(inflated)
            inner = parser.finish()
        }
        let info = GzipImageInfo(header: header, headerError: nil, uncompressedSize: size, inflatedCount: inflated.count,
                                 inflateError: failure, inner: inner)
        return make(inner == nil ? .gzip : .esp8266Gzip, nil, nil, nil, info, nil)
    }
}
