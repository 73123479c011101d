/// An expression node and the span of file text it was parsed from.
public struct Expr: Sendable {
  /// What the expression is: a literal, a name, an operation, a call, …
  public var kind: ExprKind
  /// Where it is written.
  public var span: Span

  /// An expression of `kind` written at `span`.
  public init(_ kind: ExprKind, _ span: Span) {
    self.kind = kind
    self.span = span
  }
}

/// The shapes an expression can take. Literals keep their text; values are made by the checker.
public indirect enum ExprKind: Sendable {
  case literal(Literal)
  /// A bare name: a schema root, definition, list, table, import alias, enum case or `today`.
  case name(String)
  /// `.amount` inside `where` or a quantifier: a field of the current item.
  case implicitMember(String)
  /// `base.field` (`nameSpan` is the field name's place).
  case member(Expr, String, nameSpan: Span)
  /// `xs[i]`.
  case index(Expr, Expr)
  /// `count(xs)`, `window(xs, 24h, by: .at)`.
  case call(String, [Argument], nameSpan: Span)
  case unary(UnaryOp, Expr)
  case binary(BinaryOp, Expr, Expr)
  /// `x between low and high` (inclusive); `negated` for `not between`.
  case between(Expr, Expr, Expr, negated: Bool)
  /// `x is missing` (`missing: true`) or `x is present`.
  case presence(Expr, missing: Bool)
  case conditional(Expr, Expr, Expr)
  /// `xs where cond`.
  case filter(Expr, Expr)
  /// `any x in xs: cond`.
  case quantifier(Quantifier, String, Expr, Expr)
  /// `[a, b, c]`.
  case list([Expr])
  /// Where parsing failed; already reported, so later passes stay quiet about it.
  case error
}

/// A literal as written.
public enum Literal: Sendable, Hashable {
  case int(String)
  case decimal(String)
  /// Text includes the `%`: `"17.9%"`.
  case percent(String)
  /// Amount text and ISO 4217 code: `50_000 CNY`.
  case money(String, String)
  case date(String)
  case datetime(String)
  case duration(String)
  case string(String)
  case bool(Bool)
}

/// A call argument, optionally labelled (`by: .at`).
public struct Argument: Sendable {
  /// The label (`by` in `by: .at`), if any.
  public var label: String?
  /// The argument's expression.
  public var value: Expr
}

/// Prefix operators.
public enum UnaryOp: String, Sendable, Hashable {
  case not, negate = "-"
}

/// Infix operators.
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
  case or, and
  case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
  case `in`, notIn = "not in", matches, contains
  case containsAny = "contains any", containsAll = "contains all", startsWith = "starts with"
  case coalesce = "??"
  case add = "+", sub = "-", mul = "*", div = "/", rem = "%"

  /// Whether the operator compares two values and yields true/false.
  public var isComparison: Bool { Precedence.of(self) == .comparison }
}

/// `any`, `all`, `none`.
public enum Quantifier: String, Sendable, Hashable {
  case any, all, none
}

/// Binding strength, loosest first.
public enum Precedence: Int, Comparable, Sendable {
  case lowest = 0, filter, or, and, not, comparison, coalesce, additive, multiplicative, unary, postfix

  /// Orders precedences from loosest to tightest.
  public static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

  static func of(_ op: BinaryOp) -> Precedence {
    switch op {
    case .or: .or
    case .and: .and
    case .eq, .ne, .lt, .le, .gt, .ge, .in, .notIn, .matches, .contains, .containsAny, .containsAll, .startsWith:
      .comparison
    case .coalesce: .coalesce
    case .add, .sub: .additive
    case .mul, .div, .rem: .multiplicative
    }
  }
}

extension Expr {
  /// Every direct sub-expression, in source order.
  public var children: [Expr] {
    switch kind {
    case .literal, .name, .implicitMember, .error: []
    case .member(let b, _, _): [b]
    case .index(let a, let b): [a, b]
    case .call(_, let args, _): args.map(\.value)
    case .unary(_, let a): [a]
    case .binary(_, let a, let b): [a, b]
    case .between(let a, let b, let c, _): [a, b, c]
    case .presence(let a, _): [a]
    case .conditional(let a, let b, let c): [a, b, c]
    case .filter(let a, let b): [a, b]
    case .quantifier(_, _, let a, let b): [a, b]
    case .list(let xs): xs
    }
  }

  /// Whether this node or any below it failed to parse.
  public var containsError: Bool {
    switch kind {
    case .error: return true
    case .literal, .name, .implicitMember: return false
    case .member(let b, _, _), .unary(_, let b), .presence(let b, _): return b.containsError
    case .index(let a, let b), .binary(_, let a, let b), .filter(let a, let b), .quantifier(_, _, let a, let b):
      return a.containsError || b.containsError
    case .between(let a, let b, let c, _), .conditional(let a, let b, let c):
      return a.containsError || b.containsError || c.containsError
    case .call(_, let args, _): return args.contains { $0.value.containsError }
    case .list(let xs): return xs.contains { $0.containsError }
    }
  }

  /// A dotted path such as `applicant.age`, when the expression is only names and members.
  public var dottedPath: [String]? {
    switch kind {
    case .name(let n): return [n]
    case .member(let base, let field, _):
      guard let p = base.dottedPath else { return nil }
      return p + [field]
    default: return nil
    }
  }
}
