// Reading and writing `Fixed` as text: `-?digits(.digits)?`, `_` allowed between digits.

extension Fixed {
  /// Reads `-?digits(.digits)?`, with `_` allowed between two digits (`1_000_000`). No exponent, no `+`.
  public static func parse(_ text: Substring) -> Result<Fixed, ValueParseError> {
    parseUnits(text.utf8, fractionDigits: scale, kind: .number).map { Fixed(units: $0) }
  }

  /// Reads an exact decimal (`1_000.25`, `-3`) from its text.
  public static func parse(_ text: String) -> Result<Fixed, ValueParseError> {
    parse(text[...])
  }

  /// Reads a decimal with at most `fractionDigits` (≤ 12) digits after the point, as units of 10⁻¹².
  /// Reports shape problems before too many places, and those before range.
  static func parseUnits(
    _ bytes: Substring.UTF8View, fractionDigits maximumPlaces: Int, kind: ValueParseError.Kind
  ) -> Result<Int128, ValueParseError> {
    var index = bytes.startIndex
    let end = bytes.endIndex
    var negative = false
    if index < end, bytes[index] == UInt8(ascii: "-") {
      negative = true
      bytes.formIndex(after: &index)
    }
    var whole: UInt128 = 0
    var overflow = false
    guard let integerDigits = scanDigits(bytes, &index, { digit, _ in
      let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(UInt128(digit))
      whole = sum
      if o1 || o2 { overflow = true }
    }), integerDigits > 0 else { return .failure(.syntax(kind)) }

    var fraction: UInt128 = 0
    var places = 0
    if index < end, bytes[index] == UInt8(ascii: ".") {
      bytes.formIndex(after: &index)
      guard let count = scanDigits(bytes, &index, { digit, position in
        if position < scale { fraction = fraction * 10 + UInt128(digit) }
      }), count > 0 else { return .failure(.syntax(kind)) }
      places = count
    }
    guard index == end else { return .failure(.syntax(kind)) }
    guard places <= maximumPlaces else { return .failure(.tooManyDecimalPlaces(maximum: maximumPlaces)) }

    let (scaledWhole, o1) = whole.multipliedReportingOverflow(by: unitsPerWholeMagnitude)
    let (magnitude, o2) = scaledWhole.addingReportingOverflow(fraction * powersOfTen[scale - places])
    guard !overflow, !o1, !o2, magnitude <= maximumMagnitude else { return .failure(.outOfRange(kind)) }
    return .success(negative ? -Int128(magnitude) : Int128(magnitude))
  }

  /// Scans digits with single `_` separators between them, calling `digit(value, position)` for each.
  /// Returns the number of digits, or nil when an `_` is not between two digits.
  static func scanDigits(
    _ bytes: Substring.UTF8View, _ index: inout Substring.UTF8View.Index, _ digit: (UInt8, Int) -> Void
  ) -> Int? {
    var count = 0
    var afterDigit = false
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        digit(byte - UInt8(ascii: "0"), count)
        count += 1
        afterDigit = true
      } else if byte == UInt8(ascii: "_") {
        guard afterDigit else { return nil }
        afterDigit = false
      } else {
        break
      }
      bytes.formIndex(after: &index)
    }
    // A trailing `_` (afterDigit false after at least one digit) is not between digits.
    if count > 0, !afterDigit { return nil }
    return count
  }

  // MARK: Writing

  /// Canonical form: no trailing zeros, no exponent (`0.62`, `50000`, `-3.25`, `0.000000000001`).
  public var description: String {
    Fixed.render(units.magnitude, negative: units < 0, places: Fixed.scale, trim: true, grouped: false)
  }

  /// Rounded half-even to `places` (clamped to 0…12) and padded with zeros: 1234.5 → `1234.50`.
  public func formatted(places: Int) -> String {
    let (magnitude, places) = roundedMagnitude(places: places)
    return Fixed.render(magnitude, negative: units < 0, places: places, trim: false, grouped: false)
  }

  /// As `formatted(places:)`, with commas between thousands for display: `50,000.00`.
  public func grouped(places: Int) -> String {
    let (magnitude, places) = roundedMagnitude(places: places)
    return Fixed.render(magnitude, negative: units < 0, places: places, trim: false, grouped: true)
  }

  /// The value as a percentage, trailing zeros trimmed: 0.179 → `17.9%`.
  public var percentDescription: String {
    Fixed.render(units.magnitude, negative: units < 0, places: Fixed.scale - 2, trim: true, grouped: false) + "%"
  }

  /// The magnitude rounded half-even to `places`, in units of 10^-places. Cannot overflow `UInt128`.
  private func roundedMagnitude(places: Int) -> (UInt128, Int) {
    let places = Swift.min(Swift.max(places, 0), Fixed.scale)
    let step = Fixed.powersOfTen[Fixed.scale - places]
    let (quotient, remainder) = units.magnitude.quotientAndRemainder(dividingBy: step)
    let away = Fixed.roundsAway(quotient, remainder, step, negative: units < 0, rule: .halfEven)
    return (quotient + (away ? 1 : 0), places)
  }

  /// Writes `magnitude / 10^places` in decimal. A zero result is never signed. The digits go
  /// through a buffer on the stack straight into the string (a trace formats many amounts).
  static func render(_ magnitude: UInt128, negative: Bool, places: Int, trim: Bool, grouped: Bool) -> String {
    let places = Swift.min(Swift.max(places, 0), Fixed.scale)
    // At most 39 digits (2^128 has 39), padded to `places` + 1 ≤ `scale` + 1.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { digits in  // least significant first
      var n = 0
      var rest = magnitude
      while rest > UInt128(UInt64.max) {
        let (q, r) = rest.quotientAndRemainder(dividingBy: 10)
        digits[n] = UInt8(r)
        n += 1
        rest = q
      }
      var small = UInt64(rest)
      repeat {
        digits[n] = UInt8(small % 10)
        n += 1
        small /= 10
      } while small != 0
      while n <= places {
        digits[n] = 0
        n += 1
      }
      var fractionStart = 0  // index of the lowest fractional digit kept
      if trim { while fractionStart < places, digits[fractionStart] == 0 { fractionStart += 1 } }
      // A sign, the digits, a comma per three whole digits and a point.
      return String(unsafeUninitializedCapacity: n + n / 3 + 2) { text in
        var t = 0
        func put(_ b: UInt8) {
          text[t] = b
          t += 1
        }
        if negative, magnitude != 0 { put(UInt8(ascii: "-")) }
        for position in stride(from: n - 1, through: places, by: -1) {
          put(UInt8(ascii: "0") + digits[position])
          let remaining = position - places
          if grouped, remaining > 0, remaining % 3 == 0 { put(UInt8(ascii: ",")) }
        }
        if fractionStart < places {
          put(UInt8(ascii: "."))
          for position in stride(from: places - 1, through: fractionStart, by: -1) { put(UInt8(ascii: "0") + digits[position]) }
        }
        return t
      }
    }
  }
}
