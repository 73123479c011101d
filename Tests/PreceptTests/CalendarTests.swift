import Testing
@testable import Precept

private func date(_ text: String) throws -> CivilDate { try CivilDate.parse(text).get() }
private func instant(_ text: String) throws -> DateTime { try DateTime.parse(text).get() }
private func span(_ text: String) throws -> TimeSpan { try TimeSpan.parse(text).get() }

@Suite struct CivilDateTests {
  @Test func conversionsAroundTheEpoch() throws {
    #expect(try date("1970-01-01").daysSinceEpoch == 0)
    #expect(try date("1969-12-31").daysSinceEpoch == -1)
    #expect(try date("1970-01-02").daysSinceEpoch == 1)
    #expect(try date("2000-02-29").daysSinceEpoch == 11016)
    #expect(try date("2000-03-01").daysSinceEpoch == 11017)
    #expect(try date("0001-01-01").daysSinceEpoch == -719_162)
    #expect(try date("9999-12-31").daysSinceEpoch == 2_932_896)
    #expect(CivilDate(daysSinceEpoch: -1)?.description == "1969-12-31")
  }

  @Test func roundTripsDaysAndFields() throws {
    for days in Array(-3000...3000) + Array(stride(from: -800_000, through: 3_500_000, by: 997)) {
      let value = try #require(CivilDate(daysSinceEpoch: days))
      let (y, m, d) = value.components
      #expect(CivilDate(year: y, month: m, day: d) == value)
      if (0...9999).contains(y) { #expect(try CivilDate.parse(value.description).get() == value) }
      // The ten bytes written in place for years 0 to 9999 say what the general form says.
      let general = (y < 0 ? "-" + CivilDate.padded(-y, 4) : CivilDate.padded(y, 4)) + "-" + CivilDate.padded(m, 2) + "-" + CivilDate.padded(d, 2)
      #expect(value.description == general)
    }
  }

  @Test func consecutiveDaysFollowTheCalendar() throws {
    var (y, m, d) = (1800, 1, 1)
    var value = try #require(CivilDate(year: y, month: m, day: d))
    while y < 2200 {
      #expect(value.year == y && value.month == m && value.day == d)
      d += 1
      if d > CivilDate.daysInMonth(year: y, month: m) { (m, d) = (m + 1, 1) }
      if m > 12 { (y, m) = (y + 1, 1) }
      value = try value.adding(days: 1)
    }
    #expect(value.description == "2200-01-01")
  }

  @Test func leapYears() throws {
    #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
    #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
    #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
    #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
    #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
    #expect(try CivilDate(year: 2100, month: 3, day: 1)?.adding(days: -1) == CivilDate(year: 2100, month: 2, day: 28))
    #expect(CivilDate(year: 2026, month: 4, day: 31) == nil)
    #expect(CivilDate(year: 2026, month: 13, day: 1) == nil)
    #expect(CivilDate(year: 2026, month: 0, day: 1) == nil)
    #expect(CivilDate(year: 2026, month: 1, day: 0) == nil)
    #expect(CivilDate(year: Int.max, month: 1, day: 1) == nil)
  }

  @Test(arguments: [
    ("2026-1-01", ValueParseError.syntax(.date)), ("26-01-01", .syntax(.date)), ("2026/01/01", .syntax(.date)),
    ("2026-01-01T00:00Z", .syntax(.date)), (" 2026-01-01", .syntax(.date)), ("", .syntax(.date)),
    ("２０２６-01-01", .syntax(.date)), ("2026-02-30", .invalidDate), ("2026-13-01", .invalidDate),
    ("2026-00-10", .invalidDate), ("2100-02-29", .invalidDate),
  ])
  func rejects(text: String, error: ValueParseError) {
    #expect(CivilDate.parse(text) == .failure(error))
  }

  @Test func fieldsAndWeekday() throws {
    let value = try date("2026-03-09")
    #expect(value.year == 2026 && value.month == 3 && value.day == 9)
    #expect(value.description == "2026-03-09")
    #expect(try date("1970-01-01").weekday == 4)  // Thursday
    #expect(try date("1969-12-29").weekday == 1)  // Monday
    #expect(try date("1969-12-28").weekday == 7)  // Sunday
    #expect(try date("2024-02-29").weekday == 4)
    #expect(try date("0000-01-01").description == "0000-01-01")
  }

  @Test(arguments: [
    ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2024-03-31", -1, "2024-02-29"),
    ("2024-02-29", 12, "2025-02-28"), ("2025-12-15", 1, "2026-01-15"), ("2026-01-15", -13, "2024-12-15"),
    ("2026-05-31", 1, "2026-06-30"), ("2026-01-31", 0, "2026-01-31"), ("2000-02-29", 1200, "2100-02-28"),
  ])
  func monthsClampToTheMonthEnd(start: String, months: Int, expected: String) throws {
    #expect(try date(start).adding(months: months) == date(expected))
  }

  @Test func dayArithmetic() throws {
    #expect(try date("2026-01-01").adding(days: 365) == date("2027-01-01"))
    #expect(try date("2024-01-01").adding(days: 366) == date("2025-01-01"))
    #expect(try date("2026-01-01").days(to: date("2026-03-01")) == 59)
    #expect(try date("2026-03-01").days(to: date("2026-01-01")) == -59)
    #expect(throws: ArithmeticError.overflow) { try date("2026-01-01").adding(days: .max) }
    #expect(throws: ArithmeticError.overflow) { try date("2026-01-01").adding(days: 1 << 48) }
    #expect(throws: ArithmeticError.overflow) { try date("2026-01-01").adding(months: .max) }
    #expect(throws: ArithmeticError.overflow) { try date("2026-01-01").adding(months: .min) }
    let last = try #require(CivilDate(daysSinceEpoch: CivilDate.dayRange.upperBound))
    #expect(throws: ArithmeticError.overflow) { try last.adding(days: 1) }
  }

  @Test(arguments: [
    ("1990-06-15", "2026-06-14", 35), ("1990-06-15", "2026-06-15", 36), ("1990-06-15", "1990-06-15", 0),
    ("2000-02-29", "2023-02-28", 22), ("2000-02-29", "2023-03-01", 23), ("2000-02-29", "2024-02-28", 23),
    ("2000-02-29", "2024-02-29", 24), ("2007-12-31", "2026-01-01", 18), ("2008-01-01", "2025-12-31", 17),
  ])
  func age(birth: String, on: String, years: Int) throws {
    #expect(try date(birth).age(on: date(on)) == years)
  }

  @Test func addingSpans() throws {
    #expect(try date("2026-01-31").adding(span("1mo 1d")) == date("2026-03-01"))
    #expect(try date("2026-01-01").adding(span("2w")) == date("2026-01-15"))
    #expect(try date("2026-01-01").adding(span("48h")) == date("2026-01-03"))
    #expect(try date("2024-02-29").adding(span("1y")) == date("2025-02-28"))
    #expect(try date("2026-03-01").adding(span("1mo").negated) == date("2026-02-01"))
    #expect(throws: ArithmeticError.notWholeDays) { try date("2026-01-01").adding(span("12h")) }
    #expect(throws: ArithmeticError.notWholeDays) { try date("2026-01-01").adding(span("1d 1s")) }
  }
}

@Suite struct DateTimeTests {
  @Test func parsesWithOffsets() throws {
    let china = try instant("2026-01-01T09:30:00+08:00")
    #expect(china.seconds == 1_767_231_000)
    #expect(china.offsetSeconds == 8 * 3600)
    #expect(china == (try instant("2026-01-01T01:30:00Z")))
    #expect(china == (try instant("2025-12-31T20:30:00-05:00")))
    #expect(china == (try instant("2026-01-01T09:30+08:00")))
    #expect(china.hashValue == (try instant("2026-01-01T01:30:00Z")).hashValue)
    #expect(try instant("2026-01-01T01:30:00z") == instant("2026-01-01t01:30:00+00:00"))
    #expect(try instant("2026-01-01T01:30:00-00:00") == china)
    let fraction = try instant("2026-01-01T09:30:00.250+08:00")
    #expect(fraction.nanoseconds == 250_000_000)
    #expect(fraction > china)
    #expect(try instant("2026-01-01T09:30:00.123456789+08:00").nanoseconds == 123_456_789)
    #expect(try instant("1969-12-31T23:59:59Z").seconds == -1)
    #expect(DateTime(epochSeconds: 0) == (try instant("1970-01-01T00:00:00Z")))
  }

