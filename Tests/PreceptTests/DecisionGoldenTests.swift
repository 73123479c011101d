import Foundation
import Testing

@testable import Precept

/// Every shipped example product, checked against the shipped rulebooks: the reviewer's text, the
/// JSON decision and the full trace must match the files in `Cases/decisions/`.
/// `PRECEPT_UPDATE_GOLDEN=1 swift test --filter DecisionGolden` rewrites them; review the diff.
@Suite struct DecisionGoldenTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let cases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/decisions")
  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  static var products: [String] {
    let dir = repo.appendingPathComponent("examples/products").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
  }

  /// Decisions for one product, with the machine's absolute paths removed so the files are portable.
  static func decide(_ product: String) throws -> [Decision] {
    let session = try Session(paths: [repo.appendingPathComponent("rulebooks").path], root: repo.path)
    let doc = try FactsDocument.read(path: repo.appendingPathComponent("examples/products/\(product)").path).get()
    return try session.decide(doc, asOf: asOf, trace: true).get().decisions
  }

  static func portable(_ s: String) -> String { s.replacingOccurrences(of: repo.path + "/", with: "") }

  static func compare(_ actual: String, _ file: String) throws {
    let url = cases.appendingPathComponent(file)
    if updating {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "\(file) differs; run with PRECEPT_UPDATE_GOLDEN=1 and review the diff")
  }

  @Test(arguments: products)
  func checkTextJSONAndTraceMatchGolden(_ product: String) throws {
    let decisions = try Self.decide(product)
    #expect(!decisions.isEmpty)
    let name = String(product.dropLast(5))
    try Self.compare(Self.portable(decisions.map { DecisionRenderer().render($0) }.joined(separator: "\n")), "\(name).txt")
    try Self.compare(Self.portable(decisions.map { DecisionRenderer(traces: true).render($0) }.joined(separator: "\n")), "\(name).trace.txt")
    let json = JSON.array(decisions.map { DecisionJSON.json($0) }).serialized(pretty: true) + "\n"
    try Self.compare(Self.portable(json), "\(name).json")
  }

  @Test func expectedVerdicts() throws {
    // What a compliance officer would conclude for each example, stated independently of the golden files
    // (the worst outcome over the rulebooks that apply; ShippedContentTests states every example's findings).
    let verdicts: [String: Outcome] = ["cl-clean.yaml": .pass, "cl-student-guarantee.yaml": .block]
    for (product, outcome) in verdicts {
      #expect(try Self.decide(product).map(\.outcome).max() == outcome, "\(product)")
    }
  }
}
