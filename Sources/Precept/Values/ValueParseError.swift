/// Why a literal (number, percentage, money, date, datetime, time span) could not be read.
/// Cases carry no copy of the text: the caller's diagnostic already points at it.
public enum ValueParseError: Error, Sendable, Hashable {
  /// The kind of literal that was expected, so messages can show the right example.
  public enum Kind: Sendable, Hashable {
    case number, percent, money, currency, date, dateTime, timeSpan
  }

  /// The text does not have the shape of the expected kind of literal.
  case syntax(Kind)
  /// More digits after the decimal point than can be kept exactly.
  case tooManyDecimalPlaces(maximum: Int)
  /// Well formed, but too large to represent.
  case outOfRange(Kind)
  /// A currency code that is not three capital letters.
  case invalidCurrency
  /// A month or day that does not exist, such as `2026-02-30`.
  case invalidDate
  /// An hour, minute, second or offset that does not exist, such as `24:00` or `+25:00`.
  case invalidTime
  /// A datetime with no `Z` or `±hh:mm`: which instant it means would depend on where it is read.
  case missingOffset
  /// A time span unit other than `y mo w d h min s`.
  case unknownUnit(String)
  /// `m` in a time span: it could mean months or minutes.
  case ambiguousUnit

  /// The problem in words for a compliance author, with an example of the expected form.
  public var message: String {
    switch self {
    case .syntax(let kind): "expected \(kind.example)"
    case .tooManyDecimalPlaces(let maximum):
      "at most \(maximum) digits can follow the decimal point; round the value or write fewer digits"
    case .outOfRange(let kind): "\(kind.name) is too large to represent exactly"
    case .invalidCurrency: "a currency is written as a three-letter ISO 4217 code in capitals, such as CNY or USD"
    case .invalidDate: "this date does not exist in the calendar (check the month, and the day within that month)"
    case .invalidTime: "this time of day or UTC offset does not exist (hours 00–23, minutes and seconds 00–59)"
    case .missingOffset:
      "a datetime needs a UTC offset such as `+08:00` or `Z`; without one the instant depends on where it is read"
    case .unknownUnit(let unit):
      "unknown time unit `\(unit)`; use y (years), mo (months), w (weeks), d (days), h (hours), min (minutes) or s (seconds)"
    case .ambiguousUnit: "`m` could mean months or minutes: write `mo` for months or `min` for minutes"
    }
  }
}

extension ValueParseError.Kind {
  /// What the literal is called in a message.
  var name: String {
    switch self {
    case .number: "the number"
    case .percent: "the percentage"
    case .money: "the amount"
    case .currency: "the currency"
    case .date: "the date"
    case .dateTime: "the datetime"
    case .timeSpan: "the time span"
    }
  }

  /// The expected form, with examples, shown when the text has the wrong shape.
  var example: String {
    switch self {
    case .number: "a number such as 50000, 1_000_000, -3.25 or 0.62 (no exponent, no thousands commas)"
    case .percent: "a percentage such as 17.9% or 5%"
    case .money: "an amount and a currency code, such as 50_000 CNY or -900.50 USD"
    case .currency: "a three-letter currency code such as CNY"
    case .date: "a date written YYYY-MM-DD, such as 2026-01-01"
    case .dateTime: "a datetime such as 2026-01-01T09:30:00+08:00 or 2026-01-01T01:30:00Z"
    case .timeSpan: "a time span such as 30d, 24h, 6mo, 1y 6mo or 15min"
    }
  }
}
