/// The rule graph as the evaluator runs it: one step per node, chosen when the rulebook is compiled
/// for the types and shapes of its operands, as cel-go's planner and zen's compiler do. The
/// evaluator has one short function per step and decides nothing about representations while it
/// runs: `age >= 18` on numbers is `compareUnits`, `status in [employed, retired]` is
/// `memberEnumSet`, `.channel == "cash"` in a loop is `itemFieldEquals`, a loop body of such tests
/// joined by `and` is one `itemTest`, `any(window(…), …)` is `quantifyGroups`. Every step's
/// operands are named; constants, operand lists and compiled patterns are in pools.
struct Program: Sendable {
  /// What a node computes. Operands (`Int32`) are node indices unless named otherwise. Payloads
  /// are plain data, so reading a step copies bytes and touches no reference count.
  enum Step: Sendable, Equatable {
    // MARK: Leaves
    /// `constants[index]`, unboxed into its slot once, when the evaluator is made.
    case constant(index: Int32)
    /// A whole root (`applicant`).
    case root(Int32)
    /// A root's field (`applicant.age`), read from the leaves the evaluator takes out of the
    /// facts once per evaluation (`Program.leafBase`).
    case rootField(leaf: Int32)
    /// A longer path (`product.pricing.apr`): its root field's leaf, then `depth` more field
    /// positions at `pool[rest...]`.
    case factPath(leaf: Int32, rest: Int32, depth: Int32)
    case today
    /// The item of the loop at `level`.
    case item(level: Int32)
    /// A field of the loop item at `level`, read where the item lies.
    case itemField(level: Int32, field: Int32)
    case field(record: Int32, field: Int32)
    /// Each record's field, for a list of records (`xs.amount`).
    case projection(list: Int32, field: Int32)
    case index(list: Int32, position: Int32)

    // MARK: Truth (Kleene logic)
    case not(Int32)
    case and(Int32, Int32)
    case or(Int32, Int32)
    /// `x is present` (`negated`: `is missing`), for a boxed operand, a truth or units.
    case presence(Int32, negated: Bool)
    case presenceOfTruth(Int32, negated: Bool)
    case presenceOfUnits(Int32, negated: Bool)

    // MARK: Comparisons
    /// Two numbers, or two cases of one enum, as units: true for the orderings in `holds`.
    case compareUnits(Int32, Int32, holds: Orderings)
    /// `==`/`!=` of a loop item's field and a constant (`.channel == "cash"`).
    case itemFieldEquals(level: Int32, field: Int32, constant: Int32, negated: Bool)
    /// Tests of loop items against constants joined by `and` (`.amount >= 45_000 and .amount <
    /// 50_000`, `count(w) >= 3`): `atoms[first..<first + count]`, made in order, a `no` ending it.
    /// Planned for an `and` of such tests and for a loop body that is one; loops make it on each
    /// item directly, without evaluating its nodes one by one.
    case itemTest(first: Int32, count: Int32)
    /// `==`/`!=` of boxed values (text, money, dates).
    case equal(Int32, Int32, negated: Bool)
    /// `<`, `<=`, `>`, `>=` of boxed values.
    case compare(Int32, Int32, holds: Orderings)
    case betweenUnits(Int32, low: Int32, high: Int32, negated: Bool)
    case between(Int32, low: Int32, high: Int32, negated: Bool)
    /// `x in [A, B]` for enum cases written as constants: a bit set of case indices.
    case memberEnumSet(Int32, set: UInt64, negated: Bool)
    /// `x in [12, 24, 36]`: the constant numbers as units, `units[first..<first + count]`.
    case memberUnits(Int32, first: Int32, count: Int32, negated: Bool)
    /// `x in lending_countries`: the constant texts, `texts[first..<first + count]`.
    case memberTexts(Int32, first: Int32, count: Int32, negated: Bool)
    /// `x in xs` for any other list.
    case member(Int32, list: Int32, negated: Bool)

