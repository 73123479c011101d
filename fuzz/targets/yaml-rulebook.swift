// yaml-rulebook: bytes → YAML → rulebook → checker and lint passes → diagnostics rendered as
// text, JSON and SARIF (the whole `precept lint` pipeline, in memory); a rulebook without errors
// is compiled, its rule graph rendered, and evaluated on sample facts traced and untraced.
// Oracles: no trap or sanitizer report; every diagnostic points inside its file; a file without
// a tree has an error; traced and untraced evaluation agree.

@testable import Precept

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let linted = Fuzz.lint(Fuzz.bytes(start, count)) else { return 0 }
  let checked = linted.checked
  Fuzz.render(checked.diagnostics, files: linted.files)
  guard let unit = linted.unit, !checked.diagnostics.hasErrors else { return 0 }
  let book = Compile.rulebook(checked, unit: unit)
  let view = RuleGraphView(book)
  _ = GraphRender.dot(view)
  _ = GraphRender.mermaid(view)
  _ = GraphRender.json(view).serialized(pretty: false)
  guard !book.rules.isEmpty else { return 0 }
  Fuzz.decideSamples(book)
  return 0
}
