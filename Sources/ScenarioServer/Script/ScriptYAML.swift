/// The part of YAML a scenario script uses: block mappings and sequences by indentation, plain,
/// single- and double-quoted scalars, comments. Each node keeps its line and column so every
/// mistake can be reported as `file:line:column`.
///
/// Why not a YAML library: Yams (the one at hand) brings all of Foundation with ICU into the
/// executable, which doubled its size and raised every run's resident memory by ~4 MiB — past the
/// bound the hostile-server suite holds otaprobe to — for a format of a dozen keys. Anything this
/// reader does not take (flow collections, anchors, multi-line scalars, tabs in indentation) is
/// refused with its position, never misread.
enum ScriptYAML {
    struct Mark: Equatable {
        let line: Int
        let column: Int
    }

    /// One `key: value` of a mapping.
    struct Pair {
        let key: String
        let keyMark: Mark
        let value: Node
    }

    indirect enum Node {
        case scalar(String, quoted: Bool, Mark)
        case mapping([Pair], Mark)
        case sequence([Node], Mark)
        /// A key with nothing after it and nothing indented below.
        case empty(Mark)

        var mark: Mark? {
            switch self {
            case .scalar(_, _, let mark), .mapping(_, let mark), .sequence(_, let mark), .empty(let mark): return mark
            }
        }

        /// The scalar's text (nil for anything else).
        var text: String? {
            if case .scalar(let text, _, _) = self { return text }
            return nil
        }

        /// `true` / `false`, unquoted.
        var bool: Bool? {
            guard case .scalar(let text, false, _) = self else { return nil }
            return text == "true" ? true : text == "false" ? false : nil
        }

        var sequence: [Node]? {
            if case .sequence(let items, _) = self { return items }
            return nil
        }

        var mapping: [Pair]? {
            if case .mapping(let pairs, _) = self { return pairs }
            return nil
        }
    }

    struct Failure: Error {
        let mark: Mark
        let problem: String
    }

    /// One non-blank line: its indentation, its content without the comment, where it is.
    private struct Line {
        let number: Int
        /// Column (0-based) where `content` starts in the original line.
        var indent: Int
        var content: Substring
    }