    // MARK: Arithmetic and choices
    /// Two numbers as units.
    case arithmeticUnits(ArithmeticOperator, Int32, Int32)
    case arithmetic(ArithmeticOperator, Int32, Int32)
    case negate(Int32)
    /// `x ?? y`.
    case coalesce(Int32, Int32)
    case conditional(Int32, then: Int32, else: Int32)
    /// An operation the checker let through on operands it cannot apply to: a failure when run.
    case invalidOperands

    // MARK: Lists and loops
    /// A list of non-constant items, `pool[first..<first + count]`.
    case list(first: Int32, count: Int32)
    /// `xs where body`, the item at `level`.
    case filter(list: Int32, body: Int32, level: Int32)
    /// `any`/`all`/`none` over a list.
    case quantify(Quantifier, list: Int32, body: Int32, level: Int32)
    /// `any`/`all`/`none` over the groups of a `window`/`per_day` call (node `grouping`), built
    /// one at a time in one reused buffer rather than as a list of lists.
    case quantifyGroups(Quantifier, grouping: Int32, body: Int32, level: Int32)
    /// The same, when the body reads its group only through `count(w)` and `sum(w.f)`
    /// (`groupCount`, `groupSumField`): each group is visited where it lies, as a range of the
    /// sorted items, and never built.
    case quantifyGroupRanges(Quantifier, grouping: Int32, body: Int32, level: Int32)

    // MARK: Text
    /// `copy contains "保本"` / `contains any [...]` with constant terms: `matchers[matcher]`.
    case containsWords(Int32, matcher: Int32)
    /// `copy contains all [...]` with constant terms: one matcher per term, `matchers[first..<first + count]`.
    case containsAllWords(Int32, first: Int32, count: Int32)
    /// `copy contains t` / `contains any ts` / `contains all ts` with terms known only when run.
    case containsTerms(Int32, terms: Int32, all: Bool)
    /// `xs contains x` for a list.
    case listContains(Int32, item: Int32)
    /// `xs contains any ys` / `contains all ys` for lists.
    case listContainsSome(Int32, items: Int32, all: Bool)
    case startsWith(Int32, prefix: Int32)
    /// `matches "…"`: `patterns[pattern]`, or −1 for a pattern that did not compile (`badPatterns`).
    case matches(Int32, pattern: Int32)

    // MARK: Calls and tables
    case count(list: Int32)
    case sum(list: Int32)
    /// `sum(xs.f)`: the field of each record added in place, without the list of fields.
    case sumField(records: Int32, field: Int32)
    /// `count(w)` of the group a `quantifyGroupRanges` at `level` is visiting.
    case groupCount(level: Int32)
    /// `sum(w.f)` of the group a `quantifyGroupRanges` at `level` is visiting.
    case groupSumField(level: Int32, field: Int32)
    /// `window(xs, span, by: key)` or `per_day(xs, by: key)` as a list of groups; the key is
    /// read with the item at `level`.
    case group(perDay: Bool, args: Int32, count: Int32, level: Int32)
    /// Any other builtin, its arguments at `pool[args..<args + count]`; `compiled`: constant
    /// arguments prepared once (`near`'s words at `matchers[compiled]` and the next,
    /// `best_match`'s list at `nameLists[compiled]`), or −1.
    case call(Builtin, args: Int32, count: Int32, compiled: Int32)
    case table(Int32)
    /// A table with `for:`, applied to the item `item` placed at `level`.
    case appliedTable(Int32, item: Int32, level: Int32)

    /// The kind of step, without operands: what coverage counts.
    enum Kind: String, CaseIterable, Sendable {
      case constant, root, rootField, factPath, today, item, itemField, field, projection, index, not, and, or, presence, presenceOfTruth, presenceOfUnits, compareUnits, itemFieldEquals, equal, compare, betweenUnits, between, memberEnumSet, memberUnits, memberTexts, member, arithmeticUnits, arithmetic, negate, coalesce, conditional, invalidOperands, list, filter, quantify, quantifyGroups, containsWords, containsAllWords, containsTerms, listContains, listContainsSome, startsWith, matches, count, sum, sumField, group, call, table, appliedTable,
        quantifyGroupRanges, groupCount, groupSumField, itemTest
    }

