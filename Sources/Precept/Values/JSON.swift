/// A JSON value whose object keys keep the order they were written in, so output is
/// byte-identical from run to run and fields appear in the documented order.
public indirect enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number written exactly as given (decimals are never routed through `Double`).
  case number(String)
  case string(String)
  case array([JSON])
  case object([(String, JSON)])

  /// Equal when the two serialize to the same text.
  public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

  /// A JSON number from an integer.
  public static func int(_ i: Int) -> JSON { .number(String(i)) }

  /// Compact JSON, or indented by two spaces when `pretty`.
  public func serialized(pretty: Bool = false) -> String {
    String(decoding: bytes(pretty: pretty), as: UTF8.self)
  }

  /// `serialized(pretty:)` as UTF-8 bytes, written straight into them by `JSONWriter` (a `String`
  /// built a scalar at a time cost half of a traced `check`'s time).
  public func bytes(pretty: Bool = false) -> [UInt8] {
    var w = JSONWriter(pretty: pretty)
    w.value(self)
    return w.bytes
  }

  /// Writes `s` as a JSON string literal into UTF-8 bytes (the streaming writers' form).
  public static func escape(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { escape(utf8: $0, into: &out) }
  }

  /// Writes UTF-8 text as a JSON string literal: the runs that need no escaping (most text) are
  /// copied whole, and `"`, `\\` and control characters are escaped between them. The runs are
  /// found eight bytes at a time.
  public static func escape(utf8 text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    if let base = text.baseAddress {
      let n = text.count
      var run = 0
      var i = 0
      while i < n {
        if i + 8 <= n, plain(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
          i += 8
          continue
        }
        let b = base[i]
        i += 1
        if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { continue }
        out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: i - 1 - run))
        run = i
        out.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
          let hex: [UInt8] = Array("0123456789abcdef".utf8)
          out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: n - run))
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Whether none of the eight bytes of `w` needs escaping: none is below 0x20, `"` or `\\`
  /// (each test is exact about whether some byte matches).
  @inline(__always)
  static func plain(_ w: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let quote = w ^ (ones &* 0x22)
    let backslash = w ^ (ones &* 0x5C)
    let hits = ((w &- ones &* 0x20) & ~w) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
    return hits & (ones &* 0x80) == 0
  }

  /// Writes `s` as a JSON string literal.
  public static func escape(_ s: String, into out: inout String) {
    var bytes: [UInt8] = []
    escape(s, into: &bytes)
    out += String(decoding: bytes, as: UTF8.self)
  }
}
