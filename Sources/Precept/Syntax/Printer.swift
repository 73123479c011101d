extension Expr {
  /// The expression as source text, with only the parentheses its meaning needs.
  /// Parsing the result gives back the same tree (checked by property tests and fuzzing), within
  /// the parser's nesting limit: the parentheses a form needs (`-(not x)`) are a level of their
  /// own, so an expression just within the limit may print past it. `precept fmt` reads every
  /// edit back and leaves such an expression as written.
  public var source: String { Printer.print(self, min: .lowest) }

  /// A fully bracketed rendering that ignores places; two expressions with equal shapes mean the same.
  public var shape: String {
    func s(_ e: Expr) -> String { e.shape }
    switch kind {
    case .literal(let l): return Printer.literal(l)
    case .name(let n): return n
    case .implicitMember(let n): return "." + n
    case .member(let b, let n, _): return "(member \(s(b)) \(n))"
    case .index(let a, let i): return "(index \(s(a)) \(s(i)))"
    case .call(let f, let args, _):
      return "(call \(f)" + args.map { " " + ($0.label.map { "\($0): " } ?? "") + s($0.value) }.joined() + ")"
    case .unary(let op, let a): return "(\(op.rawValue) \(s(a)))"
    case .binary(let op, let a, let b): return "(\(op.rawValue) \(s(a)) \(s(b)))"
    case .between(let a, let l, let h, let n): return "(\(n ? "not between" : "between") \(s(a)) \(s(l)) \(s(h)))"
    case .presence(let a, let m): return "(\(m ? "is missing" : "is present") \(s(a)))"
    case .conditional(let c, let y, let n): return "(if \(s(c)) \(s(y)) \(s(n)))"
    case .filter(let xs, let c): return "(where \(s(xs)) \(s(c)))"
    case .quantifier(let q, let v, let xs, let b): return "(\(q.rawValue) \(v) \(s(xs)) \(s(b)))"
    case .list(let xs): return "[" + xs.map(s).joined(separator: " ") + "]"
    case .error: return "<error>"
    }
  }
}

enum Printer {
  /// How tightly an expression's own outermost form binds.
  static func precedence(_ e: Expr) -> Precedence {
    switch e.kind {
    case .literal, .name, .implicitMember, .member, .index, .call, .list, .error:
      .postfix
    case .unary(.negate, _): .unary
    case .unary(.not, _): .not
    case .binary(let op, _, _): Precedence.of(op)
    case .between, .presence: .comparison
    case .filter: .filter
    case .conditional, .quantifier: .lowest
    }
  }

  /// Prints `e` so that it reparses as one operand where operators tighter than `min` are expected.
  /// `.lowest` is a place closed on the right (the whole text, an argument, a list item, an index,
  /// a part of `if`, a quantifier's body), where even `if` and quantifiers need no parentheses.
  static func print(_ e: Expr, min: Precedence) -> String {
    let text = bare(e)
    return min == .lowest || precedence(e) > min ? text : "(\(text))"
  }

  private static func below(_ p: Precedence) -> Precedence { Precedence(rawValue: p.rawValue - 1) ?? .lowest }

  private static func bare(_ e: Expr) -> String {
    switch e.kind {
    case .literal(let l): return literal(l)
    case .name(let n): return n
    case .implicitMember(let n): return "." + n
    case .member(let b, let n, _): return print(b, min: .unary) + "." + n
    case .index(let a, let i): return print(a, min: .unary) + "[" + print(i, min: .lowest) + "]"
    case .call(let f, let args, _):
      return f + "(" + args.map { ($0.label.map { "\($0): " } ?? "") + print($0.value, min: .lowest) }.joined(separator: ", ") + ")"
    case .unary(.negate, let a):
      // `--x` would lex as two minus signs anyway; the space keeps `- -x` readable. Parentheses
      // here would make each negation two levels deep, and a long run reparse past the limit.
      let inner = print(a, min: below(.unary))
      return inner.hasPrefix("-") ? "- " + inner : "-" + inner
    case .unary(.not, let a): return "not " + print(a, min: below(.not))
    case .binary(let op, let a, let b):
      let p = Precedence.of(op)
      let (lmin, rmin): (Precedence, Precedence)
      switch op {
      case .coalesce: (lmin, rmin) = (p, below(p))
      case _ where p == .comparison: (lmin, rmin) = (p, p)
      default: (lmin, rmin) = (below(p), p)
      }
      return print(a, min: lmin) + " " + op.rawValue + " " + print(b, min: rmin)
    case .between(let a, let l, let h, let n):
      return print(a, min: .comparison) + (n ? " not between " : " between ") + print(l, min: .comparison) + " and " + print(h, min: .comparison)
    case .presence(let a, let m): return print(a, min: .comparison) + (m ? " is missing" : " is present")
    case .conditional(let c, let y, let n):
      return "if " + print(c, min: .lowest) + " then " + print(y, min: .lowest) + " else " + print(n, min: .lowest)
    case .filter(let xs, let c):
      // The last part of an `if` or a quantifier reaches right and would take the `where` in.
      let left = precedence(xs) == .lowest ? "(" + bare(xs) + ")" : bare(xs)
      return left + " where " + print(c, min: .filter)
    case .quantifier(let q, let v, let xs, let b):
      return q.rawValue + " " + v + " in " + print(xs, min: .filter) + ": " + print(b, min: .lowest)
    case .list(let xs): return "[" + xs.map { print($0, min: .lowest) }.joined(separator: ", ") + "]"
    case .error: return "<error>"
    }
  }

  static func literal(_ l: Literal) -> String {
    switch l {
    case .int(let t), .decimal(let t), .percent(let t), .date(let t), .datetime(let t), .duration(let t): t
    case .money(let a, let c): a + " " + c
    case .string(let s): quoted(s)
    case .bool(let b): b ? "true" : "false"
    }
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default:
        if c.value < 0x20 || c.properties.generalCategory == .control {
          out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
        } else {
          out.unicodeScalars.append(c)
        }
      }
    }
    return out + "\""
  }
}
