import Testing
@testable import Precept

// The worked examples of US Regulation Z, 12 CFR 1026 Appendix J (c), "Examples for the actuarial method".
// Each expected APR is the one the regulation prints, to two decimals; the promise is 0.01 point, and the test
// checks that the computed rate rounds to the printed one (within 0.005 point). Dates are the regulation's
// (all in 1978–1981); where an example gives only a term (c)(5)(ii)–(iv), any dates with that term are used.
// docs/apr.md lists the examples with the computed rates.

private func fx(_ text: String) throws -> Fixed { try Fixed.parse(text).get() }
private func day(_ text: String) throws -> CivilDate { try CivilDate.parse(text).get() }
private typealias Flow = (date: CivilDate, amount: Fixed)

/// `count` payments of `amount` from `first`, `step` apart: "Nm" months or "Nd" days.
private func series(_ amount: String, _ count: Int, from first: String, every step: String) throws -> [Flow] {
  let start = try day(first)
  let n = try #require(Int(step.dropLast()))
  return try (0..<count).map { k in
    let date = step.hasSuffix("m") ? try start.adding(months: n * k) : try start.adding(days: n * k)
    return (date, try fx(amount).negated)
  }
}

private func advance(_ amount: String, on date: String) throws -> [Flow] { [(try day(date), try fx(amount))] }
private func payment(_ amount: String, on date: String) throws -> [Flow] { [(try day(date), try fx(amount).negated)] }

/// The computed APR in percent rounds to the published one: |computed − published| ≤ 0.005 point.
private func expectAPR(_ flows: [Flow], _ published: String, unit: UnitPeriod, _ comment: Comment) throws {
  let (rate, inferred) = try Finance.actuarialRate(Finance.netted(flows))
  let percent = try rate.multiplied(by: Fixed(100))
  #expect(inferred == unit, comment)
  #expect(try percent.subtracting(fx(published)).magnitude <= fx("0.005"), "\(comment): computed \(percent)%, published \(published)%")
  // The public entry point gives the same rate.
  #expect(try Finance.apr(flows).get() == rate)
}

@Suite struct AppendixJTests {
  // MARK: (c)(1) Single advance, with or without an odd first period, otherwise regular

  @Test func c1iMonthlyRegularFirstPeriod() throws {
    // $5,000 on 1-10-78; 24 × $230 monthly from 2-10-78. Published 9.69%.
    try expectAPR(advance("5000", on: "1978-01-10") + series("230", 24, from: "1978-02-10", every: "1m"), "9.69",
      unit: .months(1), "(c)(1)(i)")
  }

  @Test func c1iiMonthlyLongFirstPeriod() throws {
    // $6,000 on 2-10-78; 36 × $200 monthly from 4-1-78: 1 unit period and 19 odd days (19/30). Published 11.82%.
    try expectAPR(advance("6000", on: "1978-02-10") + series("200", 36, from: "1978-04-01", every: "1m"), "11.82",
      unit: .months(1), "(c)(1)(ii)")
  }

  @Test func c1iiiSemimonthlyShortFirstPeriod() throws {
    // $5,000 on 2-23-78; 24 × $219.17 on the 1st and 16th from 3-1-78: 6 odd days (6/15). Published 10.34%.
    let firsts = try series("219.17", 12, from: "1978-03-01", every: "1m")
    let sixteenths = try series("219.17", 12, from: "1978-03-16", every: "1m")
    try expectAPR(advance("5000", on: "1978-02-23") + firsts + sixteenths, "10.34", unit: .semimonth, "(c)(1)(iii)")
  }

  @Test func c1ivQuarterlyLongFirstPeriod() throws {
    // $10,000 on 5-23-78; 40 × $385 quarterly from 10-1-78: 1 unit period and 39 days (39/90). Published 8.97%.
    try expectAPR(advance("10000", on: "1978-05-23") + series("385", 40, from: "1978-10-01", every: "3m"), "8.97",
      unit: .months(3), "(c)(1)(iv)")
  }

  @Test func c1vWeeklyLongFirstPeriod() throws {
    // $500 on 3-20-78; 30 × $17.60 weekly from 4-21-78: 4 unit periods and 4 days (4/7). Published 14.96%.
    try expectAPR(advance("500", on: "1978-03-20") + series("17.60", 30, from: "1978-04-21", every: "7d"), "14.96",
      unit: .weeks(1), "(c)(1)(v)")
  }

  // MARK: (c)(2) Odd first payment

  @Test func c2iMonthlyIrregularFirstPayment() throws {
    // $5,000 on 1-10-78; $250 on 2-10-78, then 23 × $230 monthly from 3-10-78. Published 10.08%.
    try expectAPR(
      advance("5000", on: "1978-01-10") + payment("250", on: "1978-02-10") + series("230", 23, from: "1978-03-10", every: "1m"),
      "10.08", unit: .months(1), "(c)(2)(i)")
  }

  @Test func c2iiFourWeeklyLongFirstPeriodIrregularFirstPayment() throws {
    // $400 on 3-18-78; $39.50 on 4-20-78 (1 unit period and 5 days, 5/28), then 11 × $38.31 every 4 weeks
    // from 5-18-78; 13 unit periods a year. Published 28.50%.
    try expectAPR(
      advance("400", on: "1978-03-18") + payment("39.50", on: "1978-04-20") + series("38.31", 11, from: "1978-05-18", every: "28d"),
      "28.50", unit: .weeks(4), "(c)(2)(ii)")
  }

  // MARK: (c)(3) Odd final payment

