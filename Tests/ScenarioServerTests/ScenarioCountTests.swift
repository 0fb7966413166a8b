import Foundation
import Testing
@testable import ScenarioServer

/// The README once said 88 scenarios when `serve --list` had 99: a count in the prose must be
/// the catalogue's, or not be there.
@Suite struct ScenarioCountTests {
    @Test func theReadmeStatesNoScenarioCountButTheRealOne() throws {
        var root = #filePath
        for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let counts = readme.matches(of: try Regex(#"(\d+) (?:misbehaving servers|scenarios)"#)).compactMap { match in
            (match.output[1].substring).flatMap { Int($0) }
        }
        for count in counts {
            #expect(count == ScenarioCatalog.all.count, "README.md says \(count) scenarios; serve --list has \(ScenarioCatalog.all.count)")
        }
    }
}