  @Test(arguments: [
    ("2026-01-01T09:30:00", ValueParseError.missingOffset), ("2026-01-01T09:30", .missingOffset),
    ("2026-01-01T09:30:00.5", .missingOffset), ("2026-01-01", .syntax(.dateTime)),
    ("2026-01-01 09:30:00+08:00", .syntax(.dateTime)), ("2026-01-01T9:30:00Z", .syntax(.dateTime)),
    ("2026-01-01T09:30:00+0800", .syntax(.dateTime)), ("2026-01-01T09:30:00+08", .syntax(.dateTime)),
    ("2026-01-01T09:30:00.Z", .syntax(.dateTime)), ("2026-01-01T09:30:00Z ", .syntax(.dateTime)),
    ("2026-01-01T09:30:00 +08:00", .syntax(.dateTime)), ("2026-01-01T09:30:00UTC", .syntax(.dateTime)),
    ("2026-01-01T24:00:00Z", .invalidTime), ("2026-01-01T23:60:00Z", .invalidTime),
    ("2026-01-01T23:59:60Z", .invalidTime), ("2026-01-01T09:30:00+24:00", .invalidTime),
    ("2026-01-01T09:30:00+08:60", .invalidTime), ("2026-02-30T09:30:00Z", .invalidDate),
    ("2026-01-01T09:30:00.1234567891Z", .tooManyDecimalPlaces(maximum: 9)),
  ])
  func rejects(text: String, error: ValueParseError) {
    #expect(DateTime.parse(text) == .failure(error))
  }

