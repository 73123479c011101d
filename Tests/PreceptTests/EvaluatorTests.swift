import Foundation
import Testing

@testable import Precept

/// Compiles a rulebook written inline (through a temporary file, as users' rulebooks are read).
func compileRulebook(_ yaml: String, file: String = "t.yaml") throws -> CompiledRulebook {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let path = dir.appendingPathComponent(file).path
  try yaml.write(toFile: path, atomically: true, encoding: .utf8)
  let loaded: [CompiledRulebook]
  do throws(LoadError) {
    loaded = try Rulebooks.load(paths: [path], root: dir.path).rulebooks
  } catch {
    throw TestFailure(error.diagnostics.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" }.joined(separator: "\n"))
  }
  guard let book = loaded.first else { throw TestFailure("no rulebook compiled") }
  return book
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

let asOf = CivilDate(year: 2026, month: 11, day: 23)!

func statuses(_ d: Decision) -> [String: RuleStatus] {
  Dictionary(uniqueKeysWithValues: d.results.map { ($0.rule.id, $0.status) })
}

@Suite struct EvaluatorTests {
  static let kleene = """
    precept: 1
    rulebook: t.kleene
    schema:
      x: { a: bool?, b: bool? }
    rules:
      - { id: AND, severity: block, require: x.a and x.b }
      - { id: OR, severity: block, require: x.a or x.b }
      - { id: NOT, severity: block, require: not x.a }
    """

  /// (a, b, and, or, not a) with nil as missing: Kleene's three-valued logic.
  static let truth: [(Bool?, Bool?, Bool?, Bool?, Bool?)] = [
    (true, true, true, true, false), (true, false, false, true, false), (false, true, false, true, true),
    (false, false, false, false, true), (nil, true, nil, true, nil), (nil, false, false, nil, nil),
    (true, nil, nil, true, false), (false, nil, false, nil, true), (nil, nil, nil, nil, nil),
  ]

  @Test(arguments: truth)
  func kleeneLogic(_ row: (Bool?, Bool?, Bool?, Bool?, Bool?)) throws {
    let book = try compileRulebook(Self.kleene)
    func fact(_ v: Bool?) -> String { v.map { "\($0)" } ?? "null" }
    let d = try book.evaluate(facts: "x: { a: \(fact(row.0)), b: \(fact(row.1)) }", asOf: asOf)
    func expected(_ v: Bool?) -> RuleStatus { v.map { $0 ? .passed : .violated } ?? .unknown }
    #expect(statuses(d) == ["AND": expected(row.2), "OR": expected(row.3), "NOT": expected(row.4)])
  }

  @Test func decimalsAreExact() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.exact
      schema: { x: { a: decimal, b: decimal, debt: money, income: money } }
      rules:
        - { id: SUM, severity: block, require: x.a + x.b == 0.3 }
        - { id: DTI, severity: block, require: x.debt / x.income <= 50% }
      """)
    let d = try book.evaluate(facts: #"x: { a: 0.1, b: 0.2, debt: "2500 CNY", income: "5000 CNY" }"#, asOf: asOf)
    #expect(statuses(d) == ["SUM": .passed, "DTI": .passed])
    let over = try book.evaluate(facts: #"x: { a: 0.1, b: 0.2, debt: "2500.01 CNY", income: "5000 CNY" }"#, asOf: asOf)
    #expect(statuses(over)["DTI"] == .violated)
  }

  @Test func divisionByZeroIsUnknownWithAReason() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.div
      schema: { x: { debt: money, income: money } }
      rules:
        - { id: DTI, severity: warning, require: x.debt / x.income <= 50% }
        - { id: SAFE, severity: block, require: 'if x.income == 0 CNY then false else x.debt / x.income <= 50%' }
      """)
    let d = try book.evaluate(facts: #"x: { debt: "10 CNY", income: "0 CNY" }"#, asOf: asOf)
    let dti = try #require(d.results.first { $0.rule.id == "DTI" })
    #expect(dti.status == .unknown)
    #expect(dti.reason == "division by zero in `x.debt / x.income`")
    #expect(dti.outcome == .review)  // unknown counts as at least review
    #expect(statuses(d)["SAFE"] == .violated)  // `if` never evaluates the branch it does not take
  }

  @Test func missingFactsAreNamed() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.missing
      schema: { p: { min_age: int?, kind: 'enum(loan, card)' } }
      rules:
        - { id: AGE, severity: block, when: p.kind == loan, require: p.min_age >= 18 }
      """)
    let d = try book.evaluate(facts: "p: { kind: loan }", asOf: asOf)
    let r = try #require(d.results.first)
    #expect(r.status == .unknown)
    #expect(r.missing == ["p.min_age"])
    #expect(d.outcome == .block)
  }

  static let windows = """
    precept: 1
    rulebook: t.windows
    timezone: "+08:00"
    schema:
      c: { txns: 'list(record(amount: decimal, at: datetime))' }
    rules:
      - id: WINDOW
        flag: 'any w in window(c.txns where .amount >= 45000 and .amount < 50000, 24h, by: .at): count(w) >= 3'
      - id: DAY
        flag: 'any d in per_day(c.txns, by: .at): sum(d.amount) >= 50000'
    """

  static func txns(_ items: [(String, String)]) -> String {
    "c: { txns: [" + items.map { "{ amount: \($0.0), at: \"\($0.1)\" }" }.joined(separator: ", ") + "] }"
  }

  @Test func windowExcludesAnExact24HourGap() throws {
    let book = try compileRulebook(Self.windows)
    let exact = try book.evaluate(
      facts: Self.txns([("45000.00", "2026-01-01T00:00:00Z"), ("45000.00", "2026-01-01T12:00:00Z"), ("45000.00", "2026-01-02T00:00:00Z")]), asOf: asOf)
    #expect(statuses(exact)["WINDOW"] == .passed)
    let inside = try book.evaluate(
      facts: Self.txns([("49999.99", "2026-01-01T00:00:00Z"), ("49999.99", "2026-01-01T11:06:40Z"), ("49999.99", "2026-01-01T23:59:59Z")]), asOf: asOf)
    #expect(statuses(inside)["WINDOW"] == .violated)
  }

  @Test func perDayUsesTheRulebookTimeZone() throws {
    let book = try compileRulebook(Self.windows)
    // 23:30 and 00:30 UTC+8 on the same UTC day are two different local days: no day reaches 50,000.
    let split = try book.evaluate(facts: Self.txns([("30000", "2026-01-01T15:30:00Z"), ("30000", "2026-01-01T16:30:00Z")]), asOf: asOf)
    #expect(statuses(split)["DAY"] == .passed)
    let same = try book.evaluate(facts: Self.txns([("30000", "2026-01-01T16:30:00Z"), ("30000", "2026-01-02T15:00:00Z")]), asOf: asOf)
    #expect(statuses(same)["DAY"] == .violated)
  }

  @Test func uniqueTableWithTwoMatchingRowsIsUnknown() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.tables
      schema: { a: { grade: 'enum(A, B, C)', term: int, shortest: int } }
      tables:
        max_apr:
          hit: unique
          inputs: [a.grade, a.term]
          rows:
            # Rows of constants that overlap are refused by lint (P0217); a bound read from
            # the facts can only be judged at run time.
            - [A, "<= 12", 18%]
            - [A, ">= a.shortest", 20%]
            - [B, "-", 24%]
          default: 15%
      rules:
        - { id: CAP, severity: block, require: max_apr <= 20% }
      """)
    let overlap = try book.evaluate(facts: "a: { grade: A, term: 10, shortest: 6 }", asOf: asOf)
    let r = try #require(overlap.results.first)
    #expect(r.status == .unknown)
    #expect(r.reason == "table `max_apr` matched rows 1 and 2; under `hit: unique` exactly one row may match")
    #expect(statuses(try book.evaluate(facts: "a: { grade: B, term: 10, shortest: 6 }", asOf: asOf))["CAP"] == .violated)
    #expect(statuses(try book.evaluate(facts: "a: { grade: C, term: 10, shortest: 6 }", asOf: asOf))["CAP"] == .passed)
  }

  @Test func overridesSetRulesAside() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.overrides
      schema: { a: { age: int, guardian: bool } }
      rules:
        - { id: ADULT, severity: block, require: a.age >= 18, cite: x }
        - { id: MINOR-WITH-GUARDIAN, severity: review, when: a.guardian, require: a.age >= 16, overrides: [ADULT], cite: x }
      """)
    let d = try book.evaluate(facts: "a: { age: 17, guardian: true }", asOf: asOf)
    #expect(statuses(d) == ["ADULT": .overridden, "MINOR-WITH-GUARDIAN": .passed])
    #expect(d.results[0].overriddenBy == "MINOR-WITH-GUARDIAN")
    #expect(d.outcome == .pass)
    #expect(statuses(try book.evaluate(facts: "a: { age: 17, guardian: false }", asOf: asOf))["ADULT"] == .violated)
  }

  @Test func stagesAndEffectiveDates() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.stages
      schema: { p: { ok: bool } }
      rules:
        - { id: LAUNCH, severity: block, stage: launch, require: p.ok }
        - { id: NEW, severity: block, effective: { from: 2027-01-01 }, require: p.ok }
      """)
    let d = book.evaluate(try FactsDocument.parse(text: "p: { ok: false }").get().root.facts(book), asOf: asOf, stage: .approval)
    #expect(statuses(d) == ["LAUNCH": .notApplicable, "NEW": .notApplicable])
    #expect(d.results[0].reason == "applies at launch, not at approval")
    #expect(d.results[1].reason == "in force from 2027-01-01")
  }

  @Test(arguments: [
    ("p: { age: thirty }", "p.age: expected int, found \"thirty\""),
    ("p: {}", "p.age: required fact is missing (expected int)"),
    ("p: { age: 3.5 }", "p.age: expected int, found 3.5"),
    ("p: { age: 30, fee: 300 }", "p.fee: expected an amount with its currency such as \"20000 CNY\" or {amount: 20000, currency: CNY}, found 300"),
    ("p: { age: 30, kind: laon }", "p.kind: expected one of loan, card, found \"laon\"; did you mean loan?"),
  ])
  func badFactsNameThePath(_ facts: String, _ message: String) throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.facts
      schema: { p: { age: int, fee: money?, kind: 'enum(loan, card)?' } }
      rules:
        - { id: AGE, severity: block, require: p.age >= 18 }
      """)
    let doc = try FactsDocument.parse(text: facts).get()
    switch book.values(from: doc) {
    case .success: Issue.record("bad facts were accepted")
    case .failure(let e): #expect(e.errors.map(\.description) == [message])
    }
  }

  @Test func jsonLinesReadExactlyAndReportPaths() throws {
    let schema = [Field(name: "applicant", type: .record(RecordType([
      Field(name: "age", type: .int), Field(name: "income", type: .decimal), Field(name: "name", type: .text),
      Field(name: "status", type: .enumeration(EnumType(["employed", "retired"]))),
    ])))]
    let flat = JSONFactsReader.read(Array(#"{"age": 30, "income": 1.5e3, "name": "\u674e\u00e9", "extra": [1, {"a": "}"}], "status": "retired"}"#.utf8), schema: schema)
    #expect(flat.ok == [.record([.number(Fixed(30)), .number(Fixed(1500)), .text("李é"), .enumCase(1)])])
    let keyed = JSONFactsReader.read(Array(#"{"applicant": {"age": 30, "income": 0.1, "name": "x", "status": "employed"}}"#.utf8), schema: schema)
    #expect(keyed.ok == [.record([.number(Fixed(30)), .number(try Fixed.parse("0.1").get()), .text("x"), .enumCase(0)])])
    guard case .failure(let e) = JSONFactsReader.read(Array(#"{"age": "thirty", "income": 1, "name": "x", "status": "fired"}"#.utf8), schema: schema) else {
      Issue.record("accepted")
      return
    }
    #expect(e.errors.map(\.description) == [
      "applicant.age: expected int, found \"thirty\"", "applicant.status: expected one of employed, retired, found \"fired\"",
    ])
  }

  @Test func decisionsAreByteIdenticalAndThreadSafe() async throws {
    let book = try compileRulebook(Self.windows)
    let facts = Self.txns([("49999.99", "2026-01-01T00:00:00Z"), ("49999.99", "2026-01-01T11:06:40Z"), ("49999.99", "2026-01-01T23:59:59Z")])
    let first = DecisionJSON.json(try book.evaluate(facts: facts, asOf: asOf, trace: true)).serialized()
    let again = DecisionJSON.json(try book.evaluate(facts: facts, asOf: asOf, trace: true)).serialized()
    #expect(first == again)
    let all = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<32 {
        group.addTask { DecisionJSON.json(try book.evaluate(facts: facts, asOf: asOf, trace: true)).serialized() }
      }
      return try await group.reduce(into: [String]()) { $0.append($1) }
    }
    #expect(all.allSatisfy { $0 == first })
  }

  @Test func wordingMatchesEvasionsNotDisclaimersAndShowsWhere() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.wording
      schema: { p: { copy: 'list(record(channel: text, copy: text))' } }
      lists: { claims: [保本, 稳赚不赔, guaranteed return] }
      rules:
        - { id: NO-CLAIMS, severity: block, forbid: 'any m in p.copy: m.copy contains any claims' }
      """)
    func decide(_ copies: [String]) throws -> Decision {
      let facts = "p: { copy: [" + copies.map { "{ channel: web, copy: \"\($0)\" }" }.joined(separator: ", ") + "] }"
      return try book.evaluate(facts: facts, asOf: asOf, trace: true)
    }
    #expect(try decide(["本产品不保本，投资有风险"]).outcome == .pass)  // a disclaimer, not a claim
    #expect(try decide(["非保本浮动收益"]).outcome == .pass)
    let caught = try decide(["本产品不保本", "收益穩賺不賠，保　本保息", "ＧＵＡＲＡＮＴＥＥＤ  return"])
    #expect(caught.outcome == .block)
    let trace = try #require(caught.results.first?.trace)
    #expect(trace.decidingItem == 1)
    // Every piece of copy that makes a claim, each match with its item and channel.
    #expect(trace.matches == [
      TextMatch(span: TextSpan(start: 2, end: 6, text: "穩賺不賠"), item: 1, list: "p.copy", channel: "web"),
      TextMatch(span: TextSpan(start: 7, end: 10, text: "保　本"), item: 1, list: "p.copy", channel: "web"),
      TextMatch(span: TextSpan(start: 0, end: 18, text: "ＧＵＡＲＡＮＴＥＥＤ  return"), item: 2, list: "p.copy", channel: "web"),
    ])
  }

  @Test func reservedWordsCannotBeEnumCases() throws {
    #expect(throws: TestFailure.self) {
      try compileRulebook("""
        precept: 1
        rulebook: t.keyword
        schema: { t: { direction: 'enum(in, out)' } }
        rules: [{ id: R, severity: review, flag: t.direction == out }]
        """)
    }
    do {
      _ = try compileRulebook("""
        precept: 1
        rulebook: t.keyword
        schema: { t: { direction: 'enum(in, out)' } }
        rules: [{ id: R, severity: review, flag: t.direction == out }]
        """)
    } catch let e as TestFailure {
      #expect(e.description == "3:33 `in` is a reserved word of the expression language and cannot be an enum case")
    }
  }

  @Test func aprFailuresSayWhy() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.apr
      schema: { p: { schedule: 'list(record(date: date, amount: money))', apr: percent } }
      rules: [{ id: APR, severity: block, require: apr(p.schedule) <= p.apr + 0.125% }]
      """)
    let d = try book.evaluate(
      facts: #"p: { apr: "17.9%", schedule: [{ date: 2026-01-01, amount: "10000 CNY" }, { date: 2026-02-01, amount: "913.12 CNY" }] }"#, asOf: asOf)
    let r = try #require(d.results.first)
    #expect(r.status == .unknown)
    #expect(r.reason?.hasSuffix("in `apr(p.schedule)`") == true)
    #expect(r.reason?.hasPrefix("the verdict depends") == false)
  }

  @Test func evaluationAllocatesNothingAfterWarmUp() throws {
    let book = try compileRulebook(Self.kleene)
    let values = try book.values(from: try FactsDocument.parse(text: "x: { a: true, b: false }").get()).get()
    let e = Evaluator(book)
    e.run(values, asOf: asOf)
    e.run(values, asOf: asOf)
    // The statuses buffer keeps its storage across runs: evidence that run() reuses state.
    let before = e.statuses.withUnsafeBufferPointer { $0.baseAddress }
    e.run(values, asOf: asOf)
    #expect(e.statuses.withUnsafeBufferPointer { $0.baseAddress } == before)
    #expect(e.statuses == [.violated, .passed, .violated])
  }
}

extension YAMLNode {
  /// Facts for a rulebook, failing the test on bad input.
  func facts(_ book: CompiledRulebook) throws -> [Value] {
    try FactsReader.read(self, schema: book.schema).get()
  }
}
