import PreceptTestSupport
import Foundation
import Testing
@testable import Precept

private func fx(_ text: String) throws -> Fixed { try Fixed.parse(text).get() }
private func day(_ text: String) throws -> CivilDate { try CivilDate.parse(text).get() }
private typealias Flow = (date: CivilDate, amount: Fixed)

/// `|actual − expected| ≤ tolerance`.
private func close(_ actual: Fixed, _ expected: Fixed, _ tolerance: Fixed) throws -> Bool {
  try actual.subtracting(expected).magnitude <= tolerance
}

/// Received `received` on `start`, then `months` monthly payments of `payment`.
private func loan(_ start: String, received: Fixed, payment: Fixed, months: Int) throws -> [Flow] {
  let first = try day(start)
  var flows: [Flow] = [(first, received)]
  for k in 1...months { flows.append((try first.adding(months: k), payment.negated)) }
  return flows
}

@Suite struct FinanceTests {
  static let tight = Fixed(units: 10_000)  // 1e-8

  // MARK: The disclosure cases

  @Test func equalInstalmentLoanGivesBackItsNominalRate() throws {
    let monthly = try fx("0.179").divided(by: Fixed(12))
    let payment = try Finance.pmt(rate: monthly, periods: 12, principal: Fixed(10_000)).get().rounded(places: 2)
    #expect(payment == (try fx("916.32")))
    let apr = try Finance.apr(loan("2025-01-15", received: Fixed(10_000), payment: payment, months: 12)).get()
    #expect(try close(apr, fx("0.179"), fx("0.0001")))
    // The cent rounding of the instalment moves it slightly below 17.9 % (Python decimal: 0.178991418563).
    #expect(try close(apr, fx("0.178991418563"), Self.tight))
  }

  @Test func feeDeductedUpfrontShowsAsHigherAPR() throws {
    let payment = try fx("916.32")
    let clean = try Finance.apr(loan("2025-01-15", received: Fixed(10_000), payment: payment, months: 12)).get()
    let withFee = try Finance.apr(loan("2025-01-15", received: Fixed(9_700), payment: payment, months: 12)).get()
    // Python decimal bisection: 0.238065009933 — the contract says 17.9 %, the customer pays 23.81 %.
    #expect(try close(withFee, fx("0.238065009933"), Self.tight))
    #expect(try withFee.subtracting(clean) > fx("0.05"))
    #expect(withFee.formatted(places: 4) == "0.2381")
  }

  @Test func flatMonthlyFeeIsAboutThirteenPercent() throws {
    // 0.6 % a month on the original principal, 12 instalments: Python decimal bisection gives 0.130342242811.
    let apr = try Finance.flatFeeAPR(monthlyFeeRate: fx("0.006"), months: 12).get()
    #expect(try close(apr, fx("0.130342242811"), Self.tight))
    #expect(apr.percentDescription.hasPrefix("13.03"))
  }

  @Test func flatFeeAgreesWithTheEquivalentSchedule() throws {
    // 12,000 borrowed, 12 × (1,000 + 72) repaid: the same plan as dated flows.
    let flows = try loan("2025-03-31", received: Fixed(12_000), payment: Fixed(1_072), months: 12)
    let fromFlows = try Finance.apr(flows).get()
    let closedForm = try Finance.flatFeeAPR(monthlyFeeRate: fx("0.006"), months: 12).get()
    #expect(try close(fromFlows, closedForm, Self.tight))
  }

  @Test func irrOfOneYearAtTenPercent() throws {
    let flows: [Flow] = [(try day("2025-01-01"), Fixed(-1_000)), (try day("2026-01-01"), Fixed(1_100))]
    #expect(try Finance.irr(flows).get() == fx("0.1"))
    // A one-year unit period: the APR is the plain annual rate too.
    #expect(try Finance.apr(flows).get() == fx("0.1"))
  }

  @Test func signConventionDoesNotChangeTheRate() throws {
    let flows = try loan("2024-06-30", received: Fixed(5_000), payment: fx("440.5"), months: 12)
    let mirrored = flows.map { ($0.date, $0.amount.negated) }
    #expect(try Finance.apr(flows).get() == Finance.apr(mirrored).get())
    #expect(try Finance.irr(flows).get() == Finance.irr(mirrored).get())
  }

