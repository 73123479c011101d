/// Runs a `Program` over text keeping at most one thread per state key (Pike's VM), so the work is bounded by
/// keys × scalars: `(a+)+$` against 30,000 `a`s costs the same as any other pattern of its size.
struct PikeVM {
  let program: Program

  /// The leftmost-first match, or with `stopAtFirst` any match as soon as one is certain (its span is then
  /// meaningless to the caller, who only wants a yes or no).
  func run<Scalars: Sequence<Unicode.Scalar>>(_ text: Scalars, stopAtFirst: Bool) -> Range<Int>? {
    let keys = program.keyState.count
    // One allocation per search: two thread lists of three arrays each, then the depth-first stack. Every key is
    // expanded at most once per position and pushes at most two more, so 2 × keys + 1 entries always suffice.
    let capacity = 8 * keys + 2
    let scratch = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    scratch.initialize(repeating: 0, count: capacity)
    defer { scratch.deallocate() }
    var current = ThreadList(scratch, keys: keys)
    var next = ThreadList(scratch + 3 * keys, keys: keys)
    return program.instructions.withUnsafeBufferPointer { instructions in
      program.keyBase.withUnsafeBufferPointer { keyBase in
        program.keyState.withUnsafeBufferPointer { keyState in
          let search = Search(
            instructions: instructions, keyBase: keyBase, keyState: keyState, classes: program.classes,
            stack: scratch + 6 * keys, caseInsensitive: program.caseInsensitive)
          return search.run(
            text, current: &current, next: &next, stopAtFirst: stopAtFirst, anchored: program.anchoredAtStart)
        }
      }
    }
  }
}

/// The threads alive at one text position, in priority order, with the offset where each one's match began.
/// A sparse set over state keys: membership and insertion are O(1) and clearing is resetting `count`.
private struct ThreadList {
  let dense: UnsafeMutablePointer<Int>
  let sparse: UnsafeMutablePointer<Int>
  let starts: UnsafeMutablePointer<Int>
  var count = 0

  init(_ base: UnsafeMutablePointer<Int>, keys: Int) {
    dense = base
    sparse = base + keys
    starts = base + 2 * keys
  }

  @inline(__always) func contains(_ key: Int) -> Bool {
    let index = sparse[key]
    return index < count && dense[index] == key
  }

  @inline(__always) mutating func insert(_ key: Int, start: Int) {
    sparse[key] = count
    dense[count] = key
    starts[count] = start
    count += 1
  }
}

private struct Search {
  let instructions: UnsafeBufferPointer<RegexInstruction>
  let keyBase: UnsafeBufferPointer<Int>
  let keyState: UnsafeBufferPointer<Int>
  let classes: [CompiledClass]
  let stack: UnsafeMutablePointer<Int>
  let caseInsensitive: Bool

  func run<Scalars: Sequence<Unicode.Scalar>>(
    _ text: Scalars, current: inout ThreadList, next: inout ThreadList, stopAtFirst: Bool, anchored: Bool
  ) -> Range<Int>? {
    var iterator = text.makeIterator()
    var previous: Unicode.Scalar? = nil
    var scalar = iterator.next()
    var position = 0
    var best: Range<Int>? = nil
    while true {
      // A new thread starting here has the lowest priority, so it goes last; once a match is known, a later start
      // can never be leftmost.
      if best == nil && (position == 0 || !anchored) {
        addThread(to: &current, pc: 0, start: position, before: previous, after: scalar)
      }
      if current.count == 0 && (best != nil || anchored) { return best }
      let folded = caseInsensitive ? scalar.map(ScalarRules.lower) : scalar
      let upcoming = scalar == nil ? nil : iterator.next()
      next.count = 0
      var index = 0
      while index < current.count {
        let pc = keyState[current.dense[index]]
        let consumed: Bool
        switch instructions[pc] {
        case .match:
          best = current.starts[index]..<position
          if stopAtFirst { return best }
          // Threads after this one have lower priority than the match just found, so they are dropped.
          index = current.count
          continue
        case .scalar(let wanted): consumed = folded == wanted
        case .anyButNewline: consumed = scalar != nil && scalar != "\n"
        case .set(let k): consumed = scalar.map { classes[k].contains($0) } ?? false
        case .split, .jump, .assertion, .enter, .leave, .loop: consumed = false
        }
        if consumed {
          addThread(to: &next, pc: pc + 1, start: current.starts[index], before: scalar, after: upcoming)
        }
        index += 1
      }
      guard scalar != nil else { return best }
      previous = scalar
      scalar = upcoming
      position += 1
      swap(&current, &next)
    }
  }

  /// The key of state `pc` at `level`; the clamp keeps keys in range even if a level were to overshoot.
  @inline(__always) private func key(_ pc: Int, level: Int) -> Int {
    keyBase[pc] + min(level, keyBase[pc + 1] - keyBase[pc] - 1)
  }

  /// Follows epsilon edges from `pc` depth-first, higher-priority branch first, adding every state key reached.
  /// A thread that has just consumed a scalar starts at level 0: no iteration began at the new position yet.
  /// An explicit stack rather than recursion, because a 10,000-state program could nest that deep.
  private func addThread(
    to list: inout ThreadList, pc startPC: Int, start: Int, before: Unicode.Scalar?, after: Unicode.Scalar?
  ) {
    var top = 0
    stack[top] = keyBase[startPC]
    top += 1
    while top > 0 {
      top -= 1
      var stateKey = stack[top]
      let pc = keyState[stateKey]
      let level = stateKey - keyBase[pc]
      let instruction = instructions[pc]
      switch instruction {
      case .scalar, .anyButNewline, .set, .match:
        // What happens after consuming (or matching) does not depend on the level, so one thread per state.
        stateKey = keyBase[pc]
      case .split, .jump, .assertion, .enter, .leave, .loop:
        break
      }
      if list.contains(stateKey) { continue }
      list.insert(stateKey, start: start)
      switch instruction {
      case .jump(let target):
        stack[top] = key(target, level: level)
        top += 1
      case .split(let first, let second):
        stack[top] = key(second, level: level)
        stack[top + 1] = key(first, level: level)
        top += 2
      case .assertion(let assertion):
        if holds(assertion, before: before, after: after) {
          stack[top] = key(pc + 1, level: level)
          top += 1
        }
      case .enter:
        // An iteration of this region begins here, so it is the innermost one begun at this position.
        stack[top] = key(pc + 1, level: level + 1)
        top += 1
      case .leave:
        stack[top] = key(pc + 1, level: max(level - 1, 0))
        top += 1
      case .loop(let target, let exit, let greedy):
        if level > 0 {
          // The iteration just finished began at this position, so it consumed nothing: stop repeating.
          stack[top] = key(exit, level: level - 1)
          top += 1
        } else {
          let again = key(target, level: 1), onward = key(exit, level: 0)
          stack[top] = greedy ? onward : again
          stack[top + 1] = greedy ? again : onward
          top += 2
        }
      case .scalar, .anyButNewline, .set, .match:
        break
      }
    }
  }

  private func holds(_ assertion: RegexAssertion, before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
    switch assertion {
    case .textStart: return before == nil
    case .textEnd: return after == nil
    case .wordBoundary, .notWordBoundary:
      let wordBefore = before.map(ScalarRules.isWord) ?? false
      let wordAfter = after.map(ScalarRules.isWord) ?? false
      return (wordBefore != wordAfter) == (assertion == .wordBoundary)
    }
  }
}
