import Foundation
import Precept
import PreceptReport

/// Shared by the report tests: the repository, the shipped examples decided as `precept check`
/// decides them, and their reports with the machine's paths removed.
enum ReportSupport {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let cases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")
  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!
  static var rulebooks: String { repo.appendingPathComponent("rulebooks").path }

  /// The report input for facts given as text (YAML), checked against the shipped rulebooks.
  static func input(factsText: String, source: String, allTraces: Bool = false) throws -> ReportInput {
    let session = try Session(paths: [rulebooks], root: repo.path)
    let doc = try FactsDocument.parse(text: factsText).get()
    let decided = try session.decide(doc, asOf: asOf, trace: true).get()
    let project = Project.load(paths: [rulebooks], root: repo.path)
    return ReportInput(
      decisions: decided.decisions, notApplicable: decided.notApplicable.map { ($0.rulebook.id, $0.missingRoots) },
      facts: FactsTree.json(doc.root), factsSource: source, claimTerms: ClaimTerms.resolve(project, for: decided.decisions),
      allTraces: allTraces, generator: "precept")
  }

  /// The report input for a shipped example product (`examples/products/NAME`).
  static func example(_ name: String) throws -> ReportInput {
    let path = "examples/products/\(name)"
    let text = try String(contentsOf: repo.appendingPathComponent(path), encoding: .utf8)
    return try input(factsText: text, source: path)
  }

  /// A report with the repository's absolute path removed, so golden files are portable.
  static func portable(_ s: String) -> String { s.replacingOccurrences(of: repo.path + "/", with: "") }
}
