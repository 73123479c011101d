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

  /// `serialized(pretty:)` as UTF-8 bytes, written straight into them (the one JSON writer: a
  /// `String` built a scalar at a time cost half of a traced `check`'s time).
  public func bytes(pretty: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(into: &out, pretty: pretty, indent: 0)
    return out
  }

  private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
    func newline(_ level: Int) {
      guard pretty else { return }
      out.append(0x0A)
      out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.utf8)
    case .string(let s): JSON.escape(s, into: &out)
    case .array(let xs):
      out.append(UInt8(ascii: "["))
      for (k, x) in xs.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        x.write(into: &out, pretty: pretty, indent: indent + 1)
      }
      if !xs.isEmpty { newline(indent) }
      out.append(UInt8(ascii: "]"))
    case .object(let fields):
      out.append(UInt8(ascii: "{"))
      for (k, (key, value)) in fields.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        JSON.escape(key, into: &out)
        out.append(UInt8(ascii: ":"))
        if pretty { out.append(UInt8(ascii: " ")) }
        value.write(into: &out, pretty: pretty, indent: indent + 1)
      }
      if !fields.isEmpty { newline(indent) }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Writes `s` as a JSON string literal into UTF-8 bytes (the streaming writers' form).
  public static func escape(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most text needs no escaping: copy it in one go.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      out.append(contentsOf: s.utf8)
    } else {
      for b in s.utf8 {
        switch b {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20:
          let hex = String(b, radix: 16)
          out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        default: out.append(b)
        }
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Writes `s` as a JSON string literal.
  public static func escape(_ s: String, into out: inout String) {
    var bytes: [UInt8] = []
    escape(s, into: &bytes)
    out += String(decoding: bytes, as: UTF8.self)
  }
}
