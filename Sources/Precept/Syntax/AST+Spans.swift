extension Expr {
  /// The expression with `f` applied to every span in it (its own, its operands', names').
  func mapSpans(_ f: (Span) -> Span) -> Expr {
    Expr(kind.mapSpans(f), f(span))
  }
}

extension ExprKind {
  func mapSpans(_ f: (Span) -> Span) -> ExprKind {
    switch self {
    case .literal, .name, .implicitMember, .error: self
    case .member(let b, let name, let nameSpan): .member(b.mapSpans(f), name, nameSpan: f(nameSpan))
    case .index(let a, let b): .index(a.mapSpans(f), b.mapSpans(f))
    case .call(let name, let args, let nameSpan):
      .call(name, args.map { Argument(label: $0.label, value: $0.value.mapSpans(f)) }, nameSpan: f(nameSpan))
    case .unary(let op, let a): .unary(op, a.mapSpans(f))
    case .binary(let op, let a, let b): .binary(op, a.mapSpans(f), b.mapSpans(f))
    case .between(let x, let lo, let hi, let negated): .between(x.mapSpans(f), lo.mapSpans(f), hi.mapSpans(f), negated: negated)
    case .presence(let x, let missing): .presence(x.mapSpans(f), missing: missing)
    case .conditional(let c, let y, let n): .conditional(c.mapSpans(f), y.mapSpans(f), n.mapSpans(f))
    case .filter(let xs, let c): .filter(xs.mapSpans(f), c.mapSpans(f))
    case .quantifier(let q, let v, let xs, let body): .quantifier(q, v, xs.mapSpans(f), body.mapSpans(f))
    case .list(let items): .list(items.map { $0.mapSpans(f) })
    }
  }
}
