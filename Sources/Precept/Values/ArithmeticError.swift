/// Why an arithmetic step on values failed. Reported as a value, never a trap.
public enum ArithmeticError: Error, Sendable, Hashable {
  /// The result is too large to represent.
  case overflow
  case divisionByZero
  /// A date can only move by whole days; the span had hours, minutes or seconds.
  case notWholeDays
  /// The two time spans cannot be ordered: one counts months, the other seconds, and a month has no fixed length.
  case incomparable
  /// Amounts in two currencies were combined or compared; conversion is never implicit.
  case currencyMismatch(Currency, Currency)
  /// A `unique` decision table matched several rows (whatever their outputs).
  case ambiguousRows(String, [Int])
  /// An `any` decision table matched several rows whose outputs differ.
  case disagreeingRows(String, [Int])
  /// A `priority` or `output_order` decision table matched a row whose result (given as text)
  /// is not in its `priority` list.
  case unrankedResult(String, String)
  /// A decision table without a `default` where no row matches these inputs (given as text).
  case noRowMatches(String, String)
  /// Values that cannot be combined this way at run time (say, a window whose size is in months).
  case invalidOperands
  /// A finance function could not compute a rate from the schedule; the reason, in words.
  case finance(String)

  /// Whether the message already names where it happened (a table's errors name the table).
  public var namesItsPlace: Bool {
    switch self {
    case .ambiguousRows, .disagreeingRows, .unrankedResult, .noRowMatches: true
    default: false
    }
  }

  /// The problem in words for a compliance author.
  public var message: String {
    switch self {
    case .overflow: "the result is too large to represent"
    case .divisionByZero: "division by zero"
    case .notWholeDays: "a date can only move by whole days; this span has hours, minutes or seconds"
    case .incomparable:
      "a span of months and a span of days or hours cannot be compared, because months differ in length"
    case .currencyMismatch(let a, let b):
      "amounts in \(a) and \(b) cannot be combined or compared; convert one of them explicitly"
    case .ambiguousRows(let table, let rows):
      "table `\(table)` matched rows \(rows.map(String.init).joined(separator: " and ")); under `hit: unique` exactly one row may match"
    case .disagreeingRows(let table, let rows):
      "table `\(table)` matched rows \(rows.map(String.init).joined(separator: " and ")), which give different results; under `hit: any` they must agree"
    case .unrankedResult(let table, let result):
      "table `\(table)` matched a row whose result \(result) is not in its `priority` list, so it has no rank"
    case .noRowMatches(let table, let inputs): "no row of `\(table)` matches \(inputs), and it has no `default`"
    case .invalidOperands: "these values cannot be combined this way"
    case .finance(let reason): reason
    }
  }
}
