/// A small raw-DEFLATE (RFC 1951) decoder that stops after `limit` output bytes.
///
/// The package has no zlib binding, and a probe only needs the first few KiB of a gzip-compressed
/// ESP8266 image (its headers). Decoding is canonical-Huffman by counts, in the style of zlib's
/// `contrib/puff`: slow per bit, but small, allocation-light and easy to check against RFC 1951
/// §3.2. Output is kept in full, so the memory bound is `limit` (plus the input prefix).
public enum RawInflater {
    public struct Result: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            /// `limit` bytes were produced; the stream may go on.
            case limitReached
            /// The final block ended.
            case streamEnded
            /// The input ran out first (a truncated prefix).
            case inputExhausted
        }
        public let output: [UInt8]
        public let status: Status
        /// Input bytes consumed (whole bytes, rounded up).
        public let consumed: Int
    }

    public static func inflate(_ input: [UInt8], from start: Int = 0, limit: Int) throws(InflateError) -> Result {
        var state = State(input: input, position: start, limit: limit)
        do {
            try state.run()
        } catch {
            switch error {
            case .exhausted: return Result(output: state.output, status: .inputExhausted, consumed: state.position - start)
            case .limit: return Result(output: Array(state.output.prefix(limit)), status: .limitReached, consumed: state.position - start)
            case .invalid(let reason): throw reason
            }
        }
        return Result(output: state.output, status: state.output.count >= limit ? .limitReached : .streamEnded,
                      consumed: state.position - start)
    }

    private enum Stop: Error { case exhausted, limit, invalid(InflateError) }

    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: ArraySlice<Int>) throws(Stop) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left = left * 2 - counts[length]
                if left < 0 { throw .invalid(.invalidCodeLengths) }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                       2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private struct State {
        let input: [UInt8]
        var position: Int
        let limit: Int
        var output: [UInt8] = []
        var bitBuffer = 0
        var bitCount = 0

        init(input: [UInt8], position: Int, limit: Int) {
            self.input = input
            self.position = position
            self.limit = limit
            output.reserveCapacity(min(limit, 1 << 16))
        }

        mutating func bits(_ count: Int) throws(Stop) -> Int {
            while bitCount < count {
                guard position < input.count else { throw .exhausted }
                bitBuffer |= Int(input[position]) << bitCount
                position += 1
                bitCount += 8
            }
            let value = bitBuffer & ((1 << count) - 1)
            bitBuffer >>= count
            bitCount -= count
            return value
        }

        mutating func emit(_ byte: UInt8) throws(Stop) {
            output.append(byte)
            if output.count >= limit { throw .limit }
        }

        mutating func run() throws(Stop) {
            if limit <= 0 { throw .limit }
            var last = 0
            repeat {
                last = try bits(1)
                switch try bits(2) {
                case 0: try stored()
                case 1:
                    let (literals, distances) = try RawInflater.fixedTables()
                    try codes(literals, distances)
                case 2:
                    let (literals, distances) = try dynamicTables()
                    try codes(literals, distances)
                default: throw .invalid(.reservedBlockType)
                }
            } while last == 0
        }

        mutating func stored() throws(Stop) {
            bitBuffer = 0
            bitCount = 0
            guard position + 4 <= input.count else { throw .exhausted }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
            guard length == complement ^ 0xFFFF else { throw .invalid(.storedLengthMismatch) }
            position += 4
            for _ in 0..<length {
                guard position < input.count else { throw .exhausted }
                let byte = input[position]
                position += 1
                try emit(byte)
            }
        }

        mutating func decode(_ table: Huffman) throws(Stop) -> Int {
            var code = 0, first = 0, index = 0
            for length in 1..<16 {
                code |= try bits(1)
                let count = table.counts[length]
                if code - first < count { return table.symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw .invalid(.invalidSymbol)
        }

        mutating func codes(_ literals: Huffman, _ distances: Huffman) throws(Stop) {
            while true {
                let symbol = try decode(literals)
                if symbol < 256 { try emit(UInt8(symbol)); continue }
                if symbol == 256 { return }
                let lengthIndex = symbol - 257
                guard lengthIndex < 29 else { throw .invalid(.invalidSymbol) }
                let length = RawInflater.lengthBase[lengthIndex] + (try bits(RawInflater.lengthExtra[lengthIndex]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < 30 else { throw .invalid(.invalidSymbol) }
                let distance = RawInflater.distanceBase[distanceSymbol] + (try bits(RawInflater.distanceExtra[distanceSymbol]))
                guard distance <= output.count else { throw .invalid(.distanceTooFar) }
                for _ in 0..<length { try emit(output[output.count - distance]) }
            }
        }

        mutating func dynamicTables() throws(Stop) -> (Huffman, Huffman) {
            let literalCount = try bits(5) + 257
            let distanceCount = try bits(5) + 1
            let codeLengthCount = try bits(4) + 4
            guard literalCount <= 286, distanceCount <= 30 else { throw .invalid(.invalidCodeLengths) }
            var codeLengths = [Int](repeating: 0, count: 19)
            for index in 0..<codeLengthCount { codeLengths[RawInflater.codeLengthOrder[index]] = try bits(3) }
            let codeLengthTable = try Huffman(lengths: codeLengths[...])
            var lengths: [Int] = []
            while lengths.count < literalCount + distanceCount {
                let symbol = try decode(codeLengthTable)
                switch symbol {
                case 0...15: lengths.append(symbol)
                case 16:
                    guard let previous = lengths.last else { throw .invalid(.invalidCodeLengths) }
                    lengths.append(contentsOf: repeatElement(previous, count: 3 + (try bits(2))))
                case 17: lengths.append(contentsOf: repeatElement(0, count: 3 + (try bits(3))))
                default: lengths.append(contentsOf: repeatElement(0, count: 11 + (try bits(7))))
                }
            }
            guard lengths.count == literalCount + distanceCount, lengths[256] != 0 else { throw .invalid(.invalidCodeLengths) }
            return (try Huffman(lengths: lengths[0..<literalCount]), try Huffman(lengths: lengths[literalCount...]))
        }
    }

    /// RFC 1951 §3.2.6: literal/length codes 0–143 → 8 bits, 144–255 → 9, 256–279 → 7, 280–287 → 8;
    /// 30 distance codes of 5 bits.
    private static func fixedTables() throws(Stop) -> (Huffman, Huffman) {
        var lengths = [Int](repeating: 8, count: 288)
        for index in 144..<256 { lengths[index] = 9 }
        for index in 256..<280 { lengths[index] = 7 }
        return (try Huffman(lengths: lengths[...]), try Huffman(lengths: [Int](repeating: 5, count: 30)[...]))
    }
}
