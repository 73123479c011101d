// expression: bytes (UTF-8, invalid bytes replaced) → lexer → parser. An expression that parses
// is printed and parsed again and must keep its shape; then it stands as the definition
// `fuzzed` of a small rulebook with a schema of every kind of fact and a named list, which is checked, its diagnostics rendered, and when it checks, compiled and
// evaluated on sample facts traced and untraced (a message shows `{fuzzed}`; a boolean `fuzzed`
// is also a rule's condition).
// Oracles: no trap or sanitizer report; diagnostics point inside the expression; print → parse
// keeps the shape; traced and untraced evaluation agree.

@testable import Precept

/// The rulebook the expression is checked in; `USE` becomes the rule that reads `fuzzed`.
private func template(condition: Bool) -> String {
  """
  precept: 1
  rulebook: fuzz.expression
  schema:
    applicant:
      age: int
      income: money(CNY)
      debt: money?
      rate: percent
      ratio: decimal?
      name: text
      born: date
      seen: datetime?
      wait: duration?
      risk: enum(C1, C2, C3)
      student: bool?
      tags: list(text)
      loans: "list(record(amount: money, at: datetime, kind: enum(cash, card), note: text?))"
  lists:
    small: [1, 2, 3]
  definitions:
    fuzzed: "true"
  rules:
    - id: R1
      severity: review
      flag: \(condition ? "fuzzed" : "applicant.age >= 0")
      message: "value {fuzzed}"

  """
}

private struct Template {
  let project: Project
  let unit: Int
  let definition: Int

  init(condition: Bool) {
    guard let (project, unit) = Fuzz.read(Array(template(condition: condition).utf8), imports: false), let unit,
      let d = project.units[unit].rulebook.definitions.firstIndex(where: { $0.name.value == "fuzzed" }),
      !Fuzz.check(project, unit: unit).checked.diagnostics.hasErrors
    else { fatalError("fuzz: the expression target's template rulebook does not check") }
    self.project = project
    self.unit = unit
    definition = d
  }

  /// The template with `expr` as `fuzzed`, checked.
  func check(_ expr: Expr, _ file: SourceFile) -> Fuzz.Linted {
    var p = project
    p.units[unit].rulebook.definitions[definition].expr = expr
    p.files[file.path] = file
    return Fuzz.check(p, unit: unit)
  }
}

private let inMessage = Template(condition: false)
private let asCondition = Template(condition: true)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let text = String(decoding: Fuzz.bytes(start, count), as: UTF8.self)
  let source = ExprSource(text, path: "<expr>")
  let (expr, diagnostics) = Parser.parse(source)
  let files = [source.file.path: source.file]
  Fuzz.requireInside(diagnostics, files)
  guard diagnostics.isEmpty else {
    Fuzz.require(expr.containsError, "diagnostics but no error node: \(text)")
    Fuzz.render(diagnostics, files: files)
    return 0
  }
  Fuzz.require(!expr.containsError, "an error node without a diagnostic: \(text)")
  // Printing then parsing again gives the same tree.
  let printed = expr.source
  let (again, againDiagnostics) = Parser.parse(ExprSource(printed, path: "<printed>"))
  // The parentheses a form needs (`-(not x)`) are a level of nesting, so an expression just
  // within the limit may print past it; `precept fmt` reads every edit back and leaves such an
  // expression as written (FuzzRegressionTests.printedPastTheLimitIsLeftAsWritten).
  let pastTheLimit = !againDiagnostics.isEmpty && againDiagnostics.allSatisfy { $0.code == .expressionTooDeep }
  if !pastTheLimit {
    Fuzz.require(againDiagnostics.isEmpty, "the printed form does not parse: \(text) → \(printed): \(againDiagnostics.map(\.message))")
    Fuzz.require(again.shape == expr.shape, "print → parse changed the shape: \(text) → \(printed)\n  \(expr.shape)\n  \(again.shape)")
  }

  let linted = inMessage.check(expr, source.file)
  Fuzz.render(linted.checked.diagnostics, files: linted.files)
  guard !linted.checked.diagnostics.hasErrors else { return 0 }
  Fuzz.decideSamples(Compile.rulebook(linted.checked, unit: inMessage.unit))
  let definition = Reference(unit: inMessage.unit, name: "fuzzed")
  if linted.checked.definitions[definition]?.type.unwrapped == .bool {
    let condition = asCondition.check(expr, source.file)
    Fuzz.render(condition.checked.diagnostics, files: condition.files)
    if !condition.checked.diagnostics.hasErrors { Fuzz.decideSamples(Compile.rulebook(condition.checked, unit: asCondition.unit)) }
  }
  return 0
}
