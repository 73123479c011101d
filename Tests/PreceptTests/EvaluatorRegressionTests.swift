import Foundation
import Testing

@testable import Precept

/// Compiles one rulebook written inline (through a temporary file, as `precept` reads them).
private func compile(_ yaml: String) throws -> CompiledRulebook {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-eval-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let path = dir.appendingPathComponent("book.yaml").path
  try yaml.write(toFile: path, atomically: true, encoding: .utf8)
  let loaded = try Rulebooks.load(paths: [path], root: dir.path)
  return try #require(loaded.rulebooks.first)
}

/// Each rule's status for facts given as JSON.
private func statuses(_ book: CompiledRulebook, _ facts: String) throws -> [String: RuleStatus] {
  let asOf = try #require(CivilDate(year: 2026, month: 11, day: 23))
  let decision = try book.evaluate(facts: facts, asOf: asOf)
  return Dictionary(uniqueKeysWithValues: decision.results.map { ($0.rule.id, $0.status) })
}

@Suite struct EvaluatorRegressionTests {
  static let windows = """
    precept: 1
    rulebook: regress.windows
    version: 1.0.0
    schema:
      c:
        txns: 'list(record(amount: decimal, ts: int))'
    rules:
      - id: WINDOW
        flag: 'any w in window(c.txns, 24h, by: .ts): count(w) >= 2'
      - id: DAY
        flag: 'any d in per_day(c.txns, by: .ts): sum(d.amount) >= 100'
    """

  private static func txns(_ items: [(amount: String, ts: String)]) -> String {
    "{\"c\": {\"txns\": [" + items.map { "{\"amount\": \($0.amount), \"ts\": \($0.ts)}" }.joined(separator: ", ") + "]}}"
  }

  /// Timestamps at the ends of Int64 used to trap (arithmetic overflow) in `window`'s gap and in
  /// `per_day`'s day, killing the process instead of deciding.
  @Test func windowAndDayKeysAtTheEndsOfInt64() throws {
    let book = try compile(Self.windows)
    let far = Self.txns([("60", "9223372036854775807"), ("60", "-9223372036854775808")])
    #expect(try statuses(book, far) == ["WINDOW": .passed, "DAY": .passed])
    let top = Self.txns([("60", "9223372036854775807"), ("60", "9223372036854775806")])
    #expect(try statuses(book, top) == ["WINDOW": .violated, "DAY": .violated])
    let bottom = Self.txns([("60", "-9223372036854775807"), ("60", "-9223372036854775808")])
    #expect(try statuses(book, bottom) == ["WINDOW": .violated, "DAY": .violated])
  }

  @Test func perDayWithAnOffsetAtTheEndOfInt64() throws {
    let book = try compile(Self.windows.replacingOccurrences(of: "version: 1.0.0", with: "version: 1.0.0\ntimezone: '+08:00'"))
    let late = Self.txns([("60", "9223372036854775807"), ("60", "9223372036854775800")])
    #expect(try statuses(book, late) == ["WINDOW": .violated, "DAY": .violated])
    // 15:59:59Z and 16:00:00Z are different days at +08:00; 0 and -1 are one day there.
    #expect(try statuses(book, Self.txns([("60", "57599"), ("60", "57600")]))["DAY"] == .passed)
    #expect(try statuses(book, Self.txns([("60", "-1"), ("60", "0")]))["DAY"] == .violated)
  }

  /// The boundaries the benchmark data plants: a window holds keys less than 24h after its first.
  @Test func windowAndDayBoundaries() throws {
    let book = try compile(Self.windows)
    #expect(try statuses(book, Self.txns([("1", "0"), ("1", "86400")]))["WINDOW"] == .passed)
    #expect(try statuses(book, Self.txns([("1", "86400"), ("1", "1")]))["WINDOW"] == .violated)
    #expect(try statuses(book, Self.txns([("60", "-1"), ("60", "0")]))["DAY"] == .passed)
    #expect(try statuses(book, Self.txns([("60", "86399"), ("40", "0")]))["DAY"] == .violated)
  }