  @Test func c3iMonthlyIrregularFinalPayment() throws {
    // $5,000 on 1-10-78; 23 × $230 monthly from 2-10-78, then $280 on 1-10-80. Published 10.50%.
    try expectAPR(
      advance("5000", on: "1978-01-10") + series("230", 23, from: "1978-02-10", every: "1m") + payment("280", on: "1980-01-10"),
      "10.50", unit: .months(1), "(c)(3)(i)")
  }

  @Test func c3iiBiweeklyShortFirstPeriodIrregularFinalPayment() throws {
    // $200 on 4-3-78; 19 × $9.50 every 2 weeks from 4-11-78 (8 days, 8/14), then $30 two weeks after the last;
    // 26 unit periods a year. Published 12.22%.
    let last = try day("1978-04-11").adding(days: 14 * 19).description
    try expectAPR(
      advance("200", on: "1978-04-03") + series("9.50", 19, from: "1978-04-11", every: "14d") + payment("30", on: last),
      "12.22", unit: .weeks(2), "(c)(3)(ii)")
  }

  // MARK: (c)(4) Odd first and final payments

  @Test func c4iMonthlyIrregularFirstAndFinalPayments() throws {
    // $5,000 on 1-10-78; $250 on 2-10-78, 22 × $230 from 3-10-78, $280 on 1-10-80. Published 10.90%.
    try expectAPR(
      advance("5000", on: "1978-01-10") + payment("250", on: "1978-02-10") + series("230", 22, from: "1978-03-10", every: "1m")
        + payment("280", on: "1980-01-10"),
      "10.90", unit: .months(1), "(c)(4)(i)")
  }

  @Test func c4iiBimonthlyShortFirstPeriodIrregularFirstAndFinalPayments() throws {
    // $8,000 on 1-10-78; $449.36 on 3-1-78 (1 month and 22 days back from it: 52/60 of a unit period),
    // 18 × $465 every 2 months from 5-1-78, $200 on 5-1-81; 6 unit periods a year. Published 7.30%.
    try expectAPR(
      advance("8000", on: "1978-01-10") + payment("449.36", on: "1978-03-01") + series("465", 18, from: "1978-05-01", every: "2m")
        + payment("200", on: "1981-05-01"),
      "7.30", unit: .months(2), "(c)(4)(ii)")
  }

  // MARK: (c)(5) Single advance, single payment

  @Test func c5iTermOfDays() throws {
    // $1,000 on 1-3-78, $1,080 on 9-15-78: a term of 255 days, the unit period, 365/255 a year. Published 11.45%.
    try expectAPR(advance("1000", on: "1978-01-03") + payment("1080", on: "1978-09-15"), "11.45", unit: .days(255), "(c)(5)(i)")
  }

  @Test func c5iiTermOfWholeMonths() throws {
    // $1,000 repaid by $1,044 after 6 months: unit period 6 months, 2 a year. Published 8.80%.
    try expectAPR(advance("1000", on: "1978-07-15") + payment("1044", on: "1979-01-15"), "8.80", unit: .months(6), "(c)(5)(ii)")
  }

  @Test func c5iiiTermOverAYear() throws {
    // $1,000 repaid by $1,135.19 after 18 months: unit period a year, 1 unit period and 6/12. Published 8.76%.
    try expectAPR(advance("1000", on: "1978-03-15") + payment("1135.19", on: "1979-09-15"), "8.76", unit: .months(12), "(c)(5)(iii)")
  }

  @Test func c5ivTermOfWholeYears() throws {
    // $1,000 repaid by $1,240 after 2 years: 2 unit periods of a year. Published 11.36%.
    try expectAPR(advance("1000", on: "1978-01-10") + payment("1240", on: "1980-01-10"), "11.36", unit: .months(12), "(c)(5)(iv)")
  }

  // MARK: (c)(6) Irregular series, given as unit periods and fractions

  /// Solves (b)(8) for flows given as (amount, t, f) and annualizes by `perYear`: the equation alone, as (c)(6) prints it.
  private func solve(_ flows: [(String, Int, Int, Int)], perYear: Int) throws -> Fixed {
    let schedule = try GridSchedule(
      offsets: flows.map(\.1), fractions: flows.map { try Wide.ratio(Fixed($0.2), Fixed($0.3)) }, amounts: flows.map { try fx($0.0) })
    return try RateSolver.solve(schedule.balance(at:)).multiplied(by: Wide(Fixed(perYear * 100))).fixed
  }

  private func run(_ amount: String, _ count: Int, from t: Int, _ f: Int, _ of: Int) -> [(String, Int, Int, Int)] {
    (0..<count).map { ("-" + amount, t + $0, f, of) }
  }

  @Test func c6iSkippedPayments() throws {
    // $2,135 advanced; $100 payments in four runs with fractions 26/28 and 12/28 of a 4-week unit period,
    // 13 a year. Published 12.00%.
    let flows = [("2135", 0, 0, 1)] + run("100", 9, from: 0, 26, 28) + run("100", 6, from: 10, 12, 28)
      + run("100", 6, from: 16, 26, 28) + run("100", 3, from: 23, 12, 28)
    #expect(try solve(flows, perYear: 13).subtracting(fx("12.00")).magnitude <= fx("0.005"))
  }

  @Test func c6iiSkippedAndSinglePayments() throws {
    // $7,350 advanced; 3 × $1,000, $2,000, 3 × $750 with 12/30 and a final $1,000 with 29/30 of a month,
    // 12 a year. Published 10.22%.
    let flows = [("7350", 0, 0, 1)] + run("1000", 3, from: 6, 12, 30) + [("-2000", 12, 12, 30)]
      + run("750", 3, from: 18, 12, 30) + [("-1000", 22, 29, 30)]
    #expect(try solve(flows, perYear: 12).subtracting(fx("10.22")).magnitude <= fx("0.005"))
  }
}
