extension Evaluator {
  /// -1, 0 or 1, or nil when the two cannot be ordered (a missing side, different currencies).
  static func order(_ a: Value, _ b: Value) -> Int? {
    func o<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.number(let x), .number(let y)): return o(x, y)
    case (.money(let x), .money(let y)): return x.currency == y.currency ? o(x.amount, y.amount) : nil
    // Zero has no currency: the sum of no fees compares with any amount.
    case (.number(let x), .money(let y)) where x == .zero: return o(x, y.amount)
    case (.money(let x), .number(let y)) where y == .zero: return o(x.amount, y)
    case (.date(let x), .date(let y)): return o(x, y)
    case (.datetime(let x), .datetime(let y)): return o(x, y)
    case (.duration(let x), .duration(let y)): return try? x.compare(y)
    case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.enumCase(let x), .enumCase(let y)): return o(x, y)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
    default: return nil
    }
  }

  /// Equality with missing propagating: nil when either side is missing.
  static func equal(_ a: Value, _ b: Value) -> Bool? {
    if a.isMissing || b.isMissing { return nil }
    if let c = order(a, b) { return c == 0 }
    return a == b
  }

  /// Whether `x` equals an item of `xs`, by Kleene logic: true when one is equal; unknown (nil) when
  /// none is but some comparison is unknown (a missing item); false otherwise.
  static func membership(_ x: Value, in xs: [Value]) -> Bool? {
    var unknown = false
    for y in xs {
      switch equal(x, y) {
      case true?: return true
      case false?: continue
      case nil: unknown = true
      }
    }
    return unknown ? nil : false
  }

  func compare(_ op: BinaryOp, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    if op == .eq || op == .ne {
      if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency { return fail(node, .currencyMismatch(x.currency, y.currency)) }
      guard let e = Evaluator.equal(a, b) else { return .missing }
      return .bool(e == (op == .eq))
    }
    guard let c = Evaluator.order(a, b) else {
      if case .money(let x) = a, case .money(let y) = b { return fail(node, .currencyMismatch(x.currency, y.currency)) }
      if case .duration = a, case .duration = b { return fail(node, .incomparable) }
      return fail(node, .invalidOperands)
    }
    switch op {
    case .lt: return .bool(c < 0)
    case .le: return .bool(c <= 0)
    case .gt: return .bool(c > 0)
    case .ge: return .bool(c >= 0)
    default: return .missing
    }
  }

  func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    do {
      switch (op, a, b) {
      case (.add, .number(let x), .number(let y)): return .number(try x.adding(y))
      case (.sub, .number(let x), .number(let y)): return .number(try x.subtracting(y))
      case (.mul, .number(let x), .number(let y)): return .number(try x.multiplied(by: y))
      case (.div, .number(let x), .number(let y)): return .number(try x.divided(by: y))
      case (.rem, .number(let x), .number(let y)): return .number(try x.remainder(dividingBy: y))
      case (.add, .money(let x), .number(let z)) where z == .zero: return .money(x)
      case (.add, .number(let z), .money(let x)) where z == .zero: return .money(x)
      case (.sub, .money(let x), .number(let z)) where z == .zero: return .money(x)
      case (.add, .money(let x), .money(let y)): return .money(try x.adding(y))
      case (.sub, .money(let x), .money(let y)): return .money(try x.subtracting(y))
      case (.mul, .money(let x), .number(let y)), (.mul, .number(let y), .money(let x)): return .money(try x.multiplied(by: y))
      case (.div, .money(let x), .number(let y)): return .money(try x.divided(by: y))
      case (.div, .money(let x), .money(let y)): return .number(try x.ratio(to: y))
      case (.add, .date(let d), .duration(let s)), (.add, .duration(let s), .date(let d)): return .date(try d.adding(s))
      case (.sub, .date(let d), .duration(let s)): return .date(try d.adding(s.negated))
      case (.add, .datetime(let d), .duration(let s)): return .datetime(try d.adding(s))
      case (.sub, .datetime(let d), .duration(let s)): return .datetime(try d.adding(s.negated))
      case (.sub, .date(let x), .date(let y)): return .duration(TimeSpan(seconds: Int64(y.days(to: x)) * 86_400))
      case (.sub, .datetime(let x), .datetime(let y)):
        let (s, overflow) = x.seconds.subtractingReportingOverflow(y.seconds)
        return overflow ? fail(node, .overflow) : .duration(TimeSpan(seconds: s))
      case (.add, .duration(let x), .duration(let y)): return .duration(try x.adding(y))
      case (.sub, .duration(let x), .duration(let y)): return .duration(try x.subtracting(y))
      case (.mul, .duration(let x), .number(let n)), (.mul, .number(let n), .duration(let x)):
        guard let k = n.intValue else { return fail(node, .overflow) }
        return .duration(try x.multiplied(by: k))
      case (.add, .text(let x), .text(let y)): return .text(x + y)
      default: return fail(node, .invalidOperands)
      }
    } catch {
      return fail(node, error)
    }
  }

  /// `contains`, `contains any`, `contains all`, `starts with`, `matches`.
  func textTest(_ ins: Program.Instruction, node: Int) -> Value {
    let a = eval(ins.a)
    if a.isMissing { return .missing }
    if ins.code == .matches {
      guard case .text(let s) = a else { return .missing }
      guard ins.aux >= 0 else { return fail(node, .invalidOperands) }
      return .bool(program.patterns[Int(ins.aux)].matches(s))
    }
    // Claims in copy are found on normalized text (full-width, fillers between CJK characters,
    // Traditional characters, negation), and where they are is kept for the trace.
    if case .text(let s) = a, ins.code != .startsWith {
      if ins.aux >= 0 {
        let copy = NormalizedText(s)
        if ins.code == .containsAll {
          var spans: [TextSpan] = []
          for m in program.matchers[Int(ins.aux)..<Int(ins.aux + ins.c)] {
            guard let first = m.find(in: copy).first else { return .bool(false) }
            spans.append(first)
          }
          if recordWitnesses { record(spans, at: node) }
          return .bool(true)
        }
        let spans = program.matchers[Int(ins.aux)].find(in: copy)
        if recordWitnesses { record(spans, at: node) }
        return .bool(!spans.isEmpty)
      }
      let b = eval(ins.b)
      let terms: [String]
      switch b {
      case .text(let t): terms = [t]
      case .list(let items): terms = items.compactMap { if case .text(let t) = $0 { t } else { nil } }
      default: return .missing
      }
      let copy = NormalizedText(s)
      if ins.code == .containsAll {
        return .bool(terms.allSatisfy { !WordMatcher([$0]).find(in: copy).isEmpty })
      }
      let spans = WordMatcher(terms).find(in: copy)
      if recordWitnesses { record(spans, at: node) }
      return .bool(!spans.isEmpty)
    }
    let b = eval(ins.b)
    if b.isMissing { return .missing }
    switch (ins.code, a, b) {
    case (.startsWith, .text(let s), .text(let t)): return .bool(s.hasPrefix(t))
    case (.contains, .list(let xs), let x): return Evaluator.membership(x, in: xs).map { .bool($0) } ?? .missing
    case (.containsAny, .list(let xs), .list(let ys)), (.containsAll, .list(let xs), .list(let ys)):
      // Kleene `or` (any) or `and` (all) over each wanted item's membership.
      let decisive = ins.code == .containsAny
      var unknown = false
      for y in ys {
        switch Evaluator.membership(y, in: xs) {
        case decisive?: return .bool(decisive)
        case nil: unknown = true
        default: continue
        }
      }
      return unknown ? .missing : .bool(!decisive)
    default: return .missing
    }
  }
}
