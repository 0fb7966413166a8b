/// Column-aligned rows for terminal tables (demo, matrix): every column but the last is
/// padded to its widest cell, the header row is bold.
public enum TextTable {
    public static func render(_ rows: [[String]], style: TerminalStyle) -> String {
        guard let header = rows.first else { return "" }
        let widths = (0..<max(0, header.count - 1)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for (index, row) in rows.enumerated() {
            var line = ""
            for (column, cell) in row.enumerated() {
                line += column < widths.count ? cell + String(repeating: " ", count: widths[column] - cell.count + 2) : cell
            }
            out += (index == 0 ? style.bold(line) : line) + "\n"
        }
        return out
    }

    /// One probe's row as the demo and matrix print it.
    public static func verdictRow(_ label: String, _ verdict: Verdict, why: String) -> [String] {
        [label, verdict.resultName, String(verdict.code), verdict.message.isEmpty ? "-" : verdict.message, why]
    }
}
