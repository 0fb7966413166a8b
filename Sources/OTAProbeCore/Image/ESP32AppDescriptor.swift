/// `esp_app_desc_t`, the 256-byte record at the start of an app's first segment (image offset 32):
/// what the firmware says it is. esp_https_ota hands it to the application, which is where version
/// checks happen (spec B7), so it is what a user compares against the running firmware.
///
/// Layout: esp-idf v5.5.5:components/esp_app_format/include/esp_app_desc.h:21-41 — magic
/// 0xABCD5432 at 0, secure_version at 4, reserv1[2] at 8, version[32] at 16, project_name[32] at 48,
/// time[16] at 80, date[16] at 96, idf_ver[32] at 112, app_elf_sha256[32] at 144,
/// min/max_efuse_blk_rev_full at 176/178, mmu_page_size at 180 (esptool v5.6.0 reads the same
/// fields, esptool v5.6.0:esptool/cmds.py:2912-2955).
public struct ESP32AppDescriptor: Sendable, Equatable {
    public static let magic: UInt32 = 0xABCD_5432
    public static let size = 256

    public let secureVersion: UInt32
    public let version: String
    public let projectName: String
    public let time: String
    public let date: String
    public let idfVersion: String
    public let appELFSHA256: [UInt8]
    public let minEfuseBlockRevisionFull: UInt16
    public let maxEfuseBlockRevisionFull: UInt16
    /// log2 of the MMU page size; 0 when the build did not record it.
    public let mmuPageSizeLog2: UInt8

    /// Decodes the record; nil when the magic word is wrong or fewer than 256 bytes are available.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= Self.size, bytes.littleEndianUInt32(at: 0) == Self.magic else { return nil }
        secureVersion = bytes.littleEndianUInt32(at: 4) ?? 0
        version = bytes.cString(at: 16, length: 32)
        projectName = bytes.cString(at: 48, length: 32)
        time = bytes.cString(at: 80, length: 16)
        date = bytes.cString(at: 96, length: 16)
        idfVersion = bytes.cString(at: 112, length: 32)
        appELFSHA256 = Array(bytes[144..<176])
        minEfuseBlockRevisionFull = bytes.littleEndianUInt16(at: 176) ?? 0
        maxEfuseBlockRevisionFull = bytes.littleEndianUInt16(at: 178) ?? 0
        mmuPageSizeLog2 = bytes[180]
    }

    public var summary: String {
        "project \"\(projectName)\" version \"\(version)\", built \(date) \(time) with ESP-IDF \(idfVersion), secure_version \(secureVersion)"
    }
}
