import Foundation
import Testing

@testable import Precept

/// Regression: a message placeholder that the rule's own condition never computed is evaluated
/// when the message is written. That path used to crash (`Bad pointer dereference`) in `check`,
/// `trace`, `test` and `eval` alike, e.g. `{p.name}` on a rule whose condition reads only `p.n`.
@Suite struct MessagePlaceholderTests {
  static let book = """
    precept: 1
    rulebook: t.placeholders
    schema:
      p: { name: text, n: int, names: list(text) }
    rules:
      - id: FRESH
        severity: review
        flag: p.n > 0
        message: "{p.name}: {length(p.name)} letters, best {best_match(p.name, p.names).name} at {best_match(p.name, p.names).score}"
    """
  static let facts = #"p: { name: "Boris Badenov", n: 1, names: ["Boris Badenov", "Natasha Fatale"] }"#
  static let expected = "Boris Badenov: 13 letters, best Boris Badenov at 1"

  @Test func placeholdersNotComputedByTheConditionAreEvaluatedForTheDecision() throws {
    let book = try compileRulebook(Self.book)
    let d = try book.evaluate(facts: Self.facts, asOf: asOf, trace: true)
    #expect(d.results.map(\.message) == [Self.expected])
  }

  @Test func placeholdersNotComputedByTheConditionAreEvaluatedForTheStream() throws {
    let book = try compileRulebook(Self.book)
    let values = try book.values(from: try FactsDocument.parse(text: Self.facts).get()).get()
    let e = Evaluator(book)
    e.run(values, asOf: asOf)
    var out: [UInt8] = []
    CompactDecisionFormat(e.book, asOf: asOf).append(e, line: 1, to: &out)
    #expect(String(decoding: out, as: UTF8.self).contains(#""message":"\#(Self.expected)""#))
  }
}

/// A placeholder whose computation fails shows the failure, never "missing" (the word for an absent fact).
@Suite struct FailedPlaceholderTests {
  static let book = """
    precept: 1
    rulebook: t.failures
    schema:
      a: { debt: money, income: money, age: int, bonus: money? }
    rules:
      - id: R
        severity: block
        require: a.age > 60
        message: "ratio {a.debt / a.income}, bonus {a.bonus}, age {a.age}"
        cite: "illustrative: test"
    """

  @Test(arguments: [
    ("a: { debt: 100 CNY, income: 0 CNY, age: 30 }", "ratio (error: division by zero), bonus missing, age 30"),
    ("a: { debt: 100 CNY, income: 50 CNY, age: 30 }", "ratio 2, bonus missing, age 30"),
  ])
  func failuresAreNotMissing(_ facts: String, _ message: String) throws {
    let d = try compileRulebook(Self.book).evaluate(facts: facts, asOf: CivilDate(year: 2026, month: 1, day: 1)!)
    #expect(d.results.first?.message == message)
  }
}
