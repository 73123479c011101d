/// One node of a rule graph: an operation over other nodes, by index.
struct Node: Sendable {
  var op: Op
  var type: ValueType
  /// Where the expression is written (the first place, when identical expressions are shared).
  var span: Span
  /// The node reads a loop item (`where`, quantifier, `by:`), so its value changes per item
  /// and is never memoized.
  var inLoop: Bool
}

/// Operations. Operands are node indices; field reads are resolved to positions ahead of time.
enum Op: Sendable, Hashable {
  case constant(Value)
  /// A fact: the root's index, then the field position at each step down.
  case fact(root: Int, path: [Int])
  case today
  /// The item of the loop at nesting `level` (0 = outermost).
  case item(level: Int)
  /// A record field by position.
  case field(Int, Int)
  /// Each item's field, for a list of records.
  case projection(Int, Int)
  case index(Int, Int)
  case not(Int)
  case negate(Int)
  case and(Int, Int)
  case or(Int, Int)
  case compare(BinaryOp, Int, Int)
  case arithmetic(BinaryOp, Int, Int)
  case coalesce(Int, Int)
  /// `x in xs` (negated for `not in`).
  case member(Int, Int, negated: Bool)
  case between(Int, Int, Int, negated: Bool)
  case presence(Int, missing: Bool)
  case conditional(Int, Int, Int)
  /// `xs where cond`: `cond` is evaluated with the item at `level`.
  case filter(Int, Int, level: Int)
  case quantifier(Quantifier, Int, Int, level: Int)
  case list([Int])
  case contains(Int, Int)
  case containsAny(Int, Int)
  case containsAll(Int, Int)
  case startsWith(Int, Int)
  case matches(Int, pattern: String)
  /// A call; `level` is the loop level its `by:` argument is evaluated at.
  case call(Builtin, [Int], level: Int)
  case table(Int)
  /// A table with `for:` applied to one item: the table (compiled with its inputs reading the
  /// item at `level`), and the item's node.
  case appliedTable(Int, item: Int, level: Int)
}

/// A decision table ready to evaluate.
struct CompiledTable: Sendable {
  typealias Cell = CellTest<Int>
  var name: String
  var hit: HitPolicy
  var inputs: [Int]
  /// Each row's tests, and its output nodes (one per output).
  var rows: [(cells: [Cell], outputs: [Int])]
  var defaultValue: [Int]?
  /// The `priority:` outputs, most important first.
  var priority: [Int]
  var aggregate: Aggregate?
  var rowSpans: [Span]
}
