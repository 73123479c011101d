/// Reads percentage literals such as `17.9%` into the fraction they denote (0.179), exactly.
/// There is no percent type: a percentage is a `Fixed` fraction, shown again with `Fixed.percentDescription`.
public enum PercentLiteral {
  /// At most 10 digits may precede the `%`, so the fraction still fits in 12 places.
  public static let maximumPlaces = Fixed.scale - 2

  /// Reads `-?digits(.digits)?%` (with `_` between digits) as the fraction: `17.9%` → 0.179.
  public static func parse(_ text: Substring) -> Result<Fixed, ValueParseError> {
    guard text.utf8.last == UInt8(ascii: "%") else { return .failure(.syntax(.percent)) }
    let number = text.utf8.dropLast()
    return Fixed.parseUnits(number, fractionDigits: maximumPlaces, kind: .percent)
      // With at most 10 places the units are a multiple of 100, so this division is exact.
      .map { Fixed(units: $0 / 100) }
  }

  /// Reads a percentage (`18%`, `17.9%`) as its fraction (0.18, 0.179).
  public static func parse(_ text: String) -> Result<Fixed, ValueParseError> {
    parse(text[...])
  }
}