  // MARK: Errors

  @Test func rejectsSchedulesWithoutARate() throws {
    let d0 = try day("2025-01-01"), d1 = try day("2025-02-01")
    #expect(Finance.apr([(d0, Fixed(100)), (d1, Fixed(50))]) == .failure(.noSignChange))
    #expect(Finance.irr([(d0, Fixed(-100)), (d1, Fixed(-50))]) == .failure(.noSignChange))
    #expect(Finance.irr([(d0, Fixed(-100))]) == .failure(.tooFewFlows))
    #expect(Finance.apr([]) == .failure(.tooFewFlows))
    // Everything on one date, or netting to nothing on the second date: no time for a rate to act.
    #expect(Finance.irr([(d0, Fixed(-100)), (d0, Fixed(100))]) == .failure(.tooFewFlows))
    #expect(Finance.apr([(d0, Fixed(-100)), (d1, Fixed(5)), (d1, Fixed(-5))]) == .failure(.tooFewFlows))
    for error in [FinanceError.noSignChange, .tooFewFlows, .noConvergence, .overflow] { #expect(!error.message.isEmpty) }
  }

  @Test func absurdRatesReportInsteadOfTrapping() throws {
    let d0 = try day("2025-01-01"), d1 = try day("2025-01-02")
    // 1 → 100 overnight: a daily rate of 9,900 %, whose 365th power no decimal can hold. The APR is nominal,
    // 9,900 % × 365 a year, and needs no power.
    #expect(Finance.irr([(d0, Fixed(1)), (d1, Fixed(-100))]) == .failure(.overflow))
    #expect(Finance.apr([(d0, Fixed(1)), (d1, Fixed(-100))]) == .success(Fixed(36_135)))
    // Beyond 100,000 % a day the search gives up rather than running on.
    #expect(Finance.irr([(d0, Fixed(1)), (d1, try fx("-100000000"))]) == .failure(.noConvergence))
    // Amounts whose total passes the largest Fixed.
    #expect(Finance.irr([(d0, Fixed.max), (d1, Fixed.min)]) == .failure(.overflow))
    #expect(Finance.irr([(d0, Fixed.max), (d0, Fixed(1)), (d1, Fixed(-1))]) == .failure(.overflow))
    // A payment on a 1 % loss after a century of days still solves.
    let long: [Flow] = [(d0, Fixed(-100)), (try d0.adding(days: 36_500), Fixed(99))]
    #expect(try close(Finance.irr(long).get(), fx("-0.0001005"), fx("0.000001")))
  }

  @Test func pmtEdges() throws {
    #expect(try Finance.pmt(rate: fx("0.01"), periods: 0, principal: Fixed(100)) == .failure(.tooFewFlows))
    #expect(try Finance.pmt(rate: .zero, periods: 3, principal: Fixed(100)).get() == fx("33.333333333333"))
    // −200 % a period over an even count: (1 + r)^n = 1, an infinite payment.
    #expect(Finance.pmt(rate: Fixed(-2), periods: 2, principal: Fixed(100)) == .failure(.overflow))
    // A perpetuity in all but name: the payment is the interest, principal × r.
    #expect(try close(Finance.pmt(rate: fx("0.01"), periods: .max, principal: Fixed(1_000)).get(), Fixed(10), Self.tight))
    #expect(try Finance.pmt(rate: Fixed(-1), periods: 5, principal: Fixed(100)).get() == .zero)
  }

  @Test func flatFeeEdges() throws {
    #expect(try Finance.flatFeeAPR(monthlyFeeRate: fx("0.006"), months: 0) == .failure(.tooFewFlows))
    #expect(try Finance.flatFeeAPR(monthlyFeeRate: .zero, months: 12).get() == .zero)
    #expect(try Finance.flatFeeAPR(monthlyFeeRate: fx("-0.5"), months: 2) == .failure(.noSignChange))
    // Absurd lengths finish (O(log n) per step) and report rather than trap.
    #expect(try Finance.flatFeeAPR(monthlyFeeRate: fx("0.006"), months: .max) == .failure(.overflow))
    // A century of instalments: Python decimal bisection gives 0.018554728990535.
    let century = try Finance.flatFeeAPR(monthlyFeeRate: fx("0.001"), months: 1_200).get()
    #expect(try close(century, fx("0.018554728991"), Self.tight))
  }

  // MARK: Unit period

  // The unit period of Appendix J (b)(4), from the dates alone (one advance, then payments).
  @Test(arguments: [
    // Month ends clamp from the first date: 31 Jan → 29 Feb → 31 Mar is monthly.
    (["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"], UnitPeriod.months(1)),
    // A payment moved three days off a weekend or holiday keeps the grid; four days leave it off the grid, and with
    // no common period left the average period, about a month, is the unit (b)(4)(i)(B).
    (["2025-03-03", "2025-04-03", "2025-05-06", "2025-06-03"], .months(1)),
    (["2025-03-03", "2025-04-03", "2025-05-07", "2025-06-03"], .months(1)),
    (["2024-02-29", "2024-05-29", "2024-08-29", "2024-11-29"], .months(3)),
    (["2024-03-01", "2025-03-01"], .months(12)),
    (["2024-01-10", "2024-07-10"], .months(6)),
    // Every 30 days: a recurring period of 30 days, which ties with the month at first and beats it as months drift.
    (["2025-01-01", "2025-01-31", "2025-03-02", "2025-04-01", "2025-05-01", "2025-05-31"], .days(30)),
    ([
      "2025-01-01", "2025-01-31", "2025-03-02", "2025-04-01", "2025-05-01", "2025-05-31", "2025-06-30", "2025-07-30",
      "2025-08-29", "2025-09-28", "2025-10-28",
    ], .days(30)),
    // A first period of 45 days is an odd period of a monthly loan; five years is a single payment on yearly units.
    (["2025-01-01", "2025-02-15", "2025-03-15", "2025-04-15"], .months(1)),
    // With one month after the odd period, no period occurs twice: the average, 36.5 days, is nearest 5 weeks.
    (["2025-01-01", "2025-02-15", "2025-03-15"], .weeks(5)),
    (["2020-01-01", "2025-01-01"], .months(12)),
    // A skipped month leaves no common period: the average of 31 and 59 days is nearest 6 weeks (b)(4)(i)(B).
    (["2025-01-15", "2025-02-15", "2025-04-15"], .weeks(6)),
    // Payday: a single payment after 14 days runs on its term (b)(4)(ii).
    (["2025-06-01", "2025-06-15"], .days(14)),
  ])
  func infersUnitPeriod(dates: [String], unit: UnitPeriod) throws {
    let parsed = try dates.map(day)
    let schedule = try AppendixJSchedule(dates: parsed, sameSideAsFirst: parsed.indices.map { $0 == 0 })
    #expect(schedule.unit == unit)
  }

  @Test func severalRatesGiveTheSmallestNonNegative() throws {
    // −100, +230, −132 yearly balances at both 10 % and 20 %.
    let d0 = try day("2020-06-01")
    let flows: [Flow] = [(d0, Fixed(-100)), (try d0.adding(months: 12), Fixed(230)), (try d0.adding(months: 24), Fixed(-132))]
    #expect(try close(Finance.apr(flows).get(), fx("0.1"), Self.tight))
  }

  // MARK: The search

  @Test func searchSettlesInAFewEvaluations() throws {
    let flows = try Finance.netted(loan("2025-01-15", received: Fixed(9_700), payment: fx("916.32"), months: 12))
    for offsets in [Array(flows.indices), flows.map { flows[0].date.days(to: $0.date) }] {
      let schedule = try GridSchedule(offsets: offsets, amounts: flows.map(\.amount))
      var evaluations = 0
      _ = try RateSolver.solve { (rate: Wide) throws(FinanceError) -> Wide in
        evaluations += 1
        return try schedule.balance(at: rate)
      }
      // Four to find the bracket, the rest Brent's: bisection alone would take about 70.
      #expect(evaluations <= 15)
    }
  }

  @Test func searchGivesUpWithoutASignChange() throws {
    #expect(throws: FinanceError.noConvergence) { try RateSolver.solve { (_: Wide) throws(FinanceError) -> Wide in .one } }
    // A jump, not a root: the search still ends, at the jump.
    let jump = try RateSolver.solve { (rate: Wide) throws(FinanceError) -> Wide in
      rate.units < 3 * Wide.one.units / 10 ? Wide.one.negated : .one
    }
    #expect(try jump.fixed.rounded(places: 10) == fx("0.3"))
  }

  /// Random level-payment loans (fixed seed): with no fee the APR gives back the contract rate to 10⁻¹⁰;
  /// any upfront fee raises it.
  @Test func randomLoansGiveBackTheirRate() throws {
    var random = SplitMix64(state: 20_260_101)
    for _ in 0..<60 {
      let principal = Fixed(Int(random.next() % 1_000_000) + 1_000)
      let rate = Fixed(units: Int128(random.next() % 6_000) * 100_000_000)  // 0 … 59.99 %, to 0.01 %
      let months = Int(random.next() % 60) + 1
      let payment = try Finance.pmt(rate: rate.divided(by: Fixed(12)), periods: months, principal: principal).get()
      let start = try day("2020-01-31").adding(days: Int(random.next() % 2_000))
      let flows = try loan(start.description, received: principal, payment: payment, months: months)
      let apr = try Finance.apr(flows).get()
      #expect(try close(apr, rate, Fixed(units: 100)), "\(principal) at \(rate) over \(months)")
      let fee = try principal.multiplied(by: Fixed(units: Int128(random.next() % 50 + 1) * 1_000_000_000))
      let net = try principal.subtracting(fee)
      let withFee = try Finance.apr(loan(start.description, received: net, payment: payment, months: months)).get()
      #expect(withFee > apr)
    }
  }

  // MARK: Against Python's decimal module

  /// Every line of `Cases/finance/cases.txt` (written by `generate.py`): within 10⁻⁸ each, the accuracy promised;
  /// in fact every one of the 12 places agrees, and the last check keeps it so.
  @Test func matchesPythonDecimal() throws {
    let folder = try #require(Bundle.module.url(forResource: "Cases", withExtension: nil))
    let text = try String(contentsOf: folder.appendingPathComponent("finance/cases.txt"), encoding: .utf8)
    var counts: [Substring: Int] = [:]
    var worst = Fixed.zero
    func check(_ actual: Fixed, _ expected: Substring, _ line: Substring) throws {
      let deviation = try actual.subtracting(Fixed.parse(expected).get()).magnitude
      worst = max(worst, deviation)
      #expect(deviation <= Self.tight, "\(actual) vs \(expected): \(line)")
    }
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ")
      switch fields.first {
      case "schedule":
        try #require(fields.count >= 7, "malformed line: \(line)")
        let flows: [Flow] = try fields[5...].map { cell in
          let parts = cell.split(separator: ":")
          return (try CivilDate.parse(parts[0]).get(), try Fixed.parse(parts[1]).get())
        }
        let (rate, unit) = try Finance.actuarialRate(Finance.netted(flows))
        #expect(unit.description.replacingOccurrences(of: " ", with: "-") == String(fields[2]), "\(line)")
        try check(rate, fields[3], line)
        try check(Finance.irr(flows).get(), fields[4], line)
      case "pmt":
        let (rate, periods, principal) = try (fx(String(fields[1])), #require(Int(fields[2])), fx(String(fields[3])))
        try check(Finance.pmt(rate: rate, periods: periods, principal: principal).get(), fields[4], line)
      case "flatfee":
        let (fee, months) = try (fx(String(fields[1])), #require(Int(fields[2])))
        try check(Finance.flatFeeAPR(monthlyFeeRate: fee, months: months).get(), fields[3], line)
      default:
        Issue.record("unknown line: \(line)")
        continue
      }
      counts[fields[0], default: 0] += 1
    }
    #expect(counts == ["schedule": 28, "pmt": 6, "flatfee": 6])
    #expect(worst == .zero, "worst deviation \(worst)")
  }
}

