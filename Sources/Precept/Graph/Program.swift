/// The rule graph flattened for evaluation: one plain-data instruction per node (no reference
/// counting when the evaluator reads one), with constants, operand lists and patterns in pools.
struct Program: Sendable {
  enum Code: UInt8, Sendable {
    case constant, fact, today, item, field, projection, index, not, negate, and, or, compare, arithmetic
    case coalesce, member, between, presence, conditional, filter, quantifier, list, contains, containsAny
    case containsAll, startsWith, matches, call, table, appliedTable
  }

  /// How the evaluator keeps a node's value: unboxed for the commonest static types, so that
  /// reading and comparing them touches no enum copies and no reference counts.
  enum Slot: UInt8, Sendable {
    /// A `Value` (text, money, dates, lists, records, …).
    case value
    /// A truth value: 0 false, 1 true, 2 missing.
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
  }

  /// One node. Operand meaning depends on `code` (see `Program.init`).
  struct Instruction: Sendable {
    var code: Code
    /// A sub-code: the operator, quantifier or builtin; or 1 for "negated" / "missing".
    var flag: UInt8
    var inLoop: Bool
    var slot: Slot
    var a: Int32
    var b: Int32
    var c: Int32
    /// An index into one of the pools.
    var aux: Int32
  }

  var instructions: [Instruction] = []
  var constants: [Value] = []
  /// Operand lists (`list`, `call`) and fact paths, as runs of indices.
  var pool: [Int32] = []
  var patterns: [Pattern] = []
  /// Term lists compiled for `contains`, `contains any`, `contains all` on text, when the terms are constant.
  var matchers: [WordMatcher] = []
  /// Watch lists of `best_match` given as constants, folded once.
  var nameLists: [Screening.NameList] = []
  /// Sets of enum cases written as constant lists (`x in [employed, retired]`), as bit masks.
  var enumSets: [UInt64] = []
  /// The items of constant lists of text that `member` tests (`country in lending_countries`), end to end.
  var texts: [String] = []
  /// The items of constant lists of numbers that `member` tests (`term in [12, 24, 36]`), as units.
  var units: [Int128] = []
  /// Patterns that failed to compile, by instruction, with the reason (reported when used).
  var badPatterns: [Int: String] = [:]

  static let operators = BinaryOp.allCases
  static let quantifiers: [Quantifier] = [.any, .all, .none]