  /// `x in [a, missing]` was false when x ≠ a, though the missing item might equal x: missing data
  /// must never be silently false. Now unknown, as Kleene logic says; true still wins.
  @Test func membershipWithAMissingItemIsUnknown() throws {
    let book = try compile("""
      precept: 1
      rulebook: regress.membership
      version: 1.0.0
      schema:
        c:
          country: text
          home: text?
          seen: list(text)
      rules:
        - id: IN
          severity: block
          require: 'c.country in [c.home, "US"]'
        - id: NOT-IN
          severity: block
          require: 'c.country not in [c.home, "US"]'
        - id: CONTAINS
          severity: block
          require: '[c.home, "US"] contains c.country'
        - id: ANY
          severity: block
          require: '[c.home, "US"] contains any c.seen'
        - id: ALL
          severity: block
          require: '[c.home, "US"] contains all c.seen'
      """)
    #expect(try statuses(book, #"{"c": {"country": "GB", "seen": ["GB"]}}"#) == [
      "IN": .unknown, "NOT-IN": .unknown, "CONTAINS": .unknown, "ANY": .unknown, "ALL": .unknown,
    ])
    #expect(try statuses(book, #"{"c": {"country": "US", "seen": ["US", "GB"]}}"#) == [
      "IN": .passed, "NOT-IN": .violated, "CONTAINS": .passed, "ANY": .passed, "ALL": .unknown,
    ])
    #expect(try statuses(book, #"{"c": {"country": "GB", "home": "FR", "seen": ["GB"]}}"#) == [
      "IN": .violated, "NOT-IN": .passed, "CONTAINS": .violated, "ANY": .violated, "ALL": .violated,
    ])
    #expect(try statuses(book, #"{"c": {"country": "GB", "home": "GB", "seen": ["US", "GB"]}}"#) == [
      "IN": .passed, "NOT-IN": .violated, "CONTAINS": .passed, "ANY": .passed, "ALL": .passed,
    ])
  }

  /// A list literal of constants was rebuilt (one allocation) on every evaluation, so evaluating
  /// benchmark workload A allocated 3 times per decision though `run` promises none. It is now a
  /// constant; a list with a fact in it is still built, and traces show both as before.
  @Test func constantListLiteralsAreConstants() throws {
    let book = try compile("""
      precept: 1
      rulebook: regress.lists
      version: 1.0.0
      schema:
        a:
          status: enum(employed, retired, student)
          term: int
          other: int
      rules:
        - id: STATUS
          severity: block
          require: a.status in [employed, retired]
        - id: TERM
          severity: block
          require: a.term in [12, 24, 36]
        - id: MIXED
          severity: block
          require: a.term in [a.other, 60]
      """)
    let lists = book.program.instructions.filter { if case .list = $0.step { true } else { false } }
    #expect(lists.count == 1)
    let asOf = try #require(CivilDate(year: 2026, month: 11, day: 23))
    let facts = #"{"a": {"status": "student", "term": 60, "other": 1}}"#
    let decision = try book.evaluate(facts: facts, asOf: asOf, trace: true)
    #expect(decision.results.map(\.status) == [.violated, .violated, .passed])
    let listTrace = try #require(decision.results[0].trace?.children.last)
    #expect(listTrace.value == "[employed, retired]")
    #expect(listTrace.children.map(\.value) == ["employed", "retired"])
    #expect(decision.results[2].trace?.children.last?.value == "[1, 60]")
  }
}

/// Decision tables: a row is the Kleene `and` of its cells, so one false cell rules a row out
/// whatever column order; no matching row without a `default` is a gap named as such, not a
/// missing fact.
@Suite struct TableRowLogicTests {
  static let book = """
    precept: 1
    rulebook: t.limits
    schema:
      a:
        score: int?
        grade: enum(A, B)
    tables:
      limit:
        hit: unique
        inputs: [a.score, a.grade]
        rows:
          - [">= 700", A, 50000 CNY]
          - ["< 700", A, 10000 CNY]
    rules:
      - id: R
        severity: block
        require: limit >= 10000 CNY
        cite: "illustrative: test"
    """

  @Test(arguments: [
    ("a: { score: 750, grade: A }", RuleStatus.passed, nil),
    // The score is missing, but grade B rules out every row: no row matches (before: unknown
    // for a missing score, though the answer did not depend on it).
    ("a: { grade: B }", .unknown, "no row of `limit` matches a.score = missing, a.grade = B, and it has no `default`"),
    ("a: { score: 650, grade: B }", .unknown, "no row of `limit` matches a.score = 650, a.grade = B, and it has no `default`"),
    // Grade A with a missing score: either row might match, so the value is missing, and the
    // reason names the fact behind the table's input.
    ("a: { grade: A }", .unknown, "missing: a.score"),
  ] as [(String, RuleStatus, String?)])
  func rowsAreKleeneConjunctions(_ facts: String, _ status: RuleStatus, _ reason: String?) throws {
    let d = try compileRulebook(Self.book).evaluate(facts: facts, asOf: CivilDate(year: 2026, month: 1, day: 1)!)
    let r = try #require(d.results.first)
    #expect(r.status == status)
    #expect(r.reason == reason)
  }

  /// Identical expressions share a node: `count(x)` over a list of lists and `count(w)` over a
  /// window's group at the same loop level are one node. The planner reads groups in place
  /// (`quantifyGroupRanges`) only where nothing else reaches that node; here it must not, and
  /// both rules must count what they range over. Without a sharer, the window is read in place.
  @Test func sharedGroupCountsStayLists() throws {
    let shared = try compile("""
      precept: 1
      rulebook: regress.shared-count
      version: 1.0.0
      schema:
        c:
          txns: 'list(record(amount: decimal, ts: int))'
          batches: 'list(list(record(amount: decimal, ts: int)))'
      rules:
        - id: WINDOW
          flag: 'any w in window(c.txns, 24h, by: .ts): count(w) >= 2'
        - id: BATCH
          flag: 'any x in c.batches: count(x) >= 2'
      """)
    let kinds = Set(shared.program.instructions.map(\.step.kind))
    #expect(!kinds.contains(.quantifyGroupRanges) && !kinds.contains(.groupCount))
    let facts = """
      {"c": {"txns": [{"amount": 1, "ts": 0}, {"amount": 2, "ts": 200000}],
             "batches": [[{"amount": 1, "ts": 0}, {"amount": 2, "ts": 5}]]}}
      """
    #expect(try statuses(shared, facts) == ["WINDOW": .passed, "BATCH": .violated])
    let alone = try compile(EvaluatorRegressionTests.windows)
    let planned: Set<Program.Step.Kind> = Set(alone.program.instructions.map(\.step.kind))
    #expect(planned.isSuperset(of: [.quantifyGroupRanges, .groupCount, .groupSumField]) && !planned.contains(.quantifyGroups))
  }
}
