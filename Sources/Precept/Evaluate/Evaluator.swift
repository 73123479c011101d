/// Evaluates a compiled rulebook over facts. Holds the per-evaluation state, reused from one
/// evaluation to the next so that plain evaluation allocates nothing; one per thread.
public final class Evaluator {
  /// The rulebook this evaluator evaluates.
  public let book: CompiledRulebook
  let program: Program
  // Per-node state and the program's pools live in owned raw buffers (see `OwnedBuffer`).
  let instructions: OwnedBuffer<Program.Instruction>
  let constants: OwnedBuffer<Value>
  let pool: OwnedBuffer<Int32>
  let memo: OwnedBuffer<Value>
  /// Unboxed values of `bool` slots (0 false, 1 true, 2 missing), and the missing flag (2) of
  /// `number` and `enumCase` slots, whose values are in `units`.
  let truths: OwnedBuffer<UInt8>
  /// Unboxed values of `number` slots (`Fixed` units) and `enumCase` slots (case index).
  let units: OwnedBuffer<Int128>
  /// Enum case sets of `member` instructions (see `Program.enumSets`).
  let enumSets: OwnedBuffer<UInt64>
  /// Constant text lists of `member` instructions (see `Program.texts`).
  let texts: OwnedBuffer<String>
  /// Constant number lists of `member` instructions (see `Program.units`).
  let unitItems: OwnedBuffer<Int128>
  /// The fields of each record root that the rules read, taken out of the facts at `begin`
  /// (root r's field j is at `rootBase[r] + j`), so that reading a fact is one load: bools,
  /// numbers, enum cases and missing fields unboxed (`leafTags`, `leafUnits`), others boxed
  /// (`rootFields`).
  let rootFields: OwnedBuffer<Value>
  /// 0 false, 1 true, 2 missing, 3 a number, 4 an enum case (both in `leafUnits`), 5 boxed.
  let leafTags: OwnedBuffer<UInt8>
  let leafUnits: OwnedBuffer<Int128>
  let rootBase: OwnedBuffer<Int>
  /// How many leading fields of each root the rules read.
  let rootWidth: OwnedBuffer<Int>
  /// The per-evaluation state, behind a pointer rather than in class properties: every access
  /// to a class's stored `var` pays a dynamic exclusivity check, which cost more than the work.
  struct State {
    var generation: UInt32 = 0
    var recordWitnesses = false
    /// Whether the previous run recorded any failure (so a clean run need not clear them).
    var hadFailures = false
    var facts: [Value] = []
    var today = CivilDate(uncheckedDays: 0)
    /// Failures met while evaluating the current rule: node and reason.
    var failures: [(node: Int, error: ArithmeticError)] = []
    /// The failures met while computing each memoized node that met any (`failedAt`), so a rule
    /// that reads the node from the memo later gets them too, with their own reasons.
    var memoFailures: [Int: [(node: Int, error: ArithmeticError)]] = [:]
    /// For traces: the item index that decided each quantifier (`any` true, `all` false).
    var witnesses: [Int: Int] = [:]
    /// For traces: where in the copy each text test last matched.
    var matchedSpans: [Int: [TextSpan]] = [:]
    /// For traces: the rows (from 1) each decision table's value came from; empty for its `default`.
    var tableRows: [Int: [Int]] = [:]
    /// For traces: every match of every text test, in order, by node.
    var matchLog: [(node: Int, span: TextSpan)] = []
    /// For traces: per loop node (`any`/`all`/`none`/`where`), each item's truth and the matches its body made.
    var loopItems: [Int: [LoopItem]] = [:]
    /// For traces: how many groups a `window`/`per_day` under a quantifier made (they are built one
    /// at a time and never kept), by the call's node; and the group that decided each quantifier.
    var groupCounts: [Int: Int] = [:]
    var decidingGroups: [Int: Value] = [:]
    /// Scratch storage of `window` and `per_day`, kept from one evaluation to the next.
    var spareKeys: [(key: Int64, index: Int32)] = []
    var spareOrder: [Int32] = []
    var spareRanges: [Range<Int>] = []
    var spareGroup: [Value] = []
  }
  let state: UnsafeMutablePointer<State>
  /// `stamps[i] == generation` when node i's value (in `memo`, `truths`, `units`) is this evaluation's.
  let stamps: OwnedBuffer<UInt32>
  /// `failedAt[i] == generation` when node i failed (overflow, division by zero) in this evaluation.
  let failedAt: OwnedBuffer<UInt32>
  /// Each rule's `when` (−1: none), condition, verb and severity, copied out of `CompiledRule`
  /// so the rule loop touches no strings.
  let plan: [RulePlan]
  /// Rules that set others aside when they apply.
  let overriders: [Int]
  struct RulePlan {
    var when: Int32
    var condition: Int32
    var verb: Verb
    var severity: Severity
    var hasLimits: Bool
  }
  /// Where each loop level's item is: in the list being iterated (read in place, never copied),
  /// or a group of `window` being visited; `nothing` outside any loop. One per level, down to
  /// the deepest loop.
  let current: OwnedBuffer<UnsafePointer<Value>>
  var frameCount: Int { current.count }
  /// What an item read outside its loop finds.
  let nothing: OwnedBuffer<Value>
  /// The facts of the current evaluation.
  var facts: [Value] { state.pointee.facts }
  var today: CivilDate { state.pointee.today }
  var failures: [(node: Int, error: ArithmeticError)] {
    get { state.pointee.failures }
    _modify { yield &state.pointee.failures }
  }
  var witnesses: [Int: Int] {
    get { state.pointee.witnesses }
    _modify { yield &state.pointee.witnesses }
  }
  /// Whether to record, for traces, the items that decided quantifiers and where text tests matched.
  var recordWitnesses: Bool {
    get { state.pointee.recordWitnesses }
    set { state.pointee.recordWitnesses = newValue }
  }
  var matchedSpans: [Int: [TextSpan]] {
    get { state.pointee.matchedSpans }
    _modify { yield &state.pointee.matchedSpans }
  }
  var tableRows: [Int: [Int]] {
    get { state.pointee.tableRows }
    _modify { yield &state.pointee.tableRows }
  }
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

