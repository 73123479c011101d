import Foundation
import Testing

@testable import Precept

/// `precept diff`: pairs of rulebook versions (the shipped rulebooks, and a copy with one kind of
/// change), compared structurally and by a shadow run over the shipped examples, against golden
/// text and JSON (`Cases/diff/`; `PRECEPT_UPDATE_GOLDEN=1` rewrites them).
@Suite struct RulebookDiffTests {
  static let repo = RulebookFormatTests.repo
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  /// A change: edits to files of the copy (path under the repository, text before, text after).
  struct Scenario: CustomTestStringConvertible, Sendable {
    var name: String
    var edits: [(file: String, old: String, new: String)]
    var testDescription: String { name }
  }

  static let scenarios: [Scenario] = [
    Scenario(
      name: "threshold-moved",
      edits: [("rulebooks/cn/consumer-credit.yaml", "require: product.pricing.apr <= 24%", "require: product.pricing.apr <= 20%")]),
    Scenario(
      name: "word-added",
      edits: [("rulebooks/common/cn-lists.yaml", "superlatives: [国家级,", "superlatives: [最高可借, 国家级,")]),
    Scenario(
      name: "rule-removed",
      edits: [
        (
          "rulebooks/cn/wealth-management.yaml",
          """
            - id: SUIT-ASSESSMENT-CONTROL
              title: The sales process assesses each investor's risk tolerance before the sale
              category: suitability
              owner: operations
              stage: [design, approval, launch, operation]
              severity: block
              when: is_wealth
              require: suitability_assessment in product.sales_controls
              message: "销售流程未包含投资者风险承受能力评估"
              cite:
                - CBIRC-2018-6#doc
                - CBIRC-2021-4#doc
                - "CBIRC Order [2018] No. 6 and CBIRC Order [2021] No. 4: the investor's risk tolerance is assessed before the sale (document-level citations)"

          """, ""
        ),
        ("rulebooks/cn/wealth-management.yaml", "expect: { outcome: block, violated: [SUIT-ASSESSMENT-CONTROL] }", "expect: { outcome: pass }"),
      ]),
    Scenario(
      name: "table-row-changed",
      edits: [("rulebooks/cn/wealth-management.yaml", "- [C3, \"<= R3\", true]", "- [C3, \"<= R2\", true]")]),
    Scenario(name: "severity-changed", edits: severityEdit("rulebooks/cn/consumer-credit.yaml", rule: "DISC-APR-ACCURATE", to: "review")),
  ]

  /// Replaces the first `severity:` line after the rule's `- id:` line.
  static func severityEdit(_ file: String, rule: String, to severity: String) -> [(file: String, old: String, new: String)] {
    guard let text = try? String(contentsOf: repo.appendingPathComponent(file), encoding: .utf8),
      let start = text.range(of: "  - id: \(rule)\n"),
      let line = text[start.upperBound...].range(of: #"    severity: [a-z]+\n"#, options: .regularExpression)
    else { return [] }
    let block = String(text[start.lowerBound..<line.upperBound])
    let edited = block.replacingOccurrences(of: String(text[line]), with: "    severity: \(severity)\n")
    return [(file, block, edited)]
  }

  /// The shipped rulebooks and examples copied, with the scenario's edits.
  static func copy(_ s: Scenario) throws -> URL {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("precept-diff-\(s.name)-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    for part in ["rulebooks", "examples"] {
      try fm.copyItem(at: repo.appendingPathComponent(part), to: dir.appendingPathComponent(part))
    }
    for e in s.edits {
      let url = dir.appendingPathComponent(e.file)
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(text.contains(e.old), "\(s.name): `\(e.old.prefix(60))` is not in \(e.file)")
      try text.replacingOccurrences(of: e.old, with: e.new).write(to: url, atomically: true, encoding: .utf8)
    }
    return dir
  }

  static func load(_ path: String) throws -> (CheckedProject, [CompiledRulebook], Session) {
    do throws(LoadError) {
      let (checked, books) = try Rulebooks.loadChecked(paths: [path])
      return (checked, books, Session(rulebooks: books.filter { !$0.rules.isEmpty }))
    } catch {
      Issue.record("\(error.diagnostics.filter { $0.severity == .error }.prefix(3).map(\.message))")
      throw error
    }
  }

  /// The report `precept diff rulebooks NEW --facts examples/products --facts examples/applicants` gives.
  static func report(_ s: Scenario) throws -> DiffReport {
    let dir = try copy(s)
    defer { try? FileManager.default.removeItem(at: dir) }
    let (oldChecked, oldBooks, oldSession) = try load(repo.appendingPathComponent("rulebooks").path)
    let (newChecked, newBooks, newSession) = try load(dir.appendingPathComponent("rulebooks").path)
    let diff = RulebookDiff.compare(old: oldChecked, oldBooks: oldBooks, new: newChecked, newBooks: newBooks)
    var shadow = ShadowRun.Outcome()
    for folder in ["examples/products", "examples/applicants"] {
      let names = try FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent(folder).path).filter { $0.hasSuffix(".yaml") }.sorted()
      for name in names {
        let label = "\(folder)/\(name)"
        let doc = try FactsDocument.read(path: repo.appendingPathComponent(label).path).get()
        shadow.add(ShadowRun.compare(doc, label: label, old: oldSession, new: newSession, asOf: asOf, stage: nil), label: label)
      }
    }
    return DiffReport(diff: diff, shadow: shadow, asOf: asOf, old: "rulebooks", new: "rulebooks (\(s.name))")
  }

