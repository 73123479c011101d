/// A value known before evaluation: a literal, or an expression folded from literals.
public enum Constant: Sendable, Hashable {
  case bool(Bool)
  /// An int, decimal or percent (percent as its fraction: 18% is 0.18).
  case number(Fixed)
  case money(Money)
  case date(CivilDate)
  case datetime(DateTime)
  case duration(TimeSpan)
  case text(String)

  /// Reads a literal's text into its exact value.
  public static func parse(_ l: Literal) -> Result<Constant, ValueParseError> {
    switch l {
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

/// A fixed UTC offset, the time zone of a rulebook's calendar days (`per_day`).
public enum UTCOffset {
  /// `UTC`, `Z`, `+08:00`, `-05:30` → seconds east of UTC.
  public static func parse(_ text: String) -> Int32? {
    if text == "UTC" || text == "Z" { return 0 }
    let s = Array(text.unicodeScalars)
    guard s.count == 6, s[0] == "+" || s[0] == "-", s[3] == ":",
      let h = Int(String(text.dropFirst().prefix(2))), let m = Int(String(text.suffix(2))),
      s[1].isASCIIDigit, s[2].isASCIIDigit, s[4].isASCIIDigit, s[5].isASCIIDigit, h <= 18, m < 60
    else { return nil }
    let seconds = Int32(h * 3600 + m * 60)
    return s[0] == "-" ? -seconds : seconds
  }
}

extension Result {
  /// The success value, or nil.
  public var ok: Success? {
    if case .success(let v) = self { return v }
    return nil
  }
}
