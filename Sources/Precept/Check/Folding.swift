extension Checker {
  /// The value of an expression that depends on no fact, if it has one.
  func fold(_ t: Typed) -> Constant? { ConstantFolder(definitions: definitionTypes).fold(t) }
}

/// Computes expressions that read no fact: used to find rules whose verdict can never change,
/// and by the graph compiler to fold constants. Anything uncertain (facts, calls, overflow) gives nil.
/// It recurses as deep as the expression nests with its definitions expanded, which the checker
/// bounds (`Nesting.swift`).
struct ConstantFolder {
  let definitions: [Reference: Typed]

  func fold(_ t: Typed) -> Constant? {
    var folded: [Reference: Constant?] = [:]
    return fold(t, &folded)
  }

  /// `folded`: each definition met so far, folded once (definitions can share definitions, and
  /// `a and b` folds both sides, so without it a chain of shared definitions took exponential time).
  private func fold(_ t: Typed, _ folded: inout [Reference: Constant?]) -> Constant? {
    switch t.kind {
    case .literal(let l):
      return Constant.parse(l).ok
    case .definition(let r):
      if let done = folded[r] { return done }
      let value = definitions[r].flatMap { fold($0, &folded) }
      folded[r] = value
      return value
    case .unary(.not, let a):
      guard case .bool(let b)? = fold(a, &folded) else { return nil }
      return .bool(!b)
    case .unary(.negate, let a):
      guard case .number(let n)? = fold(a, &folded) else { return nil }
      return .number(n.negated)
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
      guard let x = fold(a, &folded), let y = fold(b, &folded), let c = ConstantFolder.compare(x, y) else { return nil }
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
      guard let x = fold(a, &folded), let y = fold(b, &folded) else { return nil }
      // The arithmetic of values (`Fixed`, `Money`, `CivilDate`, `TimeSpan`); a failure is not a constant.
      switch (op, x, y) {
      case (.add, .number(let x), .number(let y)): return (try? x.adding(y)).map { .number($0) }
      case (.sub, .number(let x), .number(let y)): return (try? x.subtracting(y)).map { .number($0) }
      case (.mul, .number(let x), .number(let y)): return (try? x.multiplied(by: y)).map { .number($0) }
      case (.div, .number(let x), .number(let y)): return (try? x.divided(by: y)).map { .number($0) }
      case (.add, .money(let x), .money(let y)): return (try? x.adding(y)).map { .money($0) }
      case (.sub, .money(let x), .money(let y)): return (try? x.subtracting(y)).map { .money($0) }
      case (.add, .date(let d), .duration(let s)), (.add, .duration(let s), .date(let d)): return (try? d.adding(s)).map { .date($0) }
      case (.sub, .date(let d), .duration(let s)): return (try? d.adding(s.negated)).map { .date($0) }
      default: return nil
      }
    case .between(let x, let lo, let hi, let negated):
      guard let v = fold(x, &folded), let l = fold(lo, &folded), let h = fold(hi, &folded),
        let c1 = ConstantFolder.compare(v, l), let c2 = ConstantFolder.compare(v, h)
      else { return nil }
      return .bool((c1 >= 0 && c2 <= 0) != negated)
    case .conditional(let c, let y, let n):
      guard case .bool(let b)? = fold(c, &folded) else { return nil }
      return fold(b ? y : n, &folded)
    default:
      return nil
    }
  }

  /// -1, 0, 1 for two constants of comparable kinds; nil otherwise.
  static func compare(_ a: Constant, _ b: Constant) -> Int? {
    func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.number(let x), .number(let y)): return order(x, y)
    case (.money(let x), .money(let y)): return try? x.compare(y)
    case (.date(let x), .date(let y)): return order(x, y)
    case (.datetime(let x), .datetime(let y)): return order(x, y)
    case (.duration(let x), .duration(let y)): return try? x.compare(y)
    case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
    default: return nil
    }
  }
}