    var kind: Kind {
      switch self {
      case .constant: .constant
      case .root: .root
      case .rootField: .rootField
      case .factPath: .factPath
      case .today: .today
      case .item: .item
      case .itemField: .itemField
      case .field: .field
      case .projection: .projection
      case .index: .index
      case .not: .not
      case .and: .and
      case .or: .or
      case .presence: .presence
      case .presenceOfTruth: .presenceOfTruth
      case .presenceOfUnits: .presenceOfUnits
      case .compareUnits: .compareUnits
      case .itemFieldEquals: .itemFieldEquals
      case .equal: .equal
      case .compare: .compare
      case .betweenUnits: .betweenUnits
      case .between: .between
      case .memberEnumSet: .memberEnumSet
      case .memberUnits: .memberUnits
      case .memberTexts: .memberTexts
      case .member: .member
      case .arithmeticUnits: .arithmeticUnits
      case .arithmetic: .arithmetic
      case .negate: .negate
      case .coalesce: .coalesce
      case .conditional: .conditional
      case .invalidOperands: .invalidOperands
      case .list: .list
      case .filter: .filter
      case .quantify: .quantify
      case .quantifyGroups: .quantifyGroups
      case .containsWords: .containsWords
      case .containsAllWords: .containsAllWords
      case .containsTerms: .containsTerms
      case .listContains: .listContains
      case .listContainsSome: .listContainsSome
      case .startsWith: .startsWith
      case .matches: .matches
      case .count: .count
      case .sum: .sum
      case .sumField: .sumField
      case .group: .group
      case .call: .call
      case .table: .table
      case .appliedTable: .appliedTable
      case .quantifyGroupRanges: .quantifyGroupRanges
      case .groupCount: .groupCount
      case .groupSumField: .groupSumField
      case .itemTest: .itemTest
      }
    }
  }

  /// Which orderings make a comparison true.
  struct Orderings: OptionSet, Sendable, Equatable {
    let rawValue: UInt8
    static let below = Orderings(rawValue: 1)
    static let equal = Orderings(rawValue: 2)
    static let above = Orderings(rawValue: 4)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The orderings for which `op` holds.
    init(_ op: BinaryOp) {
      switch op {
      case .lt: self = [.below]
      case .le: self = [.below, .equal]
      case .eq: self = [.equal]
      case .ne: self = [.below, .above]
      case .gt: self = [.above]
      case .ge: self = [.equal, .above]
      default: self = []
      }
    }

    /// The orderings with the operands swapped: `c <= x` is `x >= c`.
    var reversed: Orderings {
      var out: Orderings = intersection(.equal)
      if contains(.below) { out.insert(.above) }
      if contains(.above) { out.insert(.below) }
      return out
    }

    /// Whether the comparison holds for `order` (−1, 0, 1).
    func holds(_ order: Int) -> Bool {
      contains(order < 0 ? .below : (order == 0 ? .equal : .above))
    }

    /// Whether the comparison holds between two units.
    @inline(__always)
    func holds(_ a: Int128, _ b: Int128) -> Bool {
      holds(a < b ? -1 : (a == b ? 0 : 1))
    }
  }

  /// How the evaluator keeps a node's value: unboxed for the commonest static types, so that
  /// reading and comparing them touches no enum copies and no reference counts.
  enum Slot: UInt8, Sendable {
    /// A `Value` (text, money, dates, lists, records, …).
    case value
    /// A `Truth`.
    case bool
    /// An int, decimal or percent, as `Fixed` units.
    case number
    /// An enum case, as its index.
    case enumCase

    init(_ type: ValueType) {
      switch type.unwrapped {
      case .bool: self = .bool
      case .int, .decimal, .percent: self = .number
      case .enumeration: self = .enumCase
      default: self = .value
      }
    }

    /// Kept as units (`Int128`): a number or an enum case.
    var isUnits: Bool { self == .number || self == .enumCase }

    /// A value as this slot holds it: a number's units or a case's index, nil otherwise.
    @inline(__always)
    func units(_ v: Value) -> Int128? {
      switch (self, v) {
      case (.number, .number(let n)): n.units
      case (.enumCase, .enumCase(let i)): Int128(i)
      default: nil
      }
    }
  }

