// The time grid of US Regulation Z Appendix J (12 CFR 1026), the actuarial method: which unit period a dated
// schedule runs on ((b)(3)–(4)) and how far each flow lies from the start of the term, in whole unit periods t
// plus a fraction f ((b)(5)). `Finance.apr` then solves the general equation (b)(8),
// Σ aₖ / ((1 + fₖ·i)(1 + i)^tₖ) = 0, whose fraction earns simple interest ((b)(6)), so no fractional power arises.
//
// Choices the text leaves to the creditor, and the ones taken here:
// - A payment moved a few days off its schedule for a weekend or holiday is counted on the schedule
//   (§ 1026.17(c)(4)(ii)): within min(3, unit days / 7) days of a grid point — 1 day for weekly, 2 for biweekly
//   and semimonthly, 3 from four weeks up. The grid runs from the first payment, by whole units.
// - A common period is one that joins two consecutive grid points; the unit period is the one joining most
//   ((b)(4)(i)), ties going to the shorter; without a common period, the standard interval nearest the average
//   period ((b)(4)(i)(B)), ties going to the shorter. A period of whole days that recurs (every 30 days) is itself
//   a unit period of that many days ((b)(5)(iv)), 365 / days a year.

/// The unit period of Appendix J (b)(4): a standard interval of time, or a term of whole days.
enum UnitPeriod: Sendable, Hashable, CustomStringConvertible {
  /// n days: a day (365 a year), a recurring period of whole days, or a single payment's term under a year.
  case days(Int)
  /// k weeks (1…52): 52 / k a year.
  case weeks(Int)
  /// Half a month, counted as 15 days of 30-day months: 24 a year.
  case semimonth
  /// k months (1…12): 12 / k a year; 12 months is the year of (b)(5)(v).
  case months(Int)

  /// Unit periods per year as a fraction (b)(5).
  var perYear: (numerator: Int, denominator: Int) {
    switch self {
    case .days(let n): (365, n)
    case .weeks(let k): (52, k)
    case .semimonth: (24, 1)
    case .months(let k): (12, k)
    }
  }

  /// Nominal length in 24ths of a day (a month is 365/12 days), to order intervals and find the nearest.
  var length24: Int {
    switch self {
    case .days(let n): 24 * n
    case .weeks(let k): 168 * k
    case .semimonth: 365
    case .months(let k): 730 * k
    }
  }

  /// Days a payment may sit off its grid point and still count on it (see the conventions above).
  var toleranceDays: Int {
    if case .days = self { return 0 }
    return Swift.min(3, length24 / 168)
  }

  var description: String {
    switch self {
    case .days(let n): "\(n) day\(n == 1 ? "" : "s")"
    case .weeks(let k): "\(k) week\(k == 1 ? "" : "s")"
    case .semimonth: "semimonth"
    case .months(let k): "\(k) month\(k == 1 ? "" : "s")"
    }
  }
}

/// A time from the start of the term: `whole` unit periods plus the fraction `numerator / denominator` (< 1).
struct UnitTime: Sendable, Hashable {
  var whole: Int
  var numerator: Int
  var denominator: Int

  init(whole: Int, numerator: Int = 0, denominator: Int = 1) {
    // A fraction of exactly one unit (30 days of a 30-day month) is one more whole unit: (1 + i)(1 + i)^t.
    self.whole = whole + numerator / denominator
    self.numerator = numerator % denominator
    self.denominator = denominator
  }

  var fraction: Wide {
    (try? Wide.ratio(Fixed(numerator), Fixed(denominator))) ?? .zero
  }
}

/// A dated schedule on Appendix J's grid: the unit period and each flow's time from the first date.
struct AppendixJSchedule: Sendable {
  let unit: UnitPeriod
  let times: [UnitTime]

  /// `dates` distinct and ascending, with the sign of each flow's amount (true: same side as the first flow).
  init(dates: [CivilDate], sameSideAsFirst: [Bool]) throws(ArithmeticError) {
    guard dates.count >= 2, dates.count == sameSideAsFirst.count else { throw .overflow }
    let start = dates[0]
    if dates.count == 2 {
      unit = try Self.singlePaymentUnit(start, dates[1])
      times = [UnitTime(whole: 0), try unit.time(from: start, to: dates[1], monthEnd: false)]
      return
    }
    // The payments are the flows on the other side from the first; without any, the later flows.
    let payments = dates.indices.filter { $0 > 0 && !sameSideAsFirst[$0] }
    let series = payments.isEmpty ? Array(dates.indices.dropFirst()) : payments
    let advances = dates.indices.filter { sameSideAsFirst[$0] }
    // (b)(3)(i): the periods between payments, between advances, and from the start to the first payment.
    var periods: [(Int, Int)] = [(0, series[0])]
    for (a, b) in zip(series, series.dropFirst()) { periods.append((a, b)) }
    for (a, b) in zip(advances, advances.dropFirst()) where a != 0 || b != series[0] { periods.append((a, b)) }
    let unit = try Self.unitPeriod(dates, periods: periods, anchors: series)
    let grid = Grid(unit: unit, dates: dates, series: series)
    var times: [UnitTime] = [UnitTime(whole: 0)]
    times.reserveCapacity(dates.count)
    let anchorTime = try unit.time(from: start, to: dates[series[0]], monthEnd: grid.monthEnd)
    for date in dates.dropFirst() {
      if let j = try grid.index(of: date)?.j, j >= 0 {
        times.append(UnitTime(whole: anchorTime.whole + j, numerator: anchorTime.numerator, denominator: anchorTime.denominator))
      } else {
        times.append(try unit.time(from: start, to: date, monthEnd: grid.monthEnd))
      }
    }
    self.unit = unit
    self.times = times
  }