  init(_ nodes: [Node]) {
    for (i, node) in nodes.enumerated() {
      var ins = Instruction(code: .constant, flag: 0, inLoop: node.inLoop, slot: Slot(node.type), a: 0, b: 0, c: 0, aux: 0)
      func run(_ xs: [Int]) -> Int32 {
        let start = Int32(pool.count)
        pool += xs.map { Int32($0) }
        return start
      }
      switch node.op {
      case .constant(let v):
        ins.aux = Int32(constants.count)
        constants.append(v)
      case .fact(let root, let path):
        ins.code = .fact
        ins.a = Int32(root)
        ins.aux = run(path)
        ins.c = Int32(path.count)
      case .today: ins.code = .today
      case .item(let level): (ins.code, ins.a) = (.item, Int32(level))
      case .field(let x, let f): (ins.code, ins.a, ins.b) = (.field, Int32(x), Int32(f))
      case .projection(let x, let f): (ins.code, ins.a, ins.b) = (.projection, Int32(x), Int32(f))
      case .index(let x, let k): (ins.code, ins.a, ins.b) = (.index, Int32(x), Int32(k))
      case .not(let x): (ins.code, ins.a) = (.not, Int32(x))
      case .negate(let x): (ins.code, ins.a) = (.negate, Int32(x))
      case .and(let x, let y): (ins.code, ins.a, ins.b) = (.and, Int32(x), Int32(y))
      case .or(let x, let y): (ins.code, ins.a, ins.b) = (.or, Int32(x), Int32(y))
      case .compare(let op, let x, let y), .arithmetic(let op, let x, let y):
        if case .compare = node.op {
          ins.code = .compare
          // Which orderings (below, equal, above) make the comparison true, as bits 0, 1, 2.
          ins.aux = Program.orderings(op)
        } else {
          ins.code = .arithmetic
        }
        ins.flag = UInt8(Program.operators.firstIndex(of: op) ?? 0)
        (ins.a, ins.b) = (Int32(x), Int32(y))
      case .coalesce(let x, let y): (ins.code, ins.a, ins.b) = (.coalesce, Int32(x), Int32(y))
      case .member(let x, let y, let negated):
        (ins.code, ins.a, ins.b, ins.flag) = (.member, Int32(x), Int32(y), negated ? 1 : 0)
        // Against a constant list, the test needs no boxed values. `flag` bits 1–2 say how the list
        // is kept: 1 an enum set (`c` its index in `enumSets`), 2 text (`texts[c..<c+aux]`),
        // 3 numbers (`units[c..<c+aux]`).
        let items = Program.constantList(nodes[y], in: nodes) ?? []
        switch (ins.slot, nodes[x].type.unwrapped) {
        case _ where items.isEmpty: break
        case (_, .enumeration(let e)) where e.cases.count <= 64:
          if let set = Program.enumSet(items) {
            (ins.flag, ins.c) = (ins.flag | Program.memberEnumSet, Int32(enumSets.count))
            enumSets.append(set)
          }
        case (_, .text):
          let words = items.compactMap { if case .text(let t) = $0 { t } else { nil } }
          if words.count == items.count {
            (ins.flag, ins.c, ins.aux) = (ins.flag | Program.memberTexts, Int32(texts.count), Int32(words.count))
            texts += words
          }
        case (_, .int), (_, .decimal), (_, .percent):
          let numbers = items.compactMap { if case .number(let n) = $0 { n.units } else { nil } }
          if numbers.count == items.count {
            (ins.flag, ins.c, ins.aux) = (ins.flag | Program.memberUnits, Int32(units.count), Int32(numbers.count))
            units += numbers
          }
        default: break
        }
      case .between(let x, let lo, let hi, let negated):
        (ins.code, ins.a, ins.b, ins.c, ins.flag) = (.between, Int32(x), Int32(lo), Int32(hi), negated ? 1 : 0)
      case .presence(let x, let missing): (ins.code, ins.a, ins.flag) = (.presence, Int32(x), missing ? 1 : 0)
      case .conditional(let c, let y, let n): (ins.code, ins.a, ins.b, ins.c) = (.conditional, Int32(c), Int32(y), Int32(n))
      case .filter(let xs, let body, let level): (ins.code, ins.a, ins.b, ins.c) = (.filter, Int32(xs), Int32(body), Int32(level))
      case .quantifier(let q, let xs, let body, let level):
        (ins.code, ins.a, ins.b, ins.c) = (.quantifier, Int32(xs), Int32(body), Int32(level))
        ins.flag = UInt8(Program.quantifiers.firstIndex(of: q) ?? 0)
      case .list(let xs):
        // A list written of constants (`[employed, retired]`, `[12, 24, 36]`) is itself a constant,
        // so evaluating it allocates nothing; traces read it, and its items, as constants.
        let items = xs.compactMap { x -> Value? in if case .constant(let v) = nodes[x].op { v } else { nil } }
        if items.count == xs.count {
          ins.aux = Int32(constants.count)
          constants.append(.list(items))
        } else {
          (ins.code, ins.aux, ins.c) = (.list, run(xs), Int32(xs.count))
        }
      case .contains(let x, let y), .containsAny(let x, let y), .containsAll(let x, let y):
        switch node.op {
        case .contains: ins.code = .contains
        case .containsAny: ins.code = .containsAny
        default: ins.code = .containsAll
        }
        (ins.a, ins.b) = (Int32(x), Int32(y))
        ins.aux = -1
        // Constant terms against text: fold and compile them once, not per evaluation.
        if nodes[x].type.unwrapped == .text, case .constant(let v) = nodes[y].op {
          if let terms = v.terms {
            // `aux` is the first of `c` matchers: one for the whole list, or one per term for `contains all`.
            ins.aux = Int32(matchers.count)
            let compiled = ins.code == .containsAll ? terms.map { WordMatcher([$0]) } : [WordMatcher(terms)]
            matchers += compiled
            ins.c = Int32(compiled.count)
          }
        }
      case .startsWith(let x, let y): (ins.code, ins.a, ins.b) = (.startsWith, Int32(x), Int32(y))
      case .matches(let x, let p):
        (ins.code, ins.a) = (.matches, Int32(x))
        switch Pattern.compile(p) {
        case .success(let compiled):
          ins.aux = Int32(patterns.count)
          patterns.append(compiled)
        case .failure(let e):
          ins.aux = -1
          badPatterns[i] = e.message
        }
      case .call(let f, let args, let level):
        (ins.code, ins.aux, ins.c, ins.b) = (.call, run(args), Int32(args.count), Int32(level))
        ins.flag = UInt8(Builtin.allCases.firstIndex(of: f) ?? 0)
        // Constant arguments compiled once: `near`'s words at `matchers[a]` and `matchers[a + 1]`, `best_match`'s list at `nameLists[a]`.
        ins.a = -1
        if f == .bestMatch, args.count == 2, case .constant(.list(let items)) = nodes[args[1]].op {
          ins.a = Int32(nameLists.count)
          nameLists.append(Screening.NameList(items.compactMap { if case .text(let s) = $0 { s } else { nil } }))
        }
        if f == .near, args.count == 4, case .constant(let x) = nodes[args[1]].op, case .constant(let y) = nodes[args[2]].op,
          let first = x.terms, let second = y.terms
        {
          ins.a = Int32(matchers.count)
          matchers += [WordMatcher(first, negation: false), WordMatcher(second, negation: false)]
        }
      case .table(let t): (ins.code, ins.a) = (.table, Int32(t))
      case .appliedTable(let t, let item, let level): (ins.code, ins.a, ins.b, ins.c) = (.appliedTable, Int32(t), Int32(item), Int32(level))
      }
      instructions.append(ins)
    }
  }
}

extension Program {
  /// The orderings for which `op` holds: bit 0 below, bit 1 equal, bit 2 above.
  static func orderings(_ op: BinaryOp) -> Int32 {
    switch op {
    case .lt: 0b001
    case .le: 0b011
    case .eq: 0b010
    case .ne: 0b101
    case .gt: 0b100
    case .ge: 0b110
    default: 0
    }
  }

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

  /// A constant list of enum cases, as a bit mask; nil when an item is not a case.
  static func enumSet(_ values: [Value]) -> UInt64? {
    var mask: UInt64 = 0
    for v in values {
      guard case .enumCase(let i) = v, i >= 0, i < 64 else { return nil }
      mask |= 1 << UInt64(i)
    }
    return mask
  }

  /// How a `member` instruction keeps its constant list (in `flag` bits 1–2).
  static let memberEnumSet: UInt8 = 1 << 1
  static let memberTexts: UInt8 = 2 << 1
  static let memberUnits: UInt8 = 3 << 1
}