  /// An evaluator for `book`; keep one per thread or task and reuse it for many evaluations.
  public init(_ book: CompiledRulebook) {
    self.book = book
    self.program = book.program
    let program = book.program
    let n = book.nodes.count
    instructions = OwnedBuffer(program.instructions)
    constants = OwnedBuffer(program.constants)
    pool = OwnedBuffer(program.pool)
    memo = OwnedBuffer(repeating: .missing, count: n)
    stamps = OwnedBuffer(repeating: 0, count: n)
    failedAt = OwnedBuffer(repeating: 0, count: n)
    truths = OwnedBuffer(repeating: 2, count: n)
    units = OwnedBuffer(repeating: 0, count: n)
    enumSets = OwnedBuffer(program.enumSets)
    texts = OwnedBuffer(program.texts)
    unitItems = OwnedBuffer(program.units)
    state = .allocate(capacity: 1)
    state.initialize(to: State())
    // Constants of unboxed slots are unboxed once, here.
    for (k, ins) in program.instructions.enumerated() where ins.code == .constant {
      (truths[k], units[k]) = Evaluator.unbox(program.constants[Int(ins.aux)], ins.slot)
    }
    // Each root is as wide as the furthest field a fact path reads first.
    let roots = book.roots.count
    var widths = [Int](repeating: 0, count: roots)
    for ins in program.instructions where ins.code == .fact && ins.c > 0 && Int(ins.a) < roots {
      widths[Int(ins.a)] = Swift.max(widths[Int(ins.a)], Int(program.pool[Int(ins.aux)]) + 1)
    }
    var bases: [Int] = []
    var width = 0
    for w in widths {
      bases.append(width)
      width += w
    }
    rootWidth = OwnedBuffer(widths)
    rootBase = OwnedBuffer(bases)
    // A fact that is a root's field reads its leaf directly: `b` is the leaf's slot (else −1).
    for k in 0..<n where instructions[k].code == .fact {
      let ins = instructions[k]
      let root = Int(ins.a)
      instructions[k].b = ins.c == 1 && root < roots ? Int32(bases[root] + Int(program.pool[Int(ins.aux)])) : -1
    }
    rootFields = OwnedBuffer(repeating: .missing, count: width)
    leafTags = OwnedBuffer(repeating: 2, count: width)
    leafUnits = OwnedBuffer(repeating: 0, count: width)
    plan = book.rules.map { r in
      RulePlan(
        when: Int32(r.when ?? -1), condition: Int32(r.condition), verb: r.verb, severity: r.severity,
        hasLimits: r.stages.count != Stage.allCases.count || r.effectiveFrom != nil || r.effectiveUntil != nil)
    }
    overriders = book.rules.indices.filter { !book.rules[$0].overrides.isEmpty }
    // Loop levels are fixed at compile time; the deepest one bounds the frames needed.
    var deepest = 0
    for ins in program.instructions {
      switch ins.code {
      case .item: deepest = Swift.max(deepest, Int(ins.a) + 1)
      case .filter, .quantifier, .appliedTable: deepest = Swift.max(deepest, Int(ins.c) + 1)
      case .call: deepest = Swift.max(deepest, Int(ins.b) + 1)
      default: break
      }
    }
    nothing = OwnedBuffer(repeating: .missing, count: 1)
    current = OwnedBuffer(repeating: UnsafePointer(nothing.base), count: Swift.max(deepest, 1))
    statuses = [RuleStatus](repeating: .notApplicable, count: book.rules.count)
    overriddenBy = [Int](repeating: -1, count: book.rules.count)
    ruleFailures = [[(node: Int, error: ArithmeticError)]](repeating: [], count: book.rules.count)
  }

