import PreceptTestSupport
import Foundation
import Testing

@testable import Precept

/// The condition analysis is sound: a rule it says can never apply is not applicable for every
/// input the evaluator is given, and one it says can never be violated is never violated —
/// checked on random conditions against the evaluator over a grid of inputs.
@Suite struct ConditionAnalysisTests {
  struct Gen {
    var rng: SplitMix64
    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func atom() -> String {
      let k = int(12) - 1
      switch int(9) {
      case 0: return "a.x > \(k)"
      case 1: return "a.x <= \(k)"
      case 2: return "a.x == \(k)"
      case 3: return "a.x between \(k) and \(k + int(5))"
      case 4: return "a.g == \(["A", "B", "C"][int(3)])"
      case 5: return "a.g in [\(["A", "B", "C"][int(3)]), \(["A", "B", "C"][int(3)])]"
      // Boolean definitions, which the analysis judges in place.
      case 6: return "big"
      case 7: return "ab_or_small"
      default: return "a.ok"
      }
    }
    mutating func condition(_ depth: Int) -> String {
      if depth == 0 || int(3) == 0 { return atom() }
      switch int(3) {
      case 0: return "(\(condition(depth - 1)) and \(condition(depth - 1)))"
      case 1: return "(\(condition(depth - 1)) or \(condition(depth - 1)))"
      default: return "not (\(condition(depth - 1)))"
      }
    }
  }

