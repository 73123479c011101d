/// How to round a value that falls between two representable results.
public enum RoundingRule: Sendable, Hashable, CaseIterable {
  /// To the nearest; a tie goes to the even neighbour (banker's rounding, no upward bias over many amounts).
  case halfEven
  /// To the nearest; a tie goes away from zero (2.5 → 3, -2.5 → -3), as commonly taught.
  case halfUp
  /// Toward negative infinity (floor).
  case down
  /// Toward positive infinity (ceiling).
  case up
  /// Drops the excess digits (truncation).
  case towardZero
}
