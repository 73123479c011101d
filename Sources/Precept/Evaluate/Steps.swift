/// One function per step of the program (`Program.Step`). Steps that yield a truth are computed
/// as a `Truth`, steps on units as `Int128?`; the rest as a `Value`. Each of the three functions
/// hands a step of another kind to the one that computes it.
///
/// A strict operation (a comparison, arithmetic, membership, a text test, a call) evaluates every
/// operand before it looks at any, so a failure or a missing fact on its right is met however its
/// left turns out; only `and`, `or`, `??`, `if` and the quantifiers stop early, by their meaning.
extension Evaluator {
  /// A step's truth.
  func computeTruth(_ step: Program.Step, _ k: Int) -> Truth {
    ran[k] = generation
    switch step {
    case .not(let x):
      return truth(x).not
    case .and(let x, let y):
      // The right side is not evaluated after a `no`.
      let l = truth(x)
      return l == .no ? .no : l.and(truth(y))
    case .or(let x, let y):
      let l = truth(x)
      return l == .yes ? .yes : l.or(truth(y))
    case .rootField(let leaf):
      switch leafKinds[Int(leaf)] {
      case .no: return .no
      case .yes: return .yes
      case .boxed: return Truth(leafValues[Int(leaf)])
      case .missing, .number, .enumCase: return .unknown
      }
    case .presence(let x, let negated):
      return Truth(eval(x).isMissing == negated)
    case .presenceOfTruth(let x, let negated):
      return Truth((truth(x) == .unknown) == negated)
    case .presenceOfUnits(let x, let negated):
      return Truth((number(x) == nil) == negated)
    case .compareUnits(let x, let y, let holds):
      // Both sides are evaluated, as for boxed values: a failure on the right is reported even
      // when the left is missing.
      let a = number(x)
      let b = number(y)
      guard let a, let b else { return .unknown }
      return Truth(holds.holds(a, b))
    case .itemFieldEquals(let level, let field, let constant, let negated):
      return fieldEquals(level: level, field: field, constant: constant, negated: negated, node: k)
    case .itemTest(let first, let count):
      return itemTest(k, first: first, count: count)
    case .equal(let x, let y, let negated):
      let a = eval(x)
      let b = eval(y)
      if case .text(let s) = a, case .text(let t) = b { return Truth((s == t) != negated) }
      return Truth(compare(a, b, holds: negated ? [.below, .above] : .equal, node: k))
    case .compare(let x, let y, let holds):
      return Truth(compare(eval(x), eval(y), holds: holds, node: k))
    case .betweenUnits(let x, let low, let high, let negated):
      let v = number(x)
      let lo = number(low)
      let hi = number(high)
      guard let v, let lo, let hi else { return .unknown }
      return Truth((lo <= v && v <= hi) != negated)
    case .between(let x, let low, let high, let negated):
      let v = eval(x)
      let atLeast = Truth(compare(v, eval(low), holds: [.equal, .above], node: k))
      let atMost = Truth(compare(v, eval(high), holds: [.below, .equal], node: k))
      guard let a = atLeast.bool, let b = atMost.bool else { return .unknown }
      return Truth((a && b) != negated)
    case .memberEnumSet(let x, let set, let negated):
      guard let v = number(x) else { return .unknown }
      return Truth((v >= 0 && v < 64 && set & (1 << UInt64(v)) != 0) != negated)
    case .memberUnits(let x, let first, let count, let negated):
      guard let v = number(x) else { return .unknown }
      return Truth((Int(first)..<Int(first + count)).contains { unitItems[$0] == v } != negated)
    case .memberTexts(let x, let first, let count, let negated):
      guard case .text(let v) = eval(x) else { return .unknown }
      return Truth((Int(first)..<Int(first + count)).contains { texts[$0] == v } != negated)
    case .member(let x, let list, let negated):
      let v = eval(x)
      let items = eval(list)
      guard !v.isMissing, case .list(let xs) = items, let found = Value.membership(v, in: xs) else { return .unknown }
      return Truth(found != negated)
    case .quantify(let q, let list, let body, let level):
      return quantify(q, list: list, body: body, level: level, node: k)
    case .quantifyGroups(let q, let grouping, let body, let level):
      return quantifyGroups(q, grouping: grouping, body: body, level: level, inPlace: false, node: k)
    case .quantifyGroupRanges(let q, let grouping, let body, let level):
      return quantifyGroups(q, grouping: grouping, body: body, level: level, inPlace: true, node: k)
    case .containsWords(let x, let matcher):
      return containsWords(x, matcher: matcher, node: k)
    case .containsAllWords(let x, let first, let count):
      return containsAllWords(x, first: first, count: count, node: k)
    case .containsTerms(let x, let terms, let all):
      return containsTerms(x, terms: terms, all: all, node: k)
    case .listContains(let x, let item):
      return listContains(x, item: item)
    case .listContainsSome(let x, let items, let all):
      return listContainsSome(x, items: items, all: all)
    case .startsWith(let x, let prefix):
      let a = eval(x)
      let b = eval(prefix)
      guard case .text(let s) = a, case .text(let t) = b else { return .unknown }
      return Truth(s.hasPrefix(t))
    case .matches(let x, let pattern):
      guard case .text(let s) = eval(x) else { return .unknown }
      // A pattern that did not compile (the checker reports it) fails where it is used.
      guard pattern >= 0 else { return Truth(fail(k, .invalidOperands)) }
      return Truth(program.patterns[Int(pattern)].matches(s))
    case .constant, .root, .factPath, .today, .item, .itemField, .field, .projection, .index, .arithmeticUnits, .arithmetic,
      .negate, .coalesce, .conditional, .invalidOperands, .list, .filter, .count, .sum, .sumField, .group, .call, .table,
      .appliedTable, .groupCount, .groupSumField:
      return Truth(compute(step, k))
    }
  }

