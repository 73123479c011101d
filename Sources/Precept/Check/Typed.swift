/// A checked expression: every name resolved, every node typed. The graph compiler lowers this.
public struct Typed: Sendable {
  /// The checked expression's form and operands.
  public var kind: TypedKind
  /// Its type.
  public var type: ValueType
  /// Where it is written.
  public var span: Span

  /// A checked expression of a form, a type and a place.
  public init(_ kind: TypedKind, _ type: ValueType, _ span: Span) {
    self.kind = kind
    self.type = type
    self.span = span
  }

  static func error(_ span: Span) -> Typed { Typed(.error, .error, span) }
}

/// A declaration in some unit of the project: `unit` indexes `Project.units`.
public struct Reference: Sendable, Hashable {
  /// The index in `Project.units` of the declaring rulebook.
  public var unit: Int
  /// The declared name, without an import alias.
  public var name: String

  /// The declaration called `name` in unit `unit`.
  public init(unit: Int, name: String) {
    self.unit = unit
    self.name = name
  }
}

/// The resolved forms of an expression.
public indirect enum TypedKind: Sendable {
  case literal(Literal)
  /// A fact read by path from the facts' root: `["applicant", "age"]`.
  case fact([String])
  case definition(Reference)
  case namedList(Reference)
  case table(Reference)
  /// A table with `for:` applied to one item: `fee_cap(fee)`.
  case appliedTable(Reference, Typed)
  case enumCase(String)
  case today
  /// The current item of the innermost `where`.
  case item
  /// A name bound by a quantifier (`any w in …`).
  case variable(String)
  /// A record's field.
  case member(Typed, String)
  /// A field of every record in a list: `product.fees.amount`.
  case projection(Typed, String)
  case index(Typed, Typed)
  case call(Builtin, [Typed])
  case unary(UnaryOp, Typed)
  case binary(BinaryOp, Typed, Typed)
  case between(Typed, Typed, Typed, negated: Bool)
  case presence(Typed, missing: Bool)
  case conditional(Typed, Typed, Typed)
  case filter(Typed, Typed)
  case quantifier(Quantifier, String, Typed, Typed)
  case list([Typed])
  case error
}

extension Typed {
  /// Direct sub-expressions.
  public var children: [Typed] {
    switch kind {
    case .literal, .fact, .definition, .namedList, .table, .enumCase, .today, .item, .variable, .error: []
    case .member(let a, _), .projection(let a, _), .unary(_, let a), .presence(let a, _), .appliedTable(_, let a): [a]
    case .index(let a, let b), .binary(_, let a, let b), .filter(let a, let b), .quantifier(_, _, let a, let b): [a, b]
    case .between(let a, let b, let c, _), .conditional(let a, let b, let c): [a, b, c]
    case .call(_, let xs), .list(let xs): xs
    }
  }

  /// Calls `visit` on this node and every node below it.
  public func walk(_ visit: (Typed) -> Void) {
    visit(self)
    for c in children { c.walk(visit) }
  }
}
