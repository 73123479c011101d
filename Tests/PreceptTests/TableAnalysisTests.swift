import Foundation
import Testing

@testable import Precept

/// Decision tables judged before anything runs: overlaps under `unique`, rows shadowed under
/// `first`, and gaps without a `default`, each with an input that shows it.
@Suite struct TableAnalysisTests {
  static func lint(_ table: String, schema: String) throws -> [String] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-tables-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = "precept: 1\nrulebook: t.tables\nschema:\n  a:\n" + schema + "tables:\n  t:\n" + table
      + "rules:\n  - { id: R, severity: review, require: t is present }\n"
    try text.write(toFile: dir.appendingPathComponent("t.yaml").path, atomically: true, encoding: .utf8)
    let report = LintReport.run(paths: [dir.appendingPathComponent("t.yaml").path], root: dir.path)
    return report.diagnostics.map { "\($0.code.rawValue) \($0.message)" }
  }

  @Test(arguments: [
    // Percentages: the gap between two ranges, shown as a percentage.
    ("    rate: percent\n", "    hit: unique\n    inputs: [a.rate]\n    rows:\n      - [\"< 10%\", 1]\n      - [\"> 12%\", 2]\n",
     ["P0610 no row of table `t` matches a.rate = 10%, and it has no `default`: rules reading it are unknown there"]),
    // Amounts: closed and open ends meet exactly, no gap.
    ("    income: money(CNY)\n", "    hit: unique\n    inputs: [a.income]\n    rows:\n      - [\"< 5000 CNY\", 1]\n      - [\">= 5000 CNY\", 2]\n", []),
    // Two columns: the gap is where both are uncovered together.
    ("    grade: enum(A, B, C)\n    score: int\n",
     "    hit: first\n    inputs: [a.grade, a.score]\n    rows:\n      - [A, \"-\", 1]\n      - [\"-\", \">= 600\", 2]\n",
     ["P0610 no row of table `t` matches a.grade = B, a.score = 599, and it has no `default`: rules reading it are unknown there"]),
    // Bools: both values covered.
    ("    ok: bool\n", "    hit: unique\n    inputs: [a.ok]\n    rows:\n      - [true, 1]\n      - [false, 2]\n", []),
    // A cell read from the facts: nothing is claimed.
    ("    score: int\n    cut: int\n", "    hit: unique\n    inputs: [a.score]\n    rows:\n      - [\">= a.cut\", 1]\n", []),
    // `any` with overlapping rows that agree is fine; `collect` is never a gap.
    ("    score: int\n", "    hit: any\n    inputs: [a.score]\n    rows:\n      - [\"> 1\", 1]\n      - [\"> 2\", 1]\n    default: 0\n", []),
    ("    score: int\n", "    hit: any\n    inputs: [a.score]\n    rows:\n      - [\"> 1\", 1]\n      - [\"> 2\", 2]\n    default: 0\n",
     ["P0217 rows 1 and 2 of table `t` both match a.score = 3 and give different results; under `hit: any` they must agree"]),
  ] as [(String, String, [String])])
  func tablesAreJudged(_ schema: String, _ table: String, _ expected: [String]) throws {
    #expect(try Self.lint(table, schema: schema) == expected)
  }
}
