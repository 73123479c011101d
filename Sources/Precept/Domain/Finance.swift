// Rates of credit products, as the disclosure rules need them (US Regulation Z: an APR by Appendix J's actuarial
// method, within 1/8 percentage point; PBoC Announcement [2021] No. 3: an annualized rate by the IRR method, the
// periodic IRR × periods per year). Inputs and results are exact `Fixed` decimals; no floating point anywhere.
// docs/apr.md has the formulas, with worked examples.
//
// Conventions, following the rules' wording and, where a choice remains, not flattering the lender:
// - Flows are from the customer's side (+ received, − paid); the sign convention does not change the rate.
// - Flows on one date are netted first; a fee deducted at disbursement is simply a smaller amount received.
// - `apr` is Appendix J's nominal rate: the unit period i that solves Σ aₖ / ((1 + fₖ·i)(1 + i)^tₖ) = 0 (b)(8),
//   times the unit periods in a year (b)(1). tₖ whole unit periods and fₖ < 1 of one come from the calendar
//   (AppendixJ.swift): weekly, biweekly, 4-weekly, semimonthly, monthly … yearly schedules, odd first periods,
//   odd first and last payments, single-payment loans and later advances alike. On a regular schedule with no odd
//   period this is PBoC's periodic IRR × periods per year; monthly instalments give monthly IRR × 12.
// - `effectiveRate` (and `irr`, its older name) is the effective annual rate on actual/365, the XIRR: the r with
//   Σ aᵢ·(1 + r)^(−daysᵢ/365) = 0. It is at least the nominal rate of any compounding period up to a year.
// - Day counts avoid fractional powers: with g = (1 + r)^(1/365), (1 + r)^(days/365) = g^days, a whole power.
//   The search solves for the daily rate g − 1 and reports g³⁶⁵ − 1. Appendix J's fractions earn simple interest,
//   so its equation has whole powers only.
// - Searches and powers run at 30 decimal places (`Wide`) and the result is rounded half-even to `Fixed`'s 12,
//   all of them correct: far inside Regulation Z's 1/8 point and the 0.01 % a CN display needs.

/// Why a rate or payment could not be computed. Reported as a value, never a trap.
public enum FinanceError: Error, Sendable, Hashable {
  /// The net flows are all received or all paid, so no rate can balance them.
  case noSignChange
  /// Fewer than two dates carry a non-zero net amount, or a loan has no payment period.
  case tooFewFlows
  /// No rate between −99.9999999 % and 100,000 % per period balances the flows, or the search did not settle.
  case noConvergence
  /// An amount, or the rate or payment itself, is too large to represent.
  case overflow

  /// The problem in words for a compliance author.
  public var message: String {
    switch self {
    case .noSignChange:
      "the cash flows are all received or all paid, so no rate can balance them; check the signs (+ received, − paid)"
    case .tooFewFlows:
      "a rate needs flows on at least two dates (after netting flows on the same date), and a loan at least one period"
    case .noConvergence:
      "no rate between −99.9999999% and 100,000% per period balances these cash flows"
    case .overflow: "an amount, or the resulting rate or payment, is too large to represent"
    }
  }
}

/// Rates and payments of credit products in exact decimals: APR, IRR, level payments, flat-fee rates.
public enum Finance {
  /// Annual percentage rate of a dated cash-flow schedule, from the customer's side (+ received, − paid), by the
  /// actuarial method of Regulation Z Appendix J: the unit-period rate solving the general equation (b)(8), times
  /// the unit periods in a year. The unit period and each flow's whole and fractional periods come from the dates.
  public static func apr(_ flows: [(date: CivilDate, amount: Fixed)]) -> Result<Fixed, FinanceError> {
    Result { () throws(FinanceError) -> Fixed in try actuarialRate(netted(flows)).rate }
  }

  /// The APR with the unit period it ran on, for tests and explanations.
  static func actuarialRate(_ flows: [(date: CivilDate, amount: Fixed)]) throws(FinanceError) -> (rate: Fixed, unit: UnitPeriod) {
    guard flows.count >= 2 else { throw .tooFewFlows }
    let firstIsNegative = flows[0].amount.isNegative
    let grid = try financeArithmetic { () throws(ArithmeticError) in
      try AppendixJSchedule(dates: flows.map(\.date), sameSideAsFirst: flows.map { $0.amount.isNegative == firstIsNegative })
    }
    let schedule = try GridSchedule(
      offsets: grid.times.map(\.whole), fractions: grid.times.map(\.fraction), amounts: flows.map(\.amount))
    let periodic = try RateSolver.solve(schedule.balance(at:))
    let (perYear, per) = grid.unit.perYear
    let rate = try financeArithmetic { () throws(ArithmeticError) in
      try periodic.multiplied(by: Wide(Fixed(perYear))).divided(by: Wide(Fixed(per))).fixed
    }
    return (rate, grid.unit)
  }

  /// Effective annual rate (XIRR, actual/365) of the schedule: the r with Σ aᵢ·(1 + r)^(−daysᵢ/365) = 0.
  public static func effectiveRate(_ flows: [(date: CivilDate, amount: Fixed)]) -> Result<Fixed, FinanceError> {
    Result { () throws(FinanceError) -> Fixed in try effectiveAnnualRate(netted(flows)) }
  }