  deinit {
    instructions.free()
    constants.free()
    pool.free()
    memo.free()
    truths.free()
    units.free()
    enumSets.free()
    texts.free()
    unitItems.free()
    rootFields.free()
    leafTags.free()
    leafUnits.free()
    rootBase.free()
    rootWidth.free()
    stamps.free()
    failedAt.free()
    current.free()
    nothing.free()
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Starts a fresh evaluation over `facts` (values of `book.roots`, in order).
  func begin(_ facts: [Value], asOf: CivilDate) {
    state.pointee.generation &+= 1
    if state.pointee.generation == 0 {
      // After 2³² evaluations the stamps wrap; clear them once rather than misread an old value.
      for i in 0..<stamps.count {
        stamps[i] = 0
        failedAt[i] = 0
      }
      state.pointee.generation = 1
    }
    state.pointee.facts = facts
    state.pointee.today = asOf
    for r in 0..<rootWidth.count where rootWidth[r] > 0 {
      let base = rootBase[r]
      let width = rootWidth[r]
      if r < facts.count, case .record(let fields) = facts[r] {
        for j in 0..<Swift.min(width, fields.count) {
          let slot = base + j
          switch fields[j] {
          case .missing: leafTags[slot] = 2
          case .bool(let b): leafTags[slot] = b ? 1 : 0
          case .number(let n): (leafTags[slot], leafUnits[slot]) = (3, n.units)
          case .enumCase(let e): (leafTags[slot], leafUnits[slot]) = (4, Int128(e))
          default:
            leafTags[slot] = 5
            rootFields[slot] = fields[j]
          }
        }
        for j in fields.count..<Swift.max(width, fields.count) { leafTags[base + j] = 2 }
      } else {
        for j in 0..<width { leafTags[base + j] = 2 }
      }
    }
    if !state.pointee.failures.isEmpty { state.pointee.failures.removeAll(keepingCapacity: true) }
    if !state.pointee.witnesses.isEmpty { state.pointee.witnesses.removeAll(keepingCapacity: true) }
    if !state.pointee.matchedSpans.isEmpty { state.pointee.matchedSpans.removeAll(keepingCapacity: true) }
    if !state.pointee.memoFailures.isEmpty { state.pointee.memoFailures.removeAll(keepingCapacity: true) }
    if !state.pointee.tableRows.isEmpty { state.pointee.tableRows.removeAll(keepingCapacity: true) }
    if !state.pointee.matchLog.isEmpty { state.pointee.matchLog.removeAll(keepingCapacity: true) }
    if !state.pointee.loopItems.isEmpty { state.pointee.loopItems.removeAll(keepingCapacity: true) }
    if !state.pointee.groupCounts.isEmpty { state.pointee.groupCounts.removeAll(keepingCapacity: true) }
    if !state.pointee.decidingGroups.isEmpty { state.pointee.decidingGroups.removeAll(keepingCapacity: true) }
  }

  /// For traces: one item of a loop, whether its body held (0, 1, 2 missing), and its matches in `matchLog`.
  struct LoopItem {
    var item: Int
    var truth: UInt8
    var matches: Range<Int>
  }

  /// For traces: where a text test matched, both as its last result and in the log that loops read.
  func record(_ spans: [TextSpan], at node: Int) {
    state.pointee.matchedSpans[node] = spans
    for span in spans { state.pointee.matchLog.append((node, span)) }
  }

  /// For traces: a loop's body over one item, with the matches it made.
  func traced(_ body: Int32, item: Int, loop node: Int) -> UInt8 {
    let start = state.pointee.matchLog.count
    let t = truth(body)
    state.pointee.loopItems[node, default: []].append(LoopItem(item: item, truth: t, matches: start..<state.pointee.matchLog.count))
    return t
  }

  var generation: UInt32 { state.pointee.generation }

  /// The value of node `i`, computed at most once per evaluation unless it reads a loop item.
  func eval(_ i: Int32) -> Value {
    let k = Int(i)
    let ins = instructions[k]
    // A constant costs less to read than to memoize.
    if ins.code == .constant { return constants[Int(ins.aux)] }
    switch ins.slot {
    case .bool:
      let t = truth(i)
      return t == 2 ? .missing : .bool(t == 1)
    case .number:
      guard let u = number(i) else { return .missing }
      return .number(Fixed(units: u))
    case .enumCase:
      guard let u = number(i) else { return .missing }
      return .enumCase(Int(u))
    case .value:
      break
    }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return memo[k]
    }
    let before = state.pointee.failures.count
    let v = compute(ins, k)
    if !ins.inLoop {
      memo[k] = v
      stamp(k, failuresBefore: before)
    }
    return v
  }

