import Crypto

/// The partition table a merged ESP32 image carries at 0x8000: 32-byte `esp_partition_info_t`
/// records (magic 0x50AA, type, subtype, offset, size, label[16], flags), ended by an MD5 record
/// (0xEBEB) or erased flash (esp-idf v5.5.5:components/bootloader_support/include/esp_flash_partitions.h:16-17,
/// 94-101; components/partition_table/gen_esp32part.py:22-24, 386-415).
///
/// Only the first 0xC00 bytes can hold records, so collecting it is bounded.
public struct PartitionTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let type: UInt8
        public let subtype: UInt8
        public let offset: UInt32
        public let size: UInt32
        public let label: String
        public let flags: UInt32

        /// Type 0 = app; subtype 0x00 factory, 0x10–0x1F ota_0..15, 0x20 test.
        public var isApp: Bool { type == 0 }

        public var kindName: String {
            switch (type, subtype) {
            case (0, 0x00): return "factory"
            case (0, 0x10...0x1F): return "ota_\(subtype - 0x10)"
            case (0, 0x20): return "test"
            case (0, _): return "app"
            case (1, 0x00): return "otadata"
            case (1, 0x01): return "phy"
            case (1, 0x02): return "nvs"
            case (1, 0x81): return "fat"
            case (1, 0x82): return "spiffs"
            case (1, 0x83): return "littlefs"
            case (1, _): return "data"
            default: return "type \(type)"
            }
        }
    }

    public static let offset = 0x8000
    public static let maximumLength = 0xC00

    public let entries: [Entry]
    /// nil when the table has no MD5 record.
    public let md5Valid: Bool?

    /// Parses the collected bytes; nil when they do not start with a partition record.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 32, bytes[0] == 0xAA, bytes[1] == 0x50 else { return nil }
        var entries: [Entry] = []
        var md5Valid: Bool?
        var position = 0
        while position + 32 <= bytes.count {
            let record = Array(bytes[position..<(position + 32)])
            if record[0] == 0xEB, record[1] == 0xEB {
                let computed = Array(Insecure.MD5.hash(data: bytes[0..<position]))
                md5Valid = computed == Array(record[16..<32])
                break
            }
            guard record[0] == 0xAA, record[1] == 0x50 else { break }
            entries.append(Entry(type: record[2], subtype: record[3], offset: record.littleEndianUInt32(at: 4) ?? 0,
                                 size: record.littleEndianUInt32(at: 8) ?? 0, label: record.cString(at: 12, length: 16),
                                 flags: record.littleEndianUInt32(at: 28) ?? 0))
            position += 32
        }
        self.entries = entries
        self.md5Valid = md5Valid
    }

    /// The app the bootloader would start on a fresh flash: factory, else ota_0, else the first app.
    public var bootApp: Entry? {
        entries.first { $0.type == 0 && $0.subtype == 0 } ?? entries.first { $0.type == 0 && $0.subtype == 0x10 } ?? entries.first { $0.isApp }
    }
}
