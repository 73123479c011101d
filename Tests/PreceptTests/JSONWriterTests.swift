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

  /// The escaping as JSON defines it, a byte at a time: what the eight-bytes-at-a-time scan must give.
  static func reference(_ s: String) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
      case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
      case 0x0A: out += Array(#"\n"#.utf8)
      case 0x0D: out += Array(#"\r"#.utf8)
      case 0x09: out += Array(#"\t"#.utf8)
      case 0..<0x20: out += Array(("\\u00" + (b < 0x10 ? "0" : "") + String(b, radix: 16)).utf8)
      default: out.append(b)
      }
    }
    return out + [UInt8(ascii: "\"")]
  }

  /// Random text of every length up to 80 (so every position of a special byte in and across
  /// eight-byte words), drawn mostly from the bytes next to the ones that must be escaped.
  @Test func escapingAgreesWithTheDefinition() {
    var rng = SplitMix(seed: 0x5EED_1234)
    let alphabet: [Character] = ["a", " ", "!", "\"", "#", "[", "\\", "]", "\u{0}", "\u{1F}", "\n", "\t", "\r", "\u{7F}", "保", "😀", "é", "~"]
    for _ in 0..<20_000 {
      let n = Int(rng.next() % 81)
      let s = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
      var out: [UInt8] = []
      JSON.escape(s, into: &out)
      #expect(out == Self.reference(s), "\(Array(s.utf8))")
    }
  }

  /// One document as tokens, for both sinks.
  static func emit<S: JSONSink>(_ s: inout S) {
    s.beginObject()
    s.key("a")
    s.beginArray()
    s.int(1)
    s.string("x\n")
    s.null()
    s.bool(true)
    s.beginArray()
    s.endArray()
    s.endArray()
    s.key("b")
    s.beginObject()
    s.endObject()
    s.member("c", nil)
    s.member("d", "保本")
    s.key("e")
    s.value(tricky)
    s.endObject()
  }

  /// The tree builder and the byte writer read the same tokens: the tree the builder makes,
  /// written out, is the writer's bytes, compact and indented.
  @Test func builderAndWriterAgree() {
    let tree = JSONBuilder.build { Self.emit(&$0) }
    for pretty in [false, true] {
      var w = JSONWriter(pretty: pretty)
      Self.emit(&w)
      #expect(w.bytes == tree.bytes(pretty: pretty))
    }
    #expect(tree.serialized().hasPrefix(#"{"a":[1,"x\n",null,true,[]],"b":{},"c":null,"d":"保本","e":{"a\"#))
  }
}

/// A small deterministic generator (SplitMix64) for the property tests here.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
