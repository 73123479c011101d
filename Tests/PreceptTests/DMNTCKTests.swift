import Foundation
import Testing

@testable import Precept

/// Decision-table cases of the DMN Technology Compatibility Kit (github.com/dmn-tck/tck,
/// `TestCases/compliance-level-2/`), written as Precept rulebooks from the kit's models, with
/// the kit's inputs and expected results. Each table's value is shown through a rule's message
/// (`{status}`), so the assertion is on the value exactly as Precept computes it.
///
/// Precept tables have one output column. A kit table with several outputs is written as one
/// Precept table per output where the rows chosen do not depend on the outputs (first, rule
/// order, any, collect); under priority and output order, where the first output column ranks
/// the rows, only that column is tested.
@Suite struct DMNTCKTests {
  /// The kit's `Age`, `RiskCategory` and `isAffordable` inputs, shared by most cases.
  static let applicant = "a: { age: int, risk: text, affordable: bool }"

  /// A rulebook with `tables`, and for each table a rule whose message is the table's value.
  static func book(schema: String = applicant, _ tables: String, showing names: [String]) throws -> CompiledRulebook {
    let rules = names.map { #"  - { id: SHOW-\#($0.uppercased()), severity: review, flag: true, message: "{\#($0)}", cite: "DMN TCK" }"# }
    return try compileRulebook(
      """
      precept: 1
      rulebook: dmn.tck
      schema:
        \(schema)
      tables:
      \(tables)
      rules:
      \(rules.joined(separator: "\n"))
      """)
  }

  /// Each shown table's value, by table name.
  static func values(_ book: CompiledRulebook, _ facts: String) throws -> [String: String] {
    let d = try book.evaluate(facts: facts, asOf: asOf)
    var out: [String: String] = [:]
    for r in d.results {
      out[r.rule.id.replacingOccurrences(of: "SHOW-", with: "").lowercased()] = r.message ?? "(\(r.reason ?? "no message"))"
    }
    return out
  }

  static func applicant(_ age: Int, _ risk: String, _ affordable: Bool) -> String {
    "a: { age: \(age), risk: \(risk), affordable: \(affordable) }"
  }

  // 0004-simpletable-U: hit policy UNIQUE.
  static let simpleU = """
      status:
        hit: unique
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Approved"']
          - ["<18", '"Medium", "Low"', "true", '"Declined"']
          - ["-", '"High"', "true", '"Declined"']
          - ["-", "-", "false", '"Declined"']
    """

  @Test(arguments: [
    (18, "Medium", true, "Approved"),  // 0004 test 001
    (17, "Medium", true, "Declined"),  // 0004 test 002
    (18, "High", true, "Declined"),  // 0004 test 003
  ])
  func tck0004SimpleTableUnique(_ age: Int, _ risk: String, _ affordable: Bool, _ expected: String) throws {
    let book = try Self.book(Self.simpleU, showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": expected])
  }

  // 0005-simpletable-A: hit policy ANY; rows 2 to 4 overlap and agree.
  static let simpleA = """
      status:
        hit: any
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Approved"']
          - ["<18", "-", "-", '"Declined"']
          - ["-", '"High"', "-", '"Declined"']
          - ["-", "-", "false", '"Declined"']
    """

  @Test(arguments: [
    (18, "Medium", true, "Approved"),  // 0005 test 001
    (17, "Medium", true, "Declined"),  // 0005 test 002
    (18, "High", true, "Declined"),  // 0005 test 003
  ])
  func tck0005SimpleTableAny(_ age: Int, _ risk: String, _ affordable: Bool, _ expected: String) throws {
    let book = try Self.book(Self.simpleA, showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": expected])
  }

  // 0006-simpletable-P1: hit policy PRIORITY; the output values "Approved", "Declined" rank the rows.
  static let simpleP1 = """
      status:
        hit: priority
        priority: ['"Approved"', '"Declined"']
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Approved"']
          - ["<18", "-", "-", '"Declined"']
          - ["-", '"High"', "-", '"Declined"']
          - ["-", "-", "false", '"Declined"']
    """

  @Test(arguments: [
    (18, "Medium", true, "Approved"),  // 0006 test 001
    (17, "Medium", true, "Declined"),  // 0006 test 002
    (18, "High", true, "Declined"),  // 0006 test 003
  ])
  func tck0006SimpleTablePriority(_ age: Int, _ risk: String, _ affordable: Bool, _ expected: String) throws {
    let book = try Self.book(Self.simpleP1, showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": expected])
  }

  // 0007-simpletable-P2: PRIORITY with a catch-all row that every input matches.
  static let simpleP2 = """
      status:
        hit: priority
        priority: ['"Approved"', '"Declined"']
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Approved"']
          - ["-", "-", "-", '"Declined"']
    """

  @Test(arguments: [
    (18, "Medium", true, "Approved"),  // 0007 test 001
    (17, "Medium", true, "Declined"),  // 0007 test 002
    (18, "High", true, "Declined"),  // 0007 test 003
  ])
  func tck0007SimpleTablePriorityCatchAll(_ age: Int, _ risk: String, _ affordable: Bool, _ expected: String) throws {
    let book = try Self.book(Self.simpleP2, showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": expected])
  }

  /// The rows of 0108 and 0109 (outputs Status and Rate), as two tables under one hit policy.
  static func approvalRows(_ hit: String) -> String {
    """
      status:
        hit: \(hit)
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium"', "true", '"Approved"']
          - [">=12", '"Medium"', "true", '"Approved"']
          - ["<12", '"Low"', "true", '"Declined"']
      rate:
        hit: \(hit)
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium"', "true", '"Best"']
          - [">=12", '"Medium"', "true", '"Standard"']
          - ["<12", '"Low"', "true", '"Standard"']
    """
  }

  // 0108-first-hitpolicy: FIRST, two outputs (Status, Rate).
  @Test(arguments: [
    (19, "Medium", true, "Approved", "Best"),  // 0108 test 001
    (13, "Medium", true, "Approved", "Standard"),  // 0108 test 002
    (10, "Low", true, "Declined", "Standard"),  // 0108 test 003
  ])
  func tck0108First(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String, _ rate: String) throws {
    let book = try Self.book(Self.approvalRows("first"), showing: ["status", "rate"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status, "rate": rate])
  }

  // 0109-ruleOrder-hitpolicy: RULE ORDER, two outputs; the kit's list of (Status, Rate) pairs
  // is the two lists below, item by item.
  @Test(arguments: [
    (19, "Medium", true, "[Approved, Approved]", "[Best, Standard]"),  // 0109 test 001
    (13, "Medium", true, "[Approved]", "[Standard]"),  // 0109 test 002
    (10, "Low", true, "[Declined]", "[Standard]"),  // 0109 test 003
  ])
  func tck0109RuleOrder(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String, _ rate: String) throws {
    let book = try Self.book(Self.approvalRows("rule_order"), showing: ["status", "rate"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status, "rate": rate])
  }

  /// The rows of 0110, 0118 and 0119 (first output column Approved/Declined, ranked "Approved", "Declined").
  static func approvedDeclined(_ hit: String, priority: Bool) -> String {
    """
      status:
        hit: \(hit)\(priority ? "\n    priority: ['\"Approved\"', '\"Declined\"']" : "")
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Approved"']
          - ["<18", "-", "-", '"Declined"']
          - ["-", '"High"', "-", '"Approved"']
    """
  }

  static let rateRows = """
      rate:
        hit: collect
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Medium", "Low"', "true", '"Basic"']
          - ["<18", "-", "-", '"Standard"']
          - ["-", '"High"', "-", '"Standard"']
    """

  // 0110-outputOrder-hitpolicy: OUTPUT ORDER, two outputs ranked by the first; its column tested.
  @Test(arguments: [
    (17, "High", true, "[Approved, Declined]"),  // 0110 test 001
    (19, "Low", true, "[Approved]"),  // 0110 test 002
    (10, "Low", true, "[Declined]"),  // 0110 test 003
  ])
  func tck0110OutputOrder(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String) throws {
    let book = try Self.book(Self.approvedDeclined("output_order", priority: true), showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status])
  }

  // 0118-multi-priority-hitpolicy: PRIORITY, two outputs ranked by the first; its column tested.
  @Test(arguments: [
    (17, "High", true, "Approved"),  // 0118 test 001
    (19, "Low", true, "Approved"),  // 0118 test 002
    (10, "Low", true, "Declined"),  // 0118 test 003
  ])
  func tck0118MultiPriority(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String) throws {
    let book = try Self.book(Self.approvedDeclined("priority", priority: true), showing: ["status"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status])
  }

  // 0119-multi-collect-hitpolicy: COLLECT without aggregation, two outputs; rows in rule order.
  @Test(arguments: [
    (17, "High", true, "[Declined, Approved]", "[Standard, Standard]"),  // 0119 test 001
    (19, "Low", true, "[Approved]", "[Basic]"),  // 0119 test 002
    (10, "Low", true, "[Declined]", "[Standard]"),  // 0119 test 003
  ])
  func tck0119MultiCollect(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String, _ rate: String) throws {
    let book = try Self.book(Self.approvedDeclined("collect", priority: false) + "\n" + Self.rateRows, showing: ["status", "rate"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status, "rate": rate])
  }

  // 0117-multi-any-hitpolicy: ANY, two outputs; rows 1 and 6 overlap and agree on both.
  static let multiAny = """
      status:
        hit: any
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Low"', "true", '"Approved"']
          - [">=18", '"Medium"', "true", '"Approved"']
          - ["<18", '"Medium", "Low"', "true", '"Declined"']
          - ["-", '"High"', "true", '"Declined"']
          - ["-", "-", "false", '"Declined"']
          - [">=19", '"Low"', "true", '"Approved"']
      rate:
        hit: any
        inputs: [a.age, a.risk, a.affordable]
        rows:
          - [">=18", '"Low"', "true", '"Best"']
          - [">=18", '"Medium"', "true", '"Standard"']
          - ["<18", '"Medium", "Low"', "true", '"Standard"']
          - ["-", '"High"', "true", '"Standard"']
          - ["-", "-", "false", '"Standard"']
          - [">=19", '"Low"', "true", '"Best"']
    """

  @Test(arguments: [
    (19, "Low", true, "Approved", "Best"),  // 0117 test 001
    (17, "High", true, "Declined", "Standard"),  // 0117 test 002
    (19, "Medium", true, "Approved", "Standard"),  // 0117 test 003
  ])
  func tck0117MultiAny(_ age: Int, _ risk: String, _ affordable: Bool, _ status: String, _ rate: String) throws {
    let book = try Self.book(Self.multiAny, showing: ["status", "rate"])
    #expect(try Self.values(book, Self.applicant(age, risk, affordable)) == ["status": status, "rate": rate])
  }

  /// A one-input collect table over `NumOfYears` with the given aggregation, rows `> bound`.
  static func years(_ aggregate: String, _ rows: [(bound: Int, output: String)]) -> String {
    "  t:\n    hit: collect\n    aggregate: \(aggregate)\n    inputs: [e.years]\n    rows:\n"
      + rows.map { "      - [\">\($0.bound)\", \($0.output)]" }.joined(separator: "\n")
  }

  // 0114-min-collect-hitpolicy: COLLECT MIN over decimals.
  @Test(arguments: [
    (5, "64.32"),  // 0114 test 001
    (3, "98.83"),  // 0114 test 002
    (4, "98.83"),  // 0114 test 003
  ])
  func tck0114CollectMin(_ years: Int, _ expected: String) throws {
    let book = try Self.book(schema: "e: { years: int }", Self.years("min", [(1, "98.83"), (2, "150.21"), (3, "205.43"), (4, "64.32")]), showing: ["t"])
    #expect(try Self.values(book, "e: { years: \(years) }") == ["t": expected])
  }

  // 0115-sum-collect-hitpolicy: COLLECT SUM.
  @Test(arguments: [
    (6, "1100"),  // 0115 test 001
    (3, "300"),  // 0115 test 002
    (2, "100"),  // 0115 test 003
  ])
  func tck0115CollectSum(_ years: Int, _ expected: String) throws {
    let book = try Self.book(schema: "e: { years: int }", Self.years("sum", [(1, "100"), (2, "200"), (3, "300"), (5, "500")]), showing: ["t"])
    #expect(try Self.values(book, "e: { years: \(years) }") == ["t": expected])
  }

  // 0116-count-collect-hitpolicy: COLLECT COUNT.
  @Test(arguments: [
    (6, "4"),  // 0116 test 001
    (2, "1"),  // 0116 test 002
    (3, "2"),  // 0116 test 003
  ])
  func tck0116CollectCount(_ years: Int, _ expected: String) throws {
    let book = try Self.book(schema: "e: { years: int }", Self.years("count", [(1, "100"), (2, "200"), (3, "300"), (5, "500")]), showing: ["t"])
    #expect(try Self.values(book, "e: { years: \(years) }") == ["t": expected])
  }
}