  @Test(arguments: [
    ("2026-01-01T09:30:00+08:00", "2026-01-01T09:30:00+08:00"), ("2026-01-01T09:30+08:00", "2026-01-01T09:30:00+08:00"),
    ("2026-01-01T01:30:00+00:00", "2026-01-01T01:30:00Z"), ("2026-01-01T09:30:00.250+08:00", "2026-01-01T09:30:00.250+08:00"),
    ("2026-01-01T09:30:00.25-05:30", "2026-01-01T09:30:00.250-05:30"), ("2026-01-01T09:30:00.0000001Z", "2026-01-01T09:30:00.000000100Z"),
    ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500Z"),
  ])
  func describesInTheOriginalOffset(text: String, shown: String) throws {
    #expect(try instant(text).description == shown)
  }

  @Test func calendarDayInAnOffset() throws {
    let evening = try instant("2026-01-01T20:00:00Z")
    #expect(evening.date(inOffset: 0) == (try date("2026-01-01")))
    #expect(evening.date(inOffset: 8 * 3600) == (try date("2026-01-02")))
    #expect(evening.date(inOffset: -5 * 3600) == (try date("2026-01-01")))
    let earlyChina = try instant("2026-01-01T01:30:00+08:00")
    #expect(earlyChina.localDate == (try date("2026-01-01")))
    #expect(earlyChina.date(inOffset: 0) == (try date("2025-12-31")))
    #expect(DateTime(epochSeconds: -1).date(inOffset: 0) == (try date("1969-12-31")))
    #expect(DateTime(epochSeconds: -1).date(inOffset: 1) == (try date("1970-01-01")))
    #expect(DateTime(epochSeconds: -86_400).date(inOffset: 0) == (try date("1969-12-31")))
  }

  @Test func extremesDoNotTrap() throws {
    for seconds in [Int64.max, .min, 0] {
      let value = DateTime(epochSeconds: seconds)
      #expect(!value.description.isEmpty)
      #expect(CivilDate.dayRange.contains(value.date(inOffset: 86_399).daysSinceEpoch))
      #expect(CivilDate.dayRange.contains(value.date(inOffset: -86_399).daysSinceEpoch))
    }
    #expect(throws: ArithmeticError.overflow) { try DateTime(epochSeconds: .max).adding(span("1s")) }
    #expect(throws: ArithmeticError.overflow) { try DateTime(epochSeconds: .max).adding(span("1mo")) }
    #expect(DateTime(epochSeconds: 0, nanoseconds: 1_000_000_000, offsetSeconds: 0) == nil)
    #expect(DateTime(epochSeconds: 0, nanoseconds: 0, offsetSeconds: 30) == nil)
    #expect(DateTime(epochSeconds: 0, nanoseconds: 0, offsetSeconds: 86_400) == nil)
    #expect(DateTime(epochSeconds: 0, nanoseconds: 5, offsetSeconds: -3600)?.description == "1969-12-31T23:00:00.000000005-01:00")
  }