  struct Instruction: Sendable {
    var step: Step
    var slot: Slot
    /// The node reads a loop item, so its value is never memoized.
    var inLoop: Bool
  }

  var instructions: [Instruction] = []
  var constants: [Value] = []
  /// Operand lists (`list`, `call`) and fact paths, as runs of indices.
  var pool: [Int32] = []
  var patterns: [Pattern] = []
  /// Reasons of patterns that failed to compile, by node (the checker reports them; running one fails).
  var badPatterns: [Int: String] = [:]
  /// Term lists compiled for `contains`, `contains any`, `contains all` on text, when the terms are constant.
  var matchers: [WordMatcher] = []
  /// Watch lists of `best_match` given as constants, folded once.
  var nameLists: [Screening.NameList] = []
  /// The items of constant lists of text that `member` tests, end to end.
  var texts: [String] = []
  /// The items of constant lists of numbers that `member` tests, as units.
  var units: [Int128] = []
  /// The tests of every `itemTest`, each a run.
  var atoms: [ItemAtom] = []
  /// The root fields the rules read are taken out of the facts once per evaluation, as leaves:
  /// root r's field j is leaf `leafBase[r] + j`, for j below `leafWidth[r]` (the furthest field
  /// any fact path reads first).
  var leafBase: [Int] = []
  var leafWidth: [Int] = []
  var leafCount = 0
  /// Loop levels needed: one more than the deepest level any step reads or binds.
  var levels = 1

  init(_ nodes: [Node], tables: [CompiledTable], roots: Int) {
    // Leaves first: each root is as wide as the furthest field a fact path reads first.
    leafWidth = [Int](repeating: 0, count: roots)
    for node in nodes {
      if case .fact(let root, let path) = node.op, let first = path.first, root < roots {
        leafWidth[root] = Swift.max(leafWidth[root], first + 1)
      }
    }
    for w in leafWidth {
      leafBase.append(leafCount)
      leafCount += w
    }
    for (i, node) in nodes.enumerated() {
      let step = plan(node, i, nodes, roots: roots)
      instructions.append(Instruction(step: step, slot: Slot(node.type), inLoop: node.inLoop))
      switch step {
      case .item(let level), .itemField(let level, _), .itemFieldEquals(let level, _, _, _), .filter(_, _, let level),
        .quantify(_, _, _, let level), .quantifyGroups(_, _, _, let level), .group(_, _, _, let level), .appliedTable(_, _, let level):
        levels = Swift.max(levels, Int(level) + 1)
      default: break
      }
    }
    planGroupRanges(nodes, tables: tables)
    planItemTests()
  }

  /// One test of an `itemTest`: a field of the loop item at `level`, or `count`/`sum` of the
  /// group a `quantifyGroupRanges` at `level` is visiting, against a constant. Plain data.
  struct ItemAtom: Sendable {
    enum Operand: UInt8, Sendable {
      /// `.f OP c` on units (`slot`): a number's or an enum case's, as `compareUnits`.
      case fieldUnits
      /// `.f == c` / `.f != c` (`negated`) with `constants[constant]`, as `itemFieldEquals`.
      case fieldEquals
      /// `count(w) OP c`.
      case groupCount
      /// `sum(w.f) OP c`, of numbers.
      case groupSum
    }
    var operand: Operand
    var slot: Slot
    var holds: Orderings
    var negated: Bool
    var level: Int32
    var field: Int32
    var constant: Int32
    /// The constant as units, for every operand but `fieldEquals`.
    var units: Int128
    /// The nodes that run when the atom is tested, stamped for coverage as the nodes themselves
    /// would be: the atom's, the node it reads (−1: none) and its constant's (−1: none); and the
    /// `and` joining it to the atoms before it (−1 for the first), which runs whenever the test does.
    var node: Int32
    var operandNode: Int32
    var constantNode: Int32
    var andNode: Int32

    /// The step the atom's node had before it was planned into an `itemTest`.
    var kind: Step.Kind { operand == .fieldEquals ? .itemFieldEquals : .compareUnits }
  }