  /// (b)(4)(ii), (b)(5)(v)–(vii): a single advance repaid by a single payment runs on its term, at most a year.
  static func singlePaymentUnit(_ start: CivilDate, _ end: CivilDate) throws(ArithmeticError) -> UnitPeriod {
    let (months, days) = try UnitPeriod.monthsBack(from: end, to: start, monthEnd: start.isMonthEnd && end.isMonthEnd)
    if months >= 12 { return .months(12) }
    if days == 0, months >= 1 { return .months(months) }
    return .days(start.days(to: end))
  }

  /// The common period joining most consecutive grid points ((b)(4)(i)); else the standard interval nearest the
  /// average period ((b)(4)(i)(B)). Ties go to the shorter interval.
  static func unitPeriod(_ dates: [CivilDate], periods: [(Int, Int)], anchors: [Int]) throws(ArithmeticError) -> UnitPeriod {
    let lengths = periods.map { dates[$0.0].days(to: dates[$0.1]) }.sorted()
    let median = lengths[lengths.count / 2]
    // Ranked by periods joined, then by fewest days off the grid (13 weeks is not a quarter), then shortest.
    var best: (unit: UnitPeriod, count: Int, off: Int)?
    for unit in candidates(median: median, lengths: lengths).sorted(by: { $0.length24 < $1.length24 }) {
      let grid = Grid(unit: unit, dates: dates, series: anchors)
      var indices: [(j: Int, off: Int)?] = []
      indices.reserveCapacity(dates.count)
      for date in dates { indices.append(try grid.index(of: date)) }
      var count = 0, off = 0
      for (a, b) in periods {
        if let ja = indices[a], let jb = indices[b], jb.j == ja.j + 1 {
          count += 1
          off += ja.off + jb.off
        }
      }
      if count > best?.count ?? 0 || (count == best?.count && off < best?.off ?? .max) { best = (unit, count, off) }
      if count == periods.count, off == 0 { break }
    }
    if let best, best.count >= 2 { return best.unit }
    let total = lengths.reduce(0, +)
    return nearestStandardInterval(length24: 24 * total, over: lengths.count)
  }

  /// Intervals near the median period: the weeks and months either side of it, half a month, and the median
  /// itself as whole days when it is no whole number of weeks.
  static func candidates(median: Int, lengths: [Int]) -> [UnitPeriod] {
    var units: [UnitPeriod] = []
    let weeks = Swift.min(52, (median + 3) / 7)
    for k in Swift.max(1, weeks - 1)...Swift.max(1, weeks + 1) where k <= 52 { units.append(.weeks(k)) }
    if median >= 11, median <= 20 { units.append(.semimonth) }
    if median >= 20 {
      let months = Swift.min(12, (median * 32 + 487) / 974)  // nearest whole number of 30.436875-day months
      for k in Swift.max(1, months - 1)...Swift.max(1, months + 1) where k <= 12 { units.append(.months(k)) }
    }
    if median % 7 != 0, median >= 1, median <= 366, lengths.filter({ $0 == median }).count >= 2 { units.append(.days(median)) }
    return units
  }

  /// The standard interval ((b)(3)(iii): a day, week, semimonth, month, or a multiple of a week or month up to a
  /// year) nearest `length24 / count` 24ths of a day; the shorter on a tie.
  static func nearestStandardInterval(length24: Int, over count: Int) -> UnitPeriod {
    var units: [UnitPeriod] = [.days(1), .semimonth]
    units += (1...52).map { .weeks($0) }
    units += (1...12).map { .months($0) }
    var best = UnitPeriod.days(1), bestDistance = Int.max
    for unit in units.sorted(by: { $0.length24 < $1.length24 }) {
      let distance = abs(unit.length24 * count - length24)
      if distance < bestDistance { (best, bestDistance) = (unit, distance) }
    }
    return best
  }
}

/// Grid points of a unit period from the first payment: point j is j units after it (j < 0 before).
/// Semimonthly points alternate between the first and second payment's day of the month.
struct Grid {
  let unit: UnitPeriod
  let anchor: CivilDate
  let second: CivilDate
  /// (b)(3)(iv): a series on the last day of each month is measured from month end to month end.
  let monthEnd: Bool

