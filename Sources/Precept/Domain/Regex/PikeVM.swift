/// Runs a `RegexProgram` over text keeping at most one thread per state key (Pike's VM), so the work is bounded by
/// keys × scalars: `(a+)+$` against 30,000 `a`s costs the same as any other pattern of its size.
struct PikeVM {
  let program: RegexProgram

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
          program.classes.withUnsafeBufferPointer { classes in
            (program.startStates ?? []).withUnsafeBufferPointer { startStates in
              let search = Search(
                instructions: instructions, keyBase: keyBase, keyState: keyState, classes: classes,
                startStates: program.startStates == nil ? nil : startStates, stack: scratch + 6 * keys,
                caseInsensitive: program.caseInsensitive, usesWordBoundaries: program.usesWordBoundaries)
              return search.run(
                text, current: &current, next: &next, stopAtFirst: stopAtFirst, anchored: program.anchoredAtStart)
            }
          }
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
  let classes: UnsafeBufferPointer<CompiledClass>
  let startStates: UnsafeBufferPointer<Int>?
  let stack: UnsafeMutablePointer<Int>
  let caseInsensitive: Bool
  let usesWordBoundaries: Bool

  func run<Scalars: Sequence<Unicode.Scalar>>(
    _ text: Scalars, current: inout ThreadList, next: inout ThreadList, stopAtFirst: Bool, anchored: Bool
  ) -> Range<Int>? {
    var iterator = text.makeIterator()
    var scalar = iterator.next()
    // Each scalar is classified as a word character once, and only if the pattern has word boundaries.
    var context = Context(atStart: true, atEnd: scalar == nil, wordBefore: false, wordAfter: isWord(scalar))
    var position = 0
    var best: Range<Int>? = nil
    while true {
      if let startStates, current.count == 0, best == nil, !anchored {
        // Nothing is in progress, so only a scalar that can begin a match is worth a thread. Word classes are
        // looked up only where the skipping stops.
        var skipped: Unicode.Scalar? = nil
        while let candidate = scalar, !canStart(candidate, startStates) {
          skipped = candidate
          scalar = iterator.next()
          position += 1
        }
        if skipped != nil {
          context = Context(atStart: false, atEnd: scalar == nil, wordBefore: isWord(skipped), wordAfter: isWord(scalar))
        }
      }
      // A new thread starting here has the lowest priority, so it goes last; once a match is known, a later start
      // can never be leftmost.
      if best == nil && (position == 0 || !anchored) {
        addThread(to: &current, pc: 0, start: position, context: context)
      }
      if current.count == 0 && (best != nil || anchored) { return best }
      let folded = caseInsensitive ? scalar.map(ScalarRules.lower) : scalar
      let upcoming = scalar == nil ? nil : iterator.next()
      let nextContext = Context(
        atStart: false, atEnd: upcoming == nil, wordBefore: context.wordAfter, wordAfter: isWord(upcoming))
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
          addThread(to: &next, pc: pc + 1, start: current.starts[index], context: nextContext)
        }
        index += 1
      }
      guard scalar != nil else { return best }
      scalar = upcoming
      context = nextContext
      position += 1
      swap(&current, &next)
    }
  }

  /// What the zero-width assertions need to know about one position between scalars.
  private struct Context {
    var atStart: Bool
    var atEnd: Bool
    var wordBefore: Bool
    var wordAfter: Bool
  }

  @inline(__always) private func isWord(_ scalar: Unicode.Scalar?) -> Bool {
    guard usesWordBoundaries, let scalar else { return false }
    return ScalarRules.isWord(scalar)
  }

  /// Whether some state a match begins with accepts `scalar`.
  private func canStart(_ scalar: Unicode.Scalar, _ startStates: UnsafeBufferPointer<Int>) -> Bool {
    let folded = caseInsensitive ? ScalarRules.lower(scalar) : scalar
    for pc in startStates {
      switch instructions[pc] {
      case .scalar(let wanted): if folded == wanted { return true }
      case .anyButNewline: if scalar != "\n" { return true }
      case .set(let k): if classes[k].contains(scalar) { return true }
      default: return true
      }
    }
    return false
  }

  /// The key of state `pc` at `level`; the clamp keeps keys in range even if a level were to overshoot.
  @inline(__always) private func key(_ pc: Int, level: Int) -> Int {
    keyBase[pc] + min(level, keyBase[pc + 1] - keyBase[pc] - 1)
  }

  /// Follows epsilon edges from `pc` depth-first, higher-priority branch first, adding every state key reached.
  /// A thread that has just consumed a scalar starts at level 0: no iteration began at the new position yet.
  /// An explicit stack rather than recursion, because a 10,000-state program could nest that deep.
  private func addThread(
    to list: inout ThreadList, pc startPC: Int, start: Int, context: Context
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
        if holds(assertion, context) {
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

  @inline(__always) private func holds(_ assertion: RegexAssertion, _ context: Context) -> Bool {
    switch assertion {
    case .textStart: return context.atStart
    case .textEnd: return context.atEnd
    case .wordBoundary: return context.wordBefore != context.wordAfter
    case .notWordBoundary: return context.wordBefore == context.wordAfter
    }
  }
}

/// Decodes the scalars of UTF-8 that a native `String` has already validated, without going through the
/// unspecialized `StringProtocol` witnesses a library call would otherwise use.
struct UTF8Scalars: Sequence, IteratorProtocol {
  let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  @inline(__always) mutating func next() -> Unicode.Scalar? {
    guard index < bytes.count else { return nil }
    let lead = UInt32(bytes[index])
    if lead < 0x80 {
      index += 1
      return Unicode.Scalar(UInt8(lead))
    }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    // Bounds are checked even though valid UTF-8 never ends mid-scalar, so that this can never read past the end.
    guard index + length <= bytes.count else {
      index = bytes.count
      return nil
    }
    var value = lead & (0x7F >> UInt32(length))
    value = value << 6 | UInt32(bytes[index + 1] & 0x3F)
    if length > 2 { value = value << 6 | UInt32(bytes[index + 2] & 0x3F) }
    if length > 3 { value = value << 6 | UInt32(bytes[index + 3] & 0x3F) }
    index += length
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }
}
