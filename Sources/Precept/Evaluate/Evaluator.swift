/// Evaluates a compiled rulebook over facts. Holds the per-evaluation state, reused from one
/// evaluation to the next so that plain evaluation allocates nothing; one per thread.
public final class Evaluator {
  /// The rulebook this evaluator evaluates.
  public let book: CompiledRulebook
  let program: Program
  // Per-node state lives in raw buffers: array stores in a class pay for exclusivity checks
  // and uniqueness tests on every write, which dominated the hot path.
  let instructions: UnsafeMutablePointer<Program.Instruction>
  let constants: UnsafeMutablePointer<Value>
  let constantCount: Int
  let pool: UnsafeMutablePointer<Int32>
  let poolCount: Int
  let memo: UnsafeMutablePointer<Value>
  /// `stamps[i] == generation` when `memo[i]` holds this evaluation's value.
  let stamps: UnsafeMutablePointer<UInt32>
  /// `failedAt[i] == generation` when node i failed (overflow, division by zero) in this evaluation.
  let failedAt: UnsafeMutablePointer<UInt32>
  let nodeCount: Int
  /// Each rule's `when`, condition (−1: none), verb and severity, copied out of `CompiledRule`
  /// so the rule loop touches no strings.
  let plan: [RulePlan]
  /// Rules that set others aside when they apply.
  let overriders: [Int]
  /// `{"rule":"ID","status":"` for each rule, ready to copy into streamed output.
  let resultPrefixes: [[UInt8]]
  /// `,"message":"…"` for rules whose message has no placeholder, escaped once.
  let fixedMessages: [[UInt8]?]
  /// The streamed line's fixed middle (`"rulebook"…"outcome":"`) for `headerDate`.
  var header: [UInt8] = []
  var headerDate: CivilDate?

  struct RulePlan {
    var when: Int32
    var condition: Int32
    var verb: Verb
    var severity: Severity
    var hasLimits: Bool
  }
  var generation: UInt32 = 0
  /// The current item of each enclosing loop, by level.
  /// The item of each enclosing loop, by level, in a raw buffer sized to the deepest loop:
  /// a Swift array here paid an exclusivity check on every item of every loop.
  let frames: UnsafeMutablePointer<Value>
  let frameCount: Int
  var facts: [Value] = []
  var today = CivilDate(uncheckedDays: 0)
  /// Failures met while evaluating the current rule: node and reason.
  var failures: [(node: Int, error: ArithmeticError)] = []
  /// For traces: the item index that decided each quantifier (`any` true, `all` false).
  var witnesses: [Int: Int] = [:]
  var recordWitnesses = false
  /// For traces: where in the copy each text test last matched.
  var matchedSpans: [Int: [TextSpan]] = [:]
  /// For test coverage: record which decision-table rows are chosen.
  var recordTableRows = false {
    didSet { tableRowsChosen = book.tables.map { [Bool](repeating: false, count: $0.rows.count) } }
  }
  var tableRowsChosen: [[Bool]] = []
  /// Each rule's status after `run`, in rule order (reused; no allocation per evaluation).
  public internal(set) var statuses: [RuleStatus] = []
  /// For overridden rules: the index of the rule that set them aside.
  var overriddenBy: [Int] = []
  /// Failures per rule, for rules whose verdict is unknown because arithmetic failed.
  var ruleFailures: [[(node: Int, error: ArithmeticError)]] = []
  /// Whether the previous run recorded any failure (so a clean run need not clear them).
  var hadFailures = false

