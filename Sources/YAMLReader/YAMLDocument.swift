import CYAML

/// A YAML (or JSON) document as libyaml reads it, with the line and column of every node: one
/// reader for every file a user writes (fleet files, ESPHome manifests, serve scripts).
///
/// libyaml is the reference C parser (PyYAML and Ruby's Psych are built on it) and a system
/// package like libcurl. Yams wraps the same parser, but it brings all of Foundation and ICU
/// into the executable: twice the binary and 4 MiB more memory for every command, which the
/// hostile-server bounds and the start-up goals cannot afford.
public enum YAMLNode: Sendable {
    /// `quoted`: written in quotes ('…' or "…"), so `true` or an empty value is text, not a word.
    case scalar(String, quoted: Bool, YAMLMark)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(key: YAMLNode, value: YAMLNode)], YAMLMark)

    public var mark: YAMLMark {
        switch self {
        case .scalar(_, _, let mark), .sequence(_, let mark), .mapping(_, let mark): return mark
        }
    }

    public var string: String? {
        if case .scalar(let text, _, _) = self { return text }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }
}

/// Where a node starts; line and column count from 1.
public struct YAMLMark: Sendable, Equatable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Why a text is not YAML: libyaml's problem and where it found it.
public struct YAMLSyntaxError: Error, Sendable {
    public let mark: YAMLMark
    public let problem: String
}

public enum YAMLDocument {
    /// Nesting and node counts a fleet file never needs: an alias can make a small file expand
    /// to billions of nodes ("billion laughs"), and deep nesting would exhaust the stack.
    public static let deepestNesting = 64
    public static let mostNodes = 1_000_000

    /// The first document of `text`; nil when it holds none.
    public static func parse(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLSyntaxError(mark: YAMLMark(line: 1, column: 1), problem: "the YAML parser could not start (out of memory)") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(YAMLSyntaxError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var document = yaml_document_t()
            guard yaml_parser_load(&parser, &document) == 1 else {
                let problem = parser.problem.map { String(cString: $0) } ?? "unreadable"
                let context = parser.context.map { String(cString: $0) + " " } ?? ""
                throw YAMLSyntaxError(mark: YAMLMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1),
                                      problem: context + problem)
            }
            defer { yaml_document_delete(&document) }
            guard let root = yaml_document_get_root_node(&document) else { return nil }
            var budget = mostNodes
            return try convert(root, in: &document, depth: 0, budget: &budget)
        }
    }

    private static func convert(_ node: UnsafeMutablePointer<yaml_node_t>, in document: inout yaml_document_t, depth: Int, budget: inout Int) throws(YAMLSyntaxError) -> YAMLNode {
        let mark = YAMLMark(line: Int(node.pointee.start_mark.line) + 1, column: Int(node.pointee.start_mark.column) + 1)
        budget -= 1
        guard depth < deepestNesting, budget >= 0 else {
            throw YAMLSyntaxError(mark: mark, problem: depth >= deepestNesting ? "nested deeper than \(deepestNesting) levels" : "expands to more than \(mostNodes) nodes (aliases)")
        }
        switch node.pointee.type {
        case YAML_SCALAR_NODE:
            let scalar = node.pointee.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return .scalar(text, quoted: scalar.style != YAML_PLAIN_SCALAR_STYLE, mark)
        case YAML_SEQUENCE_NODE:
            var items: [YAMLNode] = []
            var item = node.pointee.data.sequence.items.start
            while let current = item, current != node.pointee.data.sequence.items.top {
                guard let child = yaml_document_get_node(&document, current.pointee) else { break }
                items.append(try convert(child, in: &document, depth: depth + 1, budget: &budget))
                item = current + 1
            }
            return .sequence(items, mark)
        case YAML_MAPPING_NODE:
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var pair = node.pointee.data.mapping.pairs.start
            while let current = pair, current != node.pointee.data.mapping.pairs.top {
                guard let key = yaml_document_get_node(&document, current.pointee.key),
                      let value = yaml_document_get_node(&document, current.pointee.value) else { break }
                pairs.append((try convert(key, in: &document, depth: depth + 1, budget: &budget),
                              try convert(value, in: &document, depth: depth + 1, budget: &budget)))
                pair = current + 1
            }
            return .mapping(pairs, mark)
        default:
            return .scalar("", quoted: false, mark)
        }
    }
}
