/// A text a device prints, with `<…>` where it formats a value in (`MD5 verification failed:
/// expected: <expected>, …`, `Mismatch chip id, expected <id>, found <id>`), compared with what
/// a user pasted the way a person would: case-insensitively, the slots matching anything.
struct PrintedText: Sendable, Equatable {
    let text: String
    /// The fixed parts between the slots, lower-cased.
    let pieces: [String]

    init(_ text: String) {
        self.text = text
        let characters = Array(text.lowercased())
        var pieces: [String] = []
        var current = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "<",
               let close = characters[(index + 1)...].firstIndex(of: ">"), close > index + 1,
               characters[(index + 1)..<close].allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" }) {
                pieces.append(current)
                current = ""
                index = close + 1
                continue
            }
            current.append(characters[index])
            index += 1
        }
        pieces.append(current)
        self.pieces = pieces
    }

    /// How much fixed text must match: short texts ("", "ERROR") are too common to find in a pasted line.
    var fixedLength: Int { pieces.reduce(0) { $0 + $1.count } }

    /// The whole query is this text (slots filled with anything).
    func isWhole(_ query: String) -> Bool {
        guard let range = find(in: query.lowercased()) else { return false }
        return range.first == 0 && range.last == query.lowercased().count
    }

    /// The query holds this text somewhere (a pasted serial line around it).
    func isInside(_ query: String) -> Bool { find(in: query.lowercased()) != nil }

    /// The query is part of this text as printed (slots as written).
    func contains(_ query: String) -> Bool { text.lowercased().contains(query.lowercased()) }

    /// Where the pieces occur in order: the start of the first and the end of the last, as
    /// character offsets; slots between them may hold anything.
    private func find(in query: String) -> [Int]? {
        let characters = Array(query)
        var position = 0
        var start: Int?
        for (index, piece) in pieces.enumerated() {
            let needle = Array(piece)
            if needle.isEmpty {
                if index == 0 { start = 0 }
                if index == pieces.count - 1 { position = characters.count }
                continue
            }
            guard let found = Self.firstIndex(of: needle, in: characters, from: position) else { return nil }
            if start == nil { start = index == 0 ? found : 0 }
            if index == 0 { start = found }
            position = found + needle.count
        }
        return [start ?? 0, position]
    }

    private static func firstIndex(of needle: [Character], in haystack: [Character], from: Int) -> Int? {
        guard needle.count <= haystack.count - from else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