  /// The memoized value of a node, if this evaluation computed it (for traces).
  func computedValue(_ i: Int) -> Value? {
    let ins = instructions[i]
    if ins.code == .constant { return constants[Int(ins.aux)] }
    guard stamps[i] == generation else { return nil }
    switch ins.slot {
    case .value: return memo[i]
    case .bool: return truths[i] == 2 ? .missing : .bool(truths[i] == 1)
    case .number: return truths[i] == 2 ? .missing : .number(Fixed(units: units[i]))
    case .enumCase: return truths[i] == 2 ? .missing : .enumCase(Int(units[i]))
    }
  }

  /// A value as an unboxed slot holds it: (truth or missing flag, units).
  static func unbox(_ v: Value, _ slot: Program.Slot) -> (UInt8, Int128) {
    switch (slot, v) {
    case (.bool, .bool(let b)): (b ? 1 : 0, 0)
    case (.number, .number(let n)): (0, n.units)
    case (.enumCase, .enumCase(let i)): (0, Int128(i))
    default: (2, 0)
    }
  }

  func fail(_ node: Int, _ error: ArithmeticError) -> Value {
    failedAt[node] = generation
    // The same failure met again (a loop body, item after item) is reported once.
    if !failures.contains(where: { $0.node == node && $0.error == error }) { failures.append((node, error)) }
    return .missing
  }

