import Foundation
import Testing

@testable import Precept

/// A trace over thousands of transactions stays small: lists show their first items and their
/// length, `window`/`per_day` groups are counted, not listed, and the group that decided a
/// quantifier is shown in full (its own lists cut the same way).
@Suite struct TraceBoundsTests {
  static let book = """
    precept: 1
    rulebook: t.bounds
    schema:
      c:
        tx: "list(record(at: datetime, amount: money(CNY)))"
    rules:
      - id: BURST
        severity: review
        flag: "any w in window(c.tx, 24h, by: .at): sum(w.amount) >= 70_000 CNY"
        cite: x
      - id: DAY
        severity: review
        flag: "any d in per_day(c.tx, by: .at): count(d) >= 50"
        cite: x
      - id: BIG
        severity: review
        flag: "any t in c.tx: t.amount >= 49_000 CNY"
        cite: x
    """

  /// `n` transactions an hour apart, each 1,000 CNY except the last, 49,000 CNY.
  static func facts(_ n: Int) -> String {
    var out = "c:\n  tx:\n"
    for i in 0..<n {
      let at = DateTime(epochSeconds: 1_793_548_800 + Int64(i) * 3_600)
      out += "    - { at: \"\(at)\", amount: \(i == n - 1 ? 49_000 : 1_000) CNY }\n"
    }
    return out
  }

  @Test func aLongListIsCutAndCounted() throws {
    let d = try compileRulebook(Self.book).evaluate(facts: Self.facts(3_000), asOf: asOf, trace: true)
    #expect(d.results.map(\.status) == [.violated, .passed, .violated])
    let json = DecisionJSON.json(d).serialized()
    // Every trace value of the 3,000 transactions is cut to 20 items with the length.
    #expect(json.contains(#""count":3000"#))
    // 24-hour windows are counted, not listed.
    #expect(json.contains(#"{"expr":"window(c.tx, 24h, by: .at)","value":{"first":[],"count":"#))
    // The deciding window is shown, cut to 20 of its 24 transactions.
    #expect(json.contains(#""item_value":{"first":["#))
    // The deciding transaction of BIG is the last one.
    #expect(json.contains(#""item":2999,"item_value":{"at":"#))
    #expect(json.utf8.count < 60_000, "\(json.utf8.count) bytes")
    let text = DecisionRenderer(traces: true).render(d)
    #expect(text.contains("c.tx = [3000 items: {at: "))
    #expect(text.contains("groups in all]"))
    #expect(text.utf8.count < 30_000, "\(text.utf8.count) bytes")
  }

  /// Two rules with the same loop share its node: each trace lists every matching item once.
  @Test func aSharedLoopIsExploredOnce() throws {
    let book = """
      precept: 1
      rulebook: t.shared
      schema:
        p:
          copy: "list(record(channel: text, text: text))"
      rules:
        - { id: A, severity: block, forbid: "any m in p.copy: m.text contains \\"保本\\"", cite: x }
        - { id: B, severity: review, forbid: "any m in p.copy: m.text contains \\"保本\\"", cite: x }
      """
    let facts = "p: { copy: [{channel: sms, text: 保本理财}, {channel: app, text: 稳健}, {channel: web, text: 保本收益}] }"
    let d = try compileRulebook(book).evaluate(facts: facts, asOf: asOf, trace: true)
    for r in d.results {
      let found = (r.trace?.matches ?? []).map { "\($0.item ?? -1) \($0.channel ?? "")" }
      #expect(found == ["0 sms", "2 web"], "\(r.rule.id): \(found)")
    }
  }
}
