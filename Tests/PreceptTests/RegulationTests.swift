import PreceptTestSupport
import Foundation
import Testing

@testable import Precept

/// The regulations registry (`regulations/`): reading it, finding it, rules citing its clauses,
/// and `precept coverage --regulations` over it. The coverage of `Cases/coverage/loans.yaml` is
/// kept as golden text and JSON (`PRECEPT_UPDATE_GOLDEN=1 swift test --filter RegulationTests`
/// rewrites them; review the diff).
@Suite struct RegulationTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let cases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/coverage")
  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  static func portable(_ s: String) -> String { s.replacingOccurrences(of: repo.path + "/", with: "") }

  static func temporaryDirectory() throws -> String {
    try #require(Disk.realPath(try scratchDirectory("precept-regulations-")))
  }

  static func write(_ text: String, _ path: String) throws {
    try FileManager.default.createDirectory(atPath: PathName.directory(of: path), withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  static func demoCoverage() throws -> RegulationCoverage {
    try RegulationCoverage.run(paths: [cases.appendingPathComponent("loans.yaml").path], root: cases.path, defaultAsOf: asOf)
  }

  // MARK: - Coverage over the registry

  @Test func coverageOverTheDemoRegistry() throws {
    let c = try Self.demoCoverage()
    #expect(c.registries.map(Self.portable) == ["Tests/PreceptTests/Cases/coverage/regulations"])
    #expect(c.rulebooks == ["demo.loans"])
    #expect((c.testsRun, c.testsFailed) == (3, 1))
    #expect(c.instruments.map(\.regulation.id.value) == ["DEMO-2026-1", "DEMO-LAW"])
    #expect(c.clauses.map(\.clause.fullID) == ["DEMO-2026-1#1", "DEMO-2026-1#2", "DEMO-2026-1#3", "DEMO-LAW#art-3", "DEMO-LAW#art-4"])
    // Clause → the rules that encode it, and what the tests saw of each.
    let encoders = c.clauses.map { clause in clause.rules.map { "\($0.rule):\($0.seen)" } }
    #expect(encoders == [["APR-SHOWN:both"], ["FEES-DISCLOSED:both"], [], ["FEES-DISCLOSED:both"], ["CARD-RATE-CEILING:none"]])
    #expect(c.clauses.map(\.isExercised) == [true, true, false, true, false])
    #expect(c.unencoded.map(\.clause.fullID) == ["DEMO-2026-1#3"])
    // Which cases exercised FEES-DISCLOSED, its status in each, and whether the case passed.
    let fees = try #require(c.clauses[1].rules.first)
    #expect(fees.tests.map(\.line) == [40, 43, 46])
    #expect(fees.tests.map(\.status) == [.passed, .passed, .violated])
    #expect(fees.tests.map(\.casePassed) == [true, true, false])
    let law = try #require(c.instruments.last?.regulation)
    #expect(law.url == "https://example.org/demo-law" && law.date == nil)
    #expect(law.clauses.last?.text == "No card shall charge more than the ceiling.")
    #expect(law.clauses.last?.url == "https://example.org/demo-law#art-4")
  }

  @Test func coverageTextAndJSONMatchGolden() throws {
    let c = try Self.demoCoverage()
    try Self.compare(Self.portable(RegulationCoverageOutput.text(c)), "coverage.txt")
    try Self.compare(Self.portable(RegulationCoverageOutput.json(c).serialized(pretty: true) + "\n"), "coverage.json")
  }

  static func compare(_ actual: String, _ file: String) throws {
    let url = cases.appendingPathComponent(file)
    if updating { return try actual.write(to: url, atomically: true, encoding: .utf8) }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "\(file) differs; run with PRECEPT_UPDATE_GOLDEN=1 and review the diff")
  }

  /// The shipped registry over the shipped rulebooks: what is encoded, and what nothing encodes.
  @Test func shippedRegistryCoverage() throws {
    let c = try RegulationCoverage.run(paths: [Self.repo.appendingPathComponent("rulebooks").path], root: Self.repo.path, defaultAsOf: Self.asOf)
    #expect(c.registries.map(Self.portable) == ["regulations"])
    #expect(c.testsFailed == 0)
    let clauses = c.clauses
    let figures = [c.instruments.count, clauses.count, clauses.filter(\.isEncoded).count, clauses.filter(\.isExercised).count]
    #expect(figures == [33, 49, 43, 43])
    #expect(c.unencoded.map(\.clause.fullID) == [
      "CBRC-2009-60#doc", "CBRC-NDRC-2014-1#doc", "CSRC-SUITABILITY-2016#doc", "SPC-2020-17#doc", "SPC-2020-27#doc", "US-REG-Z#1026.22(a)(3)",
    ])
    // Every encoded clause of the shipped rulebooks is seen both passing and violated by some rule.
    for clause in clauses where clause.isEncoded {
      #expect(clause.rules.contains { $0.seenPassing } && clause.rules.contains { $0.seenFailing }, "\(clause.clause.fullID)")
    }
    // Clause ids only where the article was verified; everywhere else the one `doc` clause.
    for i in c.instruments {
      let ids = i.regulation.clauses.map(\.id)
      if ids.contains("doc") { #expect(ids == ["doc"] || i.regulation.id.value == "PBOC-2016-3", "\(i.regulation.id.value)") }
      for clause in i.regulation.clauses where clause.id != "doc" {
        #expect(clause.status == .verified, "\(clause.fullID) has an article id but is \(clause.status.rawValue)")
      }
      #expect(i.regulation.url == nil && i.regulation.clauses.allSatisfy { $0.url == nil }, "no URL is recorded for \(i.regulation.id.value)")
    }
    let pboc = try #require(c.clauses.first { $0.clause.fullID == "PBOC-2021-3#3" })
    #expect(pboc.rules.map(\.rule) == ["DISC-FEES-DISCLOSED", "DISC-APR-ACCURATE", "PRICE-FLAT-FEE-APR", "PARTNER-FEES-IN-PRICING"])
  }

  // MARK: - Cite lists

  @Test func aCiteListIsJoinedAndItsClauseIDsKept() throws {
    let session = try Session(paths: [Self.cases.appendingPathComponent("loans.yaml").path], root: Self.cases.path)
    let book = try #require(session.rulebooks.first)
    let fees = try #require(book.rules.first { $0.id == "FEES-DISCLOSED" })
    #expect(fees.cite == "DEMO-2026-1#2; DEMO-LAW#art-3; illustrative: the demo's own wording")
    #expect(fees.clauses == ["DEMO-2026-1#2", "DEMO-LAW#art-3"])
    // A single scalar that is a clause id is one.
    #expect(book.rules.first { $0.id == "CARD-RATE-CEILING" }?.clauses == ["DEMO-LAW#art-4"])
    let doc = try FactsDocument.parse(text: "product: { apr: \"12%\", fees_disclosed: false, kind: consumer_loan }").get()
    let decision = try #require(try session.decide(doc, asOf: Self.asOf).get().decisions.first)
    let result = try #require(decision.results.first { $0.rule.id == "FEES-DISCLOSED" })
    let json = DecisionJSON.json(Decision(filtering: decision, to: [result]), includeTraces: false).serialized()
    #expect(json.contains(#""cite":"DEMO-2026-1#2; DEMO-LAW#art-3; illustrative: the demo's own wording","clauses":["DEMO-2026-1#2","DEMO-LAW#art-3"]"#))
  }

  /// A rule that cites no clause id has no `clauses` in its JSON, and its rulebook reads no registry.
  @Test func freeTextAloneNamesNoClause() throws {
    let report = try Self.lintOne("    cite: \"illustrative: policy\"\n")
    #expect(report.diagnostics.isEmpty)
    #expect(report.checked.project.units.first?.rulebook.rules.first?.clauses.isEmpty == true)
    #expect(report.checked.project.registries.isEmpty)
    let book = try #require(Compile.rulebooks(report.checked).first)
    let decision = try book.evaluate(facts: "a: { x: 1 }", asOf: Self.asOf)
    #expect(!DecisionJSON.json(decision).serialized().contains("clauses"))
  }

  /// A one-rule rulebook in a fresh folder with the demo registry beside it, linted.
  static func lintOne(_ citeLine: String, registry: String? = nil) throws -> LintReport {
    let dir = try temporaryDirectory()
    try write(try String(contentsOf: cases.appendingPathComponent("regulations/demo-2026-1.yaml"), encoding: .utf8), dir + "/regulations/demo-2026-1.yaml")
    try write(
      "precept: 1\nrulebook: t.cite\nschema: { a: { x: int } }\nrules:\n  - id: R\n    title: t\n    category: c\n    owner: risk\n    severity: review\n    require: a.x > 0\n" + citeLine,
      dir + "/books/t.yaml")
    return LintReport.run(paths: [dir + "/books/t.yaml"], root: dir, registry: registry)
  }

  @Test func clauseIdsAreCheckedAgainstTheRegistryFoundAboveTheRulebook() throws {
    #expect(try Self.lintOne("    cite: [DEMO-2026-1#1, free text]\n").diagnostics.isEmpty)
    let typo = try Self.lintOne("    cite: [DEMO-2026-1#4]\n").diagnostics
    #expect(typo.map(\.code) == [.unknownClause])
    #expect(typo.first?.help == ["the clauses of DEMO-2026-1 are `DEMO-2026-1#1`, `DEMO-2026-1#2`, `DEMO-2026-1#3`"])
    let instrument = try Self.lintOne("    cite: [DEMO-2026-11#2]\n").diagnostics
    #expect(instrument.first?.help.first == "did you mean `DEMO-2026-1#2`?")
    // Free text with a space is never a clause id, even with a `#`.
    #expect(try Self.lintOne("    cite: [\"see DEMO-2026-1 #9\"]\n").diagnostics.isEmpty)
  }

  @Test func anExplicitRegistryReplacesTheOneFound() throws {
    let other = try Self.temporaryDirectory()
    try Self.write("precept: 1\nregulation: OTHER-1\ntitle: Other\nissuer: Other\nclauses:\n  - { id: doc, status: not verified, summary: s }\n", other + "/other-1.yaml")
    #expect(try Self.lintOne("    cite: [OTHER-1#doc]\n", registry: other).diagnostics.isEmpty)
    #expect(try Self.lintOne("    cite: [DEMO-2026-1#1]\n", registry: other).diagnostics.map(\.code) == [.unknownClause])
    let missing = try Self.lintOne("    cite: [DEMO-2026-1#1]\n", registry: other + "/nowhere")
    #expect(missing.unreadable.map(\.reason) == ["no such directory"])
  }

  @Test func theSearchStopsAtTheRoot() throws {
    let dir = try Self.temporaryDirectory()
    try Self.write("precept: 1\nregulation: ABOVE-1\ntitle: t\nissuer: i\nclauses:\n  - { id: doc, status: verified, summary: s }\n", dir + "/regulations/above-1.yaml")
    let book = "precept: 1\nrulebook: t.x\nschema: { a: { x: int } }\nrules:\n  - id: R\n    severity: info\n    require: a.x > 0\n    cite: [ABOVE-1#doc]\n"
    try Self.write(book, dir + "/project/books/x.yaml")
    let inside = LintReport.run(paths: [dir + "/project/books/x.yaml"], root: dir)
    #expect(inside.diagnostics.filter { $0.code == .unknownClause }.isEmpty)
    #expect(inside.checked.project.registries.map(\.directory) == [dir + "/regulations"])
    let bounded = LintReport.run(paths: [dir + "/project/books/x.yaml"], root: dir + "/project")
    // Above the root it is not looked for: the rulebook still evaluates, with one warning.
    #expect(bounded.diagnostics.map(\.code) == [.clausesNotChecked])
    #expect(bounded.diagnostics.first?.severity == .warning)
    #expect(bounded.diagnostics.first?.message == "`t.x` cites a clause id (`ABOVE-1#doc`), but no regulations registry was found, so it is not checked")
    #expect(throws: Never.self) { try Rulebooks.load(paths: [dir + "/project/books/x.yaml"], root: dir + "/project") }
    // A folder scan passes over registry files.
    let scan = Project.load(paths: [Self.cases.path], root: Self.cases.path)
    #expect(scan.passedOver.map(\.reason) == ["it is an instrument of a regulations registry, not a rulebook", "it is an instrument of a regulations registry, not a rulebook"])
  }

  // MARK: - Reading registry files

  static func read(_ text: String) -> (Regulation?, [String]) {
    let (r, ds) = RegulationRegistry.read(SourceFile(path: "r.yaml", text: text))
    return (r, ds.map { "\($0.span.start.line):\($0.span.start.column) \($0.code.rawValue) \($0.message)" + ($0.help.isEmpty ? "" : " | " + $0.help.joined(separator: " | ")) })
  }

  @Test func aWellFormedRegulationIsRead() throws {
    let (r, ds) = Self.read("""
      precept: 1
      regulation: PBOC-2021-3
      title: PBoC Announcement [2021] No. 3
      issuer: People's Bank of China
      date: 2021
      clauses:
        - { id: "1", status: verified, summary: shown prominently }
        - { id: art-25(1), status: commonly cited, text: "no promise of returns" }
        - { id: doc, status: not verified, summary: the rest }
      """)
    #expect(ds == [])
    let reg = try #require(r)
    #expect(reg.clauses.map(\.fullID) == ["PBOC-2021-3#1", "PBOC-2021-3#art-25(1)", "PBOC-2021-3#doc"])
    #expect(reg.clauses.map(\.status) == [.verified, .commonlyCited, .notVerified])
    #expect(reg.clauses.map(\.description) == ["shown prominently", "no promise of returns", "the rest"])
    #expect(reg.date == "2021")
  }

  @Test func mistakesInARegulationAreReportedAtTheirPlaces() {
    let (r, ds) = Self.read("""
      precept: 2
      regulation: pboc-2021-3
      title: t
      issuer: i
      date: 2021-13
      clauses:
        - { id: "1", status: verifed, summary: s }
        - { id: "2", status: verified }
        - { id: "a b", status: verified, summary: s }
        - { id: "3", status: verified, summary: s }
        - { id: "3", status: verified, summary: t }
      """)
    #expect(r == nil)
    #expect(ds == [
      "1:10 P0208 this regulation is written for format `precept: 2`; this precept reads `precept: 1`",
      "5:7 P0206 `2021-13` is not a date | write the year, year and month, or the day: `2021`, `2020-07` or `2024-11-08`",
      "2:13 P0204 `pboc-2021-3` is not a regulation id | write capital letters, digits and `-`, starting with a letter, e.g. `PBOC-2021-3`",
      "7:24 P0206 `verifed` is not a valid clause status | did you mean `verified`? | use one of: verified, commonly cited, not verified",
      "8:5 P0202 a clause needs a `summary` (what it says) or a `text` (a short quotation)",
      "9:11 P0204 `a b` is not a clause id | write letters, digits, `-`, `.`, `_` and brackets, e.g. `3`, `art-25(1)` or `doc`",
      "11:11 P0216 clause `3` of pboc-2021-3 is given twice | each clause needs its own id: rules cite it by that id",
    ])
  }

  @Test func twoFilesWithOneIdAreReported() throws {
    let dir = try Self.temporaryDirectory()
    let text = "precept: 1\nregulation: X-1\ntitle: t\nissuer: i\nclauses:\n  - { id: doc, status: verified, summary: s }\n"
    try Self.write(text, dir + "/a.yaml")
    try Self.write(text, dir + "/b.yaml")
    let registry = RegulationRegistry.load(display: "regs", real: dir)
    #expect(registry.regulations.count == 1)
    #expect(registry.diagnostics.map { "\($0.span.file):\($0.span.start.line):\($0.span.start.column) \($0.code.rawValue) \($0.message)" }
      == ["regs/b.yaml:2:13 P0216 two files of the registry are regulation `X-1`"])
  }
}
