/// The type of a fact, a definition or a sub-expression.
public indirect enum ValueType: Sendable, Hashable {
  case bool, int, decimal, percent
  /// Money; the currency when the checker knows it (from a literal or a `money(CNY)` field).
  case money(String?)
  case date, datetime, duration, text
  case enumeration(EnumType)
  case list(ValueType)
  case record(RecordType)
  /// May be missing (`T?`).
  case optional(ValueType)
  /// The element type of an empty list literal: fits any list.
  case nothing
  /// The type of an expression that already failed to check; accepted everywhere so one
  /// mistake is reported once.
  case error

  /// The type without its `?`.
  public var unwrapped: ValueType {
    if case .optional(let t) = self { return t.unwrapped }
    return self
  }

  /// Whether the type is `T?`.
  public var isOptional: Bool {
    if case .optional = self { return true }
    return false
  }

  /// `T?` for any `T` (never `T??`).
  public var asOptional: ValueType {
    switch self {
    case .optional, .error: self
    default: .optional(self)
    }
  }

  /// Whether the type is a number in the plain sense: int, decimal or percent.
  public var isNumeric: Bool {
    switch unwrapped {
    case .int, .decimal, .percent, .error: true
    default: false
    }
  }

  /// Whether the type stands for an expression that already failed to check.
  public var isError: Bool {
    if case .error = unwrapped { return true }
    return false
  }

  /// The element type, for lists.
  public var element: ValueType? {
    switch unwrapped {
    case .list(let e): e
    case .error: .error
    default: nil
    }
  }
}

/// An enumeration: a closed set of case names, written `enum(C1, C2, C3)`.
public struct EnumType: Sendable, Hashable {
  /// The case names, in the order written.
  public var cases: [String]
  /// An enumeration of `cases`.
  public init(_ cases: [String]) { self.cases = cases }
}

/// A record: named fields in the order written.
public struct RecordType: Sendable, Hashable {
  /// The fields, in the order written.
  public var fields: [Field]
  /// A record of `fields`.
  public init(_ fields: [Field]) { self.fields = fields }

  /// The type of the field called `name`, if the record has one.
  public func field(_ name: String) -> ValueType? { fields.first { $0.name == name }?.type }
}

/// A named, typed field of a record.
public struct Field: Sendable, Hashable {
  /// The field's name.
  public var name: String
  /// The field's type.
  public var type: ValueType
  /// A field called `name` of `type`.
  public init(name: String, type: ValueType) {
    self.name = name
    self.type = type
  }
}

extension ValueType: CustomStringConvertible {
  /// The type as an author writes it in a schema.
  public var description: String {
    switch self {
    case .bool: "bool"
    case .int: "int"
    case .decimal: "decimal"
    case .percent: "percent"
    case .money(let c): c.map { "money(\($0))" } ?? "money"
    case .date: "date"
    case .datetime: "datetime"
    case .duration: "duration"
    case .text: "text"
    case .enumeration(let e): "enum(" + e.cases.joined(separator: ", ") + ")"
    case .list(let t): "list(\(t))"
    case .record(let r): "record(" + r.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ")"
    case .optional(let t): "\(t)?"
    case .nothing: "nothing"
    case .error: "unknown"
    }
  }

  /// A short name for messages: enums with many cases are abbreviated.
  public var brief: String {
    switch self {
    case .enumeration(let e) where e.cases.count > 4:
      "enum(" + e.cases.prefix(3).joined(separator: ", ") + ", …)"
    case .record: "record"
    case .list(let t): "list(\(t.brief))"
    case .optional(let t): "\(t.brief)?"
    default: description
    }
  }
}
