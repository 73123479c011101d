/// Where JSON goes as it is produced, one token at a time: straight into bytes (`JSONWriter`) or
/// into a `JSON` tree (`JSONBuilder`). A document is written once, against this protocol, and
/// specialised for each sink at compile time; so the bytes a service sends and the tree a test
/// reads come from the same code.
public protocol JSONSink {
  mutating func beginObject()
  /// The next member's key (its value follows).
  mutating func key(_ k: String)
  mutating func endObject()
  mutating func beginArray()
  mutating func endArray()
  mutating func string(_ s: String)
  /// A number, written exactly as given.
  mutating func number(_ n: String)
  mutating func bool(_ b: Bool)
  mutating func null()
  /// A whole value already built as a tree.
  mutating func value(_ j: JSON)
}

extension JSONSink {
  public mutating func int(_ i: Int) { number(String(i)) }

  /// A member: its key and a string value, or `null` when there is none.
  public mutating func member(_ k: String, _ s: String?) {
    key(k)
    if let s { string(s) } else { null() }
  }

  /// A tree, token by token.
  public mutating func value(_ j: JSON) {
    switch j {
    case .null: null()
    case .bool(let b): bool(b)
    case .number(let n): number(n)
    case .string(let s): string(s)
    case .array(let xs):
      beginArray()
      for x in xs { value(x) }
      endArray()
    case .object(let fields):
      beginObject()
      for (k, v) in fields {
        key(k)
        value(v)
      }
      endObject()
    }
  }
}

/// JSON written straight into UTF-8 bytes: compact, or indented by two spaces when `pretty` (the one
/// JSON writer: `JSON.bytes(pretty:)` writes through it too).
public struct JSONWriter: JSONSink {
  public var bytes: [UInt8]
  let pretty: Bool
  /// Whether the innermost open object or array has a member or item already (it needs a comma
  /// before the next), and the same for each one around it.
  private var hasItems = false
  private var outer: [Bool] = []
  /// A key was just written: its value needs no separator.
  private var afterKey = false

  public init(pretty: Bool = false, capacity: Int = 4096) {
    self.pretty = pretty
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// The comma and (pretty) line break that come before a member or an item.
  private mutating func separate() {
    if afterKey {
      afterKey = false
      return
    }
    guard !outer.isEmpty else { return }
    if hasItems { bytes.append(UInt8(ascii: ",")) }
    hasItems = true
    if pretty { newline(outer.count) }
  }

  private mutating func newline(_ level: Int) {
    bytes.append(0x0A)
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
  }

  private mutating func open(_ c: UInt8) {
    separate()
    bytes.append(c)
    outer.append(hasItems)
    hasItems = false
  }

  private mutating func close(_ c: UInt8) {
    let had = hasItems
    hasItems = outer.popLast() ?? false
    if had && pretty { newline(outer.count) }
    bytes.append(c)
  }

  public mutating func beginObject() { open(UInt8(ascii: "{")) }

  public mutating func key(_ k: String) {
    separate()
    JSON.escape(k, into: &bytes)
    bytes.append(UInt8(ascii: ":"))
    if pretty { bytes.append(UInt8(ascii: " ")) }
    afterKey = true
  }

  public mutating func endObject() { close(UInt8(ascii: "}")) }

  public mutating func beginArray() { open(UInt8(ascii: "[")) }

  public mutating func endArray() { close(UInt8(ascii: "]")) }

  public mutating func string(_ s: String) {
    separate()
    JSON.escape(s, into: &bytes)
  }

  public mutating func number(_ n: String) {
    separate()
    bytes.append(contentsOf: n.utf8)
  }

  public mutating func bool(_ b: Bool) {
    separate()
    bytes.append(contentsOf: (b ? "true" : "false").utf8)
  }

  public mutating func null() {
    separate()
    bytes.append(contentsOf: "null".utf8)
  }
}

/// JSON built as a tree, token by token.
public struct JSONBuilder: JSONSink {
  private enum Frame {
    case array([JSON])
    case object([(String, JSON)], key: String)
  }
  private var frames: [Frame] = []
  /// The finished value (`null` until one is complete).
  public private(set) var result: JSON = .null

  public init() {}

  private mutating func add(_ j: JSON) {
    switch frames.popLast() {
    case nil: result = j
    case .array(var xs)?:
      xs.append(j)
      frames.append(.array(xs))
    case .object(var fields, let k)?:
      fields.append((k, j))
      frames.append(.object(fields, key: ""))
    }
  }

  public mutating func beginObject() { frames.append(.object([], key: "")) }

  public mutating func key(_ k: String) {
    if case .object(let fields, _)? = frames.popLast() { frames.append(.object(fields, key: k)) }
  }

  public mutating func endObject() {
    if case .object(let fields, _)? = frames.popLast() { add(.object(fields)) }
  }

  public mutating func beginArray() { frames.append(.array([])) }

  public mutating func endArray() {
    if case .array(let xs)? = frames.popLast() { add(.array(xs)) }
  }

  public mutating func string(_ s: String) { add(.string(s)) }
  public mutating func number(_ n: String) { add(.number(n)) }
  public mutating func bool(_ b: Bool) { add(.bool(b)) }
  public mutating func null() { add(.null) }
  public mutating func value(_ j: JSON) { add(j) }

  /// The tree `write` produces.
  public static func build(_ write: (inout JSONBuilder) -> Void) -> JSON {
    var b = JSONBuilder()
    write(&b)
    return b.result
  }
}
