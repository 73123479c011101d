import PreceptTestSupport
import Foundation
import Testing
@testable import Precept

/// Golden tests for `precept lint`: every case under `Cases/lint/` is linted and its rendered
/// diagnostics compared, byte for byte, with the expected text next to it.
///
/// Layout:
/// - `Cases/lint/<name>.yaml` — a one-file case; expected text in `<name>.txt`.
///   A name starting with a code (`P0201-…`) must produce that code and nothing else.
///   `ok-*.yaml` must produce no diagnostics at all.
/// - `Cases/lint/imports/<case>/main.yaml` — a case of several files, linted with `root:` set to
///   the case folder; expected text in `imports/<case>/main.txt`.
///
/// Paths: each case is linted by its absolute path in the test bundle, and the absolute prefix
/// up to and including `Cases/lint/` is then removed from the rendered text, so the golden files
/// name files as `P0201-unknown-rule-key.yaml` or `imports/cycle/main.yaml` wherever the bundle
/// lives. (A test cannot change directory, and `Project.load` names files exactly as given.)
///
/// `PRECEPT_UPDATE_GOLDEN=1 swift test --filter Golden` rewrites the expected files in the source
/// tree (found through `#filePath`) instead of comparing; review the diff before committing.
@Suite struct GoldenLintTests {
  // MARK: - Cases

  /// One golden case: the file to lint, the root imports may not leave, and its expected output.
  struct Case: CustomTestStringConvertible, Sendable {
    /// Relative to `Cases/lint`, e.g. `P0201-unknown-rule-key.yaml` or `imports/cycle/main.yaml`.
    var name: String
    /// Relative to `Cases/lint`: the folder given as `root:`, or "" for the lint folder itself.
    var root: String
    var testDescription: String { name }

    /// The expected text's path relative to `Cases/lint`.
    var expectedName: String { String(name.dropLast(".yaml".count)) + ".txt" }
    /// The case's own name: the file's, or for an import case its folder's.
    var title: String {
      let parts = name.split(separator: "/").map(String.init)
      return parts.count >= 2 && parts.last == "main.yaml" ? parts[parts.count - 2] : (parts.last ?? name)
    }
    /// The code a case is named after (`P0201-…` → `.unknownKey`), if any.
    var namedCode: DiagnosticCode? { DiagnosticCode(rawValue: String(title.prefix(5))) }
    var isClean: Bool { title.hasPrefix("ok-") }
  }

  /// The bundled copy of `Tests/PreceptTests/Cases/lint`.
  static let bundleLintDirectory: String = {
    guard let url = Bundle.module.url(forResource: "Cases", withExtension: nil) else {
      fatalError("the test bundle has no Cases folder")
    }
    return url.appendingPathComponent("lint").standardizedFileURL.path
  }()

