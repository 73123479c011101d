/// Turns Swift values (`Encodable`) into a YAML node tree, so that facts built in Swift are
/// validated by the same `FactsReader` as facts read from a file.
///
/// Integers and booleans become plain scalars; strings are double-quoted, so `"30"` stays text and
/// `""` stays an empty text rather than null; `nil` becomes null, so an optional fact is missing.
/// `Double` and `Float` are refused: binary floating point is never read as money or rates, so exact
/// decimals travel as strings (`"0.1"`, `"18%"`, `"20000 CNY"`) or integers. Foundation's
/// `Decimal`, which is exact, is written as its decimal text. Dates travel as strings
/// (`"2026-01-01"`). Every generated node has the synthetic span `<swift>:1:1`.
struct FactsEncoder {
  /// The file name of the spans of generated nodes.
  static let file = "<swift>"
  static let span = Span(file: file, start: Position(line: 1, column: 1, offset: 0), end: Position(line: 1, column: 1, offset: 0))

  /// The facts as one mapping of root names to values, or every root's encoding error with its path.
  static func encode(_ facts: [String: any Encodable]) -> Result<YAMLNode, FactsErrors> {
    var pairs: [YAMLPair] = []
    var errors: [FactsError] = []
    for (name, value) in facts.sorted(by: { $0.key < $1.key }) {
      let slot = Slot()
      let path: [any CodingKey] = [NameKey(name)]
      do {
        try encode(value, into: slot, path: path)
        pairs.append(YAMLPair(key: scalar(name, .doubleQuoted), value: slot.node()))
      } catch let error as EncodingError {
        errors.append(describe(error, root: path))
      } catch {
        errors.append(FactsError(path: name, message: "could not be encoded: \(error)", span: span))
      }
    }
    if !errors.isEmpty { return .failure(FactsErrors(errors: errors)) }
    return .success(YAMLNode(kind: .mapping(pairs), span: span))
  }

