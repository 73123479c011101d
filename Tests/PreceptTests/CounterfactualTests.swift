import Foundation
import Testing

@testable import Precept

/// `check --counterfactuals`: applying the fixes given for a violated rule to the facts and
/// deciding again makes that rule pass — for every violated rule of every shipped example — and
/// every rule whose condition has a shape fixes can be read off (a fact compared with a value, a
/// membership, a wording match, a presence test, or an `and` of these) gets a fix.
@Suite struct CounterfactualTests {
  static let repo = RulebookFormatTests.repo
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  static func session() throws -> Session {
    try Session(paths: [repo.appendingPathComponent("rulebooks").path])
  }

  static var examples: [String] {
    ["examples/products", "examples/applicants"].flatMap { dir in
      ((try? FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent(dir).path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(dir)/\($0)" }
    }
  }

  /// Whether fixes can be read off the condition: the shapes the issue names.
  static func fixable(_ t: TraceTemplate, _ book: CompiledRulebook) -> Bool {
    if t.definition != nil { return t.children.first.map { fixable($0, book) } ?? false }
    if t.fact != nil, t.type.unwrapped == .bool { return true }
    switch book.nodes[t.node].op {
    case .and: return t.children.allSatisfy { fixable($0, book) }
    case .compare: return t.children.contains { $0.fact != nil }
    case .member: return t.children.first?.fact != nil || t.children.last?.fact != nil
    case .presence: return t.children.first?.fact != nil
    case .quantifier(_, _, let body, _): return !t.matchNodes.isEmpty && wordsOnly(body, book)
    default: return false
    }
  }

  /// A loop body made only of word tests (`m.copy contains any claims or …`): a pattern
  /// (`matches`) is not a list of words to remove.
  static func wordsOnly(_ n: Int, _ book: CompiledRulebook) -> Bool {
    switch book.nodes[n].op {
    case .or(let a, let b), .and(let a, let b): wordsOnly(a, book) && wordsOnly(b, book)
    case .contains, .containsAny, .containsAll: true
    default: false
    }
  }

  @Test func fixesMakeTheRulePass() throws {
    let session = try Self.session()
    var checked = 0
    var problems: [String] = []
    for file in Self.examples {
      let doc = try FactsDocument.read(path: Self.repo.appendingPathComponent(file).path).get()
      guard case .success(let facts) = session.facts(doc) else { continue }
      for input in facts.inputs {
        let book = session.rulebooks[input.rulebook]
        let decision = book.evaluate(input.values, asOf: Self.asOf, stage: facts.stage, counterfactuals: true)
        for r in decision.results where r.status == .violated {
          let fixes = r.fixes ?? []
          if fixes.isEmpty {
            // A violated rule of a fixable shape must get a fix.
            if Self.fixable(r.rule.trace, book) { problems.append("\(file) \(r.rule.id): no fix for a fixable condition") }
            continue
          }
          var values = input.values
          for fix in fixes {
            if fix.op == .supply, let v = Self.example(Self.type(of: fix.path, book.roots)) {
              // A fact to supply: any value of its type.
              _ = Fix(path: fix.path, op: .set, value: v, type: fix.type).apply(to: &values, roots: book.roots)
            } else if !fix.apply(to: &values, roots: book.roots) {
              problems.append("\(file) \(r.rule.id): cannot apply \(fix.text)")
            }
          }
          let again = book.evaluate(values, asOf: Self.asOf, stage: facts.stage)
          let status = again.results.first { $0.rule.id == r.rule.id }?.status
          if status != .passed { problems.append("\(file) \(r.rule.id): \(fixes.map(\.text)) leaves it \(status?.rawValue ?? "gone")") }
          checked += 1
        }
      }
    }
    #expect(problems == [], "\(problems.joined(separator: "\n"))")
    #expect(checked >= 15, "only \(checked) violated rules had fixes")
  }

  /// Each kind of fix appears among the shipped examples.
  @Test func everyKindOfFixIsMet() throws {
    let session = try Self.session()
    var ops: Set<String> = []
    for file in Self.examples {
      let doc = try FactsDocument.read(path: Self.repo.appendingPathComponent(file).path).get()
      guard case .success(let d) = session.decide(doc, asOf: Self.asOf, counterfactuals: true) else { continue }
      for r in d.decisions.flatMap(\.results) { for f in r.fixes ?? [] { ops.insert(f.op.rawValue) } }
    }
    #expect(ops == Set(["at_least", "at_most", "set", "remove_words", "supply"]))
  }

  /// The JSON carries `fix` only when asked, and the text says what to change.
  @Test func fixesAreShownOnlyWhenAsked() throws {
    let session = try Self.session()
    let doc = try FactsDocument.read(path: Self.repo.appendingPathComponent("examples/products/cl-hidden-fee.yaml").path).get()
    let plain = try session.decide(doc, asOf: Self.asOf).get().decisions
    #expect(!DecisionJSON.json(plain[0]).serialized().contains("\"fix\""))
    let asked = try session.decide(doc, asOf: Self.asOf, counterfactuals: true).get().decisions
    let credit = try #require(asked.first { $0.rulebook.id == "cn.consumer-credit" })
    let accurate = try #require(credit.results.first { $0.rule.id == "DISC-APR-ACCURATE" })
    #expect(accurate.fixes?.map(\.text) == ["product.pricing.apr: at least 38.5701675658%"])
    #expect(DecisionJSON.json(credit).serialized().contains(#""fix":[{"path":"product.pricing.apr","op":"at_least","value":"38.5701675658%"}]"#))
  }

  /// The type of a fact path.
  static func type(of path: String, _ roots: [Field]) -> ValueType {
    let parts = path.split(separator: ".").map(String.init)
    guard var t = roots.first(where: { $0.name == parts.first })?.type else { return .error }
    for name in parts.dropFirst() {
      guard case .record(let r) = t.unwrapped, let f = r.field(name) else { return .error }
      t = f
    }
    return t
  }

  /// A value of the type, for `supply`.
  static func example(_ type: ValueType) -> Value? {
    switch type.unwrapped {
    case .bool: .bool(true)
    case .int, .decimal, .percent: .number(Fixed(1))
    case .text: .text("x")
    case .enumeration: .enumCase(0)
    case .date: .date(asOf)
    case .list: .list([])
    default: nil
    }
  }
}
