/// Column-aligned rows for terminal tables (demo, matrix): every column but the last is
/// padded to its widest cell, the header row is bold.
public enum TextTable {
    /// Cells are escaped before they are measured, so a server's control bytes neither reach
    /// the terminal nor break the alignment.
    public static func lines(_ rows: [[String]]) -> [OutputLine] {
        let rows = rows.map { $0.map(TerminalText.escape) }
        guard let header = rows.first else { return [] }
        let widths = (0..<max(0, header.count - 1)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.enumerated().map { index, row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += column < widths.count ? cell + String(repeating: " ", count: widths[column] - cell.count + 2) : cell
            }
            return OutputLine(line, tone: index == 0 ? .heading : .plain)
        }
    }

    /// One probe's row as the demo and matrix print it.
    public static func verdictRow(_ label: String, _ verdict: Verdict, why: String) -> [String] {
        [label, verdict.resultName, String(verdict.code), verdict.message.isEmpty ? "-" : verdict.message, why]
    }
}
