// The search behind `Finance`: present values on a time grid of whole steps plus simple-interest fractions, and
// a bracketed root finder, both in `Wide` (30 places) so that the 12 places returned are all correct. No step can trap.

/// Runs an exact computation (`Fixed` or `Wide`), reporting any arithmetic failure as `FinanceError.overflow`.
/// Division by zero only arises from an infinite result (a payment at −200 %, a rate whose v³⁶⁵ underflows).
@inline(__always)
func financeArithmetic<T>(_ body: () throws(ArithmeticError) -> T) throws(FinanceError) -> T {
  do { return try body() } catch { throw .overflow }
}

/// Net cash flows on a time grid of whole steps (days or unit periods), each optionally with a fraction f of a step
/// after it that earns simple interest (Regulation Z Appendix J (b)(6)): a flow at (t, f) is discounted by
/// (1 + f·r)(1 + r)^t. Offsets ascend from 0; each amount is stored as its share of the total magnitude Σ|aᵢ|,
/// so every present value stays small whatever the amounts.
struct GridSchedule: Sendable {
  let offsets: [Int]
  /// Empty when no flow has a fraction.
  let fractions: [Wide]
  let shares: [Wide]

  /// Checks what every rate search needs: two or more points, both signs, and a total magnitude in range.
  init(offsets: [Int], fractions: [Wide] = [], amounts: [Fixed]) throws(FinanceError) {
    guard amounts.count >= 2 else { throw .tooFewFlows }
    guard amounts.contains(where: { $0.isNegative }), amounts.contains(where: { !$0.isNegative }) else {
      throw .noSignChange
    }
    shares = try financeArithmetic { () throws(ArithmeticError) -> [Wide] in
      var total = Fixed.zero
      for amount in amounts { total = try total.adding(amount.magnitude) }
      var shares: [Wide] = []
      for amount in amounts { shares.append(try Wide.ratio(amount, total)) }
      return shares
    }
    self.offsets = offsets
    self.fractions = fractions.contains(where: { $0 != .zero }) ? fractions : []
  }

  /// A value with the sign of the net present value at `rate` per grid step, and zero exactly where it is.
  /// For rate ≥ 0 it is the present value at offset 0, Σ sᵢ·(1 + r)^−tᵢ / (1 + fᵢ·r); for rate < 0 the value at the
  /// last offset T, Σ sᵢ·(1 + r)^(T − tᵢ) / (1 + fᵢ·r). Every power lies in [0, 1] and 1/(1 + f·r) in (0, 1/(1 − f)],
  /// so nothing overflows however absurd the rate; the two forms agree at 0, so the function stays continuous.
  func balance(at rate: Wide) throws(FinanceError) -> Wide {
    try financeArithmetic { () throws(ArithmeticError) -> Wide in
      let growth = try Wide.one.adding(rate)
      var sum = Wide.zero
      var factor = Wide.one
      // Instalments share a few gaps (1 period; 28…31 days), so each power is computed once per evaluation.
      var cache: [(gap: Int, power: Wide)] = []
      func step(_ base: Wide, _ gap: Int) throws(ArithmeticError) -> Wide {
        if let hit = cache.first(where: { $0.gap == gap }) { return hit.power }
        let power = try base.power(gap)
        if cache.count < 8 { cache.append((gap, power)) }
        return power
      }
      // Flows of a regular schedule share one fraction, so its simple-interest divisor is kept.
      var lastFraction = Wide.zero, lastDivisor = Wide.one
      func term(_ index: Int, _ value: Wide) throws(ArithmeticError) -> Wide {
        guard !fractions.isEmpty, fractions[index] != .zero else { return value }
        if fractions[index] != lastFraction {
          lastFraction = fractions[index]
          lastDivisor = try Wide.one.adding(lastFraction.multiplied(by: rate))
        }
        return try value.divided(by: lastDivisor)
      }
      if !rate.isNegative {
        let discount = try Wide.one.divided(by: growth)
        var previous = 0
        for index in offsets.indices {
          let offset = offsets[index]
          // A flow placed before the one ahead of it (a payment moved onto the grid) restarts the power.
          factor = offset >= previous ? try factor.multiplied(by: step(discount, offset - previous)) : try discount.power(offset)
          sum = try sum.adding(term(index, shares[index].multiplied(by: factor)))
          previous = offset
        }
      } else {
        let last = offsets.max() ?? 0
        var next = last
        for index in offsets.indices.reversed() {
          let offset = offsets[index]
          factor = offset <= next ? try factor.multiplied(by: step(growth, next - offset)) : try growth.power(last - offset)
          sum = try sum.adding(term(index, shares[index].multiplied(by: factor)))
          next = offset
        }
      }
      return sum
    }
  }
}

/// Finds a rate per period where a continuous function changes sign: a scan of fixed rates for a bracket,
/// then Brent's method on the bracket.
enum RateSolver {
  /// Each call stops after this many refining steps (bisection alone would need 84).
  static let maximumSteps = 200
  /// Bracket width at which the search stops, 10⁻²² in `Wide` units: far below the 10⁻¹² a result keeps,
  /// and above the rounding noise of a present value (about 10⁻³⁰ per flow).
  static let toleranceUnits: Int128 = 100_000_000

