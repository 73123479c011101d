/// Arithmetic on constants that can only fail — `100 / 0`, a sum past the largest decimal — is an
/// error before anything runs: at run time it would leave every rule reading it unknown, for every
/// input, with nothing the facts could change.
extension Checker {
  /// In definitions and tables (rules: `lintConstantFailures(in:)`, as each is checked).
  func lintConstantFailures() {
    var seen = Set<Span>()
    for d in definitionTypes.values { constantFailures(d, &seen) }
    for t in tableTypes.values {
      t.inputs.forEach { constantFailures($0, &seen) }
      for row in t.rows { row.outputs.forEach { constantFailures($0, &seen) } }
      t.defaultValue?.forEach { constantFailures($0, &seen) }
    }
  }

  /// In one rule's expressions.
  func lintConstantFailures(in r: CheckedRule) {
    var seen = Set<Span>()
    r.when.map { constantFailures($0, &seen) }
    constantFailures(r.condition, &seen)
    for part in r.message { if case .placeholder(let p) = part { constantFailures(p, &seen) } }
  }

  /// Reports the outermost operations of `t` that can only fail, each place once.
  private func constantFailures(_ t: Typed, _ seen: inout Set<Span>) {
    if case .binary(let op, let a, let b) = t.kind, [.add, .sub, .mul, .div, .rem].contains(op), !seen.contains(t.span) {
      if let why = failure(op, a, b) {
        seen.insert(t.span)
        report(
          .constantFailure, t.span, "`\(text(of: t.span))` can never be computed: \(why)",
          help: ["this reads no fact, so it fails for every input; fix the constant"])
        return
      }
    }
    for c in t.children { constantFailures(c, &seen) }
  }

  /// Why `a op b` fails when both sides are constants, or nil when it does not (or is not constant).
  private func failure(_ op: BinaryOp, _ a: Typed, _ b: Typed) -> String? {
    guard let x = fold(a), let y = fold(b) else { return nil }
    func run(_ f: () throws(ArithmeticError) -> Void) -> String? {
      do throws(ArithmeticError) {
        try f()
        return nil
      } catch {
        return error.message
      }
    }
    switch (x, y) {
    case (.number(let m), .number(let n)):
      return run { () throws(ArithmeticError) in
        switch op {
        case .add: _ = try m.adding(n)
        case .sub: _ = try m.subtracting(n)
        case .mul: _ = try m.multiplied(by: n)
        case .div: _ = try m.divided(by: n)
        default: _ = try m.remainder(dividingBy: n)
        }
      }
    case (.money(let m), .number(let n)) where op == .div || op == .mul:
      return run { () throws(ArithmeticError) in _ = op == .div ? try m.amount.divided(by: n) : try m.amount.multiplied(by: n) }
    default:
      return nil
    }
  }
}
