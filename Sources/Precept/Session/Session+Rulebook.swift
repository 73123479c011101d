extension CompiledRulebook {
  /// Whether facts carry every root this rulebook reads (a product dossier has `product`; an
  /// applicant file has `applicant`). A rulebook that does not apply is reported, never an error.
  public func applies(to facts: FactsDocument) -> Bool {
    let keys = Set(facts.keys)
    return roots.allSatisfy { keys.contains($0.name) }
  }

  /// The facts validated against this rulebook's schema, as values ready to evaluate.
  public func values(from facts: FactsDocument) -> Result<[Value], FactsErrors> {
    FactsReader.read(facts.root, plan: FactsPlan(roots))
  }

  /// Parses, validates and evaluates facts given as YAML (or, with `path` ending in `.json`,
  /// JSON) text, as `precept check` does: the stage is `stage`, else the facts' `product.stage`.
  public func evaluate(facts text: String, path: String = "<facts>", asOf: CivilDate, stage: Stage? = nil, trace: Bool = false) throws -> Decision {
    let doc = try FactsDocument.parse(path: path, text: text).get()
    let decided = try Session(rulebooks: [self]).decide(doc, asOf: asOf, stage: stage, trace: trace).get()
    guard let d = decided.decisions.first else { throw FactsErrors(errors: [FactsError(path: "", message: "the rulebook does not apply")]) }
    return d
  }
}
