import PreceptTestSupport
import Testing

@testable import Precept

/// The evaluator keeps bools, numbers and enum cases unboxed, tests constant lists as bit sets
/// and flat lists, reads loop items in place and visits `window`/`per_day` groups one at a time.
/// Traced evaluation takes the general paths (it keeps every value), so each case here is
/// decided both ways, and both must give the expected status.
@Suite struct UnboxedEvaluationTests {
  static let schema = """
    precept: 1
    rulebook: t.unboxed
    schema:
      a:
        n: int?
        d: decimal?
        p: percent?
        flag: bool?
        kind: 'enum(loan, card, lease)?'
        country: text?
    rules:
    """

  static func decide(_ condition: String, _ facts: String, trace: Bool) throws -> RuleResult {
    let book = try compileRulebook(schema + "\n  - { id: R, severity: block, require: '\(condition)' }\n")
    let d = try book.evaluate(facts: "a: { \(facts) }", asOf: asOf, trace: trace)
    return try #require(d.results.first)
  }

  /// (condition, facts, expected status)
  static let cases: [(String, String, RuleStatus)] = [
    ("a.n in [12, 24, 36]", "n: 24", .passed),
    ("a.n in [12, 24, 36]", "n: 25", .violated),
    ("a.n not in [12, 24, 36]", "n: 25", .passed),
    ("a.n in [12, 24, 36]", "", .unknown),
    ("a.d in [0.5, 1.25]", "d: 1.250", .passed),
    ("a.kind in [loan, lease]", "kind: lease", .passed),
    ("a.kind not in [loan, lease]", "kind: lease", .violated),
    ("a.kind not in [loan, lease]", "", .unknown),
    ("a.country in [\"US\", \"GB\"]", "country: GB", .passed),
    ("a.country not in [\"US\", \"GB\"]", "country: DE", .passed),
    ("a.country in [\"US\", \"GB\"]", "", .unknown),
    ("a.country != \"US\" or a.n >= 21", "country: US, n: 20", .violated),
    ("a.kind == card", "kind: card", .passed),
    ("a.kind != card", "kind: loan", .passed),
    ("a.n between 18 and 75", "n: 75", .passed),
    ("a.n not between 18 and 75", "n: 76", .passed),
    ("a.n between 18 and 75", "", .unknown),
    ("a.d / a.n <= 0.5", "d: 1, n: 2", .passed),
    ("a.d / a.n <= 0.5", "d: 1, n: 0", .unknown),
    ("a.n * 12 + 3 == 27", "n: 2", .passed),
    ("a.p >= 18%", "p: 18%", .passed),
    ("a.p < 0.18", "p: 18%", .violated),
    ("a.n is missing", "", .passed),
    ("a.n is not missing", "n: 0", .passed),
    ("a.flag", "flag: true", .passed),
    ("not a.flag", "flag: true", .violated),
    ("a.flag or a.n > 1", "n: 0", .unknown),
    ("a.flag and a.n > 1", "n: 0", .violated),
  ]

  @Test(arguments: cases)
  func decidesBothWays(_ c: (String, String, RuleStatus)) throws {
    #expect(try Self.decide(c.0, c.1, trace: false).status == c.2)
    #expect(try Self.decide(c.0, c.1, trace: true).status == c.2)
  }

  @Test func overflowIsUnknownWithItsExpression() throws {
    let huge = "n: 99999999999999999999999999"
    for trace in [false, true] {
      let r = try Self.decide("a.n * a.n * a.n > 0", huge, trace: trace)
      #expect(r.status == .unknown)
      #expect(r.reason?.hasSuffix("in `a.n * a.n`") == true || r.reason?.hasSuffix("in `a.n * a.n * a.n`") == true)
    }
  }

  @Test func tracesShowUnboxedValues() throws {
    let r = try Self.decide("a.n * 12 >= 300", "n: 24", trace: true)
    let trace = try #require(r.trace)
    #expect(trace.value == "false")
    #expect(trace.children.map(\.value) == ["288", "300"])
    #expect(trace.children.first?.children.map(\.value) == ["24", "12"])
  }

