// facts-tree: bytes → a facts file read both as YAML (`facts.yaml`) and as strict JSON
// (`facts.json`) → FactsReader against every shipped rulebook's facts plan (rulebooks/cn, loaded
// once) → Session.decide over the shipped rulebooks, traced and untraced, with the decisions
// rendered as `check`/`trace` print them.
// Oracles: no trap or sanitizer report; diagnostics point inside the file; traced and untraced
// decisions agree; a text that is strict JSON and YAML at once reads to the same values.

@testable import Precept

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let bytes = Fuzz.bytes(start, count)
  let asYAML = read(bytes, path: "facts.yaml")
  let asJSON = read(bytes, path: "facts.json")
  if let asYAML, let asJSON {
    Fuzz.require(asYAML == asJSON, "the same text reads differently as YAML and as JSON: \(String(decoding: bytes, as: UTF8.self))\n  YAML: \(asYAML)\n  JSON: \(asJSON)")
  }
  return 0
}

/// What each shipped plan made of the facts (values, or nil for errors), when the text parsed.
private func read(_ bytes: [UInt8], path: String) -> [[Value]?]? {
  let doc: FactsDocument
  switch FactsDocument.parse(path: path, bytes: bytes) {
  case .failure(let e):
    Fuzz.requireInside(e.diagnostics, e.files)
    Fuzz.render(e.diagnostics, files: e.files)
    return nil
  case .success(let d): doc = d
  }
  let files = [path: doc.file]
  let session = Fuzz.shipped
  let values = session.plans.map { plan -> [Value]? in
    switch FactsReader.read(doc.root, plan: plan) {
    case .success(let v): return v
    case .failure(let e):
      for error in e.errors { if let span = error.span { Fuzz.requireInside(span, files, error.description) } }
      return nil
    }
  }
  switch (session.decide(doc, asOf: Fuzz.asOf, trace: false), session.decide(doc, asOf: Fuzz.asOf, trace: true)) {
  case (.success(let plain), .success(let traced)):
    Fuzz.require(plain.decisions.map(Fuzz.summary) == traced.decisions.map(Fuzz.summary), "traced and untraced decisions differ")
    for d in traced.decisions {
      _ = DecisionRenderer(color: false, traces: true).render(d)
      _ = DecisionJSON.json(d).serialized(pretty: false)
    }
  case (.failure(let a), .failure(let b)):
    Fuzz.require(a == b, "tracing changed the facts errors")
    for error in a.errors { if let span = error.span { Fuzz.requireInside(span, files, error.description) } }
  default:
    Fuzz.require(false, "tracing changed whether the facts are usable")
  }
  return values
}
