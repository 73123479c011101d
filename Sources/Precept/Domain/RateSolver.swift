// The search behind `Finance`: present values on a whole-number time grid and a bracketed root finder,
// both in `Wide` (30 places) so that the 12 places returned are all correct. No step can trap.

/// Runs a `Fixed` computation, reporting any arithmetic failure as `FinanceError.overflow`.
/// Division by zero only arises here from an infinite result (a payment on a rate at −200 %), so it is an overflow too.
@inline(__always)
func financeArithmetic<T>(_ body: () throws(ArithmeticError) -> T) throws(FinanceError) -> T {
  do { return try body() } catch { throw .overflow }
}

/// Net cash flows on a whole-number time grid (days or unit periods): offsets ascending from 0, each amount
/// stored as its share of the total magnitude Σ|aᵢ|, so every present value lies in [−1, 1] whatever the amounts.
struct GridSchedule: Sendable {
  let offsets: [Int]
  let shares: [Wide]

  /// Checks what every rate search needs: two or more points, both signs, and a total magnitude in range.
  init(offsets: [Int], amounts: [Fixed]) throws(FinanceError) {
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
  }

  /// A value with the sign of the net present value at `rate` per grid step, and zero exactly where it is.
  /// For rate ≥ 0 it is the present value at offset 0, Σ sᵢ·(1 + r)^−tᵢ; for rate < 0 the value at the last
  /// offset T, Σ sᵢ·(1 + r)^(T − tᵢ). Either way every factor lies in [0, 1], so nothing overflows however
  /// absurd the rate; the two forms agree at 0, so the function stays continuous for the root finder.
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
      if !rate.isNegative {
        let discount = try Wide.one.divided(by: growth)
        var previous = 0
        for (offset, share) in zip(offsets, shares) {
          factor = try factor.multiplied(by: step(discount, offset - previous))
          sum = try sum.adding(share.multiplied(by: factor))
          previous = offset
        }
      } else {
        var next = offsets[offsets.count - 1]
        for (offset, share) in zip(offsets, shares).reversed() {
          factor = try factor.multiplied(by: step(growth, next - offset))
          sum = try sum.adding(share.multiplied(by: factor))
          next = offset
        }
      }
      return sum
    }
  }
}

/// Finds a rate per period where a continuous function changes sign: a scan of fixed rates for a bracket,
/// then Illinois (modified regula falsi) steps, with a bisection step whenever one fails to halve the bracket.
enum RateSolver {
  /// Each call stops after this many refining steps; the safeguard needs at most 2 × 84.
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

  /// Narrows `a < b`, where `f(a)` and `f(b)` are non-zero with opposite signs, to a bracket of `toleranceUnits`.
  static func refine(
    _ f: (Wide) throws(FinanceError) -> Wide, _ a: Wide, _ fa: Wide, _ b: Wide, _ fb: Wide
  ) throws(FinanceError) -> Wide {
    var (a, fa, b, fb) = (a, fa, b, fb)
    // Which end moved last (−1: b, +1: a); a second move of the same end halves the other end's weight.
    var lastMoved = 0
    var bisectNext = false
    for _ in 0..<maximumSteps {
      let width = b.units - a.units
      let midpoint = Wide(units: a.units + width / 2)
      if width <= toleranceUnits { return midpoint }
      var c = midpoint
      let bisecting = bisectNext
      if !bisecting, let falsi = interpolate(a, fa, b, fb), falsi > a, falsi < b { c = falsi }
      let fc = try f(c)
      if fc == .zero { return c }
      if fc.units.signum() == fb.units.signum() {
        (b, fb) = (c, fc)
        if lastMoved == -1 { fa = halved(fa) }
        lastMoved = -1
      } else {
        (a, fa) = (c, fc)
        if lastMoved == 1 { fb = halved(fb) }
        lastMoved = 1
      }
      bisectNext = !bisecting && b.units - a.units > width / 2
    }
    throw .noConvergence
  }

  /// The secant through the bracket's ends meets zero at `b − fb·(b − a)/(fb − fa)`; nil if that cannot be formed.
  static func interpolate(_ a: Wide, _ fa: Wide, _ b: Wide, _ fb: Wide) -> Wide? {
    // The share `fb/(fb − fa)` lies in [0, 1], so forming it first keeps the product small.
    try? b.subtracting(fb.divided(by: fb.subtracting(fa)).multiplied(by: b.subtracting(a)))
  }

  /// Half the weight, never reaching zero (which would lose the end's sign).
  static func halved(_ value: Wide) -> Wide {
    value.units.magnitude > 1 ? Wide(units: value.units / 2) : value
  }
}