  /// `.f == c` / `.f != c` on the loop item at `level` (`itemFieldEquals`, node `k`).
  @inline(__always)
  func fieldEquals(level: Int32, field: Int32, constant: Int32, negated: Bool, node k: Int) -> Truth {
    guard case .record(let fields) = current[Int(level)].pointee else { return .unknown }
    // Text, the common case, without the general comparison.
    if case .text(let x) = fields[Int(field)], case .text(let y) = constants[Int(constant)] { return Truth((x == y) != negated) }
    return fieldCompare(fields[Int(field)], constant: constant, negated: negated, node: k)
  }

  /// `fieldEquals` of anything but text, kept out of line so the text test stays short.
  @inline(never)
  private func fieldCompare(_ a: Value, constant: Int32, negated: Bool, node k: Int) -> Truth {
    Truth(compare(a, constants[Int(constant)], holds: negated ? [.below, .above] : .equal, node: k))
  }

  /// An `itemTest` evaluated as a node (outside a loop that makes it directly); out of line, so
  /// the step switch stays small.
  @inline(never)
  func itemTest(_ k: Int, first: Int32, count: Int32) -> Truth {
    markTestRan(Int32(k), first: first, count: count)
    return atomsTruth(first: first, count: count)
  }

  /// Stamps an `itemTest` (node `test`) and the `and`s joining its atoms as run: they run whenever
  /// the test does (a left-nested chain evaluates every `and` before its first atom), so a loop
  /// stamps them once, at its first item. (Each atom is stamped as it is made.)
  @inline(__always)
  func markTestRan(_ test: Int32, first: Int32, count: Int32) {
    ran[Int(test)] = generation
    var a = Int(first) + 1
    let end = Int(first + count)
    while a < end {
      ran[Int(atoms[a].andNode)] = generation
      a += 1
    }
  }

  /// An `itemTest`'s truth (`markTestRan` already called): its atoms in order, joined as Kleene's
  /// `and` joins them (a `no` ends the test, and the atoms after it are not made, as the right
  /// side of an `and` is not evaluated after a `no`); one atom inlined, more out of line.
  @inline(__always)
  func atomsTruth(first: Int32, count: Int32) -> Truth {
    count == 1 ? atomTruth(atoms.base + Int(first)) : chainTruth(atoms.base + Int(first), count: Int(count))
  }

