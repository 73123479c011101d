// The working precision of rate searches. A daily rate held to 12 places moves an annual rate by 365 × 10⁻¹²
// per unit and its 365th power loses more, so searches run at 30 places and round to `Fixed` once, at the end.

/// An internal exact decimal with 30 fractional digits (Int128 units of 10⁻³⁰, range about ±1.7 × 10⁸),
/// for rates, discount factors and normalized present values. Every operation throws instead of trapping.
struct Wide: Sendable, Hashable, Comparable {
  let units: Int128

  static let unitsPerWhole: UInt128 = 1_000_000_000_000_000_000_000_000_000_000
  /// Wide units per `Fixed` unit: 10³⁰ / 10¹².
  static let unitsPerFixedUnit: Int128 = 1_000_000_000_000_000_000
  static let zero = Wide(units: 0)
  static let one = Wide(units: Int128(unitsPerWhole))

  init(units: Int128) {
    precondition(units != .min, "Wide units must lie in -Int128.max...Int128.max")
    self.units = units
  }

  /// Exact; throws when `fixed` lies outside the range.
  init(_ fixed: Fixed) throws(ArithmeticError) {
    let (product, overflow) = fixed.units.multipliedReportingOverflow(by: Wide.unitsPerFixedUnit)
    guard !overflow, product != .min else { throw .overflow }
    units = product
  }

  var isNegative: Bool { units < 0 }
  var negated: Wide { Wide(units: -units) }
  var magnitude: Wide { Wide(units: units < 0 ? -units : units) }

  static func < (a: Wide, b: Wide) -> Bool { a.units < b.units }

  /// Rounded half-even to 12 places. Cannot overflow: `Fixed` has the wider range.
  var fixed: Fixed {
    let step = UInt128(Wide.unitsPerFixedUnit)
    let (quotient, remainder) = units.magnitude.quotientAndRemainder(dividingBy: step)
    let away = Fixed.roundsAway(quotient, remainder, step, negative: units < 0, rule: .halfEven)
    let magnitude = Int128(quotient + (away ? 1 : 0))
    return Fixed(units: units < 0 ? -magnitude : magnitude)
  }

  func adding(_ other: Wide) throws(ArithmeticError) -> Wide {
    let (sum, overflow) = units.addingReportingOverflow(other.units)
    guard !overflow, sum != .min else { throw .overflow }
    return Wide(units: sum)
  }

  func subtracting(_ other: Wide) throws(ArithmeticError) -> Wide {
    try adding(other.negated)
  }

  func multiplied(by other: Wide) throws(ArithmeticError) -> Wide {
    Wide(units: try Wide.scaled(units, by: other.units, over: Wide.unitsPerWhole))
  }

  func divided(by other: Wide) throws(ArithmeticError) -> Wide {
    guard other.units != 0 else { throw .divisionByZero }
    let whole = Int128(Wide.unitsPerWhole)
    return Wide(units: try Wide.scaled(units, by: whole, over: other.units.magnitude, negate: other.units < 0))
  }

  /// `a / b` of two `Fixed` values at 30 places.
  static func ratio(_ a: Fixed, _ b: Fixed) throws(ArithmeticError) -> Wide {
    guard b.units != 0 else { throw .divisionByZero }
    return Wide(units: try scaled(a.units, by: Int128(unitsPerWhole), over: b.units.magnitude, negate: b.units < 0))
  }

  /// `fixed × self`, rounded half-even to 12 places.
  func scaling(_ fixed: Fixed) throws(ArithmeticError) -> Fixed {
    Fixed(units: try Wide.scaled(fixed.units, by: units, over: Wide.unitsPerWhole))
  }

  /// `fixed / self`, rounded half-even to 12 places.
  func dividing(_ fixed: Fixed) throws(ArithmeticError) -> Fixed {
    guard units != 0 else { throw .divisionByZero }
    let whole = Int128(Wide.unitsPerWhole)
    return Fixed(units: try Wide.scaled(fixed.units, by: whole, over: units.magnitude, negate: units < 0))
  }

  /// `a × b / divisor` on the full 256-bit product, rounded half-even, negated if asked; throws past ±Int128.max.
  static func scaled(
    _ a: Int128, by b: Int128, over divisor: UInt128, negate: Bool = false
  ) throws(ArithmeticError) -> Int128 {
    let negative = ((a < 0) != (b < 0)) != negate
    let wide = a.magnitude.multipliedFullWidth(by: b.magnitude)
    guard wide.high < divisor else { throw .overflow }
    let (quotient, remainder) = divisor.dividingFullWidth(wide)
    let away = Fixed.roundsAway(quotient, remainder, divisor, negative: negative, rule: .halfEven)
    let (magnitude, overflow) = quotient.addingReportingOverflow(away ? 1 : 0)
    guard !overflow, magnitude <= UInt128(Int128.max) else { throw .overflow }
    return negative ? -Int128(magnitude) : Int128(magnitude)
  }

  /// `self` raised to a whole, non-negative power by repeated squaring (about 2·log₂ n rounded products).
  func power(_ exponent: Int) throws(ArithmeticError) -> Wide {
    var result = Wide.one, base = self, n = Swift.max(exponent, 0)
    while n > 0 {
      if n & 1 == 1 { result = try result.multiplied(by: base) }
      n >>= 1
      // Skipping the last squaring keeps a base above 1 from overflowing needlessly.
      if n > 0 { base = try base.multiplied(by: base) }
    }
    return result
  }

  /// `(1 + x + … + x^(n−1), x^n)` by doubling, in O(log n) products. For 0 ≤ x ≤ 1 no term exceeds 1 and nothing
  /// cancels — unlike `(x^n − 1)/(x − 1)`, which loses digits near x = 1. Throws once the sum passes the range.
  func geometricSum(_ count: Int) throws(ArithmeticError) -> (sum: Wide, power: Wide) {
    var sum = Wide.zero, power = Wide.one
    guard count > 0 else { return (sum, power) }
    for bit in stride(from: Int.bitWidth - 1 - count.leadingZeroBitCount, through: 0, by: -1) {
      // G(2m) = G(m)·(1 + x^m)
      sum = try sum.adding(power.multiplied(by: sum))
      power = try power.multiplied(by: power)
      if (count >> bit) & 1 == 1 {
        // G(m + 1) = G(m) + x^m
        sum = try sum.adding(power)
        power = try power.multiplied(by: self)
      }
    }
    return (sum, power)
  }
}