  /// A memoized node is read: the failures met while computing it are this rule's too.
  private func noteFailure(_ node: Int) {
    for f in state.pointee.memoFailures[node] ?? [] where !failures.contains(where: { $0.node == f.node && $0.error == f.error }) {
      failures.append(f)
    }
  }

  /// A node's value is memoized: if computing it met failures, keep them with it.
  @inline(__always)
  private func stamp(_ k: Int, failuresBefore before: Int) {
    stamps[k] = generation
    if state.pointee.failures.count > before {
      failedAt[k] = generation
      state.pointee.memoFailures[k] = Array(state.pointee.failures[before...])
    }
  }

  /// A fact: the root's field, then on down the path.
  private func fact(_ ins: Program.Instruction) -> Value {
    let root = Int(ins.a)
    guard ins.c > 0, root < rootWidth.count else { return root < state.pointee.facts.count ? state.pointee.facts[root] : .missing }
    var v = leaf(ins.b >= 0 ? Int(ins.b) : rootBase[root] + Int(pool[Int(ins.aux)]))
    for step in 1..<Int(ins.c) {
      guard case .record(let fields) = v else { return .missing }
      v = fields[Int(pool[Int(ins.aux) + step])]
    }
    return v
  }

  /// A root's field, boxed.
  private func leaf(_ slot: Int) -> Value {
    switch leafTags[slot] {
    case 0: .bool(false)
    case 1: .bool(true)
    case 3: .number(Fixed(units: leafUnits[slot]))
    case 4: .enumCase(Int(leafUnits[slot]))
    case 5: rootFields[slot]
    default: .missing
    }
  }

  // MARK: Unboxed evaluation