  /// `itemTest`s: every `and` whose sides are tests of loop items against constants (or such an
  /// `and` itself) becomes one test over its atoms in order, and so does a loop body that is a
  /// single such test. Nodes come after their operands, so an `and`'s left side is planned first.
  /// The atoms' own nodes keep their steps: read elsewhere, they compute the same truth.
  private mutating func planItemTests() {
    func atom(_ k: Int) -> ItemAtom? {
      switch instructions[k].step {
      case .itemFieldEquals(let level, let field, let constant, let negated):
        return ItemAtom(
          operand: .fieldEquals, slot: instructions[k].slot, holds: [], negated: negated, level: level, field: field,
          constant: constant, units: 0, node: Int32(k), operandNode: -1, constantNode: -1, andNode: -1)
      case .compareUnits(var x, var y, var holds):
        if case .constant = instructions[Int(x)].step {
          swap(&x, &y)
          holds = holds.reversed
        }
        guard case .constant(let index) = instructions[Int(y)].step,
          let units = instructions[Int(y)].slot.units(constants[Int(index)])
        else { return nil }
        var a = ItemAtom(
          operand: .fieldUnits, slot: instructions[Int(x)].slot, holds: holds, negated: false, level: 0, field: 0,
          constant: index, units: units, node: Int32(k), operandNode: x, constantNode: y, andNode: -1)
        switch instructions[Int(x)].step {
        case .itemField(let level, let field): (a.level, a.field) = (level, field)
        case .groupCount(let level): (a.operand, a.level) = (.groupCount, level)
        case .groupSumField(let level, let field) where a.slot == .number: (a.operand, a.level, a.field) = (.groupSum, level, field)
        default: return nil
        }
        return a
      default:
        return nil
      }
    }
    for k in instructions.indices {
      guard case .and(let x, let y) = instructions[k].step, var right = atom(Int(y)) else { continue }
      let left: [ItemAtom]
      if case .itemTest(let first, let count) = instructions[Int(x)].step {
        left = Array(atoms[Int(first)..<Int(first + count)])
      } else if let a = atom(Int(x)) {
        left = [a]
      } else {
        continue
      }
      right.andNode = Int32(k)
      atoms += left + [right]
      instructions[k].step = .itemTest(first: Int32(atoms.count - left.count - 1), count: Int32(left.count + 1))
    }
    var bodies = Set<Int>()
    for ins in instructions {
      switch ins.step {
      case .filter(_, let body, _), .quantify(_, _, let body, _), .quantifyGroupRanges(_, _, let body, _): bodies.insert(Int(body))
      default: break
      }
    }
    for k in bodies.sorted() {
      guard let a = atom(k) else { continue }
      atoms.append(a)
      instructions[k].step = .itemTest(first: Int32(atoms.count - 1), count: 1)
    }
  }

