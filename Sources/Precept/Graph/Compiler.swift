/// Lowers one checked rulebook into a rule graph. Identical sub-expressions become one node;
/// definitions are lowered once however often they are used; constants are folded.
struct GraphCompiler {
  let checked: CheckedProject
  let unit: Int
  let roots: [Field]
  var nodes: [Node] = []
  /// Per node, the loop levels it reads (see `freeLevels`).
  private var itemLevels: [UInt64] = []
  var tables: [CompiledTable] = []
  private var index: [NodeKey: Int] = [:]
  private var definitionNodes: [Reference: Int] = [:]
  var tableIndexes: [Reference: Int] = [:]
  /// Tables with `for:`, compiled once per loop depth they are applied at (their item is read there).
  var appliedTableIndexes: [AppliedTableKey: Int] = [:]
  struct AppliedTableKey: Hashable {
    var table: Reference
    var level: Int
  }
  /// The names of named nodes, for drawing the graph (`CompiledRulebook.names`).
  var names = GraphNames()
  /// How this unit spells each unit's names: "" for its own, "cn." for an import aliased `cn`.
  private let prefixes: [Int: String]
  /// Enclosing loops, innermost last: the quantifier's name, or nil for `where` and `by:`.
  var frames: [String?] = []

  private struct NodeKey: Hashable {
    var op: Op
    var type: ValueType
  }

  init(_ checked: CheckedProject, unit: Int) {
    self.checked = checked
    self.unit = unit
    self.roots = checked.factRoots[unit]
    self.prefixes = Self.prefixes(checked.project, from: unit)
  }

  /// The shortest alias path to every unit reachable through imports, breadth first with aliases
  /// in name order, so each imported name has one spelling (`cn.prohibited_claims`).
  private static func prefixes(_ project: Project, from unit: Int) -> [Int: String] {
    var result: [Int: String] = [unit: ""]
    var queue = [unit]
    var k = 0
    while k < queue.count {
      let u = queue[k]
      k += 1
      for (alias, target) in project.units[u].imports.sorted(by: { $0.key < $1.key }) where result[target] == nil {
        result[target] = (result[u] ?? "") + alias + "."
        queue.append(target)
      }
    }
    return result
  }

  /// A declared name as this rulebook writes it.
  func qualified(_ ref: Reference) -> String { (prefixes[ref.unit] ?? "") + ref.name }

  /// Adds a node, or returns the existing node that computes the same thing.
  mutating func add(_ op: Op, _ type: ValueType, _ span: Span) -> Int {
    let key = NodeKey(op: op, type: type)
    if let existing = index[key] { return existing }
    let free = freeLevels(op)
    nodes.append(Node(op: op, type: type, span: span, inLoop: free != 0))
    itemLevels.append(free)
    index[key] = nodes.count - 1
    return nodes.count - 1
  }

  /// The loop levels whose item a node reads and does not bind itself, one bit per level (levels
  /// from 63 on share the top bit, which no loop clears). A node that reads any is computed per
  /// item, never memoized: an inner `any` that reads the outer item changes with it.
  private func freeLevels(_ op: Op) -> UInt64 {
    func bit(_ level: Int) -> UInt64 { level < 63 ? 1 << UInt64(level) : 1 << 63 }
    func bound(_ mask: UInt64, _ level: Int) -> UInt64 { level < 63 ? mask & ~bit(level) : mask }
    switch op {
    case .item(let level): return bit(level)
    case .filter(let xs, let body, let level), .quantifier(_, let xs, let body, let level):
      return itemLevels[xs] | bound(itemLevels[body], level)
    case .call(let f, let args, let level):
      // `by:` of `window` and `per_day` is read per item of the list, at `level`.
      let key = f == .window ? 2 : (f == .perDay ? 1 : -1)
      return args.enumerated().reduce(0) { $0 | ($1.offset == key ? bound(itemLevels[$1.element], level) : itemLevels[$1.element]) }
    case .appliedTable(_, let item, _):
      // The table reads the item it is given at its own level, and nothing of the loops around.
      return itemLevels[item]
    default:
      return op.operands.reduce(0) { $0 | itemLevels[$1] }
    }
  }

