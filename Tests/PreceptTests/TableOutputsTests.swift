import Foundation
import Testing

@testable import Precept

/// Tables with several outputs and declared types, cells with several tests and `not(…)`, the
/// rows a trace names, and what lint says about them.
@Suite struct TableOutputsTests {
  static let book = """
    precept: 1
    rulebook: t.outputs
    schema:
      a:
        score: int
        income: money(CNY)?
        age: int?
        grade: enum(A, B, C, D)
    tables:
      offer:
        hit: first
        inputs: [a.score, a.income]
        outputs: {decision: "enum(approve, refer, decline)", limit: money}
        rows:
          - [">= 750", ">= 20000 CNY", approve, 50000 CNY]
          - [">= 650", "-", refer, 10000 CNY]
        default: {decision: decline, limit: 0 CNY}
      band:
        inputs: [a.age, a.grade]
        type: "enum(outside, weak, core)"
        rows:
          - ["< 18, >= 60", "-", outside]
          - ["[18..60)", "not(A, B)", weak]
          - ["[18..60)", "A, B", core]
      all_offers:
        hit: collect
        inputs: [a.score]
        outputs: {decision: "enum(approve, refer, decline)", limit: money}
        rows:
          - [">= 600", refer, 1000 CNY]
          - [">= 700", approve, 5000 CNY]
      ranked:
        hit: priority
        priority: [decline, refer, approve]
        inputs: [a.score]
        outputs: {decision: "enum(approve, refer, decline)", limit: money}
        rows:
          - [">= 600", approve, 9000 CNY]
          - [">= 700", refer, 5000 CNY]
          - ["< 600", decline, 0 CNY]
    rules:
      - { id: DECISION, severity: review, flag: true, message: "{offer.decision} {offer.limit}", cite: x }
      - { id: BAND, severity: review, flag: true, message: "{band}", cite: x }
      - { id: LIMITS, severity: review, flag: true, message: "{all_offers.limit} {sum(all_offers.limit)}", cite: x }
      - { id: RANKED, severity: review, flag: true, message: "{ranked.decision} {ranked.limit}", cite: x }
      - { id: LIMIT, severity: review, require: "offer.limit >= 1000 CNY and ranked.decision != decline", cite: x }
    """

  /// Each rule's message: the tables' values, `missing`, or `(error: …)`.
  static func shown(_ facts: String) throws -> [String: String] {
    let d = try compileRulebook(Self.book).evaluate(facts: facts, asOf: asOf)
    var out: [String: String] = [:]
    for r in d.results where r.rule.id != "LIMIT" { out[r.rule.id] = r.message ?? "" }
    return out
  }

  @Test(arguments: [
    ("a: { score: 800, income: 30000 CNY, age: 40, grade: A }",
     ["DECISION": "approve 50,000.00 CNY", "BAND": "core", "LIMITS": "[1,000.00 CNY, 5,000.00 CNY] 6,000.00 CNY", "RANKED": "refer 5,000.00 CNY"]),
    ("a: { score: 700, income: 5000 CNY, age: 17, grade: A }",
     ["DECISION": "refer 10,000.00 CNY", "BAND": "outside", "LIMITS": "[1,000.00 CNY, 5,000.00 CNY] 6,000.00 CNY", "RANKED": "refer 5,000.00 CNY"]),
    ("a: { score: 640, income: 5000 CNY, age: 60, grade: C }",
     ["DECISION": "decline 0.00 CNY", "BAND": "outside", "LIMITS": "[1,000.00 CNY] 1,000.00 CNY", "RANKED": "approve 9,000.00 CNY"]),
    ("a: { score: 500, age: 30, grade: D }",
     ["DECISION": "decline 0.00 CNY", "BAND": "weak", "LIMITS": "[] 0", "RANKED": "decline 0.00 CNY"]),
    // Row 1 of `offer` cannot be decided without the income, so under `first` nothing is chosen;
    // over a missing age no test of `band` is decided, and `not(…)` of an undecided test is undecided.
    ("a: { score: 800, grade: B }",
     ["DECISION": "missing missing", "BAND": "missing", "LIMITS": "[1,000.00 CNY, 5,000.00 CNY] 6,000.00 CNY", "RANKED": "refer 5,000.00 CNY"]),
  ] as [(String, [String: String])])
  func valuesOfSeveralOutputsAndCellTests(_ facts: String, _ expected: [String: String]) throws {
    #expect(try Self.shown(facts) == expected)
  }

