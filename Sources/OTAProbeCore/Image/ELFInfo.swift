/// An ELF file served where a .bin belongs: the build's `firmware.elf` instead of `firmware.bin`
/// is a classic upload mistake, and the device rejects it on its first byte (0x7F, not 0xE9).
/// Fields from the ELF identification and `e_machine` (System V ABI; Xtensa = 94, RISC-V = 243).
public struct ELFInfo: Sendable, Equatable {
    public let is64Bit: Bool
    public let isLittleEndian: Bool
    public let machine: UInt16

    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 20, bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else { return nil }
        is64Bit = bytes[4] == 2
        isLittleEndian = bytes[5] != 2
        machine = isLittleEndian ? (bytes.littleEndianUInt16(at: 18) ?? 0) : UInt16(bytes[18]) << 8 | UInt16(bytes[19])
    }

    public var machineName: String {
        switch machine {
        case 94: return "Xtensa (ESP8266, ESP32, ESP32-S2/S3)"
        case 243: return "RISC-V (ESP32-C/H/P series)"
        case 62: return "x86-64"
        case 40: return "ARM"
        case 183: return "AArch64"
        default: return "machine \(machine)"
        }
    }

    public var summary: String { "an ELF file (\(machineName)), not a flashable .bin — serve the .bin the build produced next to it" }
}
