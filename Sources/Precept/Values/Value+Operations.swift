/// The operations of values, in one place: the evaluator computes with them, and the checker
/// folds constants with them, so a constant and the same expression over facts always agree.
extension Value {
  /// -1, 0 or 1, or nil when the two cannot be ordered (a missing side, different currencies,
  /// values of different kinds).
  public static func order(_ a: Value, _ b: Value) -> Int? {
    func o<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.number(let x), .number(let y)): return o(x, y)
    case (.money(let x), .money(let y)): return x.currency == y.currency ? o(x.amount, y.amount) : nil
    // Zero has no currency: the sum of no fees compares with any amount.
    case (.number(let x), .money(let y)) where x == .zero: return o(x, y.amount)
    case (.money(let x), .number(let y)) where y == .zero: return o(x.amount, y)
    case (.date(let x), .date(let y)): return o(x, y)
    case (.datetime(let x), .datetime(let y)): return o(x, y)
    case (.duration(let x), .duration(let y)): return try? x.compare(y)
    case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.enumCase(let x), .enumCase(let y)): return o(x, y)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
    default: return nil
    }
  }

  /// Equality with missing propagating: nil when either side is missing.
  static func equal(_ a: Value, _ b: Value) -> Bool? {
    if a.isMissing || b.isMissing { return nil }
    if let c = order(a, b) { return c == 0 }
    return a == b
  }

  /// Whether `x` equals an item of `xs`, by Kleene logic: true when one is equal; unknown (nil) when
  /// none is but some comparison is unknown (a missing item); false otherwise.
  static func membership(_ x: Value, in xs: [Value]) -> Bool? {
    var unknown = false
    for y in xs {
      switch equal(x, y) {
      case true?: return true
      case false?: continue
      case nil: unknown = true
      }
    }
    return unknown ? nil : false
  }

  /// `a op b` for two present values: nil when the operator does not apply to them (text times
  /// money), an error when it applies but fails (overflow, division by zero, two currencies).
  static func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value) throws(ArithmeticError) -> Value? {
    switch (op, a, b) {
    case (.add, .number(let x), .number(let y)): return .number(try x.adding(y))
    case (.sub, .number(let x), .number(let y)): return .number(try x.subtracting(y))
    case (.mul, .number(let x), .number(let y)): return .number(try x.multiplied(by: y))
    case (.div, .number(let x), .number(let y)): return .number(try x.divided(by: y))
    case (.rem, .number(let x), .number(let y)): return .number(try x.remainder(dividingBy: y))
    case (.add, .money(let x), .number(let z)) where z == .zero: return .money(x)
    case (.add, .number(let z), .money(let x)) where z == .zero: return .money(x)
    case (.sub, .money(let x), .number(let z)) where z == .zero: return .money(x)
    case (.add, .money(let x), .money(let y)): return .money(try x.adding(y))
    case (.sub, .money(let x), .money(let y)): return .money(try x.subtracting(y))
    case (.mul, .money(let x), .number(let y)), (.mul, .number(let y), .money(let x)): return .money(try x.multiplied(by: y))
    case (.div, .money(let x), .number(let y)): return .money(try x.divided(by: y))
    case (.div, .money(let x), .money(let y)): return .number(try x.ratio(to: y))
    case (.add, .date(let d), .duration(let s)), (.add, .duration(let s), .date(let d)): return .date(try d.adding(s))
    case (.sub, .date(let d), .duration(let s)): return .date(try d.adding(s.negated))
    case (.add, .datetime(let d), .duration(let s)): return .datetime(try d.adding(s))
    case (.sub, .datetime(let d), .duration(let s)): return .datetime(try d.adding(s.negated))
    case (.sub, .date(let x), .date(let y)): return .duration(TimeSpan(seconds: Int64(y.days(to: x)) * 86_400))
    case (.sub, .datetime(let x), .datetime(let y)):
      let (s, overflow) = x.seconds.subtractingReportingOverflow(y.seconds)
      if overflow { throw .overflow }
      return .duration(TimeSpan(seconds: s))
    case (.add, .duration(let x), .duration(let y)): return .duration(try x.adding(y))
    case (.sub, .duration(let x), .duration(let y)): return .duration(try x.subtracting(y))
    case (.mul, .duration(let x), .number(let n)), (.mul, .number(let n), .duration(let x)):
      guard let k = n.intValue else { throw .overflow }
      return .duration(try x.multiplied(by: k))
    case (.add, .text(let x), .text(let y)): return .text(x + y)
    default: return nil
    }
  }

  /// `-x`, nil when x is not a number, an amount or a duration.
  static func negated(_ x: Value) -> Value? {
    switch x {
    case .number(let n): .number(n.negated)
    case .money(let m): .money(m.negated)
    case .duration(let d): .duration(d.negated)
    default: nil
    }
  }
}

/// The arithmetic operators: `+`, `-`, `*`, `/`, `%`.
enum ArithmeticOperator: Sendable {
  case add, sub, mul, div, rem
}