  @Test func traceNamesTheRowsAndTheFactsBehindATable() throws {
    let d = try compileRulebook(Self.book).evaluate(facts: "a: { score: 700, income: 5000 CNY, age: 17, grade: A }", asOf: asOf, trace: true)
    let json = DecisionJSON.json(d).serialized()
    #expect(json.contains(#""table":{"name":"offer","rows":[2]}"#))
    #expect(json.contains(#""table":{"name":"ranked","rows":[2]}"#))
    let text = DecisionRenderer(traces: true).render(d)
    #expect(text.contains("(table `offer`: row 2 at "))
    let none = try compileRulebook(Self.book).evaluate(facts: "a: { score: 500, age: 30, grade: D }", asOf: asOf, trace: true)
    #expect(DecisionJSON.json(none).serialized().contains(#""table":{"name":"offer","rows":[]}"#))
    #expect(DecisionRenderer(traces: true).render(none).contains("(table `offer`: no row matched, its `default`)"))
  }

  @Test func aMissingFactBehindATableIsNamed() throws {
    let d = try compileRulebook(Self.book).evaluate(facts: "a: { score: 800, grade: B }", asOf: asOf)
    let r = try #require(d.results.first { $0.rule.id == "LIMIT" })
    #expect(r.status == .unknown)
    #expect(r.missing == ["a.income"])
  }

