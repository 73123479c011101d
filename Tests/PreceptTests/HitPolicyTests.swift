import Foundation
import Testing

@testable import Precept

/// `hit: priority`, `rule_order`, `output_order` and `collect` with `aggregate`: what lint
/// refuses, and what the table's value is where DMN and Precept meet the edge cases.
@Suite struct HitPolicyTests {
  /// Errors and warnings for one table `t` over `a.n: int` and `a.label: text`.
  static func lint(_ table: String) throws -> [String] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-hit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = "precept: 1\nrulebook: t.hit\nschema:\n  a:\n    n: int\n    label: text\ntables:\n  t:\n" + table
      + "rules:\n  - { id: R, severity: review, flag: t == t, cite: x }\n"
    try text.write(toFile: dir.appendingPathComponent("t.yaml").path, atomically: true, encoding: .utf8)
    let report = LintReport.run(paths: [dir.appendingPathComponent("t.yaml").path], root: dir.path)
    return report.diagnostics.filter { $0.code.rawValue.hasPrefix("P02") || $0.code == .tableGap }.map { "\($0.code.rawValue) \($0.message)" }
  }

  @Test(arguments: [
    ("    priority: [1, 2]\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0210 `priority` has no use in table `t` with the default `hit: unique`"]),
    ("    hit: priority\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0202 table `t` with `hit: priority` is missing the required key `priority`"]),
    ("    hit: output_order\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0202 table `t` with `hit: output_order` is missing the required key `priority`"]),
    ("    hit: first\n    aggregate: sum\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0210 `aggregate` has no use in table `t` with `hit: first`"]),
    ("    hit: collect\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n    default: 0\n",
     ["P0210 `default` is never used in table `t`: with `hit: collect` the result when no row matches is an empty list"]),
    ("    hit: rule_order\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n    default: 0\n",
     ["P0210 `default` is never used in table `t`: with `hit: rule_order` the result when no row matches is an empty list"]),
    ("    hit: collect\n    aggregate: count\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n    default: 0\n",
     ["P0210 `default` is never used in table `t`: `aggregate: count` gives 0 when no row matches"]),
    ("    hit: collect\n    aggregate: avg\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0206 `avg` is not a valid aggregate"]),
    ("    hit: collect\n    aggregate: sum\n    inputs: [a.n]\n    rows:\n      - [\"-\", a.label]\n",
     ["P0206 `aggregate: sum` cannot fold the results of table `t`, which are text"]),
    ("    hit: priority\n    priority: [1, 2, 1, a.n]\n    inputs: [a.n]\n    rows:\n      - [\"> 0\", 3]\n      - [\"-\", 2]\n",
     [
       "P0206 `1` is listed twice in the `priority` of table `t`",
       "P0206 a `priority` of table `t` must be a constant result, such as a value or an enum case",
       "P0211 the result `3` is not in the `priority` list of table `t`",
     ]),
    ("    hit: priority\n    priority: ['\"x\"', 1]\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n",
     ["P0206 this priority is text, but the results of table `t` are int"]),
    // A correct priority table: overlapping rows are its point, and a catch-all leaves no gap.
    ("    hit: priority\n    priority: [2, 1]\n    inputs: [a.n]\n    rows:\n      - [\"> 0\", 1]\n      - [\"> 5\", 2]\n      - [\"-\", 1]\n", []),
    // A single-hit policy: inputs no row matches are a gap, as under `first`.
    ("    hit: priority\n    priority: [2, 1]\n    inputs: [a.n]\n    rows:\n      - [\"> 0\", 1]\n      - [\"> 5\", 2]\n",
     ["P0610 no row of table `t` matches a.n = 0, and it has no `default`: rules reading it are unknown there"]),
    // Multi-hit policies: no overlap or gap reports.
    ("    hit: rule_order\n    inputs: [a.n]\n    rows:\n      - [\"> 0\", 1]\n      - [\"> 5\", 2]\n", []),
    ("    hit: output_order\n    priority: [2, 1]\n    inputs: [a.n]\n    rows:\n      - [\"> 0\", 1]\n      - [\"> 5\", 2]\n", []),
  ] as [(String, [String])])
  func policyKeysAreChecked(_ table: String, _ expected: [String]) throws {
    #expect(try Self.lint(table) == expected)
  }

  static let book = """
    precept: 1
    rulebook: t.hit
    schema:
      a:
        n: int
        m: int?
        fees: list(money)
    tables:
      best:
        hit: priority
        priority: [3, 2, 1]
        inputs: [a.n, a.m]
        rows:
          - ["> 0", "-", 1]
          - ["> 5", "> 0", 3]
          - ["> 2", "-", 2]
      computed:
        hit: priority
        priority: [1, 2]
        inputs: [a.n]
        rows:
          - ["> 10", a.n]
          - ["-", 2]
      ordered:
        hit: output_order
        priority: [3, 2, 1]
        inputs: [a.n]
        rows:
          - ["> 0", 1]
          - ["> 2", 2]
          - ["> 4", 1]
          - ["> 6", 3]
      total:
        hit: collect
        aggregate: sum
        inputs: [a.n]
        rows:
          - ["> 0", 10 CNY]
          - ["> 5", 2.50 CNY]
      counted:
        hit: collect
        aggregate: count
        inputs: [a.n]
        rows:
          - ["> 0", 1]
          - ["> 5", 1]
      least:
        hit: collect
        aggregate: min
        inputs: [a.n]
        rows:
          - ["> 0", 7]
          - ["> 5", 4]
        default: 99
    rules:
      - { id: BEST, severity: review, flag: true, message: "{best}", cite: x }
      - { id: COMPUTED, severity: review, flag: true, message: "{computed}", cite: x }
      - { id: ORDERED, severity: review, flag: true, message: "{ordered}", cite: x }
      - { id: TOTAL, severity: review, flag: true, message: "{total}", cite: x }
      - { id: COUNTED, severity: review, flag: true, message: "{counted}", cite: x }
      - { id: LEAST, severity: review, flag: true, message: "{least}", cite: x }
    """

  /// Each rule's message: the table's value, `missing`, or `(error: <reason>)`.
  static func shown(_ facts: String) throws -> [String: String] {
    let d = try compileRulebook(Self.book).evaluate(facts: facts, asOf: asOf)
    var out: [String: String] = [:]
    for r in d.results { out[r.rule.id] = r.message ?? "" }
    return out
  }

  @Test func valuesUnderEachPolicy() throws {
    #expect(
      try Self.shown("a: { n: 7, m: 1, fees: [] }") == [
        "BEST": "3", "COMPUTED": "2", "ORDERED": "[3, 2, 1, 1]", "TOTAL": "12.50 CNY", "COUNTED": "2", "LEAST": "4",
      ])
    // Nothing matches: count is 0, sum is missing (unknown), min takes its default.
    let none = try Self.shown("a: { n: 0, m: 1, fees: [] }")
    #expect(none["COUNTED"] == "0")
    #expect(none["LEAST"] == "99")
    #expect(none["ORDERED"] == "[]")
    #expect(none["TOTAL"] == "missing")
    #expect(none["BEST"] == "(error: no row of `best` matches a.n = 0, a.m = 1, and it has no `default`)")
  }

  @Test func anUndecidedRowLeavesPriorityUnknown() throws {
    // Row 2 needs `a.m`: it might outrank row 1, so the value is not guessed.
    #expect(try Self.shown("a: { n: 7, fees: [] }")["BEST"] == "missing")
    // Where row 2 is ruled out by a known cell, the missing input does not matter.
    #expect(try Self.shown("a: { n: 4, fees: [] }")["BEST"] == "2")
  }

  @Test func aComputedResultOutsideThePriorityListIsUnknownWithTheReason() throws {
    #expect(
      try Self.shown("a: { n: 11, m: 1, fees: [] }")["COMPUTED"]
        == "(error: table `computed` matched a row whose result 11 is not in its `priority` list, so it has no rank)")
  }
}
