/// An instant (seconds and nanoseconds since 1970-01-01T00:00:00Z) with the UTC offset it was written in.
/// The offset is kept only for display and calendar steps: equality, hashing and ordering use the instant,
/// so `09:30+08:00` equals `01:30Z`.
public struct DateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Whole seconds since the epoch, UTC; any `Int64` is valid.
  public let seconds: Int64
  /// Fraction of the second, 0 ..< 1,000,000,000.
  public let nanoseconds: Int32
  /// The offset the instant was written with: whole minutes, less than a day either way.
  public let offsetSeconds: Int32

  static let nanosecondsPerSecond: Int32 = 1_000_000_000

  /// The instant `seconds` after the epoch, shown in UTC.
  public init(epochSeconds seconds: Int64) {
    self.seconds = seconds
    nanoseconds = 0
    offsetSeconds = 0
  }

  /// Nil unless `nanoseconds` is in 0 ..< 10⁹ and the offset is whole minutes within ±23:59.
  public init?(epochSeconds seconds: Int64, nanoseconds: Int32, offsetSeconds: Int32) {
    guard (0..<DateTime.nanosecondsPerSecond).contains(nanoseconds), offsetSeconds % 60 == 0,
      offsetSeconds.magnitude < 86_400
    else { return nil }
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.offsetSeconds = offsetSeconds
  }

  private init(unchecked seconds: Int64, _ nanoseconds: Int32, _ offsetSeconds: Int32) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.offsetSeconds = offsetSeconds
  }

  /// Equal when they are the same instant, whatever their offsets.
  public static func == (a: DateTime, b: DateTime) -> Bool {
    a.seconds == b.seconds && a.nanoseconds == b.nanoseconds
  }

  /// Hashes the instant, not the offset.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(seconds)
    hasher.combine(nanoseconds)
  }

  /// Orders instants from earliest to latest.
  public static func < (a: DateTime, b: DateTime) -> Bool {
    a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
  }

  // MARK: Parsing

  /// Reads RFC 3339 / ISO 8601 `YYYY-MM-DDThh:mm[:ss[.fraction]]` followed by `Z` or `±hh:mm`.
  /// The offset is required: without one the instant would depend on where the rulebook runs.
  public static func parse(_ text: Substring) -> Result<DateTime, ValueParseError> {
    let bytes = text.utf8
    var index = bytes.startIndex
    let date: CivilDate
    switch CivilDate.scan(bytes, &index) {
    case .success(let scanned)?: date = scanned
    case .failure(let error)?: return .failure(error)
    case nil: return .failure(.syntax(.dateTime))
    }
    guard CivilDate.scanByte(bytes, &index, "T") || CivilDate.scanByte(bytes, &index, "t"),
      let hour = CivilDate.scanNumber(bytes, &index, digits: 2), CivilDate.scanByte(bytes, &index, ":"),
      let minute = CivilDate.scanNumber(bytes, &index, digits: 2)
    else { return .failure(.syntax(.dateTime)) }
    var second = 0
    var nanoseconds: Int32 = 0
    if CivilDate.scanByte(bytes, &index, ":") {
      guard let scanned = CivilDate.scanNumber(bytes, &index, digits: 2) else { return .failure(.syntax(.dateTime)) }
      second = scanned
      if CivilDate.scanByte(bytes, &index, ".") {
        var digits = 0
        while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
          if digits < 9 { nanoseconds = nanoseconds * 10 + Int32(bytes[index] - UInt8(ascii: "0")) }
          digits += 1
          bytes.formIndex(after: &index)
        }
        guard digits > 0 else { return .failure(.syntax(.dateTime)) }
        guard digits <= 9 else { return .failure(.tooManyDecimalPlaces(maximum: 9)) }
        for _ in digits..<9 { nanoseconds *= 10 }
      }
    }
    guard index < bytes.endIndex else { return .failure(.missingOffset) }
    var offset = 0
    if CivilDate.scanByte(bytes, &index, "Z") || CivilDate.scanByte(bytes, &index, "z") {
      offset = 0
    } else {
      let sign: Int
      if CivilDate.scanByte(bytes, &index, "+") { sign = 1 }
      else if CivilDate.scanByte(bytes, &index, "-") { sign = -1 }
      else { return .failure(.syntax(.dateTime)) }
      guard let offsetHour = CivilDate.scanNumber(bytes, &index, digits: 2), CivilDate.scanByte(bytes, &index, ":"),
        let offsetMinute = CivilDate.scanNumber(bytes, &index, digits: 2)
      else { return .failure(.syntax(.dateTime)) }
      guard offsetHour <= 23, offsetMinute <= 59 else { return .failure(.invalidTime) }
      offset = sign * (offsetHour * 3_600 + offsetMinute * 60)
    }
    guard index == bytes.endIndex else { return .failure(.syntax(.dateTime)) }
    guard hour <= 23, minute <= 59, second <= 59 else { return .failure(.invalidTime) }
    // A four-digit year keeps every value here far from Int64's limits.
    let local = Int64(date.daysSinceEpoch) * Int64(TimeSpan.secondsPerDay) + Int64(hour * 3_600 + minute * 60 + second)
    return .success(DateTime(unchecked: local - Int64(offset), nanoseconds, Int32(offset)))
  }

  /// Reads an ISO 8601 date-time with an offset (`2026-01-01T09:30:00+08:00`).
  public static func parse(_ text: String) -> Result<DateTime, ValueParseError> {
    parse(text[...])
  }

  // MARK: Calendar

  /// The calendar day and second of that day (0 ..< 86,400) at UTC offset `offset`. Cannot overflow.
  func local(inOffset offset: Int32) -> (date: CivilDate, secondOfDay: Int64) {
    let day = TimeSpan.secondsPerDay
    let (utcDay, utcSecond) = (seconds.floorDivided(by: day), seconds.floorModulo(day))
    let shifted = utcSecond + Int64(offset)
    let date = CivilDate(uncheckedDays: Int(utcDay + shifted.floorDivided(by: day)))
    return (date, shifted.floorModulo(day))
  }

  /// The calendar day this instant falls on at UTC offset `offset` (seconds east of UTC), for per-day grouping.
  /// Offsets are expected within a day either way; `date(inOffset: 8 * 3600)` is the day in China.
  public func date(inOffset offset: Int32) -> CivilDate { local(inOffset: offset).date }

  /// The calendar day in the offset the instant was written with.
  public var localDate: CivilDate { date(inOffset: offsetSeconds) }

  /// Months by the calendar in this datetime's own offset (clamped to the month's end, same wall-clock time),
  /// then the exact seconds.
  public func adding(_ span: TimeSpan) throws(ArithmeticError) -> DateTime {
    var moved = seconds
    if span.months != 0 {
      let (date, secondOfDay) = local(inOffset: offsetSeconds)
      let newDate = try date.adding(months: Int(span.months))
      let (dayStart, o1) = Int64(newDate.daysSinceEpoch).multipliedReportingOverflow(by: TimeSpan.secondsPerDay)
      let (local, o2) = dayStart.addingReportingOverflow(secondOfDay)
      let (utc, o3) = local.subtractingReportingOverflow(Int64(offsetSeconds))
      guard !o1, !o2, !o3 else { throw .overflow }
      moved = utc
    }
    let (result, overflow) = moved.addingReportingOverflow(span.seconds)
    guard !overflow else { throw .overflow }
    return DateTime(unchecked: result, nanoseconds, offsetSeconds)
  }

  /// RFC 3339 in the original offset: `2026-01-01T09:30:00+08:00`, `…:00.250Z`.
  /// Fractions are shown in groups of three digits; a zero offset is `Z`.
  public var description: String {
    let (date, secondOfDay) = local(inOffset: offsetSeconds)
    let hour = Int(secondOfDay / 3_600), minute = Int(secondOfDay / 60 % 60), second = Int(secondOfDay % 60)
    var text = "\(date)T\(CivilDate.padded(hour, 2)):\(CivilDate.padded(minute, 2)):\(CivilDate.padded(second, 2))"
    if nanoseconds != 0 {
      var fraction = CivilDate.padded(Int(nanoseconds), 9)
      while fraction.hasSuffix("000") { fraction.removeLast(3) }
      text += "." + fraction
    }
    if offsetSeconds == 0 { return text + "Z" }
    let magnitude = Int(offsetSeconds.magnitude)
    let sign = offsetSeconds < 0 ? "-" : "+"
    return text + sign + CivilDate.padded(magnitude / 3_600, 2) + ":" + CivilDate.padded(magnitude / 60 % 60, 2)
  }
}

extension Int64 {
  /// Division rounding toward negative infinity, so times before the epoch fall on the right day.
  fileprivate func floorDivided(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }

  /// The remainder matching `floorDivided(by:)`: for a positive divisor, in 0 ..< divisor.
  fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
    let remainder = self % divisor
    return (remainder != 0 && (remainder < 0) != (divisor < 0)) ? remainder + divisor : remainder
  }
}
