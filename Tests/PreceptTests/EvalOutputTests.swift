import Foundation
import Testing

@testable import Precept

/// `precept eval --output violations|outcome` and `--id`: what each line carries, byte for byte,
/// and agreement with the decision `check` makes; the progress line and summary texts.
@Suite struct EvalOutputTests {
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  static func lines(_ content: DecisionLineContent) throws -> [String] {
    let book = try compileRulebook(CompactDecisionTests.book)
    let plan = JSONFactsReader.Plan(book.roots)
    let format = CompactDecisionFormat(book, asOf: asOf, content: content)
    let e = Evaluator(book)
    var out: [String] = []
    for (k, line) in CompactDecisionTests.lines.enumerated() {
      let facts = try Array(line.utf8).withUnsafeBufferPointer { JSONFactsReader.read($0, plan: plan) }.get()
      e.run(facts, asOf: asOf)
      var bytes = OutputBytes()
      format.append(e, line: k + 1, to: &bytes)
      out.append(bytes.text)
    }
    return out
  }

  @Test func fullLinesAreTheGoldenOnes() throws {
    #expect(try Self.lines(.full) == CompactDecisionTests.expected.map { $0 + "\n" })
  }

  @Test func violationsLines() throws {
    let lines = try Self.lines(.violations)
    #expect(lines[0] == #"{"line":1,"rulebook":"t.compact","outcome":"block","results":[{"rule":"FIXED","status":"violated","message":"N at most 10"},{"rule":"SAID","status":"violated","message":"n is \"12.5\"\tover 5; rate 17.5%, name A \"q\" b\\"},{"rule":"MAYBE","status":"unknown","reason":"missing: p.m"}]}"# + "\n")
    #expect(lines[1] == #"{"line":2,"rulebook":"t.compact","outcome":"pass","results":[]}"# + "\n")
    #expect(lines[2] == #"{"line":3,"rulebook":"t.compact","outcome":"review","results":[{"rule":"MAYBE","status":"unknown","reason":"missing: p.m"},{"rule":"NEG","status":"violated","message":"n -0.000000000001 is not positive"}]}"# + "\n")
  }

  @Test func outcomeLines() throws {
    let lines = try Self.lines(.outcome)
    let outcomes = ["block", "pass", "review", "block", "block", "review", "review", "review"]
    #expect(lines == outcomes.enumerated().map { #"{"line":\#($0.offset + 1),"rulebook":"t.compact","outcome":"\#($0.element)"}"# + "\n" })
  }

  /// Every violations line lists exactly the violated and unknown rules of the decision `check`
  /// makes, in order, with its message or reason; its outcome is the decision's.
  @Test func violationsAgreeWithTheDecision() throws {
    let book = try compileRulebook(CompactDecisionTests.book)
    let plan = JSONFactsReader.Plan(book.roots)
    let e = Evaluator(book)
    let lines = try Self.lines(.violations)
    for (k, line) in CompactDecisionTests.lines.enumerated() {
      let facts = try Array(line.utf8).withUnsafeBufferPointer { JSONFactsReader.read($0, plan: plan) }.get()
      e.run(facts, asOf: Self.asOf)
      let d = e.decision(asOf: Self.asOf, stage: nil, trace: false)
      let o = try #require(try JSONSerialization.jsonObject(with: Data(lines[k].utf8)) as? [String: Any])
      #expect(o["outcome"] as? String == d.outcome.rawValue)
      let listed = (o["results"] as? [[String: String]] ?? []).map { r -> [String?] in [r["rule"], r["status"], r["message"], r["reason"]] }
      let wanted = d.results.filter { $0.status == .violated || $0.status == .unknown }.map { r -> [String?] in
        [r.rule.id, r.status.rawValue, r.status == .violated ? r.message : nil, r.status == .unknown ? r.reason : nil]
      }
      #expect(listed == wanted, "line \(k + 1)")
    }
  }

