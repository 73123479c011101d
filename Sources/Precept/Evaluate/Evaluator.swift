/// Evaluates a compiled rulebook over facts. Holds the per-evaluation state, reused from one
/// evaluation to the next so that plain evaluation allocates nothing; one per thread.
///
/// It runs the rulebook's `Program`: one step per node, each with one short function (in
/// `Steps.swift`). A node's value is computed at most once per evaluation (unless it reads a
/// loop item) and kept by its slot: truths as `Truth`, numbers and enum cases as units, anything
/// else as a `Value`. Traced or not, the same steps run in the same order; a trace only records
/// what ran (the items that decided loops, where text tests matched, which table rows were chosen).
public final class Evaluator {
  /// The rulebook this evaluator evaluates.
  public let book: CompiledRulebook
  let program: Program
  /// All the buffers below live in one allocation, freed with the evaluator.
  private let arena: Arena
  let instructions: Buffer<Program.Instruction>
  let constants: Buffer<Value>
  let pool: Buffer<Int32>
  let texts: Buffer<String>
  let unitItems: Buffer<Int128>
  let atoms: Buffer<Program.ItemAtom>
  /// Per node: its value this evaluation, by slot (`memo` for boxed values, `truths`, `numbers`
  /// for units), valid when `stamps[k] == generation`.
  let memo: Buffer<Value>
  let truths: Buffer<Truth>
  let numbers: Buffer<Int128?>
  let stamps: Buffer<UInt32>
  /// `failedAt[k] == generation` when node k failed (overflow, division by zero) in this evaluation.
  let failedAt: Buffer<UInt32>
  /// `ran[k] == generation` when node k's step ran in this evaluation (loop bodies included): what ran, for coverage.
  let ran: Buffer<UInt32>
  /// The root fields the rules read, taken out of the facts at `begin` (see `Program.leafBase`),
  /// so that reading a fact is one load: truths, numbers, enum cases and missing fields unboxed
  /// (`leafKinds`, `leafUnits`), others boxed (`leafValues`).
  let leafKinds: Buffer<LeafKind>
  let leafUnits: Buffer<Int128>
  let leafValues: Buffer<Value>
  /// Where each loop level's item is: in the list being iterated (read in place, never copied),
  /// or a group of `window` being visited; `nothing` outside any loop.
  let current: Buffer<UnsafePointer<Value>>
  /// The group each `quantifyGroupRanges` level is visiting, as a range of its sorted items.
  let groupFrames: Buffer<GroupFrame>
  /// What an item read outside its loop finds.
  let nothing: Buffer<Value>
  var frameCount: Int { current.count }

  /// What a root field holds, as `begin` took it out of the facts.
  enum LeafKind: UInt8 {
    case no, yes, missing
    /// A number's units or an enum case's index, in `leafUnits`.
    case number, enumCase
    /// Anything else, in `leafValues`.
    case boxed
  }

  /// The per-evaluation state, behind a pointer rather than in class properties: every access
  /// to a class's stored `var` pays a dynamic exclusivity check, which cost more than the work.
  struct State {
    var generation: UInt32 = 0
    var recordWitnesses = false
    /// Whether the previous run recorded any failure (so a clean run need not clear them).
    var hadFailures = false
    /// Whether the last run left any rule unknown (`hasUnknown`).
    var anyUnknown = false
    var facts: [Value] = []
    var today = CivilDate(uncheckedDays: 0)
    /// Failures met while evaluating the current rule, in order: node and reason. A failure is
    /// logged each time it is met (a memoized node's each time it is read), so that any
    /// computation can tell whether it met one by the log's growth. `Evaluator.unique` gives
    /// each failure once, for a rule's reason and a memoized node's list.
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
    var spareScratch: GroupScratch?
    /// Each rule's status and, for rules left unknown by a failure, its failures (`statuses`,
    /// `ruleFailures`): here rather than in class properties, for the same reason.
    var statuses: [RuleStatus] = []
    var ruleFailures: [[(node: Int, error: ArithmeticError)]] = []
    var spareGroup: [Value] = []
  }
  let state: UnsafeMutablePointer<State>
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
  public internal(set) var statuses: [RuleStatus] {
    // Read in place (`_read`), so reading a status or the buffer retains nothing.
    _read { yield state.pointee.statuses }
    _modify { yield &state.pointee.statuses }
  }
  /// For overridden rules: the index of the rule that set them aside.
  var overriddenBy: [Int] = []
  /// The waivers of this rulebook (see `waivers`).
  var ownWaivers: [Waiver] = []
  /// For each waived rule, the waiver that covers it.
  var waivedBy: [Int: Waiver] = [:]
  /// Failures per rule, for rules whose verdict is unknown because arithmetic failed.
  var ruleFailures: [[(node: Int, error: ArithmeticError)]] {
    get { state.pointee.ruleFailures }
    _modify { yield &state.pointee.ruleFailures }
  }