  @Test(arguments: scenarios) func goldenDiff(_ s: Scenario) throws {
    let report = try Self.report(s)
    for (ext, actual) in [("txt", report.text), ("json", report.json.serialized(pretty: true) + "\n")] {
      let url = Self.repo.appendingPathComponent("Tests/PreceptTests/Cases/diff/\(s.name).\(ext)")
      if ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] != nil {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
      }
      let expected = try String(contentsOf: url, encoding: .utf8)
      #expect(actual == expected, "\(s.name).\(ext)")
    }
  }

  /// The changes and flips each scenario must give, independent of the golden files' layout.
  @Test func eachScenarioFindsItsChange() throws {
    let threshold = try Self.report(Self.scenarios[0])
    let apr = try #require(threshold.diff.changes.first)
    #expect(threshold.diff.changes.count == 1)
    #expect((apr.target, apr.name, apr.kind) == (.rule, "PRICE-APR-CAP", .changed))
    #expect(apr.keys.map { [$0.key, $0.oldPart, $0.newPart] } == [["require", "24%", "20%"]])
    #expect(threshold.shadow.flips.map { "\($0.facts) \($0.rule) \($0.before)→\($0.after)" } == [
      "examples/products/fresh-member-fee-loan.yaml PRICE-APR-CAP passed→violated"
    ])
    #expect(threshold.flipped)

    let word = try Self.report(Self.scenarios[1])
    #expect(word.diff.changes.map { "\($0.target) \($0.name) \($0.kind) +\($0.wordsAdded)" } == ["list superlatives changed +[\"最高可借\"]"])
    #expect(word.shadow.flips.contains { $0.rule == "WORD-NO-SUPERLATIVES" && $0.before == "passed" && $0.after == "violated" })

    let removed = try Self.report(Self.scenarios[2])
    #expect(removed.diff.changes.contains { $0.target == .rule && $0.name == "SUIT-ASSESSMENT-CONTROL" && $0.kind == .removed })
    #expect(removed.shadow.flips.allSatisfy { $0.rule == "SUIT-ASSESSMENT-CONTROL" && $0.after == ShadowRun.absent })

    let row = try Self.report(Self.scenarios[3])
    let table = try #require(row.diff.changes.first { $0.target == .table })
    #expect(table.keys.map(\.key) == ["row 3"])
    #expect((table.keys.first?.oldPart, table.keys.first?.newPart) == ("R3", "R2"))
  }

  /// Layout and redundant parentheses are no change; the same rulebooks give no change and no flip.
  @Test func sameRulebooksDiffToNothing() throws {
    let same = Scenario(
      name: "layout-only",
      edits: [("rulebooks/cn/consumer-credit.yaml", "require: product.pricing.apr <= 24%", "require: (product.pricing.apr  <=  24%)")])
    let report = try Self.report(same)
    #expect(report.diff.changes.isEmpty)
    #expect(report.shadow.flips.isEmpty && report.shadow.outcomeFlips.isEmpty)
    #expect(!report.flipped)
    // The bytes differ, so the digest does.
    #expect(report.diff.rulebooks.filter { $0.oldDigest != $0.newDigest }.map(\.id) == ["cn.consumer-credit"])
  }

  @Test func rowsAreMatchedByContent() {
    let changes = RulebookDiff.rowChanges(["a", "b", "c"], ["a", "x", "c", "d"])
    #expect(changes.map { "\($0.key): \($0.old ?? "-") → \($0.new ?? "-")" } == ["row 2: b → x", "row 4: - → d"])
    #expect(RulebookDiff.rowChanges(["a", "b"], ["b"]).map(\.key) == ["row 1"])
  }
}
