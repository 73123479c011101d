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

  /// The error for paths that held no rulebook with rules (P0004).
  public static func noRulebook(in paths: [String]) -> LoadError {
    LoadError(diagnostics: [], unreadable: [], files: [:], noRulebookIn: paths)
  }
}