  /// Scanned outward from 0, positive side first, so when several rates balance the flows the answer is
  /// the smallest non-negative one, else the negative one closest to 0. Per period: 0.01 % … 100,000 %.
  static let positiveGrid: [Wide] = [
    "0.0001", "0.001", "0.01", "0.05", "0.1", "0.25", "0.5", "1", "2", "5", "10", "100", "1000",
  ].map(wide)
  /// −0.01 % … −99.9999999 % per period; −100 % itself would make every earlier flow worthless.
  static let negativeGrid: [Wide] = [
    "-0.0001", "-0.001", "-0.01", "-0.05", "-0.1", "-0.25", "-0.5", "-0.75", "-0.9", "-0.99", "-0.999",
    "-0.999999", "-0.999999999",
  ].map(wide)

  /// A grid constant; the literals above are valid and in range, and a bad one would read as zero and be skipped.
  static func wide(_ text: String) -> Wide {
    (try? Wide(Fixed.parse(text).get())) ?? .zero
  }

  static func solve(_ f: (Wide) throws(FinanceError) -> Wide) throws(FinanceError) -> Wide {
    let atZero = try f(.zero)
    if atZero == .zero { return .zero }
    for grid in [positiveGrid, negativeGrid] {
      var previous = Wide.zero, atPrevious = atZero
      for rate in grid where rate != .zero {
        let value = try f(rate)
        if value == .zero { return rate }
        if value.units.signum() != atPrevious.units.signum() {
          return rate < previous
            ? try refine(f, rate, value, previous, atPrevious)
            : try refine(f, previous, atPrevious, rate, value)
        }
        (previous, atPrevious) = (rate, value)
      }
    }
    throw .noConvergence
  }

  /// Narrows a bracket, where `f` is non-zero with opposite signs at its ends, to about `toleranceUnits`, by Brent's
  /// method (after Numerical Recipes' `zbrent`): inverse quadratic or secant steps while they make progress,
  /// bisection when they do not, and never a step shorter than the tolerance — the nudge that keeps a convex
  /// present value from pinning one end of the bracket. About 10 evaluations on a loan schedule.
  static func refine(
    _ f: (Wide) throws(FinanceError) -> Wide, _ low: Wide, _ atLow: Wide, _ high: Wide, _ atHigh: Wide
  ) throws(FinanceError) -> Wide {
    // b is the best estimate, c the other end of the bracket, a the previous b.
    var (a, fa, b, fb) = (low, atLow, high, atHigh)
    var (c, fc) = (b, fb)
    var d = b.units - a.units, e = d  // the last step and the one before, in units
    let tolerance = toleranceUnits / 2
    for _ in 0..<maximumSteps {
      if fb.units.signum() == fc.units.signum() {
        (c, fc) = (a, fa)
        d = b.units - a.units
        e = d
      }
      if fc.units.magnitude < fb.units.magnitude {
        (a, fa) = (b, fb)
        (b, fb) = (c, fc)
        (c, fc) = (a, fa)
      }
      let half = (c.units - b.units) / 2
      if half.magnitude <= tolerance || fb == .zero { return b }
      if e.magnitude >= tolerance, fa.units.magnitude > fb.units.magnitude,
        let step = interpolatedStep(a, fa, b, fb, c, fc, half: half, previous: e, tolerance: tolerance)
      {
        (e, d) = (d, step)
      } else {
        (e, d) = (half, half)
      }
      (a, fa) = (b, fb)
      b = Wide(units: b.units + (d.magnitude > tolerance ? d : (half > 0 ? tolerance : -tolerance)))
      fb = try f(b)
    }
    throw .noConvergence
  }

  /// Brent's interpolation step from b (inverse quadratic through a, b, c, or secant when a = c), in units,
  /// or nil when it would not stay well inside the bracket or cannot be formed — then the caller bisects.
  static func interpolatedStep(
    _ a: Wide, _ fa: Wide, _ b: Wide, _ fb: Wide, _ c: Wide, _ fc: Wide, half: Int128, previous: Int128, tolerance: Int128
  ) -> Int128? {
    do {
      let middle = Wide(units: half), two = Wide(units: 2 * Wide.one.units)
      let s = try fb.divided(by: fa)
      var p: Wide, q: Wide
      if a == c {
        p = try two.multiplied(by: middle).multiplied(by: s)
        q = try Wide.one.subtracting(s)
      } else {
        let qa = try fa.divided(by: fc), r = try fb.divided(by: fc)
        let quadratic = try two.multiplied(by: middle).multiplied(by: qa).multiplied(by: qa.subtracting(r))
        p = try s.multiplied(by: quadratic.subtracting(b.subtracting(a).multiplied(by: r.subtracting(.one))))
        q = try qa.subtracting(.one).multiplied(by: r.subtracting(.one)).multiplied(by: s.subtracting(.one))
      }
      if p > .zero { q = q.negated } else { p = p.negated }
      let three = Wide(units: 3 * Wide.one.units), slack = Wide(units: tolerance)
      let limit = Swift.min(
        try three.multiplied(by: middle).multiplied(by: q).subtracting(slack.multiplied(by: q).magnitude),
        try Wide(units: previous).multiplied(by: q).magnitude)
      guard try two.multiplied(by: p) < limit else { return nil }
      return try p.divided(by: q).units
    } catch {
      return nil
    }
  }
}