  /// Lint findings (codes and messages) for one table `t` over `a.n: int`, `a.e: enum(X, Y, Z)`.
  static func lint(_ table: String, rule: String = "flag: t == t", schema: String = "") throws -> [String] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-outputs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = "precept: 1\nrulebook: t.o\nschema:\n  a:\n    n: int\n    e: enum(X, Y, Z)\n" + schema + "  b:\n    f: enum(Y, W)\ntables:\n  t:\n" + table
      + "rules:\n  - { id: R, severity: review, \(rule), cite: x }\n"
    try text.write(toFile: dir.appendingPathComponent("t.yaml").path, atomically: true, encoding: .utf8)
    let report = LintReport.run(paths: [dir.appendingPathComponent("t.yaml").path], root: dir.path)
    return report.diagnostics.filter { $0.code != .unusedField }.map { "\($0.code.rawValue) \($0.message)" }
  }

  @Test(arguments: [
    // Cells with several tests and `not(…)` take part in the analysis.
    ("    inputs: [a.n]\n    rows:\n      - [\"< 18, >= 60\", 1]\n      - [\"not([18..60))\", 2]\n",
     [
       "P0610 no row of table `t` matches a.n = 18, and it has no `default`: rules reading it are unknown there",
       "P0217 rows 1 and 2 of table `t` both match a.n = 17; under `hit: unique` exactly one row may match",
     ]),
    ("    inputs: [a.n]\n    rows:\n      - [\"< 18, >= 60\", 1]\n      - [\"[18..30], [50..60)\", 2]\n",
     ["P0610 no row of table `t` matches a.n = 31, and it has no `default`: rules reading it are unknown there"]),
    ("    hit: first\n    inputs: [a.e]\n    rows:\n      - [\"not(Z)\", 1]\n      - [\"X, Z\", 2]\n      - [\"Y\", 3]\n",
     ["P0607 this row of table `t` can never be chosen: row 1 comes first and matches everything it matches"]),
    ("    inputs: [a.n]\n    rows:\n      - [\"< 1, -\", 1]\n", ["P0211 `-` matches any value, so it cannot be one of several tests"]),
    ("    inputs: [a.n]\n    rows:\n      - [\"< 1,\", 1]\n", ["P0211 a test in this cell is empty"]),
    // Declared types: results must be of them, and bare words are their cases.
    ("    inputs: [a.n]\n    type: money\n    rows:\n      - [\"-\", 5]\n",
     ["P0211 this result is int, but table `t` declares it money"]),
    ("    inputs: [a.n]\n    type: \"enum(go, stop)\"\n    rows:\n      - [\"> 0\", go]\n      - [\"<= 0\", halt]\n",
     ["P0503 `halt` is not one of the cases it is compared with"]),
    ("    inputs: [a.n]\n    outputs: [x, x]\n    rows:\n      - [\"-\", 1]\n", ["P0210 table `t` has two outputs called `x`"]),
    ("    inputs: [a.n]\n    outputs: [x, y]\n    rows:\n      - [\"-\", 1]\n",
     ["P0210 this row has 2 cells; table `t` has 1 input, so each row needs 3 (one per input, then one per output (x, y))"]),
    ("    inputs: [a.n]\n    outputs: [x, y]\n    type: int\n    rows:\n      - [\"-\", 1, 2]\n",
     ["P0210 `type` is for a table with one result; table `t` has `outputs`"]),
    ("    inputs: [a.n]\n    outputs: [x, y]\n    rows:\n      - [\"-\", 1, 2]\n    default: {x: 0}\n",
     ["P0202 the `default` of table `t` gives no value for `y`"]),
    ("    inputs: [a.n]\n    outputs: [x, y]\n    rows:\n      - [\"-\", 1, 2]\n    default: 0\n",
     ["P0203 the `default` of table `t` must give a value for each output, found a single value"]),
    ("    hit: collect\n    aggregate: sum\n    inputs: [a.n]\n    outputs: [x, y]\n    rows:\n      - [\"-\", 1, 2]\n",
     ["P0210 `aggregate` cannot fold table `t`, which has 2 outputs"]),
    // A bare word with no declared type: the one schema enum that has it, else an error naming them.
    ("    inputs: [a.n]\n    rows:\n      - [\"> 0\", X]\n      - [\"<= 0\", Z]\n", []),
    ("    inputs: [a.n]\n    rows:\n      - [\"> 0\", Y]\n      - [\"<= 0\", X]\n",
     ["P0501 `Y` is a case of 2 different enums of the schema, so which one is meant is unclear"]),
  ] as [(String, [String])])
  func lintOfOutputsAndCells(_ table: String, _ expected: [String]) throws {
    let found = try Self.lint(table)
    #expect(found == expected, "\(found)")
  }

  static let perItem = """
    precept: 1
    rulebook: t.per_item
    schema:
      product:
        fees: "list(record(name: text, amount: money(CNY), charged: enum(upfront, monthly, on_event)))"
        channel: enum(online, branch)
    tables:
      fee_cap:
        for: product.fees
        hit: first
        inputs: [.charged, product.channel]
        rows:
          - [upfront, online, 500 CNY]
          - [upfront, "-", 1000 CNY]
          - [monthly, "-", 50 CNY]
        default: 0 CNY
    rules:
      - id: CAP
        severity: block
        cite: x
        require: "all f in product.fees: f.amount <= fee_cap(f)"
      - id: CAPS
        severity: review
        flag: true
        message: "{fee_cap(product.fees[0])} {fee_cap(product.fees[1])}"
        cite: x
    """

  /// A table with `for:` is applied to each item: the same table gives each fee its own cap.
  @Test(arguments: [
    ("product: { channel: online, fees: [{name: a, amount: 400 CNY, charged: upfront}, {name: b, amount: 30 CNY, charged: monthly}] }",
     RuleStatus.passed, "500.00 CNY 50.00 CNY"),
    ("product: { channel: online, fees: [{name: a, amount: 600 CNY, charged: upfront}, {name: b, amount: 30 CNY, charged: monthly}] }",
     .violated, "500.00 CNY 50.00 CNY"),
    ("product: { channel: branch, fees: [{name: a, amount: 600 CNY, charged: upfront}, {name: b, amount: 1 CNY, charged: on_event}] }",
     .violated, "1,000.00 CNY 0.00 CNY"),
    // No second fee: its cap is missing, not a cap of zero.
    ("product: { channel: branch, fees: [{name: a, amount: 600 CNY, charged: upfront}] }", .passed, "1,000.00 CNY missing"),
  ] as [(String, RuleStatus, String)])
  func aTableIsAppliedPerItem(_ facts: String, _ status: RuleStatus, _ caps: String) throws {
    let d = try compileRulebook(Self.perItem).evaluate(facts: facts, asOf: asOf)
    #expect(d.results.first { $0.rule.id == "CAP" }?.status == status)
    #expect(d.results.first { $0.rule.id == "CAPS" }?.message == caps)
  }

  @Test(arguments: [
    ("    for: a.n\n    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n", "flag: t == t",
     ["P0507 `for` names the list whose items the table is applied to, but this is int"]),
    ("    inputs: [a.n]\n    rows:\n      - [\"-\", 1]\n", "flag: t(a.n) == 1",
     ["P0507 table `t` reads the facts as a whole, so it is named, not called"]),
    ("    for: a.xs\n    inputs: [.v]\n    rows:\n      - [\"-\", 1]\n", "flag: t == 1",
     ["P0507 table `t` is applied to one item of `a.xs` at a time, so it needs the item"]),
    ("    for: a.xs\n    inputs: [.v]\n    rows:\n      - [\"-\", 1]\n", "flag: t(a.n) == 1",
     ["P0507 table `t` takes an item of `a.xs`, which is record, but this is int"]),
    ("    for: a.xs\n    inputs: [.v]\n    rows:\n      - [\"-\", 1]\n", "flag: \"all x in a.xs: t(x) == 1\"", []),
  ] as [(String, String, [String])])
  func perItemTablesAreCalledWithAnItem(_ table: String, _ rule: String, _ expected: [String]) throws {
    let found = try Self.lint(table, rule: rule, schema: "    xs: \"list(record(v: int))\"\n")
    #expect(found == expected, "\(found)")
  }

  @Test func outputsAreReadByName() throws {
    #expect(try Self.lint("    inputs: [a.n]\n    outputs: [x, y]\n    rows:\n      - [\"-\", 1, 2]\n", rule: "flag: t.z > 0") == [
      "P0502 this value has no field `z`"
    ])
  }
}
