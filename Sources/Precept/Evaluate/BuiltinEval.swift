extension Evaluator {
  /// A builtin other than those with steps of their own (`count`, `sum`, `window`, `per_day`).
  func call(_ f: Builtin, args: Int32, count: Int32, compiled: Int32, node: Int) -> Value {
    var values: [Value] = []
    values.reserveCapacity(Int(count))
    for i in 0..<Int(count) { values.append(eval(pool[Int(args) + i])) }
    let args = values
    if !(f == .min || f == .max), args.contains(where: \.isMissing) { return .missing }
    do {
      switch f {
      case .distinct:
        guard case .list(let xs) = args[0] else { return .missing }
        return Evaluator.distinct(xs)
      case .avg:
        guard case .list(let xs) = args[0], !xs.isEmpty else { return .missing }
        switch try sum(xs, node: node) {
        case .number(let s): return .number(try s.divided(by: Fixed(xs.count)))
        case .money(let m): return .money(try m.divided(by: Fixed(xs.count)))
        case .duration(let d): return .duration(TimeSpan(months: d.months / Int32(xs.count), seconds: d.seconds / Int64(xs.count)))
        default: return .missing
        }
      case .min, .max:
        let items: [Value]
        if args.count == 1, case .list(let xs) = args[0] { items = xs } else { items = args }
        if items.isEmpty || items.contains(where: \.isMissing) { return .missing }
        var best = items[0]
        for x in items.dropFirst() {
          guard let c = Value.order(x, best) else { return fail(node, .invalidOperands) }
          if (f == .min && c < 0) || (f == .max && c > 0) { best = x }
        }
        return best
      case .abs:
        switch args[0] {
        case .number(let n): return .number(n.magnitude)
        case .money(let m): return .money(Money(m.amount.magnitude, m.currency))
        case .duration(let d): return .duration(d.months < 0 || d.seconds < 0 ? d.negated : d)
        default: return .missing
        }
      case .round:
        guard case .number(let p) = args[1], let places = p.intValue else { return .missing }
        switch args[0] {
        case .number(let n): return .number(try n.rounded(places: places))
        case .money(let m): return .money(Money(try m.amount.rounded(places: places), m.currency))
        default: return .missing
        }
      case .age:
        guard case .date(let born) = args[0] else { return .missing }
        return .number(Fixed(born.age(on: today)))
      case .daysBetween:
        switch (args[0], args[1]) {
        case (.date(let a), .date(let b)): return .number(Fixed(a.days(to: b)))
        case (.datetime(let a), .datetime(let b)): return .number(Fixed(b.date(inOffset: 0).daysSinceEpoch - a.date(inOffset: 0).daysSinceEpoch))
        default: return .missing
        }
      case .lower, .upper, .length:
        guard case .text(let s) = args[0] else { return .missing }
        if f == .length { return .number(Fixed(s.unicodeScalars.count)) }
        return .text(f == .lower ? s.lowercased() : s.uppercased())
      case .apr, .irr, .effectiveRate:
        guard case .list(let rows) = args[0] else { return .missing }
        var flows: [(date: CivilDate, amount: Fixed)] = []
        for row in rows {
          guard case .record(let fields) = row, let (d, a) = scheduleEntry(fields, node: node) else { return .missing }
          flows.append((d, a))
        }
        switch f == .apr ? Finance.apr(flows) : Finance.effectiveRate(flows) {
        case .success(let r): return .number(r)
        case .failure(let e): return fail(node, .finance(e.message))
        }
      case .pmt:
        guard case .number(let r) = args[0], case .number(let n) = args[1], let periods = n.intValue, case .money(let p) = args[2] else { return .missing }
        switch Finance.pmt(rate: r, periods: periods, principal: p.amount) {
        case .success(let x): return .money(Money(x, p.currency))
        case .failure(let e): return fail(node, .finance(e.message))
        }
      case .similarity:
        guard case .text(let a) = args[0], case .text(let b) = args[1] else { return .missing }
        return .number(Screening.similarity(a, b))
      case .bestMatch:
        guard case .text(let a) = args[0], case .list(let xs) = args[1] else { return .missing }
        // A constant watch list was folded when the rulebook was compiled (Program).
        let list = compiled >= 0 ? program.nameLists[Int(compiled)] : Screening.NameList(xs.compactMap { if case .text(let s) = $0 { s } else { nil } })
        guard let m = Screening.bestMatch(a, in: list) else { return .missing }
        return .record([.text(m.name), .number(m.score)])
      case .near:
        guard case .text(let s) = args[0], case .number(let w) = args[3], let within = w.intValue else { return .missing }
        let a: WordMatcher, b: WordMatcher
        if compiled >= 0 {
          // Constant words, compiled once (Program).
          (a, b) = (program.matchers[Int(compiled)], program.matchers[Int(compiled) + 1])
        } else {
          guard let x = args[1].terms, let y = args[2].terms else { return .missing }
          (a, b) = (WordMatcher(x, negation: false), WordMatcher(y, negation: false))
        }
        let copy = NormalizedText(s)
        guard let (x, y) = Proximity.closest(copy, a, b, within: within) else { return .bool(false) }
        if recordWitnesses { record([copy.originalSpan(x), copy.originalSpan(y)].sorted { $0.start < $1.start }, at: node) }
        return .bool(true)
      case .count, .sum, .window, .perDay:
        // Planned as steps of their own (`Program`); only a call with the wrong arguments is here.
        return fail(node, .invalidOperands)
      }
    } catch {
      return fail(node, error)
    }
  }

  /// The `date` and `amount` of a schedule row, whichever order the record type gives them.
  private func scheduleEntry(_ fields: [Value], node: Int) -> (CivilDate, Fixed)? {
    var date: CivilDate?
    var amount: Fixed?
    for f in fields {
      if case .date(let d) = f { date = d }
      if case .money(let m) = f { amount = m.amount }
    }
    guard let date, let amount else { return nil }
    return (date, amount)
  }

  func sum(_ xs: [Value], field: Int? = nil, node: Int) throws(ArithmeticError) -> Value {
    var total: Value = .missing
    for item in xs {
      guard try Evaluator.add(field.map { item.field($0) } ?? item, to: &total) else { return .missing }
    }
    return Evaluator.sumTotal(total)
  }

  /// One item of `sum` added to the running `total` (which starts missing); false when the sum is
  /// missing: the item is missing, or not of the total's kind.
  @inline(__always)
  static func add(_ x: Value, to total: inout Value) throws(ArithmeticError) -> Bool {
    switch (total, x) {
    case (.missing, _): total = x
    case (.number(let a), .number(let b)): total = .number(try a.adding(b))
    case (.money(let a), .money(let b)): total = .money(try a.adding(b))
    case (.duration(let a), .duration(let b)): total = .duration(try a.adding(b))
    default: return false
    }
    return !x.isMissing
  }

  /// A sum's value once every item is added: an empty sum is zero; for money the static type
  /// gives no currency, so zero is a plain number.
  static func sumTotal(_ total: Value) -> Value {
    total.isMissing ? .number(.zero) : total
  }

  /// An item's key, and its index in the list.
  struct Keyed {
    var key: Int64
    var index: Int32
  }

  /// Scratch storage of `window` and `per_day`: each item's key and index, then each group as a
  /// range of the sorted keys. Raw buffers, so a grouping touches no reference counts; the
  /// evaluator keeps one from one evaluation to the next and lends it to one grouping at a time
  /// (a grouping nested in another's body gets one of its own, `recycle` keeps the larger).
  struct GroupScratch {
    let keyed: UnsafeMutablePointer<Keyed>
    let ranges: UnsafeMutablePointer<Range<Int>>
    let capacity: Int

    init(capacity: Int) {
      keyed = .allocate(capacity: capacity)
      ranges = .allocate(capacity: capacity)
      self.capacity = capacity
    }

    func free() {
      keyed.deallocate()
      ranges.deallocate()
    }
  }

  /// The groups of `window` and `per_day`, made over `items`: their keys sorted (each with its
  /// item's index) and each group as a range of them, in `scratch` (valid until `recycle`).
  /// Plain data, so passing it around touches no reference counts.
  struct Groups {
    var scratch: GroupScratch
    var count: Int

    func range(_ g: Int) -> Range<Int> { scratch.ranges[g] }

    /// Appends group `g`'s members, read from `items` (the list the groups were made over).
    func group(_ g: Int, of items: UnsafePointer<Value>, into out: inout [Value]) {
      for p in range(g) { out.append(items[Int(scratch.keyed[p].index)]) }
    }
  }

  /// `window(xs, d, by: .k)` and `per_day(xs, by: .k)`: items sorted by their key, then grouped —
  /// O(n log n) for the sort and linear for the grouping.
  func group(perDay: Bool, args: Int32, count: Int32, level: Int32, node: Int) -> Value {
    var items: [Value] = []
    guard let groups = groups(perDay: perDay, args: args, count: count, level: level, node: node, items: &items) else { return .missing }
    defer { recycle(groups.scratch) }
    var out: [Value] = []
    out.reserveCapacity(groups.count)
    items.withUnsafeBufferPointer { items in
      guard let base = items.baseAddress else { return }
      for g in 0..<groups.count {
        var members: [Value] = []
        members.reserveCapacity(groups.range(g).count)
        groups.group(g, of: base, into: &members)
        out.append(.list(members))
      }
    }
    return .list(out)
  }

  /// Scratch with room for `n` items: the evaluator's, or a new one when it is lent out or too small.
  private func borrowScratch(_ n: Int) -> GroupScratch {
    if let spare = state.pointee.spareScratch {
      state.pointee.spareScratch = nil
      if spare.capacity >= n { return spare }
      spare.free()
    }
    return GroupScratch(capacity: Swift.max(n, 32))
  }

  /// Gives a grouping's scratch back to the evaluator for the next one (the larger is kept).
  func recycle(_ scratch: GroupScratch) {
    guard let spare = state.pointee.spareScratch else {
      state.pointee.spareScratch = scratch
      return
    }
    if spare.capacity >= scratch.capacity {
      scratch.free()
    } else {
      spare.free()
      state.pointee.spareScratch = scratch
    }
  }

  /// The groups of a `window` or `per_day` call, made over `items` (set here: the call's list, or
  /// the list of a `where` made as the items are keyed), or nil when its value is missing
  /// (failures are recorded).
  func groups(perDay: Bool, args: Int32, count: Int32, level: Int32, node: Int, items: inout [Value]) -> Groups? {
    let start = Int(args)
    let keyNode = pool[start + Int(count) - 1]
    let level = Int(level)
    // The commonest key, a field of the item (`by: .ts`), is read where it lies rather than
    // evaluated as a node.
    var keyField = -1
    if case .itemField(let l, let f) = instructions[Int(keyNode)].step, Int(l) == level { keyField = Int(f) }
    // Untraced, a `where` of tests that cannot fail feeding the grouping (`window(cash where
    // .amount >= 45_000, …)`) is not built: its test is made on each item of its list as the
    // items are keyed. Keys read from a field cannot fail either, so the grouping is missing
    // exactly when the selection or a key would be, and no failure is met either way. Traced,
    // the selection is built, for the trace to show.
    let listNode = Int(pool[start])
    var fused: (test: Int32, count: Int32, level: Int, body: Int32)?
    if keyField >= 0, !recordWitnesses, instructions[listNode].inLoop || stamps[listNode] != generation,
      case .filter(let base, let body, let filterLevel) = instructions[listNode].step,
      case .itemTest(let first, let testCount) = instructions[Int(body)].step, infallible(first: first, count: testCount)
    {
      // Stamped as run as the `where` itself would be: the node always, its body once it tests an item.
      ran[listNode] = generation
      guard case .list(let xs) = eval(base) else { return nil }
      items = xs
      fused = (first, testCount, Int(filterLevel), body)
    } else {
      guard case .list(let xs) = eval(pool[start]) else { return nil }
      items = xs
    }
    let n = items.count
    if keyField >= 0, n > 0 { ran[Int(keyNode)] = generation }
    let scratch = borrowScratch(n)
    let keyed = scratch.keyed
    let unboxedKey = instructions[Int(keyNode)].slot == .number
    let offset = book.timezoneOffset
    let enclosing = current[level]
    let enclosingFilter = fused.map { current[$0.level] }
    defer {
      if let fused, let enclosingFilter { current[fused.level] = enclosingFilter }
      current[level] = enclosing
    }
    var kept = 0
    let complete = items.withUnsafeBufferPointer { items -> Bool in
      guard let first = items.baseAddress else { return true }
      for i in 0..<n {
        if let fused {
          current[fused.level] = first + i
          if i == 0 { markTestRan(fused.body, first: fused.test, count: fused.count) }
          switch atomsTruth(first: fused.test, count: fused.count) {
          case .yes: break
          case .no: continue
          case .unknown: return false
          }
        }
        current[level] = first + i
        let k: Int64?
        if keyField >= 0 {
          guard case .record(let fields) = first[i], keyField < fields.count else { return false }
          k = Evaluator.instantKey(fields[keyField], perDay: perDay, offset: offset)
        } else if unboxedKey {
          // Seconds as a number (the commonest key) are read unboxed.
          guard let units = number(keyNode) else { return false }
          k = Evaluator.instantKey(.number(Fixed(units: units)), perDay: perDay, offset: offset)
        } else {
          k = Evaluator.instantKey(eval(keyNode), perDay: perDay, offset: offset)
        }
        guard let k else { return false }
        keyed[kept] = Keyed(key: k, index: Int32(i))
        kept += 1
      }
      Evaluator.sort(keyed, count: kept)
      return true
    }
    guard complete else {
      recycle(scratch)
      return nil
    }
    let groupCount: Int
    if perDay {
      groupCount = Evaluator.days(of: keyed, count: kept, into: scratch.ranges)
    } else {
      guard case .duration(let span) = eval(pool[start + 1]), span.months == 0, span.seconds > 0 else {
        recycle(scratch)
        _ = fail(node, .invalidOperands)
        return nil
      }
      groupCount = Evaluator.windows(of: keyed, count: kept, span: span.seconds, into: scratch.ranges)
    }
    return Groups(scratch: scratch, count: groupCount)
  }

  /// Sorts keys by key, then index (so items with equal keys keep their order in the list). Keys
  /// usually arrive sorted or nearly (transactions in time order) and few: an insertion sort, in
  /// linear time on sorted keys; the standard sort for many.
  static func sort(_ keyed: UnsafeMutablePointer<Keyed>, count n: Int) {
    @inline(__always) func before(_ a: Keyed, _ b: Keyed) -> Bool { a.key != b.key ? a.key < b.key : a.index < b.index }
    guard n > 64 else {
      var i = 1
      while i < n {
        let x = keyed[i]
        var j = i
        while j > 0, before(x, keyed[j - 1]) {
          keyed[j] = keyed[j - 1]
          j -= 1
        }
        keyed[j] = x
        i += 1
      }
      return
    }
    var all = UnsafeMutableBufferPointer(start: keyed, count: n)
    all.sort(by: before)
  }

  /// `per_day`'s groups: each run of equal keys (days) among the first `count` sorted keys, as
  /// ranges written from the start of `ranges` (room for `count`); how many.
  static func days(of keyed: UnsafePointer<Keyed>, count n: Int, into ranges: UnsafeMutablePointer<Range<Int>>) -> Int {
    var g = 0
    var i = 0
    while i < n {
      var j = i + 1
      while j < n, keyed[j].key == keyed[i].key { j += 1 }
      ranges[g] = i..<j
      g += 1
      i = j
    }
    return g
  }

  /// `window`'s groups: each maximal run of the first `count` sorted keys less than `span` apart
  /// from its first key (a run inside the previous one adds nothing and is skipped), as ranges
  /// written from the start of `ranges` (which has room for `count`); how many.
  static func windows(
    of keyed: UnsafePointer<Keyed>, count n: Int, span: Int64, into ranges: UnsafeMutablePointer<Range<Int>>
  ) -> Int {
    var g = 0
    var end = 0
    var previousEnd = -1
    for i in 0..<n {
      if end < i { end = i }
      while end < n {
        // Keys are sorted, so a gap too large for Int64 is wider than any span.
        let (gap, overflow) = keyed[end].key.subtractingReportingOverflow(keyed[i].key)
        guard !overflow, gap < span else { break }
        end += 1
      }
      if end > previousEnd {
        ranges[g] = i..<end
        g += 1
        previousEnd = end
      }
    }
    return g
  }

  /// Seconds since the epoch (or the calendar day, for `per_day`) of a window key.
  @inline(__always)
  static func instantKey(_ v: Value, perDay: Bool, offset: Int32) -> Int64? {
    switch v {
    case .datetime(let d):
      return perDay ? Int64(d.date(inOffset: offset).daysSinceEpoch) : d.seconds
    case .number(let n):
      guard let s = n.intValue else { return nil }
      let seconds = Int64(s)
      guard perDay else { return seconds }
      // The day of `seconds + offset`, without forming that sum (it may not fit near the ends of Int64):
      // seconds = whole × 86,400 + rest, with |rest| < 86,400.
      let (whole, rest) = seconds.quotientAndRemainder(dividingBy: 86_400)
      return whole + (rest + Int64(offset)).floorDiv(86_400)
    case .date(let d):
      if perDay { return Int64(d.daysSinceEpoch) }
      let (seconds, overflow) = Int64(d.daysSinceEpoch).multipliedReportingOverflow(by: 86_400)
      return overflow ? nil : seconds
    default:
      return nil
    }
  }

  /// The items without repeats, in first-seen order; missing when an item is missing (it may or
  /// may not repeat another). Instants are compared as instants, whatever their offsets; every
  /// other value's equality is its identity, so a hash set finds repeats in linear time.
  static func distinct(_ xs: [Value]) -> Value {
    var seen: Set<Value> = []
    var instants: [Value] = []
    var out: [Value] = []
    for x in xs {
      if x.isMissing { return .missing }
      if case .datetime = x {
        if instants.contains(where: { Value.equal($0, x) == true }) { continue }
        instants.append(x)
      } else if !seen.insert(x).inserted {
        continue
      }
      out.append(x)
    }
    return .list(out)
  }
}

extension Int64 {
  /// Division rounding toward negative infinity (days before 1970 stay on the right day).
  func floorDiv(_ d: Int64) -> Int64 {
    let q = self / d
    return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
  }

}