  /// An evaluator for `book`; keep one per thread or task and reuse it for many evaluations.
  public init(_ book: CompiledRulebook) {
    self.book = book
    self.program = book.program
    let n = book.nodes.count
    nodeCount = n
    instructions = .allocate(capacity: Swift.max(n, 1))
    _ = UnsafeMutableBufferPointer(start: instructions, count: n).initialize(from: book.program.instructions)
    constantCount = book.program.constants.count
    constants = .allocate(capacity: Swift.max(constantCount, 1))
    _ = UnsafeMutableBufferPointer(start: constants, count: constantCount).initialize(from: book.program.constants)
    poolCount = book.program.pool.count
    pool = .allocate(capacity: Swift.max(poolCount, 1))
    _ = UnsafeMutableBufferPointer(start: pool, count: poolCount).initialize(from: book.program.pool)
    memo = .allocate(capacity: Swift.max(n, 1))
    memo.initialize(repeating: .missing, count: n)
    stamps = .allocate(capacity: Swift.max(n, 1))
    stamps.initialize(repeating: 0, count: n)
    failedAt = .allocate(capacity: Swift.max(n, 1))
    failedAt.initialize(repeating: 0, count: n)
    plan = book.rules.map { r in
      RulePlan(
        when: Int32(r.when ?? -1), condition: Int32(r.condition), verb: r.verb, severity: r.severity,
        hasLimits: r.stages.count != Stage.allCases.count || r.effectiveFrom != nil || r.effectiveUntil != nil)
    }
    overriders = book.rules.indices.filter { !book.rules[$0].overrides.isEmpty }
    fixedMessages = book.rules.map { r in
      let placeholders = r.message.contains { if case .value = $0 { true } else { false } }
      guard !placeholders else { return nil }
      let text = r.message.isEmpty ? r.title : r.message.map { if case .text(let t) = $0 { t } else { "" } }.joined()
      guard let text else { return nil }
      var bytes = Array(#","message":"#.utf8)
      JSON.escape(text, into: &bytes)
      return bytes
    }
    resultPrefixes = book.rules.map { r in
      var bytes = Array(#"{"rule":"#.utf8)
      JSON.escape(r.id, into: &bytes)
      bytes += Array(#","status":""#.utf8)
      return bytes
    }
    // Loop levels are fixed at compile time; the deepest one bounds the frames needed.
    var deepest = 0
    for ins in book.program.instructions {
      switch ins.code {
      case .item: deepest = Swift.max(deepest, Int(ins.a) + 1)
      case .filter, .quantifier: deepest = Swift.max(deepest, Int(ins.c) + 1)
      case .call: deepest = Swift.max(deepest, Int(ins.b) + 1)
      default: break
      }
    }
    frameCount = Swift.max(deepest, 1)
    frames = .allocate(capacity: frameCount)
    frames.initialize(repeating: .missing, count: frameCount)
    statuses.reserveCapacity(book.rules.count)
  }

  deinit {
    instructions.deinitialize(count: nodeCount)
    instructions.deallocate()
    constants.deinitialize(count: constantCount)
    constants.deallocate()
    pool.deallocate()
    frames.deinitialize(count: frameCount)
    frames.deallocate()
    memo.deinitialize(count: nodeCount)
    memo.deallocate()
    stamps.deallocate()
    failedAt.deallocate()
  }

  /// Starts a fresh evaluation over `facts` (values of `book.roots`, in order).
  func begin(_ facts: [Value], asOf: CivilDate) {
    generation &+= 1
    if generation == 0 {
      // After 2³² evaluations the stamps wrap; clear them once rather than misread an old value.
      for i in 0..<nodeCount {
        stamps[i] = 0
        failedAt[i] = 0
      }
      generation = 1
    }
    self.facts = facts
    self.today = asOf
    failures.removeAll(keepingCapacity: true)
    witnesses.removeAll(keepingCapacity: true)
    if !matchedSpans.isEmpty { matchedSpans.removeAll(keepingCapacity: true) }
  }

  /// The value of node `i`, computed at most once per evaluation unless it reads a loop item.
  func eval(_ i: Int32) -> Value {
    let k = Int(i)
    let ins = instructions[k]
    // A constant costs less to read than to memoize.
    if ins.code == .constant { return constants[Int(ins.aux)] }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return memo[k]
    }
    let v = compute(ins, k)
    if !ins.inLoop {
      memo[k] = v
      stamps[k] = generation
    }
    return v
  }

  /// The memoized value of a node, if this evaluation computed it (for traces).
  func computedValue(_ i: Int) -> Value? {
    let ins = instructions[i]
    if ins.code == .constant { return constants[Int(ins.aux)] }
    return stamps[i] == generation ? memo[i] : nil
  }

  func fail(_ node: Int, _ error: ArithmeticError) -> Value {
    failedAt[node] = generation
    failures.append((node, error))
    return .missing
  }

  private func noteFailure(_ node: Int) {
    if !failures.contains(where: { $0.node == node }) { failures.append((node, .overflow)) }
  }

  private func compute(_ ins: Program.Instruction, _ k: Int) -> Value {
    switch ins.code {
    case .constant:
      return constants[Int(ins.aux)]
    case .fact:
      var v = facts[Int(ins.a)]
      for step in 0..<Int(ins.c) {
        guard case .record(let fields) = v else { return .missing }
        v = fields[Int(pool[Int(ins.aux) + step])]
      }
      return v
    case .today:
      return .date(today)
    case .item:
      let level = Int(ins.a)
      return level < frameCount ? frames[level] : .missing
    case .field:
      guard case .record(let fields) = eval(ins.a) else { return .missing }
      return fields[Int(ins.b)]
    case .projection:
      guard case .list(let items) = eval(ins.a) else { return .missing }
      let f = Int(ins.b)
      return .list(items.map { item in
        if case .record(let fields) = item { return fields[f] }
        return .missing
      })
    case .index:
      guard case .list(let items) = eval(ins.a), case .number(let n) = eval(ins.b), let i = n.intValue else { return .missing }
      return i >= 0 && i < items.count ? items[i] : .missing
    case .not:
      guard case .bool(let b) = eval(ins.a) else { return .missing }
      return .bool(!b)
    case .negate:
      switch eval(ins.a) {
      case .number(let n): return .number(n.negated)
      case .money(let m): return .money(m.negated)
      case .duration(let d): return .duration(d.negated)
      default: return .missing
      }
    case .and:
      // Kleene logic: false wins over missing; the right side is not evaluated after a false.
      let l = eval(ins.a)
      if case .bool(false) = l { return .bool(false) }
      let r = eval(ins.b)
      if case .bool(false) = r { return .bool(false) }
      if case .bool(true) = l, case .bool(true) = r { return .bool(true) }
      return .missing
    case .or:
      let l = eval(ins.a)
      if case .bool(true) = l { return .bool(true) }
      let r = eval(ins.b)
      if case .bool(true) = r { return .bool(true) }
      if case .bool(false) = l, case .bool(false) = r { return .bool(false) }
      return .missing
    case .compare:
      return compare(Program.operators[Int(ins.flag)], eval(ins.a), eval(ins.b), node: k)
    case .arithmetic:
      return arithmetic(Program.operators[Int(ins.flag)], eval(ins.a), eval(ins.b), node: k)
    case .coalesce:
      let l = eval(ins.a)
      return l.isMissing ? eval(ins.b) : l
    case .member:
      let x = eval(ins.a)
      guard !x.isMissing, case .list(let xs) = eval(ins.b), let found = Evaluator.membership(x, in: xs) else { return .missing }
      return .bool(found != (ins.flag == 1))
    case .between:
      let x = eval(ins.a)
      guard case .bool(let lo) = compare(.ge, x, eval(ins.b), node: k), case .bool(let hi) = compare(.le, x, eval(ins.c), node: k) else {
        return .missing
      }
      return .bool((lo && hi) != (ins.flag == 1))
    case .presence:
      return .bool(eval(ins.a).isMissing == (ins.flag == 1))
    case .conditional:
      guard case .bool(let c) = eval(ins.a) else { return .missing }
      return eval(c ? ins.b : ins.c)
    case .filter:
      return filter(ins)
    case .quantifier:
      return quantify(ins, node: k)
    case .list:
      var out: [Value] = []
      out.reserveCapacity(Int(ins.c))
      for j in 0..<Int(ins.c) { out.append(eval(pool[Int(ins.aux) + j])) }
      return .list(out)
    case .contains, .containsAny, .containsAll, .startsWith, .matches:
      return textTest(ins, node: k)
    case .call:
      return call(ins, node: k)
    case .table:
      return table(Int(ins.a), node: k)
    }
  }

  /// Sets the item of loop `level`, growing the frame stack as needed.
  func setFrame(_ level: Int, _ item: Value) {
    guard level < frameCount else { return }
    frames[level] = item
  }

  private func filter(_ ins: Program.Instruction) -> Value {
    guard case .list(let items) = eval(ins.a) else { return .missing }
    let level = Int(ins.c)
    var kept: [Value] = []
    for item in items {
      setFrame(level, item)
      switch eval(ins.b) {
      case .bool(true): kept.append(item)
      case .bool(false): continue
      // Not knowing whether an item belongs makes the whole selection unknown, never smaller.
      default: return .missing
      }
    }
    return .list(kept)
  }

  private func quantify(_ ins: Program.Instruction, node: Int) -> Value {
    guard case .list(let items) = eval(ins.a) else { return .missing }
    let q = Program.quantifiers[Int(ins.flag)]
    let level = Int(ins.c)
    // any/none look for a true item; all looks for a false one.
    let decisive = q != .all
    var sawMissing = false
    for (i, item) in items.enumerated() {
      setFrame(level, item)
      switch eval(ins.b) {
      case .bool(let b) where b == decisive:
        if recordWitnesses { witnesses[node] = i }
        return .bool(q == .any ? true : (q == .all ? false : false))
      case .bool: continue
      default: sawMissing = true
      }
    }
    if sawMissing { return .missing }
    return .bool(q != .any)
  }
}