  static let idBook = #"""
    precept: 1
    rulebook: t.ids
    schema:
      p: { id: text?, n: decimal }
    rules:
      - id: SMALL
        title: N at most 10
        severity: block
        require: p.n <= 10
    """#

  @Test func idOnEveryLine() throws {
    let session = Session(rulebooks: [try compileRulebook(Self.idBook)])
    func eval(_ lines: [String], _ content: DecisionLineContent = .outcome, id: String = "p.id") -> [String] {
      let decider = LineDecider(session, asOf: Self.asOf, stage: nil, output: LineOutput(content: content, id: LineOutput.path(id)))
      var out = OutputBytes()
      for (k, line) in lines.enumerated() {
        _ = Array(line.utf8).withUnsafeBufferPointer { decider.decide($0, number: k + 1, into: &out) }
      }
      return out.text.split(separator: "\n").map(String.init)
    }
    let got = eval([
      #"{"p": {"id": "A-1", "n": 3}}"#,  // keyed
      #"{"id": 42, "n": 30}"#,  // flat: the path without its root
      #"{"n": 3}"#,  // none
      #"{"\u0069d": "E\u00e9", "n": 3}"#,  // an escaped key; the value as given
      #"{"id": "A-2", "n": }"#,  // not JSON after the id: an error line, with the id
      #"{"id": {"a": [1, 2]}, "n": 3}"#,  // any JSON value, as given (and not text: an error line)
      #"nonsense"#,
    ])
    #expect(got == [
      #"{"line":1,"id":"A-1","rulebook":"t.ids","outcome":"pass"}"#,
      #"{"line":2,"id":42,"rulebook":"t.ids","outcome":"block"}"#,
      #"{"line":3,"id":null,"rulebook":"t.ids","outcome":"pass"}"#,
      #"{"line":4,"id":"E\u00e9","rulebook":"t.ids","outcome":"pass"}"#,
      #"{"line":5,"id":"A-2","error":"not valid JSON at byte 20: expected a JSON value, found `}`"}"#,
      #"{"line":6,"id":{"a": [1, 2]},"error":"p.id: expected text?, found a mapping"}"#,
      #"{"line":7,"id":null,"error":"not valid JSON at byte 1: expected a JSON value, found `nonsense`"}"#,
    ])
    // Full and violations lines carry it after the line number too; a path that is not there is null.
    #expect(eval([#"{"id": "B", "n": 30}"#], .full)[0].hasPrefix(#"{"line":1,"id":"B","rulebook":"t.ids","as_of":"2026-11-23","outcome":"block","results":[{"rule":"SMALL""#))
    #expect(eval([#"{"id": "B", "n": 30}"#], .violations) == [#"{"line":1,"id":"B","rulebook":"t.ids","outcome":"block","results":[{"rule":"SMALL","status":"violated","message":"N at most 10"}]}"#])
    #expect(eval([#"{"p": {"id": "B", "n": 1}}"#], id: "p.id.x") == [#"{"line":1,"id":null,"rulebook":"t.ids","outcome":"pass"}"#])
    #expect(eval([#"{"id": "B", "n": 1}"#], id: "id") == [#"{"line":1,"id":"B","rulebook":"t.ids","outcome":"pass"}"#])
  }

  @Test func tallyAndRefusedLines() throws {
    let session = Session(rulebooks: [try compileRulebook(Self.idBook)])
    let decider = LineDecider(session, asOf: Self.asOf, stage: nil, output: LineOutput(content: .outcome, id: ["p", "id"]))
    var out = OutputBytes()
    for (k, line) in [#"{"n": 3}"#, #"{"n": 30}"#, #"{"n": 31}"#, "[]"].enumerated() {
      _ = Array(line.utf8).withUnsafeBufferPointer { decider.decide($0, number: k + 1, into: &out) }
    }
    decider.refuse("too long", number: 9, into: &out)
    #expect(out.text.hasSuffix(#"{"line":9,"id":null,"error":"too long"}"# + "\n"))
    let t = decider.tally
    #expect(t.decisions == [1, 0, 0, 0, 2] && t.errors == 2 && t.decided == 3)
  }

  @Test func dottedPaths() {
    #expect(LineOutput.path("customer.id") == ["customer", "id"])
    #expect(LineOutput.path("id") == ["id"])
    for bad in ["", ".", "customer.", ".id", "a..b"] { #expect(LineOutput.path(bad) == nil, "\(bad)") }
  }

  @Test func summaryText() {
    var t = StreamTally()
    t.lines = 100_000
    t.bytes = 34_210_000
    t.decisions = [71_234, 0, 0, 20_111, 8_655]
    #expect(StreamReport.summary(t, seconds: 0.2104) == """
      precept eval: 100,000 lines (34.2 MB) in 0.21 s, 475,285 lines/s
      precept eval: 100,000 decisions: 71,234 pass, 20,111 review, 8,655 block; no error lines

      """)
    var small = StreamTally()
    small.lines = 1
    small.bytes = 1
    small.errors = 1
    #expect(StreamReport.summary(small, seconds: 75, interrupted: true) == """
      precept eval: 1 line (1 B) in 1:15, 0 lines/s (interrupted)
      precept eval: 0 decisions; 1 error line

      """)
    t.errors = 2
    t.decisions = [1, 0, 0, 0, 0]
    #expect(StreamReport.summary(t, seconds: 12.34).hasSuffix("precept eval: 1 decision: 1 pass; 2 error lines\n"))
    #expect(StreamReport.summary(t, seconds: 12.34).hasPrefix("precept eval: 100,000 lines (34.2 MB) in 12.3 s, 8,104 lines/s\n"))
  }

  @Test func progressText() {
    var t = StreamTally()
    t.lines = 1_234_567
    t.bytes = 45_600_000
    #expect(StreamReport.progress(t, seconds: 2.5, totalBytes: nil) == "precept eval: 1,234,567 lines, 45.6 MB read, 493,827 lines/s")
    #expect(StreamReport.progress(t, seconds: 2.5, totalBytes: 91_200_000) == "precept eval: 1,234,567 lines, 45.6 MB read, 493,827 lines/s, 50%, 2.50 s left")
    #expect(StreamReport.progress(t, seconds: 30, totalBytes: 456_000_000).hasSuffix(", 10%, 4:30 left"))
    #expect(StreamReport.progress(t, seconds: 3600, totalBytes: 4_560_000_000).hasSuffix(", 1%, 99:00:00 left"))
  }

  @Test func sizesAndDurations() {
    #expect([0, 999, 1000, 999_949, 999_950, 1_234_567_890, 2_000_000_000_000].map(StreamReport.size) == ["0 B", "999 B", "1.0 kB", "999.9 kB", "1.0 MB", "1.2 GB", "2.0 TB"])
    #expect([0, 0.004, 0.21, 9.994, 9.996, 59.94, 59.96, 3599.4, 3661].map(StreamReport.duration) == ["0.00 s", "0.00 s", "0.21 s", "9.99 s", "10.0 s", "59.9 s", "1:00", "59:59", "1:01:01"])
  }
}
