extension Checker {
  /// Every clause id a rule cites (`cite: [PBOC-2021-3#3, …]`) must name a clause of the
  /// regulations registry its rulebook found (P0218), so that a citation cannot point at nothing
  /// and the coverage report counts every rule where it belongs. While the registry itself has
  /// errors, ids are only checked for their form: a clause in a file that did not read would be
  /// reported as unknown for the file's mistake. A rulebook for which no registry is found (a copy
  /// of `rulebooks/` on its own, a `--root` below the registry) still evaluates: its clause ids
  /// are checked for their form only, and one warning says so (P0614).
  func checkCitations() {
    for (u, entry) in project.units.enumerated() {
      let registry = entry.registry.map { project.registries[$0] }
      var unchecked: [Located<String>] = []
      for rule in entry.rulebook.rules {
        for clause in rule.clauses {
          if checkClause(clause, of: rule, in: registry) == false { unchecked.append(clause) }
        }
      }
      if let first = unchecked.first {
        let folder = PathName.directory(of: unit(u).file.path)
        let what = unchecked.count == 1 ? "a clause id (`\(first.value)`)" : "\(unchecked.count) clause ids (the first: `\(first.value)`)"
        let them = unchecked.count == 1 ? "it is" : "they are"
        report(
          .clausesNotChecked, first.span, "`\(entry.rulebook.id.value)` cites \(what), but no regulations registry was found, so \(them) not checked",
          help: [
            "looked for a `regulations/` folder in `\(folder)` and each folder above it up to the root `\(project.root)`",
            "pass `--registry DIR`, or a `--root` that holds the registry (docs/regulations.md)",
          ])
      }
    }
  }

  /// Checks one cited clause id; false when it is well formed but there is no registry to look in.
  private func checkClause(_ cited: Located<String>, of rule: Rule, in registry: RegulationRegistry?) -> Bool {
    let id = cited.value
    guard RegulationRegistry.isClauseID(id) else {
      let guess = registry.flatMap { Suggestion.closest(to: id, among: $0.clauseIDs) }
      report(
        .unknownClause, cited.span, "`\(id)` in the `cite` of \(rule.id.value) is not a clause id",
        help: (guess.map { ["did you mean `\($0)`?"] } ?? []) + [
          "a clause id is the instrument's id (capitals, digits, `-`), `#`, and the clause's (letters, digits, `-`, `.`, `_`, brackets), e.g. `PBOC-2021-3#1`",
          "an item of `cite` that is one word with a `#` is read as a clause id; free text needs a space",
        ])
      return true
    }
    guard let registry else { return false }
    if registry.clause(id) != nil || registry.diagnostics.hasErrors { return true }
    let instrument = String(id.prefix { $0 != "#" })
    var help: [String] = []
    if let guess = Suggestion.closest(to: id, among: registry.clauseIDs) { help.append("did you mean `\(guess)`?") }
    if let known = registry.regulations.first(where: { $0.id.value == instrument }) {
      help.append("the clauses of \(instrument) are " + known.clauses.map { "`\($0.fullID)`" }.joined(separator: ", "))
      report(
        .unknownClause, cited.span, "\(rule.id.value) cites clause `\(id)`, which \(instrument) does not have in the registry `\(registry.directory)`",
        notes: [.init("\(instrument) is here", at: known.id.span)], help: help)
    } else {
      help.append("add the instrument to `\(registry.directory)` (one YAML file per instrument, docs/regulations.md), or cite it in free text")
      report(.unknownClause, cited.span, "\(rule.id.value) cites clause `\(id)`, but the registry `\(registry.directory)` has no instrument `\(instrument)`", help: help)
    }
    return true
  }
}
