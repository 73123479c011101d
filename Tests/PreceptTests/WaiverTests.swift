import Foundation
import Testing

@testable import Precept

/// Waivers (`--waivers FILE`): a violated rule covered by a valid waiver for these facts is
/// `waived` and does not count; an expired waiver, one of an unknown rule, or one approved by a
/// department that does not own the rule is not applied and is a finding.
@Suite struct WaiverTests {
  static let repo = RulebookFormatTests.repo
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!
  static let example = "examples/products/cl-student-guarantee.yaml"

  static func waivers(_ text: String) -> WaiverFile {
    WaiverFile.parse(SourceFile(path: "w.yaml", text: "precept: 1\nwaivers:\n" + text))
  }

  static func waiver(rule: String, department: String, approved: String = "2026-11-01", expires: String = "2027-03-31", id: String = "CL-2026-031") -> String {
    """
      - rule: \(rule)
        rulebook: cn.consumer-credit
        facts: { product.id: \(id) }
        reason: test
        approved_by: { department: \(department), name: 王敏 }
        approved_at: \(approved)
        expires: \(expires)

    """
  }

  static func decide(_ file: WaiverFile) throws -> Decision {
    let session = try Session(paths: [repo.appendingPathComponent("rulebooks/cn/consumer-credit.yaml").path], waivers: file.waivers)
    let doc = try FactsDocument.read(path: repo.appendingPathComponent(example).path).get()
    return try #require(try session.decide(doc, asOf: asOf).get().decisions.first)
  }

  static func status(_ d: Decision, _ rule: String) -> RuleStatus? { d.results.first { $0.rule.id == rule }?.status }

  @Test func aValidWaiverWaivesTheRule() throws {
    let file = Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk"))
    #expect(file.diagnostics.isEmpty)
    let d = try Self.decide(file)
    #expect(Self.status(d, "PRICE-APR-CAP") == .waived)
    #expect(d.waiverFindings.isEmpty)
    let json = DecisionJSON.json(d).serialized()
    #expect(json.contains(#""rule":"PRICE-APR-CAP","status":"waived""#))
    #expect(json.contains(#""waiver":{"facts":{"product.id":"CL-2026-031"},"reason":"test","approved_by":{"department":"risk","name":"王敏"}"#))
    // Not counted: without it, risk's sign-off lists PRICE-APR-CAP as a finding; with it, as waived.
    let text = DecisionRenderer().render(d)
    #expect(text.contains("PRICE-APR-CAP (waived)"))
    #expect(text.contains("Waived (1)\n  PRICE-APR-CAP — waived until 2027-03-31 by 王敏 (risk): test"))
  }

  @Test func aWaiverDoesNotCountTowardTheOutcome() throws {
    // ELIG-ADULTS is unknown (block at least review) on this dossier; waive everything violated
    // that risk owns and check risk's outcome drops to the unknown's.
    let d = try Self.decide(Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk")))
    let without = try Self.decide(Self.waivers(""))
    #expect(Self.status(without, "PRICE-APR-CAP") == .violated)
    #expect(d.results.first { $0.rule.id == "PRICE-APR-CAP" }?.outcome == .pass)
  }

  @Test func anExpiredWaiverIsAFindingAndNotApplied() throws {
    let d = try Self.decide(Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk", approved: "2026-09-01", expires: "2026-10-31")))
    #expect(Self.status(d, "PRICE-APR-CAP") == .violated)
    #expect(d.waiverFindings == ["P0704: waiver of PRICE-APR-CAP expired on 2026-10-31 (w.yaml:3:5)"])
    // Valid on its last day.
    let last = try Self.decide(Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk", expires: "2026-11-23")))
    #expect(Self.status(last, "PRICE-APR-CAP") == .waived)
    let early = try Self.decide(Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk", approved: "2026-11-24")))
    #expect(Self.status(early, "PRICE-APR-CAP") == .violated)
    #expect(early.waiverFindings == ["P0704: waiver of PRICE-APR-CAP is not in force until 2026-11-24 (w.yaml:3:5)"])
  }

  @Test func theOwnerMustApprove() throws {
    let d = try Self.decide(Self.waivers(Self.waiver(rule: "ELIG-NO-STUDENTS", department: "marketing")))
    #expect(Self.status(d, "ELIG-NO-STUDENTS") == .violated)
    #expect(d.waiverFindings.first?.hasPrefix("P0703: waiver of ELIG-NO-STUDENTS is approved by marketing, but the rule is owned by compliance") == true)
  }

  @Test func otherFactsAreNotWaived() throws {
    let d = try Self.decide(Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk", id: "CL-2026-999")))
    #expect(Self.status(d, "PRICE-APR-CAP") == .violated)
    #expect(d.waiverFindings.isEmpty)
  }

  @Test func lintChecksWaiversAgainstTheRulebooks() throws {
    let file = Self.waivers(
      Self.waiver(rule: "PRICE-APR-KAP", department: "risk") + Self.waiver(rule: "ELIG-NO-STUDENTS", department: "marketing")
        + Self.waiver(rule: "PRICE-APR-CAP", department: "risk", approved: "2026-01-01", expires: "2026-02-01"))
    let (_, books) = try Rulebooks.loadChecked(paths: [Self.repo.appendingPathComponent("rulebooks/cn/consumer-credit.yaml").path])
    let found = file.check(books, asOf: Self.asOf).map { "\($0.code.rawValue) \($0.severity.rawValue) \($0.span.start.line): \($0.message)" }
    #expect(found == [
      "P0702 error 3: waiver names rule `PRICE-APR-KAP`, which cn.consumer-credit does not have; did you mean `PRICE-APR-CAP`?",
      "P0703 error 10: waiver of ELIG-NO-STUDENTS is approved by marketing, but the rule is owned by compliance: only its owner may waive it",
      "P0704 warning 17: waiver of PRICE-APR-CAP expired on 2026-02-01",
    ])
  }

  @Test func malformedWaiversAreDiagnosedWithPlaces() {
    let file = Self.waivers(
      """
        - rule: PRICE-APR-CAP
          rulebook: cn.consumer-credit
          facts: { product.id: X }
          reason: r
          approved_by: { department: risk }
          approved_at: 2026-13-01
          expires: 2026-01-01
          note: x
        - rule: PRICE-APR-CAP
          rulebook: cn.consumer-credit
          facts: { product.id: X }
          reason: r
          approved_by: { department: risk, name: n }
          approved_at: 2026-05-01
          expires: 2026-01-01

      """)
    #expect(file.waivers.isEmpty)
    #expect(file.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line)" } == ["P0201 10", "P0202 7", "P0206 8", "P0701 11"])
  }

  /// `eval` waives a line's rule exactly as `check` waives a file's.
  @Test func evalWaivesAsCheckDoes() throws {
    let file = Self.waivers(Self.waiver(rule: "PRICE-APR-CAP", department: "risk"))
    let session = try Session(paths: [Self.repo.appendingPathComponent("rulebooks/cn/consumer-credit.yaml").path], waivers: file.waivers)
    let doc = try FactsDocument.read(path: Self.repo.appendingPathComponent(Self.example).path).get()
    var out = OutputBytes()
    let line = Array(FactsDoorTests.jsonLine(doc.root).serialized().utf8)
    let usable = line.withUnsafeBufferPointer { LineDecider(session, asOf: Self.asOf, stage: nil).decide($0, number: 1, into: &out) }
    #expect(usable)
    let written = out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    #expect(written.contains(#"{"rule":"PRICE-APR-CAP","status":"waived"}"#))
  }
}