  init(unit: UnitPeriod, dates: [CivilDate], series: [Int]) {
    let anchor = dates[series[0]]
    let next = series.count > 1 ? dates[series[1]] : nil
    self.unit = unit
    self.anchor = anchor
    if let next, (11...20).contains(anchor.days(to: next)) {
      second = next
    } else {
      second = (try? anchor.adding(days: 15)) ?? anchor
    }
    monthEnd = anchor.isMonthEnd && (next?.isMonthEnd ?? true)
  }

  func point(_ j: Int) throws(ArithmeticError) -> CivilDate {
    switch unit {
    case .days(let n): try anchor.adding(days: n * j)
    case .weeks(let k): try anchor.adding(days: 7 * k * j)
    case .months(let k): try UnitPeriod.shifted(anchor, months: k * j, monthEnd: monthEnd)
    case .semimonth:
      j.isMultiple(of: 2)
        ? try UnitPeriod.shifted(anchor, months: j / 2, monthEnd: monthEnd)
        : try UnitPeriod.shifted(second, months: (j - 1) / 2, monthEnd: second.isMonthEnd && monthEnd)
    }
  }

  /// The grid index within tolerance of `date` and the days it is off, or nil when it is off the grid.
  func index(of date: CivilDate) throws(ArithmeticError) -> (j: Int, off: Int)? {
    // Nearest index by nominal length, then its neighbours, since months and semimonths vary in days.
    let scaled = anchor.days(to: date) * 24, length = unit.length24
    let estimate = (scaled >= 0 ? scaled + length / 2 : scaled - length / 2) / length
    for j in [estimate, estimate - 1, estimate + 1] {
      let off = abs(try point(j).days(to: date))
      if off <= unit.toleranceDays { return (j, off) }
    }
    return nil
  }
}

extension UnitPeriod {
  /// `date` moved by whole months, to the month's last day when measuring month end to month end.
  static func shifted(_ date: CivilDate, months: Int, monthEnd: Bool) throws(ArithmeticError) -> CivilDate {
    let moved = try date.adding(months: months)
    guard monthEnd else { return moved }
    let (year, month, day) = moved.components
    return try moved.adding(days: CivilDate.daysInMonth(year: year, month: month) - day)
  }

  /// Whole months measured back from `date` while still on or after `start`, and the days left from `start`.
  static func monthsBack(from date: CivilDate, to start: CivilDate, monthEnd: Bool) throws(ArithmeticError) -> (months: Int, days: Int) {
    let (y1, m1, _) = start.components, (y2, m2, _) = date.components
    var months = Swift.max(0, (y2 - y1) * 12 + m2 - m1)
    // (b)(3)(iv): a loan made on the 29th–31st is a whole month old on the last day of a shorter month.
    if months > 0, try shifted(start, months: months, monthEnd: monthEnd && start.isMonthEnd) == date { return (months, 0) }
    var back = try shifted(date, months: -months, monthEnd: monthEnd && date.isMonthEnd)
    while back > date || (back < start && months > 0) {
      months -= 1
      back = try shifted(date, months: -months, monthEnd: monthEnd && date.isMonthEnd)
    }
    return (months, start.days(to: back))
  }

  /// (b)(5): the time from `start` to `date` in this unit. Months and semimonths count 30 days to the month
  /// ((b)(5)(ii)–(iii)); a year takes the months left over in twelfths, or else the days in 365ths ((b)(5)(v));
  /// weeks and days divide the days ((b)(5)(iv)).
  func time(from start: CivilDate, to date: CivilDate, monthEnd: Bool) throws(ArithmeticError) -> UnitTime {
    switch self {
    case .days(let n):
      let days = start.days(to: date)
      return UnitTime(whole: days / n, numerator: days % n, denominator: n)
    case .weeks(let k):
      let days = start.days(to: date)
      return UnitTime(whole: days / (7 * k), numerator: days % (7 * k), denominator: 7 * k)
    case .semimonth:
      let (months, days) = try UnitPeriod.monthsBack(from: date, to: start, monthEnd: monthEnd)
      let total = 30 * months + days
      return UnitTime(whole: total / 15, numerator: total % 15, denominator: 15)
    case .months(12):
      let (months, days) = try UnitPeriod.monthsBack(from: date, to: start, monthEnd: monthEnd)
      let years = months / 12
      if days == 0 { return UnitTime(whole: years, numerator: months % 12, denominator: 12) }
      let back = try UnitPeriod.shifted(date, months: -12 * years, monthEnd: monthEnd && date.isMonthEnd)
      return UnitTime(whole: years, numerator: start.days(to: back), denominator: 365)
    case .months(let k):
      let (months, days) = try UnitPeriod.monthsBack(from: date, to: start, monthEnd: monthEnd)
      let total = 30 * months + days
      return UnitTime(whole: total / (30 * k), numerator: total % (30 * k), denominator: 30 * k)
    }
  }
}

extension CivilDate {
  /// Whether this is the last day of its month.
  var isMonthEnd: Bool {
    let (year, month, day) = components
    return day == CivilDate.daysInMonth(year: year, month: month)
  }
}
