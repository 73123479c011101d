/// A calendar day with no time or zone, in the proleptic Gregorian calendar, counted from 1970-01-01.
/// Conversions use Howard Hinnant's `days_from_civil` / `civil_from_days` (exact, no tables).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Days since 1970-01-01; negative before it.
  public let daysSinceEpoch: Int

  /// Days kept in range, wide enough for the local date of any `DateTime` (±2⁴⁷ days, about ±385 million years)
  /// and narrow enough that no calendar computation can overflow.
  public static let dayRange = -(1 << 47)...(1 << 47)
  /// Years for which `daysFromCivil` cannot overflow; a wider filter applied before the exact `dayRange` check.
  static let computableYears = -1_000_000_000...1_000_000_000

  /// A date from its day count; nil outside `dayRange`.
  public init?(daysSinceEpoch days: Int) {
    guard CivilDate.dayRange.contains(days) else { return nil }
    daysSinceEpoch = days
  }

  init(uncheckedDays days: Int) { daysSinceEpoch = days }

  /// Nil unless the day exists (month 1…12, day within the month, February 29 only in leap years)
  /// and lies within `dayRange`.
  public init?(year: Int, month: Int, day: Int) {
    guard CivilDate.computableYears.contains(year), (1...12).contains(month),
      day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
    else { return nil }
    self.init(daysSinceEpoch: CivilDate.daysFromCivil(year: year, month: month, day: day))
  }

  /// Reads exactly `YYYY-MM-DD`.
  public static func parse(_ text: Substring) -> Result<CivilDate, ValueParseError> {
    let bytes = text.utf8
    var index = bytes.startIndex
    guard let date = scan(bytes, &index), index == bytes.endIndex else { return .failure(.syntax(.date)) }
    return date
  }

  /// Reads a date written `YYYY-MM-DD`.
  public static func parse(_ text: String) -> Result<CivilDate, ValueParseError> {
    parse(text[...])
  }

  /// Scans `YYYY-MM-DD` at `index`; nil when the shape is wrong, a failure when the day does not exist.
  static func scan(_ bytes: Substring.UTF8View, _ index: inout Substring.UTF8View.Index) -> Result<CivilDate, ValueParseError>? {
    guard let year = scanNumber(bytes, &index, digits: 4), scanByte(bytes, &index, "-"),
      let month = scanNumber(bytes, &index, digits: 2), scanByte(bytes, &index, "-"),
      let day = scanNumber(bytes, &index, digits: 2)
    else { return nil }
    guard let date = CivilDate(year: year, month: month, day: day) else { return .failure(.invalidDate) }
    return .success(date)
  }

  /// Reads exactly `digits` ASCII digits.
  static func scanNumber(_ bytes: Substring.UTF8View, _ index: inout Substring.UTF8View.Index, digits: Int) -> Int? {
    var value = 0
    for _ in 0..<digits {
      guard index < bytes.endIndex else { return nil }
      let byte = bytes[index]
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
      bytes.formIndex(after: &index)
    }
    return value
  }

  /// Consumes `expected` if it is next.
  static func scanByte(_ bytes: Substring.UTF8View, _ index: inout Substring.UTF8View.Index, _ expected: Unicode.Scalar) -> Bool {
    guard index < bytes.endIndex, bytes[index] == UInt8(ascii: expected) else { return false }
    bytes.formIndex(after: &index)
    return true
  }

  // MARK: Fields

  /// Year, month (1…12) and day (1…31) together, computed once.
  public var components: (year: Int, month: Int, day: Int) { CivilDate.civilFromDays(daysSinceEpoch) }
  /// The year.
  public var year: Int { components.year }
  /// The month, 1…12.
  public var month: Int { components.month }
  /// The day of the month, 1…31.
  public var day: Int { components.day }

  /// ISO 8601 weekday: 1 is Monday, 7 is Sunday.
  public var weekday: Int {
    // 1970-01-01 was a Thursday (4).
    let fromMonday = (daysSinceEpoch + 3) % 7
    return (fromMonday < 0 ? fromMonday + 7 : fromMonday) + 1
  }

  /// Whether `year` is a leap year in the proleptic Gregorian calendar.
  public static func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  /// How many days `month` (1…12) has in `year`.
  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// `YYYY-MM-DD`; years outside 0…9999 get a sign or more digits, as ISO 8601's expanded form.
  public var description: String {
    let (year, month, day) = components
    // The common case, years 0 to 9999, as ten bytes written in place (a trace prints many dates).
    if (0...9999).contains(year) {
      return String(unsafeUninitializedCapacity: 10) { out in
        func digits(_ v: Int, _ width: Int, at start: Int) {
          var v = v
          for k in stride(from: start + width - 1, through: start, by: -1) {
            out[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
          }
        }
        digits(year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        digits(month, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        digits(day, 2, at: 8)
        return 10
      }
    }
    let yearText = year < 0 ? "-" + CivilDate.padded(-year, 4) : CivilDate.padded(year, 4)
    return "\(yearText)-\(CivilDate.padded(month, 2))-\(CivilDate.padded(day, 2))"
  }

  static func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  /// Orders dates from earliest to latest.
  public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

  // MARK: Arithmetic

  /// The date `days` later (earlier when negative); throws when out of range.
  public func adding(days: Int) throws(ArithmeticError) -> CivilDate {
    let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
    guard !overflow, let date = CivilDate(daysSinceEpoch: sum) else { throw .overflow }
    return date
  }

  /// Moves by calendar months, clamping to the last day of the target month (Jan 31 + 1 month = Feb 28 or 29).
  public func adding(months: Int) throws(ArithmeticError) -> CivilDate {
    let (year, month, day) = components
    let (total, overflow) = (year * 12 + month - 1).addingReportingOverflow(months)
    guard !overflow else { throw .overflow }
    let newYear = total >= 0 ? total / 12 : (total - 11) / 12
    let newMonth = total - newYear * 12 + 1
    guard CivilDate.computableYears.contains(newYear) else { throw .overflow }
    let newDay = Swift.min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
    let days = CivilDate.daysFromCivil(year: newYear, month: newMonth, day: newDay)
    guard let date = CivilDate(daysSinceEpoch: days) else { throw .overflow }
    return date
  }

  /// Months first (clamped to the month's end), then the seconds part, which must be whole days.
  public func adding(_ span: TimeSpan) throws(ArithmeticError) -> CivilDate {
    guard span.seconds % TimeSpan.secondsPerDay == 0 else { throw .notWholeDays }
    return try adding(months: Int(span.months)).adding(days: Int(span.seconds / TimeSpan.secondsPerDay))
  }

  /// Days from `self` to `other`: positive when `other` is later. Cannot overflow within `dayRange`.
  public func days(to other: CivilDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

  /// Completed years from `self` (a birth date) to `date`. Someone born on February 29 becomes a year older
  /// on March 1 in years without one. Negative when `date` is before `self`.
  public func age(on date: CivilDate) -> Int {
    let birth = components, now = date.components
    let years = now.year - birth.year
    return (now.month, now.day) < (birth.month, birth.day) ? years - 1 : years
  }

  // MARK: Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html)

  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400  // 0...399
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // 0...365, from March 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
    return era * 146_097 + dayOfEra - 719_468
  }

  static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097  // 0...146096
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0...399
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
    let monthFromMarch = (5 * dayOfYear + 2) / 153  // 0...11
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    let year = yearOfEra + era * 400
    return (month <= 2 ? year + 1 : year, month, day)
  }
}