  /// `count(w)` and `sum(w.f)` in the body of `any w in window(…)` / `per_day(…)` read the group
  /// where it lies (`groupCount`, `groupSumField`), and the quantifier visits groups as ranges of
  /// the sorted items (`quantifyGroupRanges`), when nothing else reads the group. Identical
  /// expressions are shared nodes, so `count(x)` may also sit in another loop at the same level
  /// (over a list of lists, or a table applied to each item): a quantifier is specialised only
  /// when none of its aggregates is reachable from a loop that is not.
  private mutating func planGroupRanges(_ nodes: [Node], tables: [CompiledTable]) {
    /// The group aggregate node `n` computes over the item at `level`, if it is one.
    func aggregate(_ n: Int, level: Int) -> Step? {
      guard case .call(let f, let args, _) = nodes[n].op, args.count == 1 else { return nil }
      let x = args[0]
      if f == .count, case .item(let l) = nodes[x].op, l == level { return .groupCount(level: Int32(level)) }
      if f == .sum, case .projection(let r, let field) = nodes[x].op, case .item(let l) = nodes[r].op, l == level {
        return .groupSumField(level: Int32(level), field: Int32(field))
      }
      return nil
    }
    /// The nodes a table reads: inputs, cells, outputs.
    func tableNodes(_ t: Int) -> [Int] {
      guard tables.indices.contains(t) else { return [] }
      let table = tables[t]
      var out = table.inputs + table.priority + (table.defaultValue ?? [])
      for row in table.rows { out += row.cells.flatMap(\.operands) + row.outputs }
      return out
    }
    struct Scope {
      var binder: Int
      var level: Int
      var groups: Bool
      /// The aggregates reached, and whether the item is read any other way.
      var aggregates: Set<Int> = []
      var otherReads = false
    }
    var scopes: [Scope] = []
    for (i, node) in nodes.enumerated() {
      var roots: [Int]
      var level: Int
      switch node.op {
      case .filter(_, let body, let l), .quantifier(_, _, let body, let l): (roots, level) = ([body], l)
      case .call(let f, let args, let l) where (f == .window || f == .perDay) && !args.isEmpty: (roots, level) = ([args[args.count - 1]], l)
      case .appliedTable(let t, _, let l): (roots, level) = (tableNodes(t), l)
      default: continue
      }
      var groups = false
      if case .quantifyGroups = instructions[i].step { groups = true }
      var scope = Scope(binder: i, level: level, groups: groups)
      var seen = Set<Int>()
      while let n = roots.popLast() {
        guard seen.insert(n).inserted else { continue }
        if aggregate(n, level: level) != nil {
          scope.aggregates.insert(n)
          continue
        }
        if case .item(let l) = nodes[n].op, l == level { scope.otherReads = true }
        roots += nodes[n].op.operands
        if case .table(let t) = nodes[n].op { roots += tableNodes(t) }
        if case .appliedTable(let t, _, _) = nodes[n].op { roots += tableNodes(t) }
      }
      scopes.append(scope)
    }
    var chosen = scopes.indices.filter { scopes[$0].groups && !scopes[$0].otherReads }
    // Drop a quantifier whose aggregate another loop at its level also reaches, until none is left.
    while true {
      let shared = scopes.indices.filter { !chosen.contains($0) }.reduce(into: Set<Int>()) { $0.formUnion(scopes[$1].aggregates) }
      let kept = chosen.filter { scopes[$0].aggregates.isDisjoint(with: shared) }
      if kept.count == chosen.count { break }
      chosen = kept
    }
    for c in chosen {
      let scope = scopes[c]
      guard case .quantifyGroups(let q, let grouping, let body, let level) = instructions[scope.binder].step else { continue }
      instructions[scope.binder].step = .quantifyGroupRanges(q, grouping: grouping, body: body, level: level)
      for n in scope.aggregates {
        if let step = aggregate(n, level: scope.level) { instructions[n].step = step }
      }
    }
  }

  private mutating func run(_ xs: [Int]) -> Int32 {
    let start = Int32(pool.count)
    pool += xs.map { Int32($0) }
    return start
  }

  private mutating func constant(_ v: Value) -> Step {
    constants.append(v)
    return .constant(index: Int32(constants.count - 1))
  }