  @Test func neverClaimsWhatAnEvaluationRefutes() throws {
    var gen = Gen(rng: SplitMix64(state: 20_261_207))
    var text = "precept: 1\nrulebook: t.random\nschema:\n  a:\n    x: int\n    g: enum(A, B, C)\n    ok: bool\ndefinitions:\n  big: a.x > 5\n  ab_or_small: a.g in [A, B] or a.x < 2\nrules:\n"
    let count = 150
    for r in 0..<count {
      text += "  - id: R\(r)\n    severity: review\n    cite: \"illustrative: test\"\n    when: \"\(gen.condition(3))\"\n    require: \"\(gen.condition(3))\"\n"
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-conditions-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("t.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let report = LintReport.run(paths: [path], root: dir.path)
    #expect(!report.diagnostics.hasErrors, "\(report.diagnostics.first?.message ?? "")")
    func ruleID(_ d: Diagnostic) -> String? {
      guard let r = d.message.range(of: #"rule `R\d+`"#, options: .regularExpression) else { return nil }
      return String(d.message[r].dropFirst(6).dropLast())
    }
    let neverApplies = Set(report.diagnostics.filter { $0.code == .neverApplies }.compactMap(ruleID))
    let neverViolated = Set(report.diagnostics.filter { $0.code == .constantVerdict && $0.message.contains("can never be violated") }.compactMap(ruleID))
    let alwaysViolated = Set(report.diagnostics.filter { $0.code == .constantVerdict && $0.message.contains("violated for every input") }.compactMap(ruleID))
    // The analysis finds something in a random set this size (else it would test nothing).
    #expect(neverApplies.count + neverViolated.count + alwaysViolated.count > 5)
    let book = try compileRulebook(text)
    var seenApplying = Set<String>()
    var seenViolated = Set<String>()
    var seenPassed = Set<String>()
    for x in -3...14 {
      for g in ["A", "B", "C"] {
        for ok in [true, false] {
          let d = try book.evaluate(facts: "a: { x: \(x), g: \(g), ok: \(ok) }", asOf: CivilDate(year: 2026, month: 1, day: 1)!)
          for r in d.results {
            if r.status != .notApplicable { seenApplying.insert(r.rule.id) }
            if r.status == .violated { seenViolated.insert(r.rule.id) }
            if r.status == .passed { seenPassed.insert(r.rule.id) }
          }
        }
      }
    }
    #expect(neverApplies.intersection(seenApplying).isEmpty, "claimed never to apply, but applied: \(neverApplies.intersection(seenApplying).sorted())")
    #expect(neverViolated.intersection(seenViolated).isEmpty, "claimed never violated, but violated: \(neverViolated.intersection(seenViolated).sorted())")
    #expect(alwaysViolated.intersection(seenPassed).isEmpty, "claimed always violated, but passed: \(alwaysViolated.intersection(seenPassed).sorted())")
  }
}

/// Constructed conditions the analysis must report, one kind of value each: amounts per
/// currency, dates moved by durations, enum `in`, boolean definitions (judged in place) and `or`.
@Suite struct ConstructedConditionTests {
  static let schema = """
    precept: 1
    rulebook: t.constructed
    schema:
      a:
        income: money(CNY)
        limit: money(USD)
        age: int
        kind: enum(loan, card, wealth)
        launch: date
    definitions:
      old: a.age > 65
      lending: a.kind in [loan, card]
      young_or_old: a.age < 18 or old
    rules:

    """

  static func lint(when: String?, require: String) throws -> [String] {
    let rule = "  - id: R\n    severity: review\n    cite: \"illustrative: test\"\n"
      + (when.map { "    when: \"\($0)\"\n" } ?? "") + "    require: \"\(require)\"\n"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-constructed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("t.yaml").path
    try (Self.schema + rule).write(toFile: path, atomically: true, encoding: .utf8)
    return LintReport.run(paths: [path], root: dir.path).diagnostics
      .filter { $0.code.rawValue.hasPrefix("P06") && !["P0601", "P0603"].contains($0.code.rawValue) }.map { "\($0.code.rawValue) \($0.message)" }
  }

  @Test(arguments: [
    // Money, per currency.
    (nil, "a.income >= 5000 CNY or a.income < 6000 CNY",
     ["P0605 rule `R` can never be violated: its `require` is true for every value of `a.income`"]),
    ("a.income > 9000 CNY and a.income < 8000 CNY", "a.age > 0",
     ["P0604 rule `R` can never apply: no value of `a.income` makes its `when` true"]),
    (nil, "a.limit > 100 USD and a.limit < 50 USD + 20 USD",
     ["P0605 rule `R` is violated for every input: its `require` is false for every value of `a.limit`"]),
    // Dates, with durations added to constants.
    ("a.launch > 2026-01-01 + 30d and a.launch < 2026-01-15", "a.age > 0",
     ["P0604 rule `R` can never apply: no value of `a.launch` makes its `when` true"]),
    ("a.launch >= 2026-03-01", "a.launch > 2026-01-01 + 1mo",
     ["P0605 rule `R` can never be violated: its `require` is true for every value of `a.launch` where its `when` holds"]),
    // Enum `in`.
    ("a.kind in [loan, card] and a.kind == wealth", "a.age > 0",
     ["P0604 rule `R` can never apply: no value of `a.kind` makes its `when` true"]),
    (nil, "a.kind in [loan, card] or a.kind not in [loan]",
     ["P0605 rule `R` can never be violated: its `require` is true for every value of `a.kind`"]),
    // Definitions, judged in place.
    ("old and a.age < 18", "a.age > 0",
     ["P0604 rule `R` can never apply: no value of `a.age` makes its `when` true"]),
    ("lending", "a.kind != wealth",
     ["P0605 rule `R` can never be violated: its `require` is true for every value of `a.kind` where its `when` holds"]),
    ("young_or_old", "a.age < 18 or a.age >= 66",
     ["P0605 rule `R` can never be violated: its `require` is true for every value of `a.age` where its `when` holds"]),
    // A condition the analysis must leave alone.
    ("young_or_old", "a.age < 18", []),
  ] as [(String?, String, [String])])
  func reported(_ when: String?, _ require: String, _ expected: [String]) throws {
    let found = try Self.lint(when: when, require: require)
    #expect(found == expected, "\(found)")
  }
}

/// `lint: {allow: […], reason: …}` on a rule: the warnings it names are set aside with the
/// reason, on that rule only; errors cannot be allowed.
@Suite struct LintAllowTests {
  static func lint(_ rules: String) throws -> CheckedProject {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-allow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("t.yaml").path
    try ("precept: 1\nrulebook: t.allow\nschema:\n  a:\n    income: money(CNY)\nrules:\n" + rules).write(toFile: path, atomically: true, encoding: .utf8)
    return LintReport.run(paths: [path], root: dir.path).checked
  }

  static let always = "    require: a.income >= 5000 CNY or a.income < 6000 CNY\n    cite: \"illustrative: test\"\n"

  @Test func anAllowedWarningIsSetAsideWithItsReason() throws {
    let checked = try Self.lint(
      "  - id: KEPT\n    severity: review\n" + Self.always + "    lint: { allow: [P0605], reason: \"until the committee sets the band\" }\n"
        + "  - id: OTHER\n    severity: review\n    when: a.income > 0 CNY\n" + Self.always)
    // Only the rule that allows it is silent.
    #expect(checked.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line)" } == ["P0605 15"])
    #expect(checked.allowed.map { "\($0.warning.code.rawValue) \($0.warning.span.start.line) \($0.reason)" } == ["P0605 9 until the committee sets the band"])
  }

  @Test func errorsCannotBeAllowed() throws {
    let checked = try Self.lint("  - id: R\n    severity: review\n    require: a.income > 0 CNY\n    lint: { allow: [P0504], reason: \"no\" }\n")
    #expect(checked.diagnostics.map(\.message) == ["`P0504` (type mismatch) is an error, and errors cannot be allowed"])
  }
}
