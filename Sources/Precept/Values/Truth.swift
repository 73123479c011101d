/// A truth value of Kleene's three-valued logic: a condition over facts that are missing is
/// `unknown`, and `unknown` is never taken for `no`. The one definition of `and`, `or` and `not`
/// that the evaluator, the constant folder and decision tables share.
enum Truth: UInt8, Sendable {
  case no = 0
  case yes = 1
  case unknown = 2

  init(_ b: Bool) { self = b ? .yes : .no }

  /// A value's truth: `unknown` unless it is a boolean.
  init(_ v: Value) {
    if case .bool(let b) = v { self = b ? .yes : .no } else { self = .unknown }
  }

  /// `Bool?` as a truth: nil is `unknown`.
  init(_ b: Bool?) {
    switch b {
    case true?: self = .yes
    case false?: self = .no
    case nil: self = .unknown
    }
  }

  /// `no` wins over `unknown`.
  func and(_ other: Truth) -> Truth {
    if self == .no || other == .no { return .no }
    return self == .yes && other == .yes ? .yes : .unknown
  }

  /// `yes` wins over `unknown`.
  func or(_ other: Truth) -> Truth {
    if self == .yes || other == .yes { return .yes }
    return self == .no && other == .no ? .no : .unknown
  }

  var not: Truth {
    switch self {
    case .no: .yes
    case .yes: .no
    case .unknown: .unknown
    }
  }

  /// The truth as a `Bool`, nil when unknown.
  var bool: Bool? {
    switch self {
    case .no: false
    case .yes: true
    case .unknown: nil
    }
  }

  /// The truth as a value: a boolean, or missing.
  var value: Value {
    switch self {
    case .no: .bool(false)
    case .yes: .bool(true)
    case .unknown: .missing
    }
  }
}
