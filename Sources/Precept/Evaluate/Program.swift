/// The rule graph flattened for evaluation: one plain-data instruction per node (no reference
/// counting when the evaluator reads one), with constants, operand lists and patterns in pools.
struct Program: Sendable {
  enum Code: UInt8, Sendable {
    case constant, fact, today, item, field, projection, index, not, negate, and, or, compare, arithmetic
    case coalesce, member, between, presence, conditional, filter, quantifier, list, contains, containsAny
    case containsAll, startsWith, matches, call, table
  }

  /// One node. Operand meaning depends on `code` (see `Program.init`).
  struct Instruction: Sendable {
    var code: Code
    /// A sub-code: the operator, quantifier or builtin; or 1 for "negated" / "missing".
    var flag: UInt8
    var inLoop: Bool
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
  /// Patterns that failed to compile, by instruction, with the reason (reported when used).
  var badPatterns: [Int: String] = [:]

  static let operators = BinaryOp.allCases
  static let quantifiers: [Quantifier] = [.any, .all, .none]

  init(_ nodes: [Node]) {
    for (i, node) in nodes.enumerated() {
      var ins = Instruction(code: .constant, flag: 0, inLoop: node.inLoop, a: 0, b: 0, c: 0, aux: 0)
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
        if case .compare = node.op { ins.code = .compare } else { ins.code = .arithmetic }
        ins.flag = UInt8(Program.operators.firstIndex(of: op) ?? 0)
        (ins.a, ins.b) = (Int32(x), Int32(y))
      case .coalesce(let x, let y): (ins.code, ins.a, ins.b) = (.coalesce, Int32(x), Int32(y))
      case .member(let x, let y, let negated): (ins.code, ins.a, ins.b, ins.flag) = (.member, Int32(x), Int32(y), negated ? 1 : 0)
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
          let terms: [String]? =
            switch v {
            case .text(let t): [t]
            case .list(let items): items.compactMap { if case .text(let t) = $0 { t } else { nil } }
            default: nil
            }
          if let terms {
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
      case .table(let t): (ins.code, ins.a) = (.table, Int32(t))
      }
      instructions.append(ins)
    }
  }
}