  @inline(never)
  private func chainTruth(_ atoms: UnsafePointer<Program.ItemAtom>, count: Int) -> Truth {
    var result = Truth.yes
    for a in 0..<count {
      switch atomTruth(atoms + a) {
      case .no: return .no
      case .unknown: result = .unknown
      case .yes: break
      }
    }
    return result
  }

  /// Whether no atom of an `itemTest` can fail: tests of units, and equality with a text (an
  /// equality fails only between money in two currencies).
  func infallible(first: Int32, count: Int32) -> Bool {
    for a in Int(first)..<Int(first + count) {
      switch atoms[a].operand {
      case .fieldUnits: continue
      case .fieldEquals: if case .text = constants[Int(atoms[a].constant)] { continue }
      case .groupCount, .groupSum: break
      }
      return false
    }
    return true
  }

  /// One atom of an `itemTest`, computed as its node's step would compute it.
  @inline(__always)
  func atomTruth(_ a: UnsafePointer<Program.ItemAtom>) -> Truth {
    let node = Int(a.pointee.node)
    ran[node] = generation
    let units: Int128?
    switch a.pointee.operand {
    case .fieldEquals:
      return fieldEquals(level: a.pointee.level, field: a.pointee.field, constant: a.pointee.constant, negated: a.pointee.negated, node: node)
    case .fieldUnits:
      ran[Int(a.pointee.operandNode)] = generation
      if case .record(let fields) = current[Int(a.pointee.level)].pointee {
        units = a.pointee.slot.units(fields[Int(a.pointee.field)])
      } else {
        units = nil
      }
    case .groupCount:
      ran[Int(a.pointee.operandNode)] = generation
      units = groupCount(level: a.pointee.level).units
    case .groupSum:
      ran[Int(a.pointee.operandNode)] = generation
      units = groupSumUnits(level: a.pointee.level, field: a.pointee.field, node: Int(a.pointee.operandNode))
    }
    ran[Int(a.pointee.constantNode)] = generation
    guard let units else { return .unknown }
    return Truth(a.pointee.holds.holds(units, a.pointee.units))
  }

  /// A step's units (a number's, or an enum case's index); nil when missing.
  func computeNumber(_ step: Program.Step, _ slot: Program.Slot, _ k: Int) -> Int128? {
    switch step {
    case .itemField(let level, let field):
      ran[k] = generation
      guard case .record(let fields) = current[Int(level)].pointee else { return nil }
      return slot.units(fields[Int(field)])
    case .arithmeticUnits(let op, let x, let y):
      ran[k] = generation
      let a = number(x)
      let b = number(y)
      guard let a, let b else { return nil }
      do {
        return try Evaluator.arithmetic(op, Fixed(units: a), Fixed(units: b)).units
      } catch {
        _ = fail(k, error)
        return nil
      }
    case .groupCount(let level):
      ran[k] = generation
      return groupCount(level: level).units
    case .groupSumField(let level, let field) where slot == .number:
      ran[k] = generation
      return groupSumUnits(level: level, field: field, node: k)
    default:
      return slot.units(compute(step, k))
    }
  }

  /// `+`, `-`, `*`, `/`, `%` of two numbers.
  static func arithmetic(_ op: ArithmeticOperator, _ a: Fixed, _ b: Fixed) throws(ArithmeticError) -> Fixed {
    switch op {
    case .add: try a.adding(b)
    case .sub: try a.subtracting(b)
    case .mul: try a.multiplied(by: b)
    case .div: try a.divided(by: b)
    case .rem: try a.remainder(dividingBy: b)
    }
  }

