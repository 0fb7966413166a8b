/// Finds where a JSON text first goes wrong. `JSONDecoder` only says "not valid JSON", and a
/// user who hand-edited a profile needs the line: this scanner walks the grammar (RFC 8259)
/// and stops at the first byte that cannot continue it.
struct JSONSyntaxLocator {
    struct Problem: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    private let bytes: [UInt8]
    private var index = 0

    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var scanner = JSONSyntaxLocator(bytes: bytes)
        do throws(Problem) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.index < bytes.count { throw scanner.problem("unexpected text after the end of the document") }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value(depth: Int) throws(Problem) {
        guard depth < 512 else { throw problem("nesting too deep") }
        guard index < bytes.count else { throw problem("unexpected end of file") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if peek(UInt8(ascii: "}")) { index += 1; return }
            while true {
                skipSpace()
                guard peek(UInt8(ascii: "\"")) else { throw problem("expected a quoted key") }
                try string()
                skipSpace()
                guard peek(UInt8(ascii: ":")) else { throw problem("expected ':' after the key") }
                index += 1
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "}")) { index += 1; return }
                throw problem("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if peek(UInt8(ascii: "]")) { index += 1; return }
            while true {
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "]")) { index += 1; return }
                throw problem("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
        default:
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return
            }
            throw problem("unexpected '\(String(decoding: [bytes[index]], as: UTF8.self))' (strings need double quotes)")
        }
    }

    private mutating func string() throws(Problem) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): index += 1; return
            case UInt8(ascii: "\\"): index += 2
            case 0..<0x20: throw problem("control character inside a string")
            default: index += 1
            }
        }
        throw problem("unterminated string")
    }

    private mutating func number() throws(Problem) {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        let digits = { (scanner: inout JSONSyntaxLocator) -> Int in
            let first = scanner.index
            while scanner.index < scanner.bytes.count, (48...57).contains(scanner.bytes[scanner.index]) { scanner.index += 1 }
            return scanner.index - first
        }
        guard digits(&self) > 0 else { index = start; throw problem("malformed number") }
        if peek(UInt8(ascii: ".")) { index += 1; guard digits(&self) > 0 else { throw problem("malformed number") } }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard digits(&self) > 0 else { throw problem("malformed number") }
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func problem(_ message: String) -> Problem {
        let end = min(index, bytes.count)
        let line = bytes[..<end].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = bytes[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return Problem(line: line, column: end - lineStart + 1, message: message)
    }
}

extension JSONSyntaxLocator.Problem: Error {}
