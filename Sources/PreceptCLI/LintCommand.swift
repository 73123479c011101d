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

  @Flag(help: "Also list the warnings rules allow (`lint: {allow: [...], reason: ...}`), with their reasons.")
  var verbose = false

  @Option(help: "Directory that imports, directory scans and test facts may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  @Option(help: "The regulations registry's folder that clause ids in `cite` name (default: the nearest `regulations/` at or above each rulebook, inside the root).")
  var registry: String?

  @Flag(help: "Run again whenever a rulebook, an import or a test's facts file changes (Ctrl-C stops).")
  var watch = false

  @Option(help: "Also check a waivers file against the rulebooks: each waiver's rule, owner and dates (as of today).")
  var waivers: String?

  func run() throws {
    if watch { Watch.loop(paths: paths, root: root, registry: registry) { try runOnce() } }
    try runOnce()
  }

  /// The waivers file, with its own problems as diagnostics (not fatal: lint reports them).
  static func readWaivers(_ path: String?) throws -> WaiverFile? {
    guard let path else { return nil }
    switch WaiverFile.read(path: path) {
    case .failure(let e): throw Failure.usage("cannot read --waivers \(e.path): \(e.reason)")
    case .success(let f): return f
    }
  }

  func runOnce() throws {
    let report = LintReport.run(paths: paths, root: root, registry: registry)
    let project = report.checked.project
    for e in report.unreadable { Terminal.error(TerminalText.escaped("precept: cannot read \(e.path): \(e.reason)")) }
    for e in project.skipped { Terminal.error(TerminalText.escaped("precept: note: skipped \(e.path): \(e.reason)")) }
    for e in project.passedOver { Terminal.error(TerminalText.escaped("precept: note: passed over \(e.path): \(e.reason)")) }
    var ds = report.diagnostics
    var files = report.files
    if let file = try Failure.exitOnFailure({ try Self.readWaivers(waivers) }) {
      ds += file.diagnostics
      if let f = file.file { files[f.path] = f }
      // Against the rulebooks, once they compile.
      if !report.diagnostics.hasErrors { ds += file.check(Compile.rulebooks(report.checked), asOf: Clock.today()) }
    }
    // Nothing was read: say only why, never "0 errors" (a gate must not pass on nothing).
    if project.requested.isEmpty && !ds.hasErrors {
      if report.unreadable.isEmpty {
        Terminal.error(TerminalText.escaped(
          "precept: error[\(DiagnosticCode.noRulebookFound.rawValue)]: no rulebook found in \(paths.joined(separator: ", ")) (a rulebook is a YAML file that starts with `precept: 1`)"))
      }
      throw ExitCode(2)
    }
    switch format {
    case .text:
      Terminal.write(DiagnosticRenderer(files: files, color: Terminal.color).render(ds))
      let allowed = report.checked.allowed
      if verbose {
        for (w, reason) in allowed {
          Terminal.write(TerminalText.escaped("allowed: \(w.span.description): warning[\(w.code.rawValue)]: \(w.message) — reason: \(reason)") + "\n")
        }
      } else if !allowed.isEmpty {
        Terminal.write("\(allowed.count) warning\(allowed.count == 1 ? "" : "s") allowed by rules (--verbose lists them)\n")
      }
      let count = project.requested.count
      Terminal.write("\(count) rulebook\(count == 1 ? "" : "s") checked" + (project.units.count > count ? ", with \(project.units.count - count) imported" : "") + "\n")
    case .json:
      Terminal.write(DiagnosticJSON.json(ds).serialized(pretty: true) + "\n")
    case .sarif:
      Terminal.write(DiagnosticJSON.sarif(ds, toolVersion: PreceptInfo.version).serialized(pretty: true) + "\n")
    }
    if !report.unreadable.isEmpty { throw ExitCode(2) }
    if ds.hasErrors || (strict && ds.contains { $0.severity == .warning }) { throw ExitCode(1) }
  }
}