  /// The step for node `i`: the operation, specialised for its operands.
  private mutating func plan(_ node: Node, _ i: Int, _ nodes: [Node], roots: Int) -> Step {
    func slot(_ x: Int) -> Slot { Slot(nodes[x].type) }
    /// The loop level and field position when `x` reads a field of a loop item.
    func itemField(_ x: Int) -> (level: Int32, field: Int32)? {
      guard case .field(let r, let f) = nodes[x].op, case .item(let level) = nodes[r].op else { return nil }
      return (Int32(level), Int32(f))
    }
    switch node.op {
    case .constant(let v):
      return constant(v)
    case .fact(let root, let path):
      guard let first = path.first, root < roots else { return .root(Int32(root)) }
      let leaf = Int32(leafBase[root] + first)
      if path.count == 1 { return .rootField(leaf: leaf) }
      return .factPath(leaf: leaf, rest: run(Array(path.dropFirst())), depth: Int32(path.count - 1))
    case .today:
      return .today
    case .item(let level):
      return .item(level: Int32(level))
    case .field(let x, let f):
      if let (level, _) = itemField(i) { return .itemField(level: level, field: Int32(f)) }
      return .field(record: Int32(x), field: Int32(f))
    case .projection(let x, let f):
      return .projection(list: Int32(x), field: Int32(f))
    case .index(let x, let k):
      return .index(list: Int32(x), position: Int32(k))
    case .not(let x):
      return .not(Int32(x))
    case .negate(let x):
      return .negate(Int32(x))
    case .and(let x, let y):
      return .and(Int32(x), Int32(y))
    case .or(let x, let y):
      return .or(Int32(x), Int32(y))
    case .compare(let op, let x, let y):
      let holds = Orderings(op)
      if slot(x).isUnits, slot(y).isUnits { return .compareUnits(Int32(x), Int32(y), holds: holds) }
      if op == .eq || op == .ne {
        if let (level, field) = itemField(x), case .constant = nodes[y].op, case .constant(let index) = constant(nodes[y]) {
          return .itemFieldEquals(level: level, field: field, constant: index, negated: op == .ne)
        }
        return .equal(Int32(x), Int32(y), negated: op == .ne)
      }
      return .compare(Int32(x), Int32(y), holds: holds)
    case .arithmetic(let op, let x, let y):
      guard let op = op.arithmetic else { return .invalidOperands }
      if slot(i) == .number, slot(x) == .number, slot(y) == .number {
        return .arithmeticUnits(op, Int32(x), Int32(y))
      }
      return .arithmetic(op, Int32(x), Int32(y))
    case .coalesce(let x, let y):
      return .coalesce(Int32(x), Int32(y))
    case .member(let x, let y, let negated):
      // Against a constant list, the test needs no boxed values.
      let items = Program.constantList(nodes[y], in: nodes) ?? []
      if !items.isEmpty {
        switch nodes[x].type.unwrapped {
        case .enumeration(let e) where e.cases.count <= 64:
          if let set = Program.enumSet(items) { return .memberEnumSet(Int32(x), set: set, negated: negated) }
        case .text:
          let words = items.compactMap { if case .text(let t) = $0 { t } else { nil } }
          if words.count == items.count {
            texts += words
            return .memberTexts(Int32(x), first: Int32(texts.count - words.count), count: Int32(words.count), negated: negated)
          }
        case .int, .decimal, .percent:
          let numbers = items.compactMap { if case .number(let n) = $0 { n.units } else { nil } }
          if numbers.count == items.count, slot(x) == .number {
            units += numbers
            return .memberUnits(Int32(x), first: Int32(units.count - numbers.count), count: Int32(numbers.count), negated: negated)
          }
        default: break
        }
      }
      return .member(Int32(x), list: Int32(y), negated: negated)
    case .between(let x, let lo, let hi, let negated):
      if slot(x) == .number, slot(lo) == .number, slot(hi) == .number {
        return .betweenUnits(Int32(x), low: Int32(lo), high: Int32(hi), negated: negated)
      }
      return .between(Int32(x), low: Int32(lo), high: Int32(hi), negated: negated)
    case .presence(let x, let missing):
      switch slot(x) {
      case .bool: return .presenceOfTruth(Int32(x), negated: missing)
      case .number, .enumCase: return .presenceOfUnits(Int32(x), negated: missing)
      case .value: return .presence(Int32(x), negated: missing)
      }
    case .conditional(let c, let y, let n):
      return .conditional(Int32(c), then: Int32(y), else: Int32(n))
    case .filter(let xs, let body, let level):
      return .filter(list: Int32(xs), body: Int32(body), level: Int32(level))
    case .quantifier(let q, let xs, let body, let level):
      if case .call(let f, _, _) = nodes[xs].op, f == .window || f == .perDay {
        return .quantifyGroups(q, grouping: Int32(xs), body: Int32(body), level: Int32(level))
      }
      return .quantify(q, list: Int32(xs), body: Int32(body), level: Int32(level))
    case .list(let xs):
      // A list written of constants (`[employed, retired]`, `[12, 24, 36]`) is itself a constant,
      // so evaluating it allocates nothing; traces read it, and its items, as constants.
      let items = xs.compactMap { x -> Value? in if case .constant(let v) = nodes[x].op { v } else { nil } }
      if items.count == xs.count { return constant(.list(items)) }
      return .list(first: run(xs), count: Int32(xs.count))
    case .contains(let x, let y), .containsAny(let x, let y), .containsAll(let x, let y):
      var all = false
      if case .containsAll = node.op { all = true }
      guard nodes[x].type.unwrapped == .text else {
        if case .contains = node.op { return .listContains(Int32(x), item: Int32(y)) }
        return .listContainsSome(Int32(x), items: Int32(y), all: all)
      }
      // Constant terms against text: folded and compiled once, not per evaluation.
      guard let terms = Program.constantList(nodes[y], in: nodes).map(Value.list)?.terms ?? Program.constantText(nodes[y]) else {
        return .containsTerms(Int32(x), terms: Int32(y), all: all)
      }
      let first = Int32(matchers.count)
      if all {
        matchers += terms.map { WordMatcher([$0]) }
        return .containsAllWords(Int32(x), first: first, count: Int32(terms.count))
      }
      matchers.append(WordMatcher(terms))
      return .containsWords(Int32(x), matcher: first)
    case .startsWith(let x, let y):
      return .startsWith(Int32(x), prefix: Int32(y))
    case .matches(let x, let p):
      switch Pattern.compile(p) {
      case .success(let compiled):
        patterns.append(compiled)
        return .matches(Int32(x), pattern: Int32(patterns.count - 1))
      case .failure(let e):
        badPatterns[i] = e.message
        return .matches(Int32(x), pattern: -1)
      }
    case .call(let f, let args, let level):
      switch f {
      case .count where args.count == 1: return .count(list: Int32(args[0]))
      case .sum where args.count == 1:
        if case .projection(let records, let field) = nodes[args[0]].op { return .sumField(records: Int32(records), field: Int32(field)) }
        return .sum(list: Int32(args[0]))
      case .window, .perDay:
        // The key (the last argument) is read with each item at `level`.
        guard args.count >= 2 else { return .invalidOperands }
        return .group(perDay: f == .perDay, args: run(args), count: Int32(args.count), level: Int32(level))
      default: break
      }
      var compiled: Int32 = -1
      if f == .bestMatch, args.count == 2, case .constant(.list(let items)) = nodes[args[1]].op {
        compiled = Int32(nameLists.count)
        nameLists.append(Screening.NameList(items.compactMap { if case .text(let s) = $0 { s } else { nil } }))
      }
      if f == .near, args.count == 4, case .constant(let x) = nodes[args[1]].op, case .constant(let y) = nodes[args[2]].op,
        let first = x.terms, let second = y.terms
      {
        compiled = Int32(matchers.count)
        matchers += [WordMatcher(first, negation: false), WordMatcher(second, negation: false)]
      }
      return .call(f, args: run(args), count: Int32(args.count), compiled: compiled)
    case .table(let t):
      return .table(Int32(t))
    case .appliedTable(let t, let item, let level):
      return .appliedTable(Int32(t), item: Int32(item), level: Int32(level))
    }
  }

  /// The constant step of a constant node (its value added to the pool).
  private mutating func constant(_ node: Node) -> Step {
    guard case .constant(let v) = node.op else { return .invalidOperands }
    return constant(v)
  }
}

extension Program {
  /// The items of a constant list: folded, or written as a list of constants.
  static func constantList(_ node: Node, in nodes: [Node]) -> [Value]? {
    switch node.op {
    case .constant(.list(let values)): return values
    case .list(let xs):
      var values: [Value] = []
      for x in xs {
        guard case .constant(let v) = nodes[x].op else { return nil }
        values.append(v)
      }
      return values
    default: return nil
    }
  }

  /// The one term of a constant text (`contains "保本"`).
  static func constantText(_ node: Node) -> [String]? {
    if case .constant(.text(let t)) = node.op { return [t] }
    return nil
  }

  /// A constant list of enum cases, as a bit mask; nil when an item is not a case.
  static func enumSet(_ values: [Value]) -> UInt64? {
    var mask: UInt64 = 0
    for v in values {
      guard case .enumCase(let i) = v, i >= 0, i < 64 else { return nil }
      mask |= 1 << UInt64(i)
    }
    return mask
  }
}