  /// The effective annual rate under its older name; the same number as `effectiveRate`.
  public static func irr(_ flows: [(date: CivilDate, amount: Fixed)]) -> Result<Fixed, FinanceError> {
    effectiveRate(flows)
  }

  /// Level payment per period for a loan: principal × r / (1 − (1 + r)^−n); r = 0 gives principal / n.
  /// Not rounded: round to the currency's minor unit as the contract does. Rates at or below −100 % follow
  /// the formula's algebra; an infinite payment, or a rate beyond ±10⁸, reports `overflow`.
  public static func pmt(rate: Fixed, periods: Int, principal: Fixed) -> Result<Fixed, FinanceError> {
    Result { () throws(FinanceError) -> Fixed in
      guard periods >= 1 else { throw .tooFewFlows }
      return try financeArithmetic { () throws(ArithmeticError) -> Fixed in
        if rate == .zero { return try principal.divided(by: Fixed(periods)) }
        let growth = try Wide.one.adding(Wide(rate))
        if !rate.isNegative {
          // principal / Σₖ₌₁ⁿ vᵏ with v = 1/(1 + r) ≤ 1: the sum stays below (1 + r)/r for any n,
          // and nothing cancels near r = 0.
          let discount = try Wide.one.divided(by: growth)
          return try discount.multiplied(by: discount.geometricSum(periods).sum).dividing(principal)
        }
        // principal · xⁿ / Σₖ₌₀ⁿ⁻¹ xᵏ with x = 1 + r < 1: the same quantity without powers above 1.
        let (sum, power) = try growth.geometricSum(periods)
        return try sum.dividing(power.scaling(principal))
      }
    }
  }

  /// Nominal APR of a flat monthly fee rate on an instalment plan repaid in `months` equal instalments
  /// (0.6% a month over 12 months ≈ 13% a year): principal P, each instalment P/n + P·fee.
  /// Solved on the closed-form annuity, so a long plan costs O(log n) per step; past about 10⁸ months, `overflow`.
  public static func flatFeeAPR(monthlyFeeRate: Fixed, months: Int) -> Result<Fixed, FinanceError> {
    Result { () throws(FinanceError) -> Fixed in
      guard months >= 1 else { throw .tooFewFlows }
      // Principal 1, each instalment 1/n + fee.
      let instalment = try financeArithmetic { () throws(ArithmeticError) in
        try Wide.one.divided(by: Wide(Fixed(months))).adding(Wide(monthlyFeeRate))
      }
      // A fee of −1/n or less means nothing is repaid.
      guard instalment > .zero else { throw .noSignChange }
      // As `GridSchedule.balance`: present value for r ≥ 0, value at the last instalment for r < 0.
      let balance = { (rate: Wide) throws(FinanceError) -> Wide in
        try financeArithmetic { () throws(ArithmeticError) -> Wide in
          let growth = try Wide.one.adding(rate)
          if !rate.isNegative {
            let discount = try Wide.one.divided(by: growth)
            let annuity = try discount.multiplied(by: discount.geometricSum(months).sum)
            return try Wide.one.subtracting(instalment.multiplied(by: annuity))
          }
          let (sum, power) = try growth.geometricSum(months)
          return try power.subtracting(instalment.multiplied(by: sum))
        }
      }
      let periodic = try RateSolver.solve(balance)
      return try financeArithmetic { () throws(ArithmeticError) in try periodic.multiplied(by: Wide(Fixed(12))).fixed }
    }
  }

  // MARK: Schedules

  /// The flows sorted by date, those on one date summed, zero sums dropped.
  static func netted(_ flows: [(date: CivilDate, amount: Fixed)]) throws(FinanceError) -> [(date: CivilDate, amount: Fixed)] {
    guard flows.count >= 2 else { throw .tooFewFlows }
    var result: [(date: CivilDate, amount: Fixed)] = []
    for flow in flows.sorted(by: { $0.date < $1.date }) {
      if let last = result.last, last.date == flow.date {
        result[result.count - 1].amount = try financeArithmetic { () throws(ArithmeticError) in
          try last.amount.adding(flow.amount)
        }
      } else {
        result.append(flow)
      }
    }
    return result.filter { $0.amount != .zero }
  }

  /// The XIRR on actual/365: solves for the daily rate on a whole-day grid, then compounds it over 365 days.
  static func effectiveAnnualRate(_ flows: [(date: CivilDate, amount: Fixed)]) throws(FinanceError) -> Fixed {
    guard let first = flows.first else { throw .tooFewFlows }
    let schedule = try GridSchedule(offsets: flows.map { first.date.days(to: $0.date) }, amounts: flows.map(\.amount))
    let daily = try RateSolver.solve(schedule.balance(at:))
    return try financeArithmetic { () throws(ArithmeticError) -> Fixed in
      let growth = try Wide.one.adding(daily)
      // g³⁶⁵ can pass Wide's range long before Fixed's, so a growing year is taken as 1 / v³⁶⁵, with v = 1/g ≤ 1.
      if daily.isNegative { return try growth.power(365).fixed.subtracting(.one) }
      return try Wide.one.divided(by: growth).power(365).dividing(.one).subtracting(.one)
    }
  }
}
