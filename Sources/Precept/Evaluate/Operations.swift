/// Comparisons, arithmetic and text tests on boxed values. Failures (two currencies, overflow)
/// are recorded against the node and make the result missing.
extension Evaluator {
  /// Whether `a` and `b` are in one of the orderings `holds`; nil when a side is missing or the two
  /// cannot be compared (a failure, recorded).
  func compare(_ a: Value, _ b: Value, holds: Program.Orderings, node: Int) -> Bool? {
    if a.isMissing || b.isMissing { return nil }
    if holds == .equal || holds == [.below, .above] {
      if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency {
        _ = fail(node, .currencyMismatch(x.currency, y.currency))
        return nil
      }
      return Value.equal(a, b).map { $0 == (holds == .equal) }
    }
    guard let c = Value.order(a, b) else {
      if case .money(let x) = a, case .money(let y) = b {
        _ = fail(node, .currencyMismatch(x.currency, y.currency))
      } else if case .duration = a, case .duration = b {
        _ = fail(node, .incomparable)
      } else {
        _ = fail(node, .invalidOperands)
      }
      return nil
    }
    return holds.holds(c)
  }

  func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    do {
      guard let v = try Value.arithmetic(op, a, b) else { return fail(node, .invalidOperands) }
      return v
    } catch {
      return fail(node, error)
    }
  }

  // MARK: Text
  // Claims in copy are found on normalized text (full-width, fillers between CJK characters,
  // Traditional characters, negation), and where they are is kept for the trace.

  /// `copy contains "…"` / `contains any [...]` with constant terms, compiled once.
  func containsWords(_ x: Int32, matcher: Int32, node: Int) -> Truth {
    guard case .text(let s) = eval(x) else { return .unknown }
    let spans = program.matchers[Int(matcher)].find(in: NormalizedText(s))
    if recordWitnesses { record(spans, at: node) }
    return Truth(!spans.isEmpty)
  }

  /// `copy contains all [...]` with constant terms: every term found.
  func containsAllWords(_ x: Int32, first: Int32, count: Int32, node: Int) -> Truth {
    guard case .text(let s) = eval(x) else { return .unknown }
    let copy = NormalizedText(s)
    var spans: [TextSpan] = []
    for m in program.matchers[Int(first)..<Int(first + count)] {
      guard let found = m.find(in: copy).first else { return .no }
      spans.append(found)
    }
    if recordWitnesses { record(spans, at: node) }
    return .yes
  }

  /// `copy contains t` / `contains any ts` / `contains all ts`, the terms known only when run.
  func containsTerms(_ x: Int32, terms: Int32, all: Bool, node: Int) -> Truth {
    let a = eval(x)
    let b = eval(terms)
    guard case .text(let s) = a, let terms = b.terms else { return .unknown }
    let copy = NormalizedText(s)
    if all { return Truth(terms.allSatisfy { !WordMatcher([$0]).find(in: copy).isEmpty }) }
    let spans = WordMatcher(terms).find(in: copy)
    if recordWitnesses { record(spans, at: node) }
    return Truth(!spans.isEmpty)
  }

  /// `xs contains x` for a list: Kleene membership.
  func listContains(_ x: Int32, item: Int32) -> Truth {
    let list = eval(x)
    let v = eval(item)
    guard case .list(let xs) = list, !v.isMissing else { return .unknown }
    return Truth(Value.membership(v, in: xs))
  }

  /// `xs contains any ys` (Kleene `or` of each wanted item's membership) or `contains all ys` (`and`).
  func listContainsSome(_ x: Int32, items: Int32, all: Bool) -> Truth {
    let list = eval(x)
    let wanted = eval(items)
    guard case .list(let xs) = list, case .list(let ys) = wanted else { return .unknown }
    var result: Truth = all ? .yes : .no
    for y in ys {
      let found = Truth(Value.membership(y, in: xs))
      result = all ? result.and(found) : result.or(found)
      if result == (all ? .no : .yes) { return result }
    }
    return result
  }
}
