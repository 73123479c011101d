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
    var out = ""
    write(into: &out, pretty: pretty, indent: 0)
    return out
  }

  private func write(into out: inout String, pretty: Bool, indent: Int) {
    let nl = pretty ? "\n" : ""
    let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
    let close = pretty ? String(repeating: "  ", count: indent) : ""
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n
    case .string(let s): JSON.escape(s, into: &out)
    case .array(let xs):
      if xs.isEmpty {
        out += "[]"
        return
      }
      out += "[" + nl
      for (k, x) in xs.enumerated() {
        out += pad
        x.write(into: &out, pretty: pretty, indent: indent + 1)
        out += (k < xs.count - 1 ? "," : "") + nl
      }
      out += close + "]"
    case .object(let fields):
      if fields.isEmpty {
        out += "{}"
        return
      }
      out += "{" + nl
      for (k, (key, value)) in fields.enumerated() {
        out += pad
        JSON.escape(key, into: &out)
        out += pretty ? ": " : ":"
        value.write(into: &out, pretty: pretty, indent: indent + 1)
        out += (k < fields.count - 1 ? "," : "") + nl
      }
      out += close + "}"
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
    out += "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if c.value < 0x20 {
          let hex = String(c.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(c)
        }
      }
    }
    out += "\""
  }
}
