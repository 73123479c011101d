import Testing

@testable import Precept

/// The one JSON writer (`JSON.bytes(pretty:)`, and `serialized` over it): exact text, compact and
/// indented, for every kind of value and every character that must be escaped.
@Suite struct JSONWriterTests {
  static let tricky = JSON.object([
    ("a\"\\\n\t\u{1}", .array([.null, .bool(true), .bool(false), .number("-1.5e3"), .string("保本\u{7F}\r😀")])),
    ("", .object([])), ("e", .array([])),
  ])

  @Test func compact() {
    #expect(Self.tricky.serialized() == #"{"a\"\\\n\t\u0001":[null,true,false,-1.5e3,"保本\#u{7F}\r😀"],"":{},"e":[]}"#)
    #expect(Self.tricky.bytes() == Array(Self.tricky.serialized().utf8))
  }

  @Test func pretty() {
    #expect(Self.tricky.serialized(pretty: true) == """
      {
        "a\\"\\\\\\n\\t\\u0001": [
          null,
          true,
          false,
          -1.5e3,
          "保本\u{7F}\\r😀"
        ],
        "": {},
        "e": []
      }
      """)
  }

  @Test func escapingIntoText() {
    var s = "x="
    JSON.escape("say \"保本\"\n", into: &s)
    #expect(s == #"x="say \"保本\"\n""#)
  }
}
