/// `where`, `any`/`all`/`none` over lists and over `window`/`per_day` groups. Traced or not, the
/// same items are visited in the same order and the first deciding item ends a quantifier; a
/// trace only records what happened (`observe`): each visited item's truth and the matches its
/// body made, and the item that decided.
extension Evaluator {
  /// The body's truth for the item at `level`, recorded for the trace when tracing.
  @inline(__always)
  private func body(_ body: Int32, item: Int, loop node: Int) -> Truth {
    observe(item: item, loop: node) { truth(body) }
  }

  /// An item's truth (`test`), recorded for the trace when tracing: the truth and the matches
  /// the test made.
  @inline(__always)
  private func observe(item: Int, loop node: Int, _ test: () -> Truth) -> Truth {
    guard recordWitnesses else { return test() }
    let start = state.pointee.matchLog.count
    let t = test()
    state.pointee.loopItems[node, default: []].append(LoopItem(item: item, truth: t, matches: start..<state.pointee.matchLog.count))
    return t
  }

  /// Runs `visit` with the loop item at `level` pointing at each item of `items` in turn (read
  /// where it lies, never copied), restoring what the level held before: a loop met while
  /// evaluating another loop's body at the same level (a definition's `where`, first needed
  /// there) must leave that loop's item as it found it. `visit` returns false to stop.
  @inline(__always)
  private func forEach(_ items: [Value], at level: Int32, _ visit: (Int) -> Bool) {
    let level = Int(level)
    let enclosing = current[level]
    defer { current[level] = enclosing }
    items.withUnsafeBufferPointer { items in
      guard let first = items.baseAddress else { return }
      for i in 0..<items.count {
        current[level] = first + i
        if !visit(i) { return }
      }
    }
  }

  /// `xs where body`. Not knowing whether an item belongs makes the whole selection unknown, never smaller.
  func filter(list: Int32, body: Int32, level: Int32, node: Int) -> Value {
    if case .itemTest(let first, let count) = instructions[Int(body)].step {
      // Made on each item directly rather than evaluated as a node; one text test
      // (`.channel == "cash"`), the commonest, inlined in the loop.
      let a = atoms[Int(first)]
      if count == 1, a.operand == .fieldEquals {
        // One atom, no joins: its node is the body, stamped as computeTruth would.
        return select(list: list, level: level, node: node) {
          ran[Int(body)] = generation
          return fieldEquals(level: a.level, field: a.field, constant: a.constant, negated: a.negated, node: Int(body))
        }
      }
      var started = false
      return select(list: list, level: level, node: node) {
        if !started {
          markTestRan(body, first: first, count: count)
          started = true
        }
        return atomsTruth(first: first, count: count)
      }
    }
    return select(list: list, level: level, node: node) { truth(body) }
  }

  /// The items of `list` for which `test` holds, the item at `level` pointing at each in turn.
  @inline(__always)
  private func select(list: Int32, level: Int32, node: Int, _ test: () -> Truth) -> Value {
    guard case .list(let items) = eval(list) else { return .missing }
    if recordWitnesses { state.pointee.loopItems[node] = [] }
    // The list this node kept in an earlier evaluation (stale now) lends its storage, so a
    // selection made for every line allocates once, not every time (unless someone still holds it).
    var kept: [Value] = []
    if !instructions[node].inLoop, case .list(let earlier) = memo[node] {
      kept = earlier
      memo[node] = .missing
      // Item by item: `removeAll(keepingCapacity:)` costs more for a short list.
      while !kept.isEmpty { kept.removeLast() }
    }
    kept.reserveCapacity(items.count)
    var unknown = false
    forEach(items, at: level) { i in
      switch self.observe(item: i, loop: node, test) {
      case .yes: kept.append(items[i])
      case .no: break
      case .unknown: unknown = true
      }
      return !unknown
    }
    return unknown ? .missing : .list(kept)
  }

  /// `any`/`all`/`none` over a list: `any` and `none` look for an item whose body is true, `all`
  /// for one whose body is false; an unknown body leaves the answer unknown unless an item decides.
  func quantify(_ q: Quantifier, list: Int32, body: Int32, level: Int32, node: Int) -> Truth {
    guard case .list(let items) = eval(list) else { return .unknown }
    let decisive: Truth = q == .all ? .no : .yes
    var decided: Int?
    var sawUnknown = false
    forEach(items, at: level) { i in
      let t = self.body(body, item: i, loop: node)
      if t == decisive {
        decided = i
        return false
      }
      if t == .unknown { sawUnknown = true }
      return true
    }
    if let decided {
      if recordWitnesses { witnesses[node] = decided }
      return Truth(q == .any)
    }
    return sawUnknown ? .unknown : Truth(q != .any)
  }