  /// Values given through the Swift API are not checked against the schema: a field of the
  /// wrong kind reads as missing, as it always has, never as a misread number.
  @Test func mistypedSwiftValuesReadAsMissing() throws {
    let book = try compileRulebook(Self.schema + "\n  - { id: R, severity: block, require: 'a.n >= 1' }\n")
    let fields: [Value] = [.text("many"), .missing, .missing, .missing, .missing, .missing]
    let d = book.evaluate([.record(fields)], asOf: asOf)
    #expect(d.results.first?.status == .unknown)
  }

  /// A definition's `where` first evaluated inside another loop at the same level must leave
  /// that loop's item in place.
  @Test func innerLoopsLeaveTheOuterItemAlone() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.nested
      schema:
        c: { txns: 'list(record(amount: decimal))' }
      definitions:
        big: c.txns where .amount > 100
      rules:
        - id: SMALL-BESIDE-BIG
          flag: 'any t in c.txns: count(big) >= 1 and t.amount < 50'
      """)
    for trace in [false, true] {
      let d = try book.evaluate(facts: "c: { txns: [{ amount: 10 }, { amount: 200 }] }", asOf: asOf, trace: trace)
      #expect(d.results.first?.status == .violated)
    }
  }

  /// Random customers: the grouped rules decide as a direct computation does, traced or not.
  @Test func windowsAndDaysAgreeWithADirectComputation() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.groups
      schema:
        c: { txns: 'list(record(amount: decimal, ts: int, channel: text))' }
      definitions:
        cash: c.txns where .channel == "cash"
      rules:
        - id: WINDOW
          flag: 'any w in window(cash where .amount >= 45_000 and .amount < 50_000, 24h, by: .ts): count(w) >= 3'
        - id: DAY-TOTAL
          flag: 'any d in per_day(cash, by: .ts): sum(d.amount) >= 50_000'
        - id: ALL-DAYS-SMALL
          severity: review
          require: 'all d in per_day(cash, by: .ts): count(d) <= 2'
      """)
    var rng = SplitMix64(state: 7)
    for _ in 0..<300 {
      let count = Int(rng.next() % 9)
      var txns: [(amount: Int, ts: Int, cash: Bool)] = []
      for _ in 0..<count {
        let amount = [10_000, 45_000, 47_500, 49_999, 50_000][Int(rng.next() % 5)]
        txns.append((amount, 1_767_225_600 + Int(rng.next() % 3) * 43_200 + Int(rng.next() % 4) * 3_600, rng.next() % 4 != 0))
      }
      let facts = "c: { txns: [" + txns.map { "{ amount: \($0.amount), ts: \($0.ts), channel: \($0.cash ? "cash" : "card") }" }.joined(separator: ", ") + "] }"
      let cash = txns.filter(\.cash)
      let near = cash.filter { $0.amount >= 45_000 && $0.amount < 50_000 }.map(\.ts)
      let window = near.contains { t in near.filter { $0 >= t && $0 - t < 86_400 }.count >= 3 }
      let days = Dictionary(grouping: cash) { $0.ts / 86_400 }
      let dayTotal = days.values.contains { $0.reduce(0) { $0 + $1.amount } >= 50_000 }
      let allSmall = days.values.allSatisfy { $0.count <= 2 }
      for trace in [false, true] {
        let s = statuses(try book.evaluate(facts: facts, asOf: asOf, trace: trace))
        #expect(s["WINDOW"] == (window ? .violated : .passed), "\(facts)")
        #expect(s["DAY-TOTAL"] == (dayTotal ? .violated : .passed), "\(facts)")
        #expect(s["ALL-DAYS-SMALL"] == (allSmall ? .passed : .violated), "\(facts)")
      }
    }
  }
}