  /// An evaluator for `book`; keep one per thread or task and reuse it for many evaluations.
  public init(_ book: CompiledRulebook) {
    self.book = book
    let program = book.program
    self.program = program
    let n = program.instructions.count
    let leaves = program.leafCount
    var layout = Arena.Layout()
    let instructionsAt = layout.place(Program.Instruction.self, count: n)
    let constantsAt = layout.place(Value.self, count: program.constants.count)
    let poolAt = layout.place(Int32.self, count: program.pool.count)
    let textsAt = layout.place(String.self, count: program.texts.count)
    let unitItemsAt = layout.place(Int128.self, count: program.units.count)
    let atomsAt = layout.place(Program.ItemAtom.self, count: program.atoms.count)
    let memoAt = layout.place(Value.self, count: n)
    let truthsAt = layout.place(Truth.self, count: n)
    let numbersAt = layout.place(Int128?.self, count: n)
    let stampsAt = layout.place(UInt32.self, count: n)
    let failedAtAt = layout.place(UInt32.self, count: n)
    let ranAt = layout.place(UInt32.self, count: n)
    let leafKindsAt = layout.place(LeafKind.self, count: leaves)
    let leafUnitsAt = layout.place(Int128.self, count: leaves)
    let leafValuesAt = layout.place(Value.self, count: leaves)
    let nothingAt = layout.place(Value.self, count: 1)
    let currentAt = layout.place(UnsafePointer<Value>.self, count: program.levels)
    let groupFramesAt = layout.place(GroupFrame.self, count: program.levels)
    arena = Arena(layout)
    instructions = arena.buffer(instructionsAt, program.instructions)
    constants = arena.buffer(constantsAt, program.constants)
    pool = arena.buffer(poolAt, program.pool)
    texts = arena.buffer(textsAt, program.texts)
    unitItems = arena.buffer(unitItemsAt, program.units)
    atoms = arena.buffer(atomsAt, program.atoms)
    memo = arena.buffer(memoAt, repeating: .missing)
    truths = arena.buffer(truthsAt, repeating: .unknown)
    numbers = arena.buffer(numbersAt, repeating: nil)
    stamps = arena.buffer(stampsAt, repeating: 0)
    failedAt = arena.buffer(failedAtAt, repeating: 0)
    ran = arena.buffer(ranAt, repeating: 0)
    leafKinds = arena.buffer(leafKindsAt, repeating: .missing)
    leafUnits = arena.buffer(leafUnitsAt, repeating: 0)
    leafValues = arena.buffer(leafValuesAt, repeating: .missing)
    nothing = arena.buffer(nothingAt, repeating: .missing)
    current = arena.buffer(currentAt, repeating: UnsafePointer(nothing.base))
    groupFrames = arena.buffer(groupFramesAt, repeating: GroupFrame(items: UnsafePointer(nothing.base), keyed: nil, range: 0..<0))
    state = .allocate(capacity: 1)
    state.initialize(to: State())
    // Constants of unboxed slots are unboxed once, here.
    for k in 0..<n {
      guard case .constant(let index) = instructions[k].step else { continue }
      let v = constants[Int(index)]
      truths[k] = Truth(v)
      numbers[k] = instructions[k].slot.units(v)
    }
    plan = book.rules.map { r in
      RulePlan(
        when: Int32(r.when ?? -1), condition: Int32(r.condition), verb: r.verb, severity: r.severity,
        hasLimits: r.stages.count != Stage.allCases.count || r.effectiveFrom != nil || r.effectiveUntil != nil)
    }
    overriders = book.rules.indices.filter { !book.rules[$0].overrides.isEmpty }
    statuses = [RuleStatus](repeating: .notApplicable, count: book.rules.count)
    overriddenBy = [Int](repeating: -1, count: book.rules.count)
    ruleFailures = [[(node: Int, error: ArithmeticError)]](repeating: [], count: book.rules.count)
  }

