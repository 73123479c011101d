/// Why rulebooks could not be loaded: every diagnostic (errors and warnings) and unreadable path.
public struct LoadError: Error, Sendable {
  /// Errors and warnings in the rulebooks, sorted by place.
  public var diagnostics: [Diagnostic]
  /// Paths that could not be read, and why.
  public var unreadable: [DiskError]
  /// The files read, for rendering diagnostics with their source lines.
  public var files: [String: SourceFile]
  /// The paths given, when they held no rulebook with rules (P0004); empty otherwise.
  public var noRulebookIn: [String] = []
}

/// Loading rulebooks for evaluation: read, check, compile.
public enum Rulebooks {
  /// Loads, checks and compiles the rulebooks at `paths` (files or directories). Rulebooks without
  /// rules (shared lists, schemas) are imported by others and not returned. Throws when any
  /// path cannot be read or any rulebook has an error.
  public static func load(paths: [String], root: String? = nil) throws(LoadError) -> (rulebooks: [CompiledRulebook], warnings: [Diagnostic]) {
    let checked = Check.project(Project.load(paths: paths, root: root))
    let problems = LoadError(diagnostics: checked.diagnostics, unreadable: checked.project.unreadable, files: checked.project.files)
    if !problems.unreadable.isEmpty || checked.diagnostics.hasErrors { throw problems }
    let books = Compile.rulebooks(checked).filter { !$0.rules.isEmpty }
    return (books, checked.diagnostics)
  }
}

