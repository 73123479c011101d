import Testing

@testable import Precept

/// Inputs the fuzz targets (fuzz/README.md) found to break a promise, kept as tables: each
/// rulebook and facts line must be decided alike by `check` (a `.json` facts file through
/// `Session.decide`) and by `eval` (the same text as a line through `LineDecider`); each
/// expression must parse back from its printed form.
@Suite struct FuzzRegressionTests {
  struct Case: Sendable {
    var name: String
    var rulebook: String
    var line: String
    /// `rule=status` for each rule, as both doors must decide it.
    var want: [String]
  }

  static let oneRoot = """
    precept: 1
    rulebook: fuzz.regression
    schema:
      a: { n: int }
    rules:
      - id: R0
        stage: [exit]
        flag: a.n > 0
      - id: R1
        flag: a.n > 0

    """

  static let cases: [Case] = [
    // evaluate target: a line for a rulebook over one root other than `product` was decided at
    // every stage by `eval`, while `check` took the stage from the facts' `product.stage`.
    Case(name: "product.stage beside the single root", rulebook: oneRoot,
         line: #"{"a":{"n":1},"product":{"stage":"design"}}"#, want: ["R0=not_applicable", "R1=violated"]),
    Case(name: "product.stage spelt with an escape", rulebook: oneRoot,
         line: #"{"a":{"n":1},"\u0070roduct":{"stage":"design"}}"#, want: ["R0=not_applicable", "R1=violated"]),
    Case(name: "no product.stage: every stage", rulebook: oneRoot,
         line: #"{"a":{"n":1}}"#, want: ["R0=violated", "R1=violated"]),
    Case(name: "a stage that is no stage", rulebook: oneRoot,
         line: #"{"a":{"n":1},"product":{"stage":"aproval"}}"#, want: []),
  ]

  @Test(arguments: cases.indices) func checkAndEvalDecideAlike(_ k: Int) throws {
    let c = Self.cases[k]
    let book = try compileRulebook(c.rulebook)
    let session = Session(rulebooks: [book])
    let doc = try FactsDocument.parse(path: "line.json", text: c.line).get()
    let viaCheck: [String]
    switch session.decide(doc, asOf: asOf) {
    case .success(let d): viaCheck = d.decisions.flatMap { $0.results.map { "\($0.rule.id)=\($0.status.rawValue)" } }
    case .failure: viaCheck = []
    }
    #expect(viaCheck == c.want, "\(c.name): check")
    var out = OutputBytes()
    let usable = Array(c.line.utf8).withUnsafeBufferPointer { LineDecider(session, asOf: asOf, stage: nil).decide($0, number: 1, into: &out) }
    let written = out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    #expect(usable == !c.want.isEmpty, "\(c.name): \(written)")
    let viaEval = c.want.filter { written.contains(#"{"rule":""# + $0.replacing("=", with: #"","status":""#) + "\"") }
    #expect(viaEval == c.want, "\(c.name): eval wrote \(written)")
  }

  /// Expressions within the nesting limit whose printed form must parse back to the same tree.
  static let printed: [(name: String, text: String)] = [
    // expression target: 200 negations in a row printed as `-(-(…))`, 400 levels deep, which
    // the parser refused ("nested more than 256 levels deep").
    ("a run of negations", String(repeating: "- ", count: 200) + "x"),
    ("negations before a quantifier", String(repeating: "- ", count: 120) + "2 - any x in (xs where .ok): x - i"),
  ]

  @Test(arguments: printed.indices) func printedFormsParseBack(_ k: Int) {
    let (name, text) = Self.printed[k]
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty, "\(name)")
    let (again, d2) = Parser.parse(ExprSource(e.source))
    #expect(d2.isEmpty, "\(name): \(d2.map(\.message))")
    #expect(again.shape == e.shape, "\(name)")
  }

  /// expression target: 254 negations around a `not`, within the limit as written; printed, the
  /// `not` needs parentheses (`-(not …)`), one level more, past the limit. The printed form may
  /// only fail that way, and `precept fmt` must leave the expression as written (it reads every
  /// edit back), so the formatted rulebook still loads.
  @Test func printedPastTheLimitIsLeftAsWritten() throws {
    let text = String(repeating: "- ", count: 127) + "not " + String(repeating: "- ", count: 127) + "upper"
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty, "\(d.map(\.message))")
    let (_, d2) = Parser.parse(ExprSource(e.source))
    #expect(!d2.isEmpty && d2.allSatisfy { $0.code == .expressionTooDeep }, "\(d2.map(\.message))")
    // In a rulebook the fact is `a.upper`, one level more: one negation fewer.
    let written = String(repeating: "- ", count: 127) + "not " + String(repeating: "- ", count: 126) + "a.upper"
    let rulebook = """
      precept: 1
      rulebook: fuzz.deep
      version: 1.0.0
      schema:
        a: { upper: int }
      definitions:
        deep: '\(written)'
      rules:
        - id: R
          flag: a.upper > 0
      """
    // As written in the rulebook it parses, and its printed form differs (fmt would rewrite it).
    let (w, wd) = Parser.parse(ExprSource(written))
    #expect(wd.isEmpty && w.source != written, "\(wd.map(\.message))")
    #expect(Parser.parse(ExprSource(w.source)).1.contains { $0.code == .expressionTooDeep })
    let file = SourceFile(path: "deep.yaml", text: rulebook)
    #expect(Formatter.format(file) == rulebook)
  }
}
