extension Literal {
  /// The literal's exact value, or why its text is not one (`1.0000000000000001`, `2026-02-30`).
  public var value: Result<Value, ValueParseError> {
    switch self {
    case .int(let t), .decimal(let t): Fixed.parse(t).map { .number($0) }
    case .percent(let t): PercentLiteral.parse(t).map { .number($0) }
    case .money(let a, let c): Money.parse(a + " " + c).map { .money($0) }
    case .date(let t): CivilDate.parse(t).map { .date($0) }
    case .datetime(let t): DateTime.parse(t).map { .datetime($0) }
    case .duration(let t): TimeSpan.parse(t).map { .duration($0) }
    case .string(let s): .success(.text(s))
    case .bool(let b): .success(.bool(b))
    }
  }
}

extension BinaryOp {
  /// The operator as arithmetic on values, if it is one.
  var arithmetic: ArithmeticOperator? {
    switch self {
    case .add: .add
    case .sub: .sub
    case .mul: .mul
    case .div: .div
    case .rem: .rem
    default: nil
    }
  }
}
