import ArgumentParser
import Precept

struct LintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check rulebooks for mistakes before anything runs.",
    discussion: "Exit status: 0 clean, 1 errors found (or warnings with --strict), 2 a path could not be read."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
  }

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var paths: [String]

  @Option(help: "Output format: text, json or sarif.")
  var format: Format = .text

  @Flag(help: "Treat warnings as failures (exit 1).")
  var strict = false

  @Option(help: "Directory that imports, directory scans and test facts may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  func run() throws {
    let report = LintReport.run(paths: paths, root: root)
    for e in report.unreadable { Terminal.error(TerminalText.escaped("precept: cannot read \(e.path): \(e.reason)")) }
    for e in report.checked.project.skipped { Terminal.error(TerminalText.escaped("precept: note: skipped \(e.path): \(e.reason)")) }
    let ds = report.diagnostics
    switch format {
    case .text:
      Terminal.write(DiagnosticRenderer(files: report.files, color: Terminal.color).render(ds))
    case .json:
      Terminal.write(DiagnosticJSON.json(ds).serialized(pretty: true) + "\n")
    case .sarif:
      Terminal.write(DiagnosticJSON.sarif(ds, toolVersion: PreceptInfo.version).serialized(pretty: true) + "\n")
    }
    if !report.unreadable.isEmpty { throw ExitCode(2) }
    if ds.hasErrors || (strict && ds.contains { $0.severity == .warning }) { throw ExitCode(1) }
  }
}
