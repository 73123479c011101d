import Precept

extension JSON {
  /// Compact JSON written straight into UTF-8 bytes: byte for byte what `serialized()` writes,
  /// without building a `String` a scalar at a time (that was half the CPU time of a `/v1/check`,
  /// whose decisions with traces run to tens of kilobytes).
  func compactBytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(into: &out)
    return out
  }

  private func write(into out: inout [UInt8]) {
    switch self {
    case .null: out += [0x6E, 0x75, 0x6C, 0x6C]  // null
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.utf8)
    case .string(let s): JSON.escape(s, into: &out)
    case .array(let xs):
      out.append(UInt8(ascii: "["))
      for (k, x) in xs.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        x.write(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let fields):
      out.append(UInt8(ascii: "{"))
      for (k, (key, value)) in fields.enumerated() {
        if k > 0 { out.append(UInt8(ascii: ",")) }
        JSON.escape(key, into: &out)
        out.append(UInt8(ascii: ":"))
        value.write(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}

extension JSON {
  /// `serialized()` by way of `compactBytes()`.
  var compactText: String { String(decoding: compactBytes(), as: UTF8.self) }
}
