/// Loading rulebooks for evaluation: read, check, compile.
public enum Rulebooks {
  /// Loads, checks and compiles the rulebooks at `paths` (files or directories). Rulebooks without
  /// rules (shared lists, schemas) are imported by others and not returned. Throws when any
  /// path cannot be read or any rulebook has an error. With `warnings: false` the lint warnings
  /// are not looked for (the errors, and so what loads, are the same).
  public static func load(paths: [String], root: String? = nil, registry: String? = nil, warnings: Bool = true) throws(LoadError) -> (rulebooks: [CompiledRulebook], warnings: [Diagnostic]) {
    let (checked, books) = try loadChecked(paths: paths, root: root, registry: registry, warnings: warnings)
    return (books.filter { !$0.rules.isEmpty }, checked.diagnostics)
  }

  /// As `load`, also giving the checked project and every compiled rulebook (those without rules
  /// too: shared lists and schemas), for comparing two versions (`RulebookDiff`).
  public static func loadChecked(paths: [String], root: String? = nil, registry: String? = nil, warnings: Bool = true) throws(LoadError) -> (checked: CheckedProject, rulebooks: [CompiledRulebook]) {
    let checked = Check.project(Project.load(paths: paths, root: root, registry: registry), warnings: warnings)
    let problems = LoadError(diagnostics: checked.diagnostics, unreadable: checked.project.unreadable, files: checked.project.files)
    if !problems.unreadable.isEmpty || checked.diagnostics.hasErrors { throw problems }
    return (checked, Compile.rulebooks(checked))
  }
}

extension CompiledRulebook {
  /// Validates and evaluates facts given as Swift values (see `values(from:)`); throws `FactsErrors`
  /// when they do not fit the schema.
  public func evaluate(_ facts: [String: any Encodable], asOf: CivilDate, stage: Stage? = nil, trace: Bool = false) throws -> Decision {
    let values = try self.values(from: facts).get()
    return evaluate(values, asOf: asOf, stage: stage, trace: trace)
  }
}
