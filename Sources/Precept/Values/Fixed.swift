/// An exact decimal with 12 fractional digits, stored as a count of 10⁻¹² units.
/// Money and rates are computed in this type so that `0.1 + 0.2 == 0.3` and no step ever traps.
/// The range is symmetric (±`Int128.max` units), so negation and magnitude are always defined.
public struct Fixed: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Digits kept after the decimal point.
  public static let scale = 12
  /// The value in units of 10⁻¹²; canonical, because the scale is fixed. Read-only, to keep the range symmetric.
  public let units: Int128

  /// Units in one whole: 10¹².
  static let unitsPerWhole: Int128 = 1_000_000_000_000
  static let unitsPerWholeMagnitude: UInt128 = 1_000_000_000_000
  /// The largest magnitude a result may have, in units.
  static let maximumMagnitude: UInt128 = UInt128(Int128.max)

  /// A value from its raw units. `units` must not be `Int128.min` (outside the symmetric range).
  public init(units: Int128) {
    precondition(units != .min, "Fixed units must lie in -Int128.max...Int128.max")
    self.units = units
  }

  /// Never overflows: `Int.max × 10¹²` fits easily.
  public init(_ int: Int) {
    units = Int128(int) * Fixed.unitsPerWhole
  }

  /// Zero.
  public static let zero = Fixed(units: 0)
  /// One.
  public static let one = Fixed(units: unitsPerWhole)
  /// The largest representable value, about 1.7 × 10²⁶.
  public static let max = Fixed(units: .max)
  /// The most negative representable value, `-max`.
  public static let min = Fixed(units: -.max)

  /// Whether the value has no fractional part.
  public var isInteger: Bool { smallWhole.map(\.exact) ?? (units % Fixed.unitsPerWhole == 0) }

  /// The magnitude in wholes (rounded down) and whether it is exact, for magnitudes below 2⁷⁶
  /// (every whole below about 7.5 × 10¹⁰, the usual case: counts, days, seconds since 1970);
  /// nil above. 10¹² = 2¹² × 5¹²: the low 12 bits must be zero and the rest divides by 5¹² in
  /// 64 bits, one machine division instead of a 128-bit one.
  @inline(__always)
  private var smallWhole: (whole: UInt64, exact: Bool)? {
    let m = units.magnitude
    guard m >> 76 == 0 else { return nil }
    let (whole, rest) = UInt64(truncatingIfNeeded: m >> 12).quotientAndRemainder(dividingBy: 244_140_625)
    return (whole, m & 0xFFF == 0 && rest == 0)
  }
  /// Whether the value is below zero.
  public var isNegative: Bool { units < 0 }
  /// Never traps: the range is symmetric.
  public var negated: Fixed { Fixed(units: -units) }
  /// The absolute value; never traps.
  public var magnitude: Fixed { Fixed(units: units < 0 ? -units : units) }

  /// The value as an `Int` when it is whole and fits.
  @inline(__always)
  public var intValue: Int? {
    if let (whole, exact) = smallWhole {
      guard exact else { return nil }
      // whole < 2⁶⁴ / 5¹² < 2³⁷, so it fits an Int either way.
      return units < 0 ? -Int(whole) : Int(whole)
    }
    return largeIntValue
  }

  /// `intValue` above 2⁷⁶ units, out of line.
  @inline(never)
  private var largeIntValue: Int? {
    guard isInteger else { return nil }
    return Int(exactly: units / Fixed.unitsPerWhole)
  }

  /// Orders values numerically.
  public static func < (a: Fixed, b: Fixed) -> Bool { a.units < b.units }

  // MARK: Arithmetic

  /// The exact sum; throws on overflow.
  public func adding(_ other: Fixed) throws(ArithmeticError) -> Fixed {
    let (sum, overflow) = units.addingReportingOverflow(other.units)
    guard !overflow, sum != .min else { throw .overflow }
    return Fixed(units: sum)
  }

  /// The exact difference; throws on overflow.
  public func subtracting(_ other: Fixed) throws(ArithmeticError) -> Fixed {
    let (difference, overflow) = units.subtractingReportingOverflow(other.units)
    guard !overflow, difference != .min else { throw .overflow }
    return Fixed(units: difference)
  }

  /// The exact product rounded half-even to 12 places.
  public func multiplied(by other: Fixed) throws(ArithmeticError) -> Fixed {
    // A whole factor (`income * 12`, the usual case) scales the units exactly: no division by 10¹².
    if let (whole, exact) = other.smallWhole, exact { return try scaled(by: whole, negative: other.units < 0) }
    if let (whole, exact) = smallWhole, exact { return try other.scaled(by: whole, negative: units < 0) }
    return try product(other)
  }

  /// `self × whole` (negated when `negative`), exactly; `.overflow` past the range.
  @inline(__always)
  private func scaled(by whole: UInt64, negative: Bool) throws(ArithmeticError) -> Fixed {
    let (p, overflow) = units.multipliedReportingOverflow(by: Int128(whole))
    // The range is symmetric: Int128.min is out of it.
    guard !overflow, p != .min else { throw .overflow }
    return Fixed(units: negative ? -p : p)
  }

  /// The product rounded half-even to 12 places, by way of the 256-bit product's division by
  /// 10¹² (`multiplied(by:)` for factors that are not whole; any factors, for tests).
  func product(_ other: Fixed) throws(ArithmeticError) -> Fixed {
    let negative = (units < 0) != (other.units < 0)
    let a = units.magnitude, b = other.units.magnitude
    let divisor = Fixed.unitsPerWholeMagnitude
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    let quotient: UInt128, remainder: UInt128
    if !overflow {
      (quotient, remainder) = product.quotientAndRemainder(dividingBy: divisor)
    } else {
      // The 256-bit product's quotient fits in 128 bits only when its high half is below the divisor.
      let wide = a.multipliedFullWidth(by: b)
      guard wide.high < divisor else { throw .overflow }
      (quotient, remainder) = divisor.dividingFullWidth(wide)
    }
    return try Fixed.rounding(quotient, remainder, divisor, negative: negative, rule: .halfEven)
  }

  /// The quotient rounded half-even to 12 places.
  public func divided(by other: Fixed) throws(ArithmeticError) -> Fixed {
    guard other.units != 0 else { throw .divisionByZero }
    let negative = (units < 0) != (other.units < 0)
    let a = units.magnitude, divisor = other.units.magnitude
    let (numerator, overflow) = a.multipliedReportingOverflow(by: Fixed.unitsPerWholeMagnitude)
    let quotient: UInt128, remainder: UInt128
    if !overflow {
      (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor)
    } else {
      let wide = a.multipliedFullWidth(by: Fixed.unitsPerWholeMagnitude)
      guard wide.high < divisor else { throw .overflow }
      (quotient, remainder) = divisor.dividingFullWidth(wide)
    }
    return try Fixed.rounding(quotient, remainder, divisor, negative: negative, rule: .halfEven)
  }

  /// The exact remainder of truncating division; it has the sign of `self`, as Swift's `%` does.
  public func remainder(dividingBy other: Fixed) throws(ArithmeticError) -> Fixed {
    guard other.units != 0 else { throw .divisionByZero }
    return Fixed(units: units % other.units)
  }

  /// Rounds to `places` decimal places (negative places round to tens, hundreds, …).
  /// Throws `.overflow` only when rounding away from zero passes the largest value.
  public func rounded(places: Int, rule: RoundingRule = .halfEven) throws(ArithmeticError) -> Fixed {
    if places >= Fixed.scale { return self }
    let shift = Fixed.scale - places
    let negative = units < 0
    let magnitude = units.magnitude
    guard shift < Fixed.powersOfTen.count else {
      // The step exceeds every magnitude: the value is less than half a step from zero.
      guard magnitude != 0, Fixed.roundsAway(0, magnitude, .max, negative: negative, rule: rule) else { return .zero }
      throw .overflow
    }
    let step = Fixed.powersOfTen[shift]
    let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: step)
    let away = Fixed.roundsAway(quotient, remainder, step, negative: negative, rule: rule)
    let (result, overflow) = (quotient + (away ? 1 : 0)).multipliedReportingOverflow(by: step)
    guard !overflow, result <= Fixed.maximumMagnitude else { throw .overflow }
    return Fixed(units: negative ? -Int128(result) : Int128(result))
  }

  // MARK: Rounding helpers

  /// 10⁰ … 10³⁸, every power of ten a `UInt128` holds.
  static let powersOfTen: [UInt128] = {
    var powers: [UInt128] = [1]
    for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
    return powers
  }()

  /// Whether `quotient + remainder / divisor` (a magnitude) rounds to `quotient + 1` rather than `quotient`.
  /// Requires `remainder < divisor`.
  static func roundsAway(
    _ quotient: UInt128, _ remainder: UInt128, _ divisor: UInt128, negative: Bool, rule: RoundingRule
  ) -> Bool {
    if remainder == 0 { return false }
    // `divisor - remainder` cannot overflow, unlike `2 * remainder`.
    let rest = divisor - remainder
    switch rule {
    case .towardZero: return false
    case .up: return !negative
    case .down: return negative
    case .halfUp: return remainder >= rest
    case .halfEven: return remainder > rest || (remainder == rest && quotient & 1 == 1)
    }
  }

  /// Builds the signed result of a rounded magnitude quotient, checking the range.
  static func rounding(
    _ quotient: UInt128, _ remainder: UInt128, _ divisor: UInt128, negative: Bool, rule: RoundingRule
  ) throws(ArithmeticError) -> Fixed {
    let away = roundsAway(quotient, remainder, divisor, negative: negative, rule: rule)
    guard quotient < maximumMagnitude || (quotient == maximumMagnitude && !away) else { throw .overflow }
    let magnitude = Int128(quotient + (away ? 1 : 0))
    return Fixed(units: negative ? -magnitude : magnitude)
  }
}
