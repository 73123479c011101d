import Precept

/// The canonical JSON the log hashes: object keys sorted by their Unicode scalars, no spaces.
/// Facts given as YAML and as JSON have the same canonical form when they say the same thing: a
/// plain scalar that is a JSON number is a number, `true`/`false` a bool, `null` (and YAML's other
/// nulls) null, anything else (and everything quoted) text.
public enum CanonicalJSON {
  /// `j` with every object's keys sorted.
  public static func sorted(_ j: JSON) -> JSON {
    switch j {
    case .array(let xs): return .array(xs.map(sorted))
    case .object(let fields): return .object(fields.map { ($0.0, sorted($0.1)) }.sorted { before($0.0, $1.0) })
    default: return j
    }
  }

  /// A parsed facts document (or any JSON read by the library's strict reader) as canonical JSON.
  public static func json(_ node: YAMLNode) -> JSON {
    switch node.kind {
    case .scalar(let text, let style):
      guard style == .plain, node.tag == nil else { return .string(text) }
      if node.isNull { return .null }
      if text == "true" { return .bool(true) }
      if text == "false" { return .bool(false) }
      return isNumber(text) ? .number(text) : .string(text)
    case .sequence(let items): return .array(items.map(json))
    case .mapping(let pairs): return .object(pairs.map { ($0.name, json($0.value)) }.sorted { before($0.0, $1.0) })
    }
  }

  static func before(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
  }

  /// JSON's number syntax: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
  static func isNumber(_ text: String) -> Bool {
    let b = Array(text.utf8)
    var i = 0
    func digits() -> Int {
      let start = i
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
      return i - start
    }
    if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
    guard i < b.count else { return false }
    if b[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { return false }
    if i < b.count, b[i] == UInt8(ascii: ".") {
      i += 1
      if digits() == 0 { return false }
    }
    if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
      i += 1
      if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
      if digits() == 0 { return false }
    }
    return i == b.count
  }
}