  /// The node computing `t`. It recurses as deep as `t` nests with its definitions expanded,
  /// which the checker bounds (`Nesting.swift`); the larger forms have their own methods, as a
  /// debug build gives a function one frame slot per local of every case.
  mutating func lower(_ t: Typed) -> Int {
    // Fold what depends on no fact, so evaluation never recomputes a constant.
    if t.kind.isFoldable, let folded = constant(t) { return add(.constant(folded), t.type, t.span) }
    switch t.kind {
    case .literal(let l):
      return add(.constant(l.value.ok ?? .missing), t.type, t.span)
    case .fact(let path):
      return add(fact(path), t.type, t.span)
    case .definition(let ref):
      return definition(ref, t.span)
    case .namedList(let ref):
      return namedList(ref, t)
    case .table(let ref):
      return add(.table(table(ref)), t.type, t.span)
    case .appliedTable(let ref, let item):
      let itemNode = lower(item)
      let level = frames.count
      return add(.appliedTable(appliedTable(ref, level: level), item: itemNode, level: level), t.type, t.span)
    case .enumCase(let name):
      return enumCase(name, t)
    case .today:
      return add(.today, .date, t.span)
    case .item:
      return add(.item(level: frames.count - 1), t.type, t.span)
    case .variable(let name):
      let level = frames.lastIndex(where: { $0 == name }) ?? (frames.count - 1)
      return add(.item(level: level), t.type, t.span)
    case .member(let b, let f):
      return add(.field(lower(b), Self.fieldIndex(f, in: b.type)), t.type, t.span)
    case .projection(let b, let f):
      return add(.projection(lower(b), Self.fieldIndex(f, in: b.type.element ?? .error)), t.type, t.span)
    case .index(let a, let i):
      return add(.index(lower(a), lower(i)), t.type, t.span)
    case .unary(.not, let a):
      return add(.not(lower(a)), t.type, t.span)
    case .unary(.negate, let a):
      return add(.negate(lower(a)), t.type, t.span)
    case .binary(let op, let a, let b):
      return binary(op, a, b, t)
    case .between(let x, let lo, let hi, let negated):
      return add(.between(lower(x), lower(lo), lower(hi), negated: negated), t.type, t.span)
    case .presence(let x, let missing):
      return add(.presence(lower(x), missing: missing), t.type, t.span)
    case .conditional(let c, let y, let n):
      return add(.conditional(lower(c), lower(y), lower(n)), t.type, t.span)
    case .filter, .quantifier:
      return loop(t)
    case .list(let items):
      return add(.list(items.map { lower($0) }), t.type, t.span)
    case .call(let f, let args):
      return call(f, args, t)
    case .error:
      return add(.constant(.missing), .error, t.span)
    }
  }

  private mutating func definition(_ ref: Reference, _ span: Span) -> Int {
    if let n = definitionNodes[ref] { return n }
    guard let def = checked.definitions[ref] else { return add(.constant(.missing), .error, span) }
    let n = lower(def)
    definitionNodes[ref] = n
    names.name(n, definition: qualified(ref))
    return n
  }

  private mutating func namedList(_ ref: Reference, _ t: Typed) -> Int {
    let items = checked.lists[ref]?.items ?? []
    let n = add(.constant(.list(items.map { constant($0) ?? .missing })), t.type, t.span)
    names.name(n, list: qualified(ref))
    return n
  }

  private mutating func enumCase(_ name: String, _ t: Typed) -> Int {
    guard case .enumeration(let e) = t.type.unwrapped, let i = e.cases.firstIndex(of: name) else {
      return add(.constant(.missing), t.type, t.span)
    }
    return add(.constant(.enumCase(i)), t.type, t.span)
  }

  /// `xs where cond` and `any x in xs: cond`: the body is lowered inside the loop's frame.
  private mutating func loop(_ t: Typed) -> Int {
    switch t.kind {
    case .filter(let xs, let cond):
      let collection = lower(xs)
      frames.append(nil)
      let body = lower(cond)
      frames.removeLast()
      return add(.filter(collection, body, level: frames.count), t.type, t.span)
    case .quantifier(let q, let name, let xs, let body):
      let collection = lower(xs)
      frames.append(name)
      let b = lower(body)
      frames.removeLast()
      return add(.quantifier(q, collection, b, level: frames.count), t.type, t.span)
    default:
      return add(.constant(.missing), .error, t.span)
    }
  }

