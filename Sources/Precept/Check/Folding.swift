extension Checker {
  /// The value of an expression that depends on no fact, if it has one.
  func fold(_ t: Typed) -> Value? { ConstantFolder(definitions: definitionTypes).fold(t) }
}

/// Computes expressions that read no fact: used to find rules whose verdict can never change,
/// and by the graph compiler to fold constants. Anything uncertain (facts, calls, overflow) gives nil.
/// It recurses as deep as the expression nests with its definitions expanded, which the checker
/// bounds (`Nesting.swift`).
struct ConstantFolder {
  let definitions: [Reference: Typed]

  func fold(_ t: Typed) -> Value? {
    var folded: [Reference: Value?] = [:]
    return fold(t, &folded)
  }

  /// `folded`: each definition met so far, folded once (definitions can share definitions, and
  /// `a and b` folds both sides, so without it a chain of shared definitions took exponential time).
  private func fold(_ t: Typed, _ folded: inout [Reference: Value?]) -> Value? {
    switch t.kind {
    case .literal(let l):
      return l.value.ok
    case .definition(let r):
      if let done = folded[r] { return done }
      let value = definitions[r].flatMap { fold($0, &folded) }
      folded[r] = value
      return value
    case .unary(.not, let a):
      guard case .bool(let b)? = fold(a, &folded) else { return nil }
      return .bool(!b)
    case .unary(.negate, let a):
      return fold(a, &folded).flatMap(Value.negated)
    case .binary(.and, let a, let b), .binary(.or, let a, let b):
      let isAnd: Bool
      if case .binary(.and, _, _) = t.kind { isAnd = true } else { isAnd = false }
      let x = fold(a, &folded)
      let y = fold(b, &folded)
      // Kleene logic: one deciding side settles it even if the other is unknown.
      let decider = !isAnd
      if case .bool(decider)? = x { return .bool(decider) }
      if case .bool(decider)? = y { return .bool(decider) }
      if case .bool? = x, case .bool? = y { return .bool(!decider) }
      return nil
    case .binary(let op, let a, let b) where op.isComparison:
      guard let x = fold(a, &folded), let y = fold(b, &folded), let c = Value.order(x, y) else { return nil }
      switch op {
      case .eq: return .bool(c == 0)
      case .ne: return .bool(c != 0)
      case .lt: return .bool(c < 0)
      case .le: return .bool(c <= 0)
      case .gt: return .bool(c > 0)
      case .ge: return .bool(c >= 0)
      default: return nil
      }
    case .binary(let op, let a, let b):
      // The arithmetic the evaluator does; a failure is not a constant.
      guard let op = op.arithmetic, let x = fold(a, &folded), let y = fold(b, &folded) else { return nil }
      return (try? Value.arithmetic(op, x, y)) ?? nil
    case .between(let x, let lo, let hi, let negated):
      guard let v = fold(x, &folded), let l = fold(lo, &folded), let h = fold(hi, &folded),
        let c1 = Value.order(v, l), let c2 = Value.order(v, h)
      else { return nil }
      return .bool((c1 >= 0 && c2 <= 0) != negated)
    case .conditional(let c, let y, let n):
      guard case .bool(let b)? = fold(c, &folded) else { return nil }
      return fold(b ? y : n, &folded)
    default:
      return nil
    }
  }
}