    /// Parses `text`; nil for a document with no content.
    static func parse(_ text: String) throws(Failure) -> Node? {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if line.last == "\r" { line = line.dropLast() }
            let number = index + 1
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            if indentation.contains("\t") {
                throw Failure(mark: Mark(line: number, column: 1), problem: "tabs cannot indent YAML; use spaces")
            }
            let content = try stripComment(line.dropFirst(indentation.count), line: number, column: indentation.count + 1)
            if content.isEmpty { continue }
            if content == "---" && lines.isEmpty { continue }
            lines.append(Line(number: number, indent: indentation.count, content: content))
        }
        guard !lines.isEmpty else { return nil }
        var reader = Reader(lines: lines)
        let node = try reader.block(indent: lines[0].indent)
        if reader.position < reader.lines.count {
            let line = reader.lines[reader.position]
            throw Failure(mark: Mark(line: line.number, column: line.indent + 1), problem: "this line is indented less than the block it follows, or not at all where a key or '- ' item was expected")
        }
        return node
    }

    /// Drops a `# comment` (a `#` at the start or after a space, outside quotes) and trailing spaces.
    private static func stripComment(_ text: Substring, line: Int, column: Int) throws(Failure) -> Substring {
        var quote: Character?
        var previous: Character = " "
        var end = text.endIndex
        var skipNext = false
        for index in text.indices {
            let character = text[index]
            if skipNext { skipNext = false; previous = character; continue }
            if let open = quote {
                let next = text.index(after: index)
                if open == "'", character == "'", next < text.endIndex, text[next] == "'" {
                    skipNext = true  // '' is a quote inside a 'single-quoted' string
                } else if character == open && (open == "'" || previous != "\\") {
                    quote = nil
                }
            } else if character == "\"" || character == "'" {
                if previous == " " || previous == ":" || previous == "-" || index == text.startIndex { quote = character }
            } else if character == "#" && previous == " " {
                end = index
                break
            }
            previous = character
        }
        var kept = text[..<end]
        while kept.last == " " { kept = kept.dropLast() }
        return kept
    }

    private struct Reader {
        var lines: [Line]
        var position = 0

        /// The block starting at the current line, whose lines are indented exactly `indent`.
        mutating func block(indent: Int) throws(Failure) -> Node {
            let first = lines[position]
            if first.content == "-" || first.content.hasPrefix("- ") { return try sequence(indent: indent) }
            if ScriptYAML.keySplit(first.content) != nil { return try mapping(indent: indent) }
            position += 1
            return try ScriptYAML.scalar(first.content, at: Mark(line: first.number, column: first.indent + 1))
        }

        mutating func sequence(indent: Int) throws(Failure) -> Node {
            let mark = Mark(line: lines[position].number, column: indent + 1)
            var items: [Node] = []
            while position < lines.count, lines[position].indent == indent {
                let line = lines[position]
                // A key at the same indentation ends a list written under its own key (`headers:` then `- …`).
                guard line.content == "-" || line.content.hasPrefix("- ") else { break }
                let rest = line.content.dropFirst(1).drop { $0 == " " }
                if rest.isEmpty {
                    position += 1
                    items.append(try nested(below: indent, after: line))
                } else {
                    // `- key: value` starts a mapping whose keys line up after the dash.
                    let column = line.indent + (line.content.count - rest.count)
                    lines[position] = Line(number: line.number, indent: column, content: rest)
                    items.append(try block(indent: column))
                }
            }
            return .sequence(items, mark)
        }

        mutating func mapping(indent: Int) throws(Failure) -> Node {
            let mark = Mark(line: lines[position].number, column: indent + 1)
            var pairs: [Pair] = []
            while position < lines.count, lines[position].indent == indent {
                let line = lines[position]
                let keyMark = Mark(line: line.number, column: line.indent + 1)
                guard let (key, value) = ScriptYAML.keySplit(line.content) else {
                    throw Failure(mark: keyMark, problem: "expected `key: value` like the lines above")
                }
                if pairs.contains(where: { $0.key == key }) {
                    throw Failure(mark: keyMark, problem: "duplicate key `\(key)`")
                }
                position += 1
                if value.isEmpty {
                    pairs.append(Pair(key: String(key), keyMark: keyMark, value: try nested(below: indent, after: line, allowingSequenceAtSameIndent: true)))
                } else {
                    let column = line.indent + (line.content.count - value.count)
                    pairs.append(Pair(key: String(key), keyMark: keyMark, value: try ScriptYAML.scalar(value, at: Mark(line: line.number, column: column + 1))))
                }
            }
            return .mapping(pairs, mark)
        }

        /// What belongs to a key or item with nothing after it: the next lines if indented
        /// deeper (or, for a key, a `- ` list at the key's own indentation, as YAML allows).
        mutating func nested(below indent: Int, after line: Line, allowingSequenceAtSameIndent: Bool = false) throws(Failure) -> Node {
            guard position < lines.count else { return .empty(Mark(line: line.number, column: line.indent + line.content.count + 1)) }
            let next = lines[position]
            if next.indent > indent { return try block(indent: next.indent) }
            if allowingSequenceAtSameIndent, next.indent == indent, next.content == "-" || next.content.hasPrefix("- ") {
                return try sequence(indent: indent)
            }
            return .empty(Mark(line: line.number, column: line.indent + line.content.count + 1))
        }
    }

    /// `key: value` → (key, value); nil when the line is not a plain key (a scalar, a quoted
    /// string, an item).
    static func keySplit(_ content: Substring) -> (Substring, Substring)? {
        guard let first = content.first, first != "\"", first != "'", !(content == "-" || content.hasPrefix("- ")) else { return nil }
        var index = content.startIndex
        while index < content.endIndex {
            if content[index] == ":" {
                let after = content.index(after: index)
                if after == content.endIndex || content[after] == " " {
                    let key = content[..<index]
                    guard !key.isEmpty else { return nil }
                    return (key, content[after...].drop { $0 == " " })
                }
            }
            index = content.index(after: index)
        }
        return nil
    }

    /// A plain, 'single' or "double" quoted scalar.
    static func scalar(_ text: Substring, at mark: Mark) throws(Failure) -> Node {
        guard let first = text.first else { return .empty(mark) }
        switch first {
        case "[", "{":
            throw Failure(mark: mark, problem: "flow collections ([…], {…}) are not supported here; write one item per line")
        case "&", "*", "!", "|", ">", "%", "@", "`":
            throw Failure(mark: mark, problem: "'\(first)' (anchors, aliases, tags, block scalars) is not supported here; quote the text")
        case "'":
            guard text.count >= 2, text.last == "'" else { throw Failure(mark: mark, problem: "a 'quoted' string must end on the same line") }
            let inner = text.dropFirst().dropLast()
            return .scalar(String(inner).replacing("''", with: "'"), quoted: true, mark)
        case "\"":
            return .scalar(try doubleQuoted(text, at: mark), quoted: true, mark)
        default:
            return .scalar(String(text), quoted: false, mark)
        }
    }

    /// `"a\tb\r\n\x41\u00e9"`: YAML's escapes that a script needs.
    private static func doubleQuoted(_ text: Substring, at mark: Mark) throws(Failure) -> String {
        var scalars = Array(text.unicodeScalars.dropFirst())
        guard scalars.last == "\"" else { throw Failure(mark: mark, problem: "a \"quoted\" string must end on the same line") }
        scalars.removeLast()
        var output = String.UnicodeScalarView()
        var index = 0
        func hex(_ count: Int) throws(Failure) -> Unicode.Scalar {
            guard index + count < scalars.count else { throw Failure(mark: mark, problem: "an escape is cut short") }
            let digits = String(String.UnicodeScalarView(scalars[(index + 1)...(index + count)]))
            guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw Failure(mark: mark, problem: "bad escape \\\(digits)")
            }
            index += count
            return scalar
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" { throw Failure(mark: mark, problem: "a \" inside a \"quoted\" string needs a backslash") }
            guard scalar == "\\" else { output.append(scalar); index += 1; continue }
            index += 1
            guard index < scalars.count else { throw Failure(mark: mark, problem: "a backslash ends the string") }
            switch scalars[index] {
            case "n": output.append("\n")
            case "r": output.append("\r")
            case "t": output.append("\t")
            case "0": output.append("\0")
            case "\\": output.append("\\")
            case "\"": output.append("\"")
            case "/": output.append("/")
            case " ": output.append(" ")
            case "x": output.append(try hex(2))
            case "u": output.append(try hex(4))
            default: throw Failure(mark: mark, problem: "unknown escape \\\(scalars[index])")
            }
            index += 1
        }
        return String(output)
    }
}
