/// Reproducible pseudo-random bytes (SplitMix64), so served images — and therefore their MD5s and
/// every byte a test asserts — are identical on every run and every machine, yet look like real
/// code rather than zeros (a zero-filled body would hide truncation and offset bugs).
struct DeterministicBytes {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(count + 7)
        while output.count < count {
            var word = next()
            for _ in 0..<8 {
                output.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        output.removeLast(output.count - count)
        return output
    }
}
