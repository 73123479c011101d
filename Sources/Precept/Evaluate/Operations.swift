extension Evaluator {
  func compare(_ op: BinaryOp, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    if op == .eq || op == .ne {
      if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency { return fail(node, .currencyMismatch(x.currency, y.currency)) }
      guard let e = Value.equal(a, b) else { return .missing }
      return .bool(e == (op == .eq))
    }
    guard let c = Value.order(a, b) else {
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
      guard let op = op.arithmetic, let v = try Value.arithmetic(op, a, b) else { return fail(node, .invalidOperands) }
      return v
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
      guard let terms = eval(ins.b).terms else { return .missing }
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
    case (.contains, .list(let xs), let x): return Value.membership(x, in: xs).map { .bool($0) } ?? .missing
    case (.containsAny, .list(let xs), .list(let ys)), (.containsAll, .list(let xs), .list(let ys)):
      // Kleene `or` (any) or `and` (all) over each wanted item's membership.
      let decisive = ins.code == .containsAny
      var unknown = false
      for y in ys {
        switch Value.membership(y, in: xs) {
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