  private mutating func call(_ f: Builtin, _ args: [Typed], _ t: Typed) -> Int {
    var operands: [Int] = []
    for (k, a) in args.enumerated() {
      // `by: .at` is read per item of the first argument.
      let isKey = (f == .window && k == 2) || (f == .perDay && k == 1)
      if isKey { frames.append(nil) }
      operands.append(lower(a))
      if isKey { frames.removeLast() }
    }
    // `round(18.456%, 2)` is 18.46%: places count in the percent figure, two more in the fraction.
    if f == .round, args[0].type.unwrapped == .percent, operands.count == 2 {
      let two = add(.constant(.number(Fixed(2))), .int, args[1].span)
      operands[1] = add(.arithmetic(.add, operands[1], two), .int, args[1].span)
    }
    return add(.call(f, operands, level: frames.count), t.type, t.span)
  }

  private mutating func binary(_ op: BinaryOp, _ a: Typed, _ b: Typed, _ t: Typed) -> Int {
    let l = lower(a)
    // Text constants tested against an enum become case indices (`status in eligible_statuses`).
    let r: Int
    if case .enumeration(let e) = a.type.unwrapped, b.type.element?.unwrapped == .text, let items = constantList(b) {
      r = add(.constant(.list(items.map { item in
        if case .text(let s) = item, let i = e.cases.firstIndex(of: s) { return .enumCase(i) }
        return .missing
      })), .list(a.type.unwrapped), b.span)
      if case .namedList(let ref) = b.kind { names.name(r, list: qualified(ref)) }
    } else {
      r = lower(b)
    }
    let o: Op
    switch op {
    case .and: o = .and(l, r)
    case .or: o = .or(l, r)
    case .eq, .ne, .lt, .le, .gt, .ge: o = .compare(op, l, r)
    case .add, .sub, .mul, .div, .rem: o = .arithmetic(op, l, r)
    case .coalesce: o = .coalesce(l, r)
    case .in: o = .member(l, r, negated: false)
    case .notIn: o = .member(l, r, negated: true)
    case .contains: o = .contains(l, r)
    case .containsAny: o = .containsAny(l, r)
    case .containsAll: o = .containsAll(l, r)
    case .startsWith: o = .startsWith(l, r)
    case .matches:
      guard case .literal(.string(let p)) = b.kind else { return add(.constant(.missing), .error, t.span) }
      o = .matches(l, pattern: p)
    }
    return add(o, t.type, t.span)
  }

  private func constantList(_ t: Typed) -> [Value]? {
    if case .namedList(let ref) = t.kind { return (checked.lists[ref]?.items ?? []).map { constant($0) ?? .missing } }
    if case .list(let items) = t.kind {
      let values = items.compactMap { constant($0) }
      return values.count == items.count ? values : nil
    }
    return nil
  }

  private func fact(_ path: [String]) -> Op {
    guard let first = path.first, let root = roots.firstIndex(where: { $0.name == first }) else { return .constant(.missing) }
    var type = roots[root].type
    var positions: [Int] = []
    for name in path.dropFirst() {
      guard case .record(let r) = type.unwrapped, let i = r.fields.firstIndex(where: { $0.name == name }) else { return .constant(.missing) }
      positions.append(i)
      type = r.fields[i].type
    }
    return .fact(root: root, path: positions)
  }

  static func fieldIndex(_ name: String, in type: ValueType) -> Int {
    guard case .record(let r) = type.unwrapped else { return 0 }
    return r.fields.firstIndex { $0.name == name } ?? 0
  }

  /// The value of an expression that reads no fact, if it has one (folding stops at anything uncertain).
  func constant(_ t: Typed) -> Value? {
    switch t.kind {
    case .literal(let l): return l.value.ok
    default: return ConstantFolder(definitions: checked.definitions).fold(t)
    }
  }
}

extension TypedKind {
  /// Worth trying to fold: an operation, not a leaf that is already as simple as it gets.
  var isFoldable: Bool {
    switch self {
    case .unary, .binary, .between, .conditional: true
    default: false
    }
  }
}

extension Op {
  /// The nodes this operation reads directly.
  var operands: [Int] {
    switch self {
    case .constant, .fact, .today, .item, .table: []
    case .appliedTable(_, let item, _): [item]
    case .field(let a, _), .projection(let a, _), .not(let a), .negate(let a), .presence(let a, _), .matches(let a, _): [a]
    case .index(let a, let b), .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b),
      .coalesce(let a, let b), .member(let a, let b, _), .filter(let a, let b, _), .quantifier(_, let a, let b, _),
      .contains(let a, let b), .containsAny(let a, let b), .containsAll(let a, let b), .startsWith(let a, let b):
      [a, b]
    case .between(let a, let b, let c, _), .conditional(let a, let b, let c): [a, b, c]
    case .list(let xs), .call(_, let xs, _): xs
    }
  }
}