  /// `applicant.loans[1].rate`, as `FactsReader` names paths.
  static func path(_ keys: [any CodingKey]) -> String {
    var out = ""
    for key in keys {
      if let index = key as? IndexKey {
        out += "[\(index.index)]"
      } else {
        out += out.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return out
  }

  static func describe(_ error: EncodingError, root: [any CodingKey]) -> FactsError {
    switch error {
    case .invalidValue(_, let context):
      let keys = context.codingPath.isEmpty ? root : context.codingPath
      return FactsError(path: path(keys), message: context.debugDescription, span: span)
    @unknown default:
      return FactsError(path: path(root), message: "could not be encoded: \(error)", span: span)
    }
  }

  static func scalar(_ text: String, _ style: ScalarStyle) -> YAMLNode {
    YAMLNode(kind: .scalar(text, style), span: span)
  }

  /// Encodes `value` into `slot`; Foundation's `Decimal` as its exact decimal text.
  static func encode(_ value: some Encodable, into slot: Slot, path: [any CodingKey]) throws {
    let typeName = String(reflecting: type(of: value))
    if typeName == "Foundation.Decimal" || typeName == "FoundationEssentials.Decimal" {
      let text = String(describing: value)
      guard case .success = Fixed.parse(text) else {
        throw EncodingError.invalidValue(
          value, EncodingError.Context(codingPath: path, debugDescription: "the Decimal \(text) is not a number Precept can hold exactly"))
      }
      slot.set(text, .plain)
      return
    }
    try value.encode(to: ValueEncoder(slot: slot, codingPath: path))
  }

  static func refuseFloat(_ value: some BinaryFloatingPoint & CustomStringConvertible, path: [any CodingKey]) -> EncodingError {
    let type = value is Float ? "Float" : "Double"
    return EncodingError.invalidValue(
      value,
      EncodingError.Context(
        codingPath: path,
        debugDescription: "the \(type) \(value) is refused; use a String such as \"0.1\" or an Int: binary floating point is never read as money or rates"
      ))
  }
}

/// A node being built; containers fill it in place, so nested containers may be written later.
final class Slot {
  enum Kind { case unset, scalar, sequence, mapping }

  var kind = Kind.unset
  var text = ""
  var style = ScalarStyle.plain
  var items: [Slot] = []
  /// Mapping keys in the order first written, and their values.
  var keys: [String] = []
  var values: [String: Slot] = [:]

  /// Makes this slot a scalar (a value encoded again replaces the first).
  func set(_ text: String, _ style: ScalarStyle) {
    kind = .scalar
    self.text = text
    self.style = style
  }

  /// The finished node. A value that encoded nothing is an empty mapping, as in JSON.
  func node() -> YAMLNode {
    switch kind {
    case .unset:
      return YAMLNode(kind: .mapping([]), span: FactsEncoder.span)
    case .scalar:
      return FactsEncoder.scalar(text, style)
    case .sequence:
      return YAMLNode(kind: .sequence(items.map { $0.node() }), span: FactsEncoder.span)
    case .mapping:
      let pairs = keys.compactMap { k in values[k].map { YAMLPair(key: FactsEncoder.scalar(k, .doubleQuoted), value: $0.node()) } }
      return YAMLNode(kind: .mapping(pairs), span: FactsEncoder.span)
    }
  }

  /// The slot for `key`, made a mapping first if it is not one. Encoding a key again replaces its value.
  func child(_ key: String) -> Slot {
    makeMapping()
    let slot = Slot()
    if values.updateValue(slot, forKey: key) == nil { keys.append(key) }
    return slot
  }

  /// A new slot at the end of the list, made a list first if it is not one.
  func append() -> Slot {
    makeSequence()
    let slot = Slot()
    items.append(slot)
    return slot
  }

  func makeMapping() {
    if kind != .mapping {
      kind = .mapping
      keys = []
      values = [:]
    }
  }

  func makeSequence() {
    if kind != .sequence {
      kind = .sequence
      items = []
    }
  }

  var count: Int { kind == .sequence ? items.count : 0 }
}

/// A root name, the first key of every coding path.
struct NameKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// A list position in a coding path, written `[k]`.
struct IndexKey: CodingKey {
  var index: Int
  var stringValue: String { "[\(index)]" }
  var intValue: Int? { index }
  init(_ index: Int) { self.index = index }
  init?(stringValue: String) { nil }
  init?(intValue: Int) { index = intValue }
}

struct ValueEncoder: Encoder {
  let slot: Slot
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    slot.makeMapping()
    return KeyedEncodingContainer(KeyedFacts<Key>(slot: slot, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    slot.makeSequence()
    return UnkeyedFacts(slot: slot, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleFacts(slot: slot, codingPath: codingPath)
  }
}

struct KeyedFacts<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let slot: Slot
  let codingPath: [any CodingKey]

  private func set(_ key: Key, _ text: String, _ style: ScalarStyle = .plain) {
    slot.child(key.stringValue).set(text, style)
  }

  mutating func encodeNil(forKey key: Key) throws { set(key, "null") }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, value ? "true" : "false") }
  mutating func encode(_ value: String, forKey key: Key) throws { set(key, value, .doubleQuoted) }
  mutating func encode(_ value: Double, forKey key: Key) throws { throw FactsEncoder.refuseFloat(value, path: codingPath + [key]) }
  mutating func encode(_ value: Float, forKey key: Key) throws { throw FactsEncoder.refuseFloat(value, path: codingPath + [key]) }
  mutating func encode(_ value: Int, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: Int128, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, String(value)) }
  mutating func encode(_ value: UInt128, forKey key: Key) throws { set(key, String(value)) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try FactsEncoder.encode(value, into: slot.child(key.stringValue), path: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    let child = slot.child(key.stringValue)
    child.makeMapping()
    return KeyedEncodingContainer(KeyedFacts<NestedKey>(slot: child, codingPath: codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = slot.child(key.stringValue)
    child.makeSequence()
    return UnkeyedFacts(slot: child, codingPath: codingPath + [key])
  }

  mutating func superEncoder() -> any Encoder {
    let key = NameKey("super")
    return ValueEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key])
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    ValueEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key])
  }
}