  deinit {
    state.pointee.spareScratch?.free()
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Starts a fresh evaluation over `facts` (values of `book.roots`, in order).
  func begin(_ facts: consuming [Value], asOf: CivilDate) {
    state.pointee.generation &+= 1
    if state.pointee.generation == 0 {
      // After 2³² evaluations the stamps wrap; clear them once rather than misread an old value.
      for i in 0..<stamps.count {
        stamps[i] = 0
        failedAt[i] = 0
        ran[i] = 0
      }
      state.pointee.generation = 1
    }
    state.pointee.today = asOf
    for r in program.leafWidth.indices {
      let base = program.leafBase[r]
      let width = program.leafWidth[r]
      guard width > 0 else { continue }
      guard r < facts.count, case .record(let fields) = facts[r] else {
        for j in 0..<width { leafKinds[base + j] = .missing }
        continue
      }
      for j in 0..<width {
        let leaf = base + j
        guard j < fields.count else {
          leafKinds[leaf] = .missing
          continue
        }
        switch fields[j] {
        case .missing: leafKinds[leaf] = .missing
        case .bool(let b): leafKinds[leaf] = b ? .yes : .no
        case .number(let x): (leafKinds[leaf], leafUnits[leaf]) = (.number, x.units)
        case .enumCase(let e): (leafKinds[leaf], leafUnits[leaf]) = (.enumCase, Int128(e))
        default:
          leafKinds[leaf] = .boxed
          leafValues[leaf] = fields[j]
        }
      }
    }
    // Kept for the steps that read a whole root and for the decision: moved in, not retained.
    var kept = facts
    swap(&kept, &state.pointee.facts)
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

  var generation: UInt32 { state.pointee.generation }

  /// Whether the last `run` left any rule unknown (`statuses.contains(.unknown)`, kept as it ran).
  var hasUnknown: Bool { state.pointee.anyUnknown }

  /// Gives back the last evaluation's facts, for a reader to read the next line into their
  /// storage (`JSONFactsReader.LineReader.recycle`): moved out, not copied. Only `run` may follow:
  /// a decision or trace of the last evaluation needs its facts.
  func takeFacts() -> [Value] {
    var facts: [Value] = []
    swap(&facts, &state.pointee.facts)
    return facts
  }

  // MARK: Reading a node, memoized

  /// The value of node `i`, computed at most once per evaluation unless it reads a loop item.
  func eval(_ i: Int32) -> Value {
    let k = Int(i)
    let ins = instructions[k]
    // A constant costs less to read than to memoize.
    if case .constant(let index) = ins.step {
      ran[k] = generation
      return constants[Int(index)]
    }
    switch ins.slot {
    case .bool: return truth(i).value
    case .number: return number(i).map { .number(Fixed(units: $0)) } ?? .missing
    case .enumCase: return number(i).map { .enumCase(Int($0)) } ?? .missing
    case .value: break
    }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return memo[k]
    }
    let before = state.pointee.failures.count
    let v = compute(ins.step, k)
    if !ins.inLoop {
      memo[k] = v
      stamp(k, failuresBefore: before)
    }
    return v
  }

  /// The truth of a node (a boolean one, or any node read as a condition). Memoized like `eval`.
  @inline(__always)
  func truth(_ i: Int32) -> Truth {
    let k = Int(i)
    let ins = instructions[k]
    guard ins.slot == .bool else { return Truth(eval(i)) }
    if case .constant = ins.step {
      ran[k] = generation
      return truths[k]
    }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return truths[k]
    }
    let before = state.pointee.failures.count
    let t = computeTruth(ins.step, k)
    if !ins.inLoop {
      truths[k] = t
      stamp(k, failuresBefore: before)
    }
    return t
  }

