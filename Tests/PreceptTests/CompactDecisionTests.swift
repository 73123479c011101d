import Testing

@testable import Precept

/// The streamed decision lines of `precept eval`, written from a prepared format: byte for byte
/// what the decision gives (expected lines as the writer before the format wrote them).
@Suite struct CompactDecisionTests {
  static let book = #"""
    precept: 1
    rulebook: t.compact
    schema:
      p: { n: decimal, r: percent, m: decimal?, name: text }
    rules:
      - id: FIXED
        title: N at most 10
        severity: block
        require: p.n <= 10
      - id: SAID
        severity: warning
        require: p.n <= 5
        message: "n is \"{p.n}\"\tover 5; rate {p.r}, name {p.name}"
      - id: MAYBE
        title: M above 1
        severity: info
        require: p.m > 1
      - id: BIG
        title: Only for big n
        severity: review
        when: p.n > 1000
        require: p.n < 2000
      - id: NEG
        severity: review
        require: p.n > 0
        message: "n {p.n} is not positive"
    """#

  static let lines = [
    #"{"n": 12.5, "r": 0.175, "name": "A \"q\" b\\"}"#,
    #"{"n": 3, "r": "18%", "m": 2, "name": "x"}"#,
    #"{"n": -0.000000000001, "r": 0, "m": null, "name": "é\n"}"#,
    #"{"n": 1500.25, "r": 1, "name": "big"}"#,
    #"{"n": 170141183460469231731.687303715884, "r": 1, "name": "huge"}"#,
    #"{"n": -18446744.073709551615, "r": 1, "name": "edge"}"#,
    #"{"n": -18446744.073709551616, "r": 1, "name": "edge2"}"#,
    #"{"n": 0.05, "r": 1, "name": "lead"}"#,
  ]

  static let expected = [
    #"{"line":1,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"block","results":[{"rule":"FIXED","status":"violated","message":"N at most 10"},{"rule":"SAID","status":"violated","message":"n is \"12.5\"\tover 5; rate 17.5%, name A \"q\" b\\"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"passed"}]}"#,
    #"{"line":2,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"pass","results":[{"rule":"FIXED","status":"passed"},{"rule":"SAID","status":"passed"},{"rule":"MAYBE","status":"passed"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"passed"}]}"#,
    #"{"line":3,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"review","results":[{"rule":"FIXED","status":"passed"},{"rule":"SAID","status":"passed"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"violated","message":"n -0.000000000001 is not positive"}]}"#,
    #"{"line":4,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"block","results":[{"rule":"FIXED","status":"violated","message":"N at most 10"},{"rule":"SAID","status":"violated","message":"n is \"1500.25\"\tover 5; rate 100%, name big"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"passed"},{"rule":"NEG","status":"passed"}]}"#,
    #"{"line":5,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"block","results":[{"rule":"FIXED","status":"violated","message":"N at most 10"},{"rule":"SAID","status":"violated","message":"n is \"170141183460469231731.687303715884\"\tover 5; rate 100%, name huge"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"violated","message":"Only for big n"},{"rule":"NEG","status":"passed"}]}"#,
    #"{"line":6,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"review","results":[{"rule":"FIXED","status":"passed"},{"rule":"SAID","status":"passed"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"violated","message":"n -18446744.073709551615 is not positive"}]}"#,
    #"{"line":7,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"review","results":[{"rule":"FIXED","status":"passed"},{"rule":"SAID","status":"passed"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"violated","message":"n -18446744.073709551616 is not positive"}]}"#,
    #"{"line":8,"rulebook":"t.compact","as_of":"2026-11-23","outcome":"review","results":[{"rule":"FIXED","status":"passed"},{"rule":"SAID","status":"passed"},{"rule":"MAYBE","status":"unknown"},{"rule":"BIG","status":"not_applicable"},{"rule":"NEG","status":"passed"}]}"#,
  ]

  @Test func linesAreExactlyTheDecisions() throws {
    let book = try compileRulebook(Self.book)
    let plan = JSONFactsReader.Plan(book.roots)
    let format = CompactDecisionFormat(book, asOf: asOf)
    let e = Evaluator(book)
    var stream = OutputBytes(capacity: 16)
    var expectedStream = ""
    for (k, line) in Self.lines.enumerated() {
      let facts = try Array(line.utf8).withUnsafeBufferPointer { JSONFactsReader.read($0, plan: plan) }.get()
      e.run(facts, asOf: asOf)
      var one = OutputBytes()
      format.append(e, line: k + 1, to: &one)
      let text = one.text
      #expect(text == Self.expected[k] + "\n")
      var bytes: [UInt8] = []
      CompactDecisionFormat(e.book, asOf: asOf).append(e, line: k + 1, to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == Self.expected[k] + "\n")
      // One buffer for many lines grows as it must.
      format.append(e, line: k + 1, to: &stream)
      expectedStream += Self.expected[k] + "\n"
    }
    let streamed = stream.text
    #expect(streamed == expectedStream)
  }

  @Test func errorLines() {
    var out = OutputBytes()
    CompactDecisionFormat.appendError("applicant.name: expected text, found \"\u{1}\"", line: 12, to: &out)
    var bytes: [UInt8] = []
    CompactDecisionFormat.appendError("x", line: 3, to: &bytes)
    let text = out.text
    #expect(text == #"{"line":12,"error":"applicant.name: expected text, found \"\u0001\""}"# + "\n")
    #expect(String(decoding: bytes, as: UTF8.self) == #"{"line":3,"error":"x"}"# + "\n")
  }

  @Test func numbersAsTheirDescription() throws {
    let texts = [
      "0", "1", "-1", "0.5", "-0.000000000001", "12.5", "1500.25", "0.05", "100", "1000000", "18446744.073709551615",
      "-18446744.073709551615", "0.100000000001", "9.99", "-3.25",
    ]
    for text in texts {
      let x = try Fixed.parse(text).get()
      var out = OutputBytes()
      let written = out.appendCanonical(x)
      let shown = out.text
      #expect(written && shown == x.description, "\(text)")
    }
    // Beyond 64 bits of units the description is used instead.
    var out = OutputBytes()
    let written = out.appendCanonical(try Fixed.parse("18446744.073709551616").get())
    let count = out.count
    #expect(!written && count == 0)
    for n in [0, 7, 10, 99, 100, 123_456_789, Int.max, -5, Int.min] {
      var out = OutputBytes()
      out.appendInt(n)
      let shown = out.text
      #expect(shown == String(n))
    }
  }
}

extension OutputBytes {
  /// The bytes written, as text.
  var text: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
}
