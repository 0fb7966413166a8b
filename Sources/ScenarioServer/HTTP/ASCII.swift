/// The handful of byte values HTTP framing is made of, named so byte-level code reads as prose.
enum ASCII {
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
}
