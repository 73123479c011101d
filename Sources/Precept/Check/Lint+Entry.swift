/// What `precept lint` reports for a set of paths.
public struct LintReport: Sendable {
  /// The checked project behind the report.
  public var checked: CheckedProject
  /// Errors and warnings, in reporting order.
  public var diagnostics: [Diagnostic] { checked.diagnostics }
  /// Paths that could not be read (the command exits 2).
  public var unreadable: [DiskError] { checked.project.unreadable }
  /// Files read, for rendering source lines.
  public var files: [String: SourceFile] { checked.project.files }
  /// How many rulebooks were checked.
  public var rulebookCount: Int { checked.project.units.count }

  /// Loads, parses and checks the rulebooks at `paths` (files or directories); `registry` names
  /// the regulations registry their clause ids are checked against (default: found above them).
  public static func run(paths: [String], root: String? = nil, registry: String? = nil) -> LintReport {
    LintReport(checked: Check.project(Project.load(paths: paths, root: root, registry: registry)))
  }
}