  /// The truth of a `bool` node: 0 false, 1 true, 2 missing. Memoized like `eval`.
  @inline(__always)
  func truth(_ i: Int32) -> UInt8 {
    let k = Int(i)
    let ins = instructions[k]
    guard ins.slot == .bool else {
      let (t, _) = Evaluator.unbox(eval(i), .bool)
      return t
    }
    if ins.code == .constant { return truths[k] }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return truths[k]
    }
    let before = state.pointee.failures.count
    let t = computeTruth(ins, k)
    if !ins.inLoop {
      truths[k] = t
      stamp(k, failuresBefore: before)
    }
    return t
  }

  /// The units of a `number` node or the index of an `enumCase` node; nil when missing.
  @inline(__always)
  func number(_ i: Int32) -> Int128? {
    let k = Int(i)
    let ins = instructions[k]
    if ins.code == .constant { return truths[k] == 2 ? nil : units[k] }
    if ins.code == .fact, ins.b >= 0, leafTags[Int(ins.b)] != 5 {
      // A root's field, already unboxed by `begin`; stamped only so traces see it was read.
      // (A boxed one, given mistyped through the Swift API, is unboxed below as its slot.)
      let tag = leafTags[Int(ins.b)]
      let present = tag == (ins.slot == .number ? 3 : 4)
      truths[k] = present ? 0 : 2
      units[k] = leafUnits[Int(ins.b)]
      stamps[k] = generation
      return present ? units[k] : nil
    }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return truths[k] == 2 ? nil : units[k]
    }
    let before = state.pointee.failures.count
    let (t, u) = computeNumber(ins, k)
    if !ins.inLoop {
      truths[k] = t
      units[k] = u
      stamp(k, failuresBefore: before)
    }
    return t == 2 ? nil : u
  }

  private func computeTruth(_ ins: Program.Instruction, _ k: Int) -> UInt8 {
    switch ins.code {
    case .not:
      let t = truth(ins.a)
      return t == 2 ? 2 : 1 - t
    case .and:
      // Kleene logic: false wins over missing; the right side is not evaluated after a false.
      let l = truth(ins.a)
      if l == 0 { return 0 }
      let r = truth(ins.b)
      if r == 0 { return 0 }
      return l == 1 && r == 1 ? 1 : 2
    case .or:
      let l = truth(ins.a)
      if l == 1 { return 1 }
      let r = truth(ins.b)
      if r == 1 { return 1 }
      return l == 0 && r == 0 ? 0 : 2
    case .compare where isUnboxedNumber(ins.a) && isUnboxedNumber(ins.b):
      // Numbers with numbers and enum cases with enum cases: order the units.
      guard let x = number(ins.a), let y = number(ins.b) else { return 2 }
      let ordering = x < y ? 0 : (x == y ? 1 : 2)
      return UInt8((ins.aux >> ordering) & 1)
    case .between where instructions[Int(ins.a)].slot == .number && instructions[Int(ins.b)].slot == .number
      && instructions[Int(ins.c)].slot == .number:
      guard let x = number(ins.a) else { return 2 }
      let lo = number(ins.b)
      let hi = number(ins.c)
      guard let lo, let hi else { return 2 }
      return (lo <= x && x <= hi) != (ins.flag == 1) ? 1 : 0
    case .member where ins.flag > 1:
      // Against a constant list (see `Program`): bit 0 of `flag` is "not in".
      let found: Bool
      switch ins.flag & ~1 {
      case Program.memberEnumSet:
        guard let x = number(ins.a) else { return 2 }
        found = x >= 0 && x < 64 && enumSets[Int(ins.c)] & (1 << UInt64(x)) != 0
      case Program.memberUnits:
        guard let x = number(ins.a) else { return 2 }
        found = (Int(ins.c)..<Int(ins.c + ins.aux)).contains { unitItems[$0] == x }
      default:
        guard case .text(let x) = eval(ins.a) else { return 2 }
        found = (Int(ins.c)..<Int(ins.c + ins.aux)).contains { texts[$0] == x }
      }
      return found != (ins.flag & 1 == 1) ? 1 : 0
    case .compare where (ins.aux == 0b010 || ins.aux == 0b101) && instructions[Int(ins.a)].code == .field
      && itemRecord(instructions[Int(ins.a)].a) != nil && instructions[Int(ins.b)].code == .constant:
      // `.channel == "cash"`: the loop item's field against a constant, read in place.
      let field = instructions[Int(ins.a)]
      guard let level = itemRecord(field.a), case .record(let fields) = current[level].pointee else { return 2 }
      if case .text(let x) = fields[Int(field.b)], case .text(let y) = constants[Int(instructions[Int(ins.b)].aux)] {
        return (x == y) == (ins.aux == 0b010) ? 1 : 0
      }
      return Evaluator.unbox(compare(Program.operators[Int(ins.flag)], fields[Int(field.b)], eval(ins.b), node: k), .bool).0
    case .compare where ins.aux == 0b010 || ins.aux == 0b101:
      // `==` and `!=` on boxed values; text is the common case.
      let a = eval(ins.a)
      let b = eval(ins.b)
      if case .text(let x) = a, case .text(let y) = b { return (x == y) == (ins.aux == 0b010) ? 1 : 0 }
      return Evaluator.unbox(compare(Program.operators[Int(ins.flag)], a, b, node: k), .bool).0
    case .presence where instructions[Int(ins.a)].slot != .value:
      let present = instructions[Int(ins.a)].slot == .bool ? truth(ins.a) != 2 : number(ins.a) != nil
      return present == (ins.flag == 1) ? 0 : 1
    case .fact where ins.b >= 0 && leafTags[Int(ins.b)] != 5:
      // A root's field, unboxed by `begin` (others are boxed, and unboxed below).
      let tag = leafTags[Int(ins.b)]
      return tag <= 1 ? tag : 2
    default:
      return Evaluator.unbox(compute(ins, k), .bool).0
    }
  }

  /// Whether a node is kept unboxed as units (a number or an enum case).
  @inline(__always)
  private func isUnboxedNumber(_ i: Int32) -> Bool {
    let slot = instructions[Int(i)].slot
    return slot == .number || slot == .enumCase
  }

  /// The frame of a loop item node, when `i` is one (`.amount` reads the item in place).
  @inline(__always)
  func itemRecord(_ i: Int32) -> Int? {
    let item = instructions[Int(i)]
    guard item.code == .item, Int(item.a) < frameCount else { return nil }
    return Int(item.a)
  }

  private func computeNumber(_ ins: Program.Instruction, _ k: Int) -> (UInt8, Int128) {
    switch ins.code {
    case .field where itemRecord(ins.a) != nil:
      guard let level = itemRecord(ins.a), case .record(let fields) = current[level].pointee else { return (2, 0) }
      switch fields[Int(ins.b)] {
      case .number(let n) where ins.slot == .number: return (0, n.units)
      case .enumCase(let e) where ins.slot == .enumCase: return (0, Int128(e))
      default: return (2, 0)
      }
    case .arithmetic where ins.slot == .number && instructions[Int(ins.a)].slot == .number && instructions[Int(ins.b)].slot == .number:
      guard let x = number(ins.a), let y = number(ins.b) else { return (2, 0) }
      let (a, b) = (Fixed(units: x), Fixed(units: y))
      do {
        let r: Fixed
        switch Program.operators[Int(ins.flag)] {
        case .add: r = try a.adding(b)
        case .sub: r = try a.subtracting(b)
        case .mul: r = try a.multiplied(by: b)
        case .div: r = try a.divided(by: b)
        case .rem: r = try a.remainder(dividingBy: b)
        default:
          _ = fail(k, .invalidOperands)
          return (2, 0)
        }
        return (0, r.units)
      } catch {
        _ = fail(k, error)
        return (2, 0)
      }
    default:
      return Evaluator.unbox(compute(ins, k), ins.slot)
    }
  }

  private func compute(_ ins: Program.Instruction, _ k: Int) -> Value {
    switch ins.code {
    case .constant:
      return constants[Int(ins.aux)]
    case .fact:
      return fact(ins)
    case .today:
      return .date(today)
    case .item:
      let level = Int(ins.a)
      return level < frameCount ? current[level].pointee : .missing
    case .field:
      if let record = itemRecord(ins.a) {
        // A loop item's field, read in place.
        guard case .record(let fields) = current[record].pointee else { return .missing }
        return fields[Int(ins.b)]
      }
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
      guard !x.isMissing, case .list(let xs) = eval(ins.b), let found = Value.membership(x, in: xs) else { return .missing }
      return .bool(found != (ins.flag & 1 == 1))
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
      return filter(ins, node: k)
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
    case .appliedTable:
      // The table's inputs read the item from loop level `c`, as a quantifier's body reads its item.
      var item = eval(ins.b)
      if item.isMissing { return .missing }
      let level = Int(ins.c)
      guard level < frameCount else { return .missing }
      let enclosing = current[level]
      defer { current[level] = enclosing }
      return withUnsafePointer(to: &item) { p -> Value in
        current[level] = p
        return table(Int(ins.a), node: k)
      }
    }
  }

  private func filter(_ ins: Program.Instruction, node: Int) -> Value {
    guard case .list(let items) = eval(ins.a) else { return .missing }
    let level = Int(ins.c)
    guard level < frameCount else { return .missing }
    // A loop met while evaluating another loop's body at the same level (a definition's `where`,
    // first needed there) must leave that loop's item as it found it.
    let enclosing = current[level]
    defer { current[level] = enclosing }
    let tracing = recordWitnesses
    if tracing { state.pointee.loopItems[node] = [] }
    return items.withUnsafeBufferPointer { items -> Value in
      guard let first = items.baseAddress else { return .list([]) }
      var kept: [Value] = []
      kept.reserveCapacity(items.count)
      for i in 0..<items.count {
        // The item is read where it lies in the list, not copied into the frame.
        current[level] = first + i
        switch tracing ? traced(ins.b, item: i, loop: node) : truth(ins.b) {
        case 1: kept.append(items[i])
        case 0: continue
        // Not knowing whether an item belongs makes the whole selection unknown, never smaller.
        default: return .missing
        }
      }
      return .list(kept)
    }
  }

  /// `any`/`all`/`none`. Traced or not, the same items are visited in the same order and the first
  /// deciding item ends the loop; a trace only records what happened (the item that decided, each
  /// visited item's truth and matches).
  private func quantify(_ ins: Program.Instruction, node: Int) -> Value {
    let q = Program.quantifiers[Int(ins.flag)]
    let level = Int(ins.c)
    // any/none look for a true item; all looks for a false one.
    let decisive = q != .all
    let tracing = recordWitnesses
    let source = instructions[Int(ins.a)]
    if source.code == .call, source.flag == Evaluator.windowCode || source.flag == Evaluator.perDayCode {
      // Over `window`/`per_day` groups: build one group at a time in one reused buffer, instead
      // of every group as a list of its own.
      guard level < frameCount else { return .missing }
      guard let groups = groups(source.flag == Evaluator.windowCode ? .window : .perDay, source, node: Int(ins.a)) else { return .missing }
      if tracing { state.pointee.groupCounts[Int(ins.a)] = groups.ranges.count }
      let enclosing = current[level]
      var buffer: [Value] = []
      swap(&buffer, &state.pointee.spareGroup)
      defer {
        current[level] = enclosing
        recycle(groups)
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &state.pointee.spareGroup)
      }
      var sawMissing = false
      for g in groups.ranges.indices {
        buffer.removeAll(keepingCapacity: true)
        groups.group(g, into: &buffer)
        var group = Value.list(buffer)
        let t = withUnsafePointer(to: &group) { item in
          current[level] = item
          return truth(ins.b)
        }
        current[level] = enclosing
        if t != 2, (t == 1) == decisive {
          if tracing {
            witnesses[node] = g
            state.pointee.decidingGroups[node] = group
          }
          return .bool(q == .any)
        }
        // Let go of the group, so the buffer is refilled in place.
        group = .missing
        if t == 2 { sawMissing = true }
      }
      return sawMissing ? .missing : .bool(q != .any)
    }
    guard case .list(let items) = eval(ins.a) else { return .missing }
    guard level < frameCount else { return .missing }
    let enclosing = current[level]
    defer { current[level] = enclosing }
    return items.withUnsafeBufferPointer { items -> Value in
      guard let first = items.baseAddress else { return .bool(q != .any) }
      var sawMissing = false
      for i in 0..<items.count {
        current[level] = first + i
        switch tracing ? traced(ins.b, item: i, loop: node) : truth(ins.b) {
        case 2: sawMissing = true
        case let t where (t == 1) == decisive:
          if tracing { witnesses[node] = i }
          return .bool(q == .any)
        default: continue
        }
      }
      return sawMissing ? .missing : .bool(q != .any)
    }
  }

  /// For a trace, once the decision is made: the items of a quantifier after the one that decided
  /// it, so the trace can show every item that would have decided it too (every piece of copy that
  /// makes a claim). Only for display: the value is already decided, and failures met here are
  /// dropped. Only a quantifier outside any loop can be revisited (its list is in the memo).
  func exploreRest(of node: Int) {
    let ins = instructions[node]
    guard ins.code == .quantifier, !ins.inLoop, let decided = witnesses[node], case .list(let items)? = computedValue(Int(ins.a)) else { return }
    let level = Int(ins.c)
    // Explored once, however many rules' traces show the quantifier.
    let visited = state.pointee.loopItems[node]?.last?.item ?? decided
    guard level < frameCount, visited + 1 < items.count else { return }
    let failuresBefore = failures.count
    let enclosing = current[level]
    defer {
      current[level] = enclosing
      if failures.count > failuresBefore { failures.removeLast(failures.count - failuresBefore) }
    }
    items.withUnsafeBufferPointer { items in
      guard let first = items.baseAddress else { return }
      for i in (visited + 1)..<items.count {
        current[level] = first + i
        _ = traced(ins.b, item: i, loop: node)
      }
    }
  }

  static let windowCode = UInt8(Builtin.allCases.firstIndex(of: .window) ?? 0)
  static let perDayCode = UInt8(Builtin.allCases.firstIndex(of: .perDay) ?? 0)
}
