// facts-json-line: bytes → lines, as `precept eval` splits its input (a trailing CR dropped, blank
// lines skipped, a byte-order mark before the first line dropped) → LineDecider over the shipped rulebooks (rulebooks/cn, loaded once), one decider
// for the whole input so its storage is reused from line to line as in a stream; and each line
// through every shipped rulebook's JSONFactsReader.LineReader.
// Oracles: no trap or sanitizer report; every output line is strict JSON; a line is usable through
// `eval` exactly when the same text as a `.json` facts file is usable through `check`
// (Session.decide), with the same rule statuses.

@testable import Precept

private nonisolated(unsafe) let decider = LineDecider(Fuzz.shipped, asOf: Fuzz.asOf, stage: nil)
private nonisolated(unsafe) let readers = Fuzz.shipped.plans.map { JSONFactsReader.LineReader($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let bytes = Fuzz.bytes(start, count)
  var number = 0
  for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
    number += 1
    if line.last == 0x0D { line = line.dropLast() }
    // The command skips a byte-order mark before the first line (EvalCommand's LineStream).
    if number == 1, line.starts(with: byteOrderMark) { line = line.dropFirst(3) }
    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
    decide(Array(line), number: number)
  }
  return 0
}

private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

private func decide(_ line: [UInt8], number: Int) {
  for reader in readers { _ = line.withUnsafeBufferPointer { reader.read($0) } }
  var out = OutputBytes()
  let usable = line.withUnsafeBufferPointer { decider.decide($0, number: number, into: &out) }
  let text = out.withUnsafeBytes { Array($0) }
  // Each output line is one JSON object: a decision per rulebook that applies, or one error.
  var viaEval: [String: [String]] = [:]
  for outLine in text.split(separator: 0x0A) {
    let file = SourceFile(path: "out.json", text: String(decoding: outLine, as: UTF8.self))
    let (root, diagnostics) = JSONTree.load(file)
    Fuzz.require(root != nil && !diagnostics.hasErrors, "eval wrote a line that is not JSON: \(String(decoding: outLine, as: UTF8.self))")
    guard let root, case .mapping(let pairs) = root.kind else { continue }
    if let book = root.text(at: ["rulebook"]) {
      var statuses: [String] = []
      if let results = pairs.first(where: { $0.name == "results" })?.value, case .sequence(let items) = results.kind {
        statuses = items.map { "\($0.text(at: ["rule"]) ?? "?")=\($0.text(at: ["status"]) ?? "?")" }
      }
      viaEval[book] = statuses
    }
  }
  Fuzz.require(!usable || !viaEval.isEmpty, "eval said the line was usable but wrote no decision")
  // The same text as a facts file, through `check`; a file may start with a byte-order mark, a
  // line after the first may not.
  guard !line.starts(with: byteOrderMark) else { return }
  let viaCheck: [String: [String]]?
  switch FactsDocument.parse(path: "line.json", bytes: line) {
  case .failure: viaCheck = nil
  case .success(let doc):
    switch Fuzz.shipped.decide(doc, asOf: Fuzz.asOf) {
    case .failure: viaCheck = nil
    case .success(let decided):
      viaCheck = Dictionary(uniqueKeysWithValues: decided.decisions.map { d in (d.rulebook.id, d.results.map { "\($0.rule.id)=\($0.status.rawValue)" }) })
    }
  }
  let shown = String(decoding: line, as: UTF8.self)
  Fuzz.require(usable == (viaCheck != nil), "eval \(usable ? "used" : "refused") the line but check \(viaCheck != nil ? "used" : "refused") it: \(shown)\n  eval: \(String(decoding: text, as: UTF8.self))")
  if let viaCheck { Fuzz.require(viaCheck == viaEval, "eval and check decide the line differently: \(shown)\n  eval:  \(viaEval)\n  check: \(viaCheck)") }
}