  /// A step's value.
  func compute(_ step: Program.Step, _ k: Int) -> Value {
    ran[k] = generation
    switch step {
    case .constant(let index):
      return constants[Int(index)]
    case .root(let r):
      return Int(r) < facts.count ? facts[Int(r)] : .missing
    case .rootField(let leaf):
      return self.leaf(Int(leaf))
    case .factPath(let leaf, let rest, let depth):
      var v = self.leaf(Int(leaf))
      for step in 0..<Int(depth) {
        guard case .record(let fields) = v else { return .missing }
        v = fields[Int(pool[Int(rest) + step])]
      }
      return v
    case .today:
      return .date(today)
    case .item(let level):
      return current[Int(level)].pointee
    case .itemField(let level, let field):
      guard case .record(let fields) = current[Int(level)].pointee else { return .missing }
      return fields[Int(field)]
    case .field(let record, let field):
      guard case .record(let fields) = eval(record) else { return .missing }
      return fields[Int(field)]
    case .projection(let list, let field):
      guard case .list(let items) = eval(list) else { return .missing }
      return .list(items.map { item in
        if case .record(let fields) = item { return fields[Int(field)] }
        return .missing
      })
    case .index(let list, let position):
      let xs = eval(list)
      let k = eval(position)
      guard case .list(let items) = xs, case .number(let n) = k, let i = n.intValue else { return .missing }
      return items.indices.contains(i) ? items[i] : .missing
    case .arithmeticUnits(let op, let x, let y):
      return arithmetic(op, eval(x), eval(y), node: k)
    case .arithmetic(let op, let x, let y):
      return arithmetic(op, eval(x), eval(y), node: k)
    case .negate(let x):
      let v = eval(x)
      return v.isMissing ? .missing : (Value.negated(v) ?? fail(k, .invalidOperands))
    case .coalesce(let x, let y):
      let l = eval(x)
      return l.isMissing ? eval(y) : l
    case .conditional(let c, let yes, let no):
      switch truth(c) {
      case .yes: return eval(yes)
      case .no: return eval(no)
      case .unknown: return .missing
      }
    case .invalidOperands:
      return fail(k, .invalidOperands)
    case .list(let first, let count):
      var out: [Value] = []
      out.reserveCapacity(Int(count))
      for j in 0..<Int(count) { out.append(eval(pool[Int(first) + j])) }
      return .list(out)
    case .filter(let list, let body, let level):
      return filter(list: list, body: body, level: level, node: k)
    case .count(let list):
      guard case .list(let xs) = eval(list) else { return .missing }
      return .number(Fixed(xs.count))
    case .sum(let list):
      guard case .list(let xs) = eval(list) else { return .missing }
      do { return try sum(xs, node: k) } catch { return fail(k, error) }
    case .sumField(let records, let field):
      guard case .list(let xs) = eval(records) else { return .missing }
      do { return try sum(xs, field: Int(field), node: k) } catch { return fail(k, error) }
    case .groupCount(let level):
      return .number(groupCount(level: level))
    case .groupSumField(let level, let field):
      return groupSum(level: level, field: field, node: k)
    case .group(let perDay, let args, let count, let level):
      return group(perDay: perDay, args: args, count: count, level: level, node: k)
    case .call(let f, let args, let count, let compiled):
      return call(f, args: args, count: count, compiled: compiled, node: k)
    case .table(let t):
      return table(Int(t), node: k)
    case .appliedTable(let t, let item, let level):
      // The table's inputs read the item from loop level `level`, as a quantifier's body reads its item.
      var v = eval(item)
      if v.isMissing { return .missing }
      let enclosing = current[Int(level)]
      defer { current[Int(level)] = enclosing }
      return withUnsafePointer(to: &v) { p -> Value in
        current[Int(level)] = p
        return table(Int(t), node: k)
      }
    case .not, .and, .or, .presence, .presenceOfTruth, .presenceOfUnits, .compareUnits, .itemFieldEquals, .itemTest, .equal, .compare,
      .betweenUnits, .between, .memberEnumSet, .memberUnits, .memberTexts, .member, .quantify, .quantifyGroups, .quantifyGroupRanges,
      .containsWords,
      .containsAllWords, .containsTerms, .listContains, .listContainsSome, .startsWith, .matches:
      return computeTruth(step, k).value
    }
  }

  /// A root's field, boxed.
  private func leaf(_ l: Int) -> Value {
    switch leafKinds[l] {
    case .no: .bool(false)
    case .yes: .bool(true)
    case .missing: .missing
    case .number: .number(Fixed(units: leafUnits[l]))
    case .enumCase: .enumCase(Int(leafUnits[l]))
    case .boxed: leafValues[l]
    }
  }
}
