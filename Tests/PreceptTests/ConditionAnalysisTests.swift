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
      switch int(7) {
      case 0: return "a.x > \(k)"
      case 1: return "a.x <= \(k)"
      case 2: return "a.x == \(k)"
      case 3: return "a.x between \(k) and \(k + int(5))"
      case 4: return "a.g == \(["A", "B", "C"][int(3)])"
      case 5: return "a.g in [\(["A", "B", "C"][int(3)]), \(["A", "B", "C"][int(3)])]"
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
    var text = "precept: 1\nrulebook: t.random\nschema:\n  a:\n    x: int\n    g: enum(A, B, C)\n    ok: bool\nrules:\n"
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