  /// `any`/`all`/`none` over the groups of `window`/`per_day` (node `grouping`), one group at a
  /// time. `inPlace` (`quantifyGroupRanges`): the body reads the group only through `count` and
  /// `sum` of a field, so each group is the range of the sorted items it covers (`groupFrames`),
  /// never built; otherwise each group is built in one reused buffer, instead of every group as
  /// a list of its own. A trace records how many groups there were and the one that decided.
  func quantifyGroups(_ q: Quantifier, grouping: Int32, body: Int32, level: Int32, inPlace: Bool, node: Int) -> Truth {
    var items: [Value] = []
    guard case .group(let perDay, let args, let count, let keyLevel) = instructions[Int(grouping)].step,
      let groups = groups(perDay: perDay, args: args, count: count, level: keyLevel, node: Int(grouping), items: &items)
    else { return .unknown }
    ran[Int(grouping)] = generation
    if recordWitnesses { state.pointee.groupCounts[Int(grouping)] = groups.count }
    let decisive: Truth = q == .all ? .no : .yes
    let level = Int(level)
    let enclosing = current[level]
    let enclosingFrame = groupFrames[level]
    let scratch = groups.scratch
    var buffer: [Value] = []
    if !inPlace { swap(&buffer, &state.pointee.spareGroup) }
    defer {
      current[level] = enclosing
      groupFrames[level] = enclosingFrame
      recycle(scratch)
      if !inPlace {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &state.pointee.spareGroup)
      }
    }
    // A body made of tests of the group (`count(w) >= 3`) is made directly, not evaluated as a node.
    var test: (first: Int32, count: Int32)?
    if inPlace, case .itemTest(let first, let count) = instructions[Int(body)].step {
      test = (first, count)
      if groups.count > 0 { markTestRan(body, first: first, count: count) }
    }
    var sawUnknown = false
    var decided: Int?
    items.withUnsafeBufferPointer { items in
      guard let itemBase = items.baseAddress else { return }
      for g in 0..<groups.count {
        let t: Truth
        if inPlace {
          groupFrames[level] = GroupFrame(items: itemBase, keyed: scratch.keyed, range: scratch.ranges[g])
          if let test {
            t = atomsTruth(first: test.first, count: test.count)
          } else {
            t = truth(body)
          }
        } else {
          buffer.removeAll(keepingCapacity: true)
          groups.group(g, of: itemBase, into: &buffer)
          var group = Value.list(buffer)
          t = withUnsafePointer(to: &group) { item in
            current[level] = item
            return truth(body)
          }
          current[level] = enclosing
        }
        if t == decisive {
          decided = g
          return
        }
        if t == .unknown { sawUnknown = true }
      }
    }
    if let decided {
      if recordWitnesses {
        witnesses[node] = decided
        var members: [Value] = []
        items.withUnsafeBufferPointer { items in
          if let base = items.baseAddress { groups.group(decided, of: base, into: &members) }
        }
        state.pointee.decidingGroups[node] = .list(members)
      }
      return Truth(q == .any)
    }
    return sawUnknown ? .unknown : Truth(q != .any)
  }

  /// `count(w)` of the group `quantifyGroupRanges` is visiting at `level`.
  func groupCount(level: Int32) -> Fixed {
    Fixed(groupFrames[Int(level)].range.count)
  }

  /// `sum(w.f)` of numbers, as units (`sum` of numbers, without boxing the total): nil when a
  /// member's field is missing or not a number, as `add` makes the sum missing.
  func groupSumUnits(level: Int32, field: Int32, node: Int) -> Int128? {
    let frame = groupFrames[Int(level)]
    var total = Fixed.zero
    do {
      for p in frame.range {
        guard case .number(let x) = frame.member(p).field(Int(field)) else { return nil }
        total = try total.adding(x)
      }
    } catch {
      _ = fail(node, error)
      return nil
    }
    return total.units
  }

  /// `sum(w.f)` of the group `quantifyGroupRanges` is visiting at `level`: the field of each
  /// member added in place.
  func groupSum(level: Int32, field: Int32, node: Int) -> Value {
    let frame = groupFrames[Int(level)]
    var total: Value = .missing
    do {
      for p in frame.range {
        guard try Evaluator.add(frame.member(p).field(Int(field)), to: &total) else { return .missing }
      }
    } catch {
      return fail(node, error)
    }
    return Evaluator.sumTotal(total)
  }

  /// For a trace, once the decision is made: the items of a quantifier after the one that decided
  /// it, so the trace can show every item that would have decided it too (every piece of copy that
  /// makes a claim). Only for display: the value is already decided, and failures met here are
  /// dropped. Only a quantifier outside any loop can be revisited (its list is in the memo).
  func exploreRest(of node: Int) {
    let ins = instructions[node]
    guard case .quantify(_, let list, let body, let level) = ins.step, !ins.inLoop, let decided = witnesses[node],
      case .list(let items)? = computedValue(Int(list))
    else { return }
    // Explored once, however many rules' traces show the quantifier.
    let visited = state.pointee.loopItems[node]?.last?.item ?? decided
    guard visited + 1 < items.count else { return }
    let failuresBefore = failures.count
    defer { if failures.count > failuresBefore { failures.removeLast(failures.count - failuresBefore) } }
    forEach(items, at: level) { i in
      if i > visited { _ = self.body(body, item: i, loop: node) }
      return true
    }
  }
}