  /// The units of a number node, or the index of an enum case node; nil when missing.
  @inline(__always)
  func number(_ i: Int32) -> Int128? {
    let k = Int(i)
    let ins = instructions[k]
    if case .constant = ins.step {
      ran[k] = generation
      return numbers[k]
    }
    if case .rootField(let leaf) = ins.step, leafKinds[Int(leaf)] != .boxed {
      // A root's field, already unboxed by `begin`; stamped only so traces see it was read.
      // (A boxed one, given mistyped through the Swift API, is unboxed below as its slot.)
      let present = leafKinds[Int(leaf)] == (ins.slot == .number ? .number : .enumCase)
      let u: Int128? = present ? leafUnits[Int(leaf)] : nil
      numbers[k] = u
      stamps[k] = generation
      ran[k] = generation
      return u
    }
    if !ins.inLoop, stamps[k] == generation {
      if failedAt[k] == generation { noteFailure(k) }
      return numbers[k]
    }
    let before = state.pointee.failures.count
    let u = computeNumber(ins.step, ins.slot, k)
    if !ins.inLoop {
      numbers[k] = u
      stamp(k, failuresBefore: before)
    }
    return u
  }

  /// The memoized value of a node, if this evaluation computed it (for traces).
  func computedValue(_ i: Int) -> Value? {
    let ins = instructions[i]
    if case .constant(let index) = ins.step { return constants[Int(index)] }
    guard stamps[i] == generation else { return nil }
    switch ins.slot {
    case .value: return memo[i]
    case .bool: return truths[i].value
    case .number: return numbers[i].map { .number(Fixed(units: $0)) } ?? .missing
    case .enumCase: return numbers[i].map { .enumCase(Int($0)) } ?? .missing
    }
  }

  // MARK: Failures

  func fail(_ node: Int, _ error: ArithmeticError) -> Value {
    failedAt[node] = generation
    logFailure((node, error))
    return .missing
  }

  /// A memoized node is read: the failures met while computing it are met again, by whatever
  /// reads it (this rule, or a computation that must know it failed).
  private func noteFailure(_ node: Int) {
    for f in state.pointee.memoFailures[node] ?? [] { logFailure(f) }
  }

  /// Logs a failure met. Every meeting is logged, even of a failure logged before: whether a
  /// computation met one is told by the log's growth while it ran, and a failure already logged
  /// for an earlier computation is this one's too. (The log grows with the work done: a loop
  /// whose body fails logs once per item.)
  @inline(__always)
  private func logFailure(_ f: (node: Int, error: ArithmeticError)) {
    failures.append(f)
  }

  /// Each failure of `log` once, in the order first met.
  static func unique(_ log: ArraySlice<(node: Int, error: ArithmeticError)>) -> [(node: Int, error: ArithmeticError)] {
    var out: [(node: Int, error: ArithmeticError)] = []
    for f in log where !out.contains(where: { $0.node == f.node && $0.error == f.error }) { out.append(f) }
    return out
  }

  /// A node's value is memoized: if computing it met failures, keep them with it.
  @inline(__always)
  private func stamp(_ k: Int, failuresBefore before: Int) {
    stamps[k] = generation
    if state.pointee.failures.count > before {
      failedAt[k] = generation
      state.pointee.memoFailures[k] = Self.unique(state.pointee.failures[before...])
    }
  }

  // MARK: Traces

  /// The group a `quantifyGroupRanges` is visiting: members `items[keyed[p].index]` for `p` in
  /// `range`, read where they lie (valid while the quantifier runs).
  struct GroupFrame {
    var items: UnsafePointer<Value>
    var keyed: UnsafePointer<Keyed>?
    var range: Range<Int>

    @inline(__always)
    func member(_ p: Int) -> Value {
      guard let keyed else { return .missing }
      return items[Int(keyed[p].index)]
    }
  }

  /// For traces: one item of a loop, whether its body held, and its matches in `matchLog`.
  struct LoopItem {
    var item: Int
    var truth: Truth
    var matches: Range<Int>
  }

  /// For traces: where a text test matched, both as its last result and in the log that loops read.
  func record(_ spans: [TextSpan], at node: Int) {
    state.pointee.matchedSpans[node] = spans
    for span in spans { state.pointee.matchLog.append((node, span)) }
  }

  /// For coverage: the kinds of step that ran in the last evaluation.
  func stepsRan() -> Set<Program.Step.Kind> {
    var out: Set<Program.Step.Kind> = []
    for k in 0..<ran.count where ran[k] == generation {
      out.insert(instructions[k].step.kind)
      // A loop body that is one test was that test's step before it became an `itemTest`.
      if case .itemTest(let first, 1) = instructions[k].step { out.insert(atoms[Int(first)].kind) }
    }
    return out
  }
}
