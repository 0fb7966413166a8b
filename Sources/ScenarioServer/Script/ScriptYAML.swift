import YAMLReader

/// A scenario script's YAML as the script reader walks it: mappings with each key's position,
/// sequences, scalars that remember whether they were quoted, and empty values. libyaml reads the
/// text (`YAMLReader`, the same reader as fleet files), so a script is YAML proper: flow
/// collections, block scalars and anchors work, and every mistake is reported as
/// `file:line:column`.
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

    /// Parses `text` with libyaml (`YAMLReader`); nil for a document with no content. A key
    /// with nothing after it is `.empty`, a scalar remembers whether it was quoted.
    static func parse(_ text: String) throws(Failure) -> Node? {
        let document: YAMLNode?
        do {
            document = try YAMLDocument.parse(text)
        } catch {
            throw Failure(mark: Mark(line: error.mark.line, column: error.mark.column), problem: error.problem)
        }
        guard let document else { return nil }
        if case .scalar("", quoted: false, _) = document { return nil }
        return try node(document)
    }

    private static func node(_ node: YAMLNode) throws(Failure) -> Node {
        let mark = Mark(line: node.mark.line, column: node.mark.column)
        switch node {
        case .scalar(let text, let quoted, _):
            return !quoted && (text.isEmpty || text == "~" || text == "null") ? .empty(mark) : .scalar(text, quoted: quoted, mark)
        case .sequence(let items, _):
            var nodes: [Node] = []
            for item in items { nodes.append(try self.node(item)) }
            return .sequence(nodes, mark)
        case .mapping(let pairs, _):
            var converted: [Pair] = []
            for pair in pairs {
                guard let key = pair.key.string else {
                    throw Failure(mark: Mark(line: pair.key.mark.line, column: pair.key.mark.column), problem: "a key must be a word, not a list or mapping")
                }
                converted.append(Pair(key: key, keyMark: Mark(line: pair.key.mark.line, column: pair.key.mark.column), value: try self.node(pair.value)))
            }
            return .mapping(converted, mark)
        }
    }
}