struct UnkeyedFacts: UnkeyedEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]
  var count: Int { slot.count }

  private func add(_ text: String, _ style: ScalarStyle = .plain) {
    slot.append().set(text, style)
  }

  private var nextPath: [any CodingKey] { codingPath + [IndexKey(count)] }

  mutating func encodeNil() throws { add("null") }
  mutating func encode(_ value: Bool) throws { add(value ? "true" : "false") }
  mutating func encode(_ value: String) throws { add(value, .doubleQuoted) }
  mutating func encode(_ value: Double) throws { throw FactsEncoder.refuseFloat(value, path: nextPath) }
  mutating func encode(_ value: Float) throws { throw FactsEncoder.refuseFloat(value, path: nextPath) }
  mutating func encode(_ value: Int) throws { add(String(value)) }
  mutating func encode(_ value: Int8) throws { add(String(value)) }
  mutating func encode(_ value: Int16) throws { add(String(value)) }
  mutating func encode(_ value: Int32) throws { add(String(value)) }
  mutating func encode(_ value: Int64) throws { add(String(value)) }
  mutating func encode(_ value: Int128) throws { add(String(value)) }
  mutating func encode(_ value: UInt) throws { add(String(value)) }
  mutating func encode(_ value: UInt8) throws { add(String(value)) }
  mutating func encode(_ value: UInt16) throws { add(String(value)) }
  mutating func encode(_ value: UInt32) throws { add(String(value)) }
  mutating func encode(_ value: UInt64) throws { add(String(value)) }
  mutating func encode(_ value: UInt128) throws { add(String(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    let path = nextPath
    try FactsEncoder.encode(value, into: slot.append(), path: path)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let path = nextPath
    let child = slot.append()
    child.makeMapping()
    return KeyedEncodingContainer(KeyedFacts<NestedKey>(slot: child, codingPath: path))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let path = nextPath
    let child = slot.append()
    child.makeSequence()
    return UnkeyedFacts(slot: child, codingPath: path)
  }

  mutating func superEncoder() -> any Encoder {
    let path = nextPath
    return ValueEncoder(slot: slot.append(), codingPath: path)
  }
}

struct SingleFacts: SingleValueEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]

  private func set(_ text: String, _ style: ScalarStyle = .plain) { slot.set(text, style) }

  mutating func encodeNil() throws { set("null") }
  mutating func encode(_ value: Bool) throws { set(value ? "true" : "false") }
  mutating func encode(_ value: String) throws { set(value, .doubleQuoted) }
  mutating func encode(_ value: Double) throws { throw FactsEncoder.refuseFloat(value, path: codingPath) }
  mutating func encode(_ value: Float) throws { throw FactsEncoder.refuseFloat(value, path: codingPath) }
  mutating func encode(_ value: Int) throws { set(String(value)) }
  mutating func encode(_ value: Int8) throws { set(String(value)) }
  mutating func encode(_ value: Int16) throws { set(String(value)) }
  mutating func encode(_ value: Int32) throws { set(String(value)) }
  mutating func encode(_ value: Int64) throws { set(String(value)) }
  mutating func encode(_ value: Int128) throws { set(String(value)) }
  mutating func encode(_ value: UInt) throws { set(String(value)) }
  mutating func encode(_ value: UInt8) throws { set(String(value)) }
  mutating func encode(_ value: UInt16) throws { set(String(value)) }
  mutating func encode(_ value: UInt32) throws { set(String(value)) }
  mutating func encode(_ value: UInt64) throws { set(String(value)) }
  mutating func encode(_ value: UInt128) throws { set(String(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try FactsEncoder.encode(value, into: slot, path: codingPath)
  }
}

extension CompiledRulebook {
  /// Facts from Swift values: `[rootName: Encodable]`, e.g. `["applicant": applicant]`, validated
  /// against this rulebook's schema. Write decimals, percentages and amounts as strings
  /// (`"0.1"`, `"18%"`, `"20000 CNY"`) or integers, dates as `"2026-01-01"`, enum cases as their
  /// names (a `String` raw value); `Double` and `Float` are refused.
  public func values(from facts: [String: any Encodable]) -> Result<[Value], FactsErrors> {
    FactsEncoder.encode(facts).flatMap { FactsReader.read($0, plan: FactsPlan(roots), textNumbers: true) }
  }
}