  /// The source tree's `Cases/lint`, where `PRECEPT_UPDATE_GOLDEN=1` writes.
  static let sourceLintDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/lint").path
  }()

  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"

  /// Every case, in name order: one-file cases, then import cases.
  static let cases: [Case] = {
    let fm = FileManager.default
    let dir = bundleLintDirectory
    let single = ((try? fm.contentsOfDirectory(atPath: dir)) ?? [])
      .filter { $0.hasSuffix(".yaml") }
      .sorted()
      .map { Case(name: $0, root: "") }
    let importsDir = dir + "/imports"
    let multi = ((try? fm.contentsOfDirectory(atPath: importsDir)) ?? [])
      .filter { fm.fileExists(atPath: importsDir + "/" + $0 + "/main.yaml") }
      .sorted()
      .map { Case(name: "imports/\($0)/main.yaml", root: "imports/\($0)") }
    return single + multi
  }()

  /// Codes that no golden case produces — no file given to `precept lint` can, or only a tree too
  /// large to keep as a case — with the reason. Each is still exercised by a test that builds its
  /// input at run time.
  static let unreachableFromAFile: [DiagnosticCode: String] = [
    .fileTooLarge:
      "`Disk.readFile` refuses files over 16 MiB before they are decoded, so lint reports such a file as unreadable"
      + " (exit 2) or, when imported, as P0001; P0002 comes only from `SourceFile.decode` on bytes already in memory",
    .noRulebookFound: "a command-level error (paths that hold no rulebook); `.ci/cli-hostile` runs it",
    .noRulebookApplies: "about facts, not rulebooks (`check`/`eval`); FactsDoorTests checks it",
    .unknownRuleID: "about `trace --rule`; `.ci/cli-hostile` runs it",
    .unreadFactsKey: "about facts, not rulebooks (`check`); FactsDoorTests checks it",
    .jsonSyntax:
      "rulebooks are YAML; P0109 is for facts files named `.json` (`precept check --facts x.json`), tested in FactsDoorTests",
    .waiver: "about waiver files (`--waivers`), not rulebooks; WaiverTests checks it",
    .waiverUnknownRule: "about waiver files (`lint --waivers`); WaiverTests checks it",
    .waiverWrongDepartment: "about waiver files (`lint --waivers`); WaiverTests checks it",
    .waiverNotInForce: "about waiver files (`lint --waivers`); WaiverTests checks it",
    .importTooDeep:
      "a chain of more than 100 imports needs more than 100 files; `ProjectPathsTests` generates one at run time",
  ]

  /// Cases whose one mistake still gives several diagnostics: the golden text records today's
  /// output, and these are bugs to fix (in `Syntax/Lexer.swift`, owned elsewhere), not intent.
  static let knownCascades: [String: String] = [:]

  // MARK: - Running a case

  struct Outcome {
    var report: LintReport
    var text: String
  }

  static func lint(_ c: Case) -> Outcome {
    let dir = bundleLintDirectory
    let path = dir + "/" + c.name
    let report = LintReport.run(paths: [path], root: c.root.isEmpty ? dir : dir + "/" + c.root)
    let rendered = DiagnosticRenderer(files: report.files, color: false).render(report.diagnostics)
    return Outcome(report: report, text: relativize(rendered))
  }

  /// Removes the bundle's absolute `…/Cases/lint/` prefix wherever it appears.
  static func relativize(_ s: String) -> String {
    s.replacingOccurrences(of: bundleLintDirectory + "/", with: "")
      .replacingOccurrences(of: bundleLintDirectory, with: ".")
  }

  static func expected(_ relative: String) -> String? {
    try? String(contentsOfFile: bundleLintDirectory + "/" + relative, encoding: .utf8)
  }

  /// Writes into the source tree, creating folders as needed.
  static func write(_ text: String, to relative: String) throws {
    let url = URL(fileURLWithPath: sourceLintDirectory + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  // MARK: - Tests

  @Test func thereAreCases() {
    #expect(Self.cases.count > 50)
    #expect(Self.cases.contains { $0.isClean })
  }

  @Test(arguments: GoldenLintTests.cases)
  func renderedTextMatchesGolden(_ c: Case) throws {
    let outcome = Self.lint(c)
    #expect(outcome.report.unreadable.isEmpty, "\(c.name): \(outcome.report.unreadable)")
    if Self.updating {
      try Self.write(outcome.text, to: c.expectedName)
      return
    }
    let want = try #require(Self.expected(c.expectedName), "missing \(c.expectedName); run with PRECEPT_UPDATE_GOLDEN=1")
    #expect(outcome.text == want, "\(c.name) differs from \(c.expectedName)")
  }

  /// A case named for a code shows exactly that one mistake; a clean case shows nothing.
  @Test(arguments: GoldenLintTests.cases)
  func oneMistakeGivesOneDiagnostic(_ c: Case) {
    let ds = Self.lint(c).report.diagnostics
    if c.isClean {
      #expect(ds.isEmpty, "\(c.name) should be clean")
    } else if let code = c.namedCode {
      #expect(ds.contains { $0.code == code }, "\(c.name) does not produce \(code.rawValue)")
      if Self.knownCascades[c.name] != nil {
        #expect(ds.count > 1, "\(c.name) is listed as a known cascade but no longer is one: remove it from the list")
        #expect(ds.allSatisfy { $0.code == code })
      } else {
        #expect(ds.map(\.code) == [code], "\(c.name): \(ds.map { "\($0.code.rawValue) \($0.message)" })")
      }
    } else {
      Issue.record("case \(c.name) is named neither `ok-…` nor after a code")
    }
  }

  @Test(arguments: GoldenLintTests.cases)
  func diagnosticsAreDeterministic(_ c: Case) {
    let first = Self.lint(c)
    let second = Self.lint(c)
    #expect(first.text == second.text)
    #expect(first.report.diagnostics == second.report.diagnostics)
  }

  /// Loading to decide skips the lint passes that only warn (`Check.project(_, warnings: false)`,
  /// as `precept eval` loads): the same errors, no diagnostic the full check does not give, and
  /// the same rulebooks loaded, compiled alike.
  @Test(arguments: GoldenLintTests.cases)
  func checkingWithoutWarningsFindsTheSameErrors(_ c: Case) {
    let dir = Self.bundleLintDirectory
    let project = Project.load(paths: [dir + "/" + c.name], root: c.root.isEmpty ? dir : dir + "/" + c.root)
    let full = Check.project(project)
    let errorsOnly = Check.project(project, warnings: false)
    #expect(errorsOnly.diagnostics.filter { $0.severity == .error } == full.diagnostics.filter { $0.severity == .error })
    #expect(errorsOnly.diagnostics.allSatisfy(full.diagnostics.contains))
    if c.namedCode == .unusedDefinition {
      // The warnings are skipped, not merely the same.
      #expect(full.diagnostics.contains { $0.code == .unusedDefinition })
      #expect(!errorsOnly.diagnostics.contains { $0.code == .unusedDefinition })
    }
    if !full.diagnostics.hasErrors {
      #expect(Compile.rulebooks(errorsOnly).map(\.digest) == Compile.rulebooks(full).map(\.digest))
    }
  }

  @Test func everyCodeIsCoveredByAGoldenCase() {
    var covered = Set<DiagnosticCode>()
    for c in Self.cases {
      for d in Self.lint(c).report.diagnostics { covered.insert(d.code) }
    }
    for code in DiagnosticCode.allCases where !covered.contains(code) {
      #expect(Self.unreachableFromAFile[code] != nil, "no golden case produces \(code.rawValue) \(code.title)")
    }
    for code in Self.unreachableFromAFile.keys {
      #expect(!covered.contains(code), "\(code.rawValue) is listed as unreachable but a golden case produces it")
    }
  }

  @Test func everyCodeIsDocumented() throws {
    let docs = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/diagnostics.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let headings = Set(text.split(separator: "\n").filter { $0.hasPrefix("## ") })
    for code in DiagnosticCode.allCases {
      #expect(headings.contains("## \(code.rawValue) \(code.title)"), "docs/diagnostics.md has no `## \(code.rawValue) \(code.title)`")
    }
  }

  // MARK: - JSON and SARIF

  /// Cases whose `--format json` and `--format sarif` output is kept too (`<name>.json`,
  /// `<name>.sarif`): one with a note (SARIF `relatedLocations`), one with Chinese text before the
  /// span (SARIF columns count code points, like ours).
  static let machineCases = ["P0216-list-and-definition-same-name.yaml", "P0502-placeholder-after-chinese.yaml"]

  /// Also removes the lint folder's prefix in the percent-encoded form SARIF URIs use.
  static func relativizeURIs(_ s: String) -> String {
    relativize(s.replacingOccurrences(of: DiagnosticJSON.uri(bundleLintDirectory + "/"), with: ""))
  }

  @Test(arguments: GoldenLintTests.machineCases)
  func jsonMatchesGolden(_ name: String) throws {
    let c = try #require(Self.cases.first { $0.name == name })
    let ds = Self.lint(c).report.diagnostics
    let json = Self.relativize(DiagnosticJSON.json(ds).serialized(pretty: true) + "\n")
    let expectedName = String(name.dropLast(".yaml".count)) + ".json"
    if Self.updating { return try Self.write(json, to: expectedName) }
    #expect(json == Self.expected(expectedName))
  }

  @Test(arguments: GoldenLintTests.machineCases)
  func sarifMatchesGolden(_ name: String) throws {
    let c = try #require(Self.cases.first { $0.name == name })
    let ds = Self.lint(c).report.diagnostics
    let sarif = Self.relativizeURIs(DiagnosticJSON.sarif(ds, toolVersion: "golden").serialized(pretty: true) + "\n")
    let expectedName = String(name.dropLast(".yaml".count)) + ".sarif"
    if Self.updating { return try Self.write(sarif, to: expectedName) }
    #expect(sarif == Self.expected(expectedName))

    // The parts code-scanning tools read.
    let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    #expect(run["columnKind"] as? String == "unicodeCodePoints")
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == ds.count)
    for (r, d) in zip(results, ds) {
      #expect(r["ruleId"] as? String == d.code.rawValue)
      #expect(r["level"] as? String == d.severity.rawValue)
      let location = (r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
      #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == name)
      let region = location?["region"] as? [String: Any]
      #expect(region?["startLine"] as? Int == d.span.start.line)
      #expect(region?["startColumn"] as? Int == d.span.start.column)
      #expect(region?["endLine"] as? Int == d.span.end.line)
      #expect(region?["endColumn"] as? Int == d.span.end.column)
      #expect(((r["relatedLocations"] as? [Any]) ?? []).count == d.notes.filter { $0.span != nil }.count)
    }
  }

  // MARK: - Inputs built at run time

  /// A fresh, empty directory under the system's temporary folder.
  static func temporaryDirectory() throws -> String {
    try scratchDirectory("precept-golden-")
  }

  /// A path on the command line that does not exist is not a diagnostic: lint exits 2.
  @Test func aMissingFileIsUnreadableNotADiagnostic() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let report = LintReport.run(paths: [dir + "/missing.yaml"], root: dir)
    #expect(report.diagnostics.isEmpty)
    #expect(report.unreadable.map(\.reason) == ["no such file or directory"])
  }

  /// P0002 through `SourceFile.decode`, the only place it is raised.
  @Test func aFileOverTheLimitIsRefused() throws {
    let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: SourceFile.maximumSize + 1)
    let d = try #require(SourceFile.decode(path: "huge.yaml", bytes: bytes).failure)
    #expect(d.code == .fileTooLarge)
    #expect(
      DiagnosticRenderer(files: [:]).render([d]) == """
        huge.yaml:1:1: error[P0002]: the file is 16777217 bytes; Precept reads files of at most 16777216 bytes

        1 error, 0 warnings

        """)
  }

  /// An imported file over the limit is named in the importing file.
  @Test func anImportedFileOverTheLimitIsReportedAtTheImport() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      precept: 1
      rulebook: cn.retail
      imports:
        - { path: huge.yaml, as: huge }

      """.write(toFile: dir + "/main.yaml", atomically: true, encoding: .utf8)
    try Data(repeating: UInt8(ascii: "#"), count: SourceFile.maximumSize + 1).write(to: URL(fileURLWithPath: dir + "/huge.yaml"))
    let report = LintReport.run(paths: [dir + "/main.yaml"], root: dir)
    #expect(report.diagnostics.map(\.code) == [.unreadableFile])
    #expect(report.diagnostics.first?.span.start.line == 4)
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let e) = self { return e }
    return nil
  }
}
