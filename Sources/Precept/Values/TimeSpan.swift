/// A length of time in two independent parts: calendar months (whose length varies) and exact seconds.
/// Named to avoid the standard library's `Duration`. Each part lies in its type's symmetric range.
public struct TimeSpan: Sendable, Hashable, CustomStringConvertible {
  /// Calendar months; a year is 12. Read-only, like `seconds`, to keep both parts in their symmetric range.
  public let months: Int32
  /// Exact seconds; a week is 604,800, a day 86,400 (days are not calendar days: no leap seconds, no DST).
  public let seconds: Int64

  static let secondsPerDay: Int64 = 86_400
  /// No time at all.
  public static let zero = TimeSpan(months: 0, seconds: 0)

  /// Neither part may be its type's `min` (outside the symmetric range).
  public init(months: Int32 = 0, seconds: Int64 = 0) {
    precondition(months != .min && seconds != .min, "TimeSpan parts must lie in their symmetric range")
    self.months = months
    self.seconds = seconds
  }

  /// Units in the order they are written in a description, with their size in months or seconds.
  private static let secondUnits: [(name: String, seconds: Int64)] = [("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1)]

  /// Reads one or more `<digits><unit>` parts, optionally separated by spaces: `30d`, `1y 6mo`, `1d12h`, `1_000s`.
  /// Units: `y` (12 months), `mo`, `w` (7 days), `d`, `h`, `min`, `s`. A bare `m` is refused as ambiguous.
  public static func parse(_ text: Substring) -> Result<TimeSpan, ValueParseError> {
    let bytes = text.utf8
    var index = bytes.startIndex
    var months: Int64 = 0
    var seconds: Int64 = 0
    var overflow = false
    var parts = 0
    while index < bytes.endIndex {
      if parts > 0 { while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") { bytes.formIndex(after: &index) } }
      var amount: Int64 = 0
      guard let count = Fixed.scanDigits(bytes, &index, { digit, _ in
        let (times10, o1) = amount.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
        amount = sum
        if o1 || o2 { overflow = true }
      }), count > 0 else { return .failure(.syntax(.timeSpan)) }
      let unitStart = index
      while index < bytes.endIndex, isLetter(bytes[index]) { bytes.formIndex(after: &index) }
      let unit = bytes[unitStart..<index]
      let factor: (months: Int64, seconds: Int64)
      switch String(decoding: unit, as: UTF8.self) {
      case "y": factor = (12, 0)
      case "mo": factor = (1, 0)
      case "w": factor = (0, 7 * secondsPerDay)
      case "d": factor = (0, secondsPerDay)
      case "h": factor = (0, 3_600)
      case "min": factor = (0, 60)
      case "s": factor = (0, 1)
      case "m": return .failure(.ambiguousUnit)
      case "": return .failure(.syntax(.timeSpan))
      case let other: return .failure(.unknownUnit(other))
      }
      let (m, o1) = amount.multipliedReportingOverflow(by: factor.months)
      let (s, o2) = amount.multipliedReportingOverflow(by: factor.seconds)
      let (totalMonths, o3) = months.addingReportingOverflow(m)
      let (totalSeconds, o4) = seconds.addingReportingOverflow(s)
      if o1 || o2 || o3 || o4 { overflow = true }
      months = totalMonths
      seconds = totalSeconds
      parts += 1
    }
    guard parts > 0 else { return .failure(.syntax(.timeSpan)) }
    guard !overflow, seconds != .min, let months32 = Int32(exactly: months), months32 != .min else {
      return .failure(.outOfRange(.timeSpan))
    }
    return .success(TimeSpan(months: months32, seconds: seconds))
  }

  /// Reads a duration such as `24h`, `30d`, `2w`, `6mo` or `1y`.
  public static func parse(_ text: String) -> Result<TimeSpan, ValueParseError> {
    parse(text[...])
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }

  // MARK: Arithmetic

  /// Both parts with their signs flipped.
  public var negated: TimeSpan { TimeSpan(months: -months, seconds: -seconds) }

  /// The part-wise sum; throws on overflow.
  public func adding(_ other: TimeSpan) throws(ArithmeticError) -> TimeSpan {
    let (m, o1) = months.addingReportingOverflow(other.months)
    let (s, o2) = seconds.addingReportingOverflow(other.seconds)
    return try TimeSpan.checked(m, s, overflow: o1 || o2)
  }

  /// The part-wise difference; throws on overflow.
  public func subtracting(_ other: TimeSpan) throws(ArithmeticError) -> TimeSpan {
    let (m, o1) = months.subtractingReportingOverflow(other.months)
    let (s, o2) = seconds.subtractingReportingOverflow(other.seconds)
    return try TimeSpan.checked(m, s, overflow: o1 || o2)
  }

  /// Both parts multiplied by `factor`; throws on overflow.
  public func multiplied(by factor: Int) throws(ArithmeticError) -> TimeSpan {
    let (m, o1) = Int64(months).multipliedReportingOverflow(by: Int64(factor))
    let (s, o2) = seconds.multipliedReportingOverflow(by: Int64(factor))
    guard let months32 = Int32(exactly: m) else { throw .overflow }
    return try TimeSpan.checked(months32, s, overflow: o1 || o2)
  }

  private static func checked(_ months: Int32, _ seconds: Int64, overflow: Bool) throws(ArithmeticError) -> TimeSpan {
    guard !overflow, months != .min, seconds != .min else { throw .overflow }
    return TimeSpan(months: months, seconds: seconds)
  }

  /// -1, 0 or 1. Defined when both spans are whole seconds or both whole months: a month has no fixed length,
  /// so `1mo` against `30d` is `.incomparable`.
  public func compare(_ other: TimeSpan) throws(ArithmeticError) -> Int {
    if months == 0, other.months == 0 { return seconds < other.seconds ? -1 : (seconds == other.seconds ? 0 : 1) }
    if seconds == 0, other.seconds == 0 { return months < other.months ? -1 : (months == other.months ? 0 : 1) }
    throw .incomparable
  }

  /// Largest whole units first: years and months, then days, hours, minutes and seconds (no weeks, so
  /// `14d` stays `14d`). 90,000 s is `1d 1h`; a negative part carries its sign: `-1y -6mo`. Zero is `0s`.
  public var description: String {
    var parts: [String] = []
    let monthSign = months < 0 ? "-" : ""
    let monthCount = months.magnitude
    if monthCount >= 12 { parts.append("\(monthSign)\(monthCount / 12)y") }
    if monthCount % 12 != 0 { parts.append("\(monthSign)\(monthCount % 12)mo") }
    let secondSign = seconds < 0 ? "-" : ""
    var rest = seconds.magnitude
    for unit in TimeSpan.secondUnits where rest >= UInt64(unit.seconds) {
      parts.append("\(secondSign)\(rest / UInt64(unit.seconds))\(unit.name)")
      rest %= UInt64(unit.seconds)
    }
    return parts.isEmpty ? "0s" : parts.joined(separator: " ")
  }
}