  @Test func addingSpans() throws {
    #expect(try instant("2026-01-31T10:00:00+08:00").adding(span("1mo")).description == "2026-02-28T10:00:00+08:00")
    // The month step uses the datetime's own offset: 02:00 on 31 March in China is still 30 March in UTC.
    #expect(try instant("2026-03-31T02:00:00+08:00").adding(span("1mo")).description == "2026-04-30T02:00:00+08:00")
    #expect(try instant("2026-03-30T18:00:00Z").adding(span("1mo")).description == "2026-04-30T18:00:00Z")
    #expect(try instant("2026-01-01T09:30:00.250+08:00").adding(span("1d 1h")).description == "2026-01-02T10:30:00.250+08:00")
    #expect(try instant("2026-01-01T00:00:00Z").adding(span("1y 6mo").negated) == instant("2024-07-01T00:00:00Z"))
  }
}

@Suite struct TimeSpanTests {
  @Test(arguments: [
    ("24h", 0, 86_400), ("30d", 0, 2_592_000), ("2w", 0, 1_209_600), ("6mo", 6, 0), ("1y", 12, 0), ("90s", 0, 90),
    ("15min", 0, 900), ("1y 6mo", 18, 0), ("1y6mo", 18, 0), ("1y   6mo", 18, 0), ("1d12h", 0, 129_600),
    ("1_000s", 0, 1000), ("0s", 0, 0), ("1y 2d", 12, 172_800), ("1h 1h", 0, 7200),
  ])
  func parses(text: String, months: Int32, seconds: Int64) throws {
    #expect(try span(text) == TimeSpan(months: months, seconds: seconds))
  }

  @Test(arguments: [
    ("", ValueParseError.syntax(.timeSpan)), ("30", .syntax(.timeSpan)), ("d", .syntax(.timeSpan)),
    ("30 d", .syntax(.timeSpan)), ("-5d", .syntax(.timeSpan)), (" 5d", .syntax(.timeSpan)), ("5d ", .syntax(.timeSpan)),
    ("1.5h", .syntax(.timeSpan)), ("5d,2h", .syntax(.timeSpan)), ("5m", .ambiguousUnit), ("5x", .unknownUnit("x")),
    ("5D", .unknownUnit("D")), ("3days", .unknownUnit("days")), ("99999999999999999999s", .outOfRange(.timeSpan)),
    ("200000000y", .outOfRange(.timeSpan)), ("9223372036854775807s 1s", .outOfRange(.timeSpan)),
  ])
  func rejects(text: String, error: ValueParseError) {
    #expect(TimeSpan.parse(text) == .failure(error))
    #expect(!error.message.isEmpty)
  }

  @Test(arguments: [
    (0, 86_400, "1d"), (0, 90_000, "1d 1h"), (18, 0, "1y 6mo"), (0, 0, "0s"), (0, 604_800, "7d"),
    (0, 3_661, "1h 1min 1s"), (-18, 0, "-1y -6mo"), (12, -3600, "1y -1h"), (6, 0, "6mo"), (0, 59, "59s"),
  ])
  func describes(months: Int32, seconds: Int64, text: String) throws {
    let value = TimeSpan(months: months, seconds: seconds)
    #expect(value.description == text)
    if months >= 0, seconds >= 0 { #expect(try span(text) == value) }
  }

  @Test func comparesWhenCommensurable() throws {
    #expect(try span("24h").compare(span("1d")) == 0)
    #expect(try span("1d").compare(span("2d")) == -1)
    #expect(try span("1w").compare(span("6d")) == 1)
    #expect(try span("1y").compare(span("12mo")) == 0)
    #expect(try span("11mo").compare(span("1y")) == -1)
    #expect(try TimeSpan.zero.compare(span("1mo")) == -1)
    #expect(try TimeSpan.zero.compare(span("1s")) == -1)
    #expect(throws: ArithmeticError.incomparable) { try span("1mo").compare(span("30d")) }
    #expect(throws: ArithmeticError.incomparable) { try span("1y 1d").compare(span("1y")) }
  }

  @Test func arithmetic() throws {
    #expect(try span("1y").adding(span("6mo 2d")) == span("1y 6mo 2d"))
    #expect(try span("1d").subtracting(span("1h")) == span("23h"))
    #expect(try span("1mo 1h").multiplied(by: 3) == span("3mo 3h"))
    #expect(try span("1d").multiplied(by: -2) == span("2d").negated)
    #expect(try TimeSpan.zero.multiplied(by: .max) == .zero)
    #expect(try span("1s").multiplied(by: 3_000_000_000) == TimeSpan(seconds: 3_000_000_000))
    #expect(throws: ArithmeticError.overflow) { try span("1mo").multiplied(by: 3_000_000_000) }
    #expect(throws: ArithmeticError.overflow) { try span("1s").multiplied(by: .min) }
    let longest = TimeSpan(months: .max, seconds: .max)
    #expect(throws: ArithmeticError.overflow) { try longest.adding(span("1s")) }
    #expect(throws: ArithmeticError.overflow) { try longest.negated.subtracting(span("1mo")) }
    #expect(longest.negated.negated == longest)
  }
}
