/// One NFA state. `split` lists its targets in priority order, which is what makes matching leftmost-first.
enum RegexInstruction: Sendable, Hashable {
  /// Consumes this scalar (already lowercased when the pattern is case-insensitive).
  case scalar(Unicode.Scalar)
  /// Consumes any scalar except `\n`.
  case anyButNewline
  /// Consumes a scalar in `RegexProgram.classes[index]`.
  case set(Int)
  case split(Int, Int)
  case jump(Int)
  case assertion(RegexAssertion)
  /// Starts the optional iterations of a repetition whose body can match the empty string (a "tracked" region).
  case enter
  /// Ends a tracked region's last optional copy.
  case leave
  /// Between iterations of a tracked region: another iteration at `target` or on to `exit`, in greedy or lazy order,
  /// except that after an iteration that consumed nothing the repetition stops, as in Python and Perl.
  case loop(target: Int, exit: Int, greedy: Bool)
  case match
}

/// A compiled pattern: a Thompson NFA in a flat array, run by `PikeVM`.
///
/// Backtracking engines stop a repetition after an iteration that matched nothing. To give the same spans, the VM
/// tells threads apart by state and *level*: how many of the tracked regions around the state began their current
/// iteration at the current position (those always form the innermost ones, so one number says which). Each state
/// has `depth + 1` keys, numbered from `keyBase[pc]`; patterns without such repetitions have one key per state.
struct RegexProgram: Sendable, Hashable {
  var instructions: [RegexInstruction] = []
  var classes: [CompiledClass] = []
  var caseInsensitive = false
  /// Every match must begin at offset 0, so the matcher can stop once the threads started there die.
  var anchoredAtStart = false
  /// `keyBase[pc]..<keyBase[pc + 1]` are the keys of state `pc`; one entry more than there are states.
  var keyBase: [Int] = []
  /// The state each key belongs to.
  var keyState: [Int] = []
  /// The consuming states a match can begin with, when there are a few and no match can be empty: while no thread
  /// is alive, the matcher skips scalars none of them accepts instead of starting a thread at each one.
  var startStates: [Int]? = nil
  /// Whether `\b` or `\B` occurs, so the matcher only classifies scalars as word characters when it must.
  var usesWordBoundaries = false
}

/// Thompson construction from `RegexNode` to `RegexProgram`, refusing patterns that would exceed `Pattern.maximumStates`.
struct RegexCompiler {
  private var program = RegexProgram()
  /// Tracked regions enclosing each instruction, parallel to `program.instructions`.
  private var depths: [Int] = []
  private var depth = 0
  /// Offsets of the counted repetitions being expanded, outermost first; the outermost is blamed for a blow-up
  /// because it is the one multiplying everything inside it.
  private var repetitionOffsets: [Int] = []
  /// Where the first repetition needing a tracked region is written, to point at if there are too many keys.
  private var firstTrackedOffset: Int?

  /// Keys bound the VM's memory per search the way states bound the program; only deeply nested repetitions of
  /// optional parts come near it.
  static let maximumKeys = 4 * Pattern.maximumStates

  static func compile(_ syntax: RegexSyntax) throws(PatternError) -> RegexProgram {
    var compiler = RegexCompiler()
    compiler.program.caseInsensitive = syntax.caseInsensitive
    compiler.program.anchoredAtStart = isAnchoredAtStart(syntax.root)
    try compiler.emit(syntax.root)
    // The final state is not counted against the limit: it is not the author's to shrink.
    compiler.program.instructions.append(.match)
    compiler.depths.append(0)
    var base = 0
    for (pc, depth) in compiler.depths.enumerated() {
      compiler.program.keyBase.append(base)
      for _ in 0...depth { compiler.program.keyState.append(pc) }
      base += depth + 1
      if base > maximumKeys {
        throw PatternError(
          "repetitions of optional parts are nested too deeply to check quickly; simplify the pattern",
          at: compiler.firstTrackedOffset ?? 0)
      }
    }
    compiler.program.keyBase.append(base)
    compiler.program.startStates = startStates(of: compiler.program.instructions)
    compiler.program.usesWordBoundaries = compiler.program.instructions.contains {
      $0 == .assertion(.wordBoundary) || $0 == .assertion(.notWordBoundary)
    }
    return compiler.program
  }

  /// The consuming states reachable from the start without consuming, treating every assertion as passable (an
  /// over-approximation is harmless for skipping); nil if the match state is reachable or there are many.
  private static func startStates(of instructions: [RegexInstruction]) -> [Int]? {
    var seen = Set<Int>()
    var pending = [0]
    var found: [Int] = []
    while let pc = pending.popLast() {
      guard seen.insert(pc).inserted else { continue }
      switch instructions[pc] {
      case .scalar, .anyButNewline, .set: found.append(pc)
      case .match: return nil
      case .jump(let target): pending.append(target)
      case .split(let first, let second): pending += [first, second]
      case .loop(let target, let exit, _): pending += [target, exit]
      case .assertion, .enter, .leave: pending.append(pc + 1)
      }
      if found.count > 8 { return nil }
    }
    return found
  }

  private static func isAnchoredAtStart(_ node: RegexNode) -> Bool {
    switch node {
    case .assertion(.textStart): return true
    case .concatenation(let items): return items.first.map(isAnchoredAtStart) ?? false
    case .alternation(let branches): return branches.allSatisfy(isAnchoredAtStart)
    case .repetition(let inner, let minimum, _, _, _): return minimum > 0 && isAnchoredAtStart(inner)
    default: return false
    }
  }

  /// Whether the node can match without consuming anything.
  private static func isNullable(_ node: RegexNode) -> Bool {
    switch node {
    case .empty, .assertion: return true
    case .literal, .anyButNewline, .set: return false
    case .concatenation(let items): return items.allSatisfy(isNullable)
    case .alternation(let branches): return branches.contains(where: isNullable)
    case .repetition(let inner, let minimum, _, _, _): return minimum == 0 || isNullable(inner)
    }
  }

  // MARK: Emission

  private mutating func emit(_ node: RegexNode) throws(PatternError) {
    switch node {
    case .empty:
      break
    case .literal(let c):
      try append(.scalar(program.caseInsensitive ? ScalarRules.lower(c) : c))
    case .anyButNewline:
      try append(.anyButNewline)
    case .set(let scalarClass):
      let compiled = CompiledClass(scalarClass, caseInsensitive: program.caseInsensitive)
      // Identical classes (a repeated \d, say) share one entry.
      let index = program.classes.firstIndex(of: compiled) ?? program.classes.count
      if index == program.classes.count { program.classes.append(compiled) }
      try append(.set(index))
    case .assertion(let assertion):
      try append(.assertion(assertion))
    case .concatenation(let items):
      for item in items { try emit(item) }
    case .alternation(let branches):
      try emitAlternation(branches)
    case .repetition(let inner, let minimum, let maximum, let greedy, let offset):
      repetitionOffsets.append(offset)
      let optionalCopies = maximum.map { $0 - minimum }
      // Only a body that can match nothing needs the empty-iteration rule, and only with two or more optional
      // iterations can one iteration follow another.
      if Self.isNullable(inner) && (optionalCopies ?? 2) >= 2 {
        if firstTrackedOffset == nil { firstTrackedOffset = offset }
        try emitTrackedRepetition(inner, minimum: minimum, optionalCopies: optionalCopies, greedy: greedy)
      } else {
        try emitRepetition(inner, minimum: minimum, maximum: maximum, greedy: greedy)
      }
      repetitionOffsets.removeLast()
    }
  }

  /// `a|b|c` becomes `split(a, split(b, c))`, each branch but the last jumping to the common end.
  private mutating func emitAlternation(_ branches: [RegexNode]) throws(PatternError) {
    var jumps: [Int] = []
    for (index, branch) in branches.enumerated() {
      if index == branches.count - 1 {
        try emit(branch)
      } else {
        let split = try append(.split(0, 0))
        try emit(branch)
        jumps.append(try append(.jump(0)))
        program.instructions[split] = .split(split + 1, program.instructions.count)
      }
    }
    let end = program.instructions.count
    for jump in jumps { program.instructions[jump] = .jump(end) }
  }

  /// The plain Thompson layouts, for bodies that always consume something.
  private mutating func emitRepetition(_ inner: RegexNode, minimum: Int, maximum: Int?, greedy: Bool)
    throws(PatternError)
  {
    // The mandatory copies; with no maximum the last one doubles as the loop body of `x+`.
    let plainCopies = maximum == nil && minimum > 0 ? minimum - 1 : minimum
    for _ in 0..<plainCopies { try emit(inner) }
    guard let maximum else {
      if minimum > 0 {
        // x+ : body, then split back to the body or on.
        let body = program.instructions.count
        try emit(inner)
        let split = program.instructions.count
        try append(greedy ? .split(body, split + 1) : .split(split + 1, body))
      } else {
        // x* : split into the body or past it; the body jumps back to the split.
        let split = try append(.split(0, 0))
        try emit(inner)
        try append(.jump(split))
        let end = program.instructions.count
        program.instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1)
      }
      return
    }
    // The optional copies nest, x(x(x)?)?, so skipping one skips all later ones and the NFA stays linear.
    var splits: [Int] = []
    for _ in 0..<(maximum - minimum) {
      splits.append(try append(.split(0, 0)))
      try emit(inner)
    }
    let end = program.instructions.count
    for split in splits {
      program.instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1)
    }
  }

  /// For a body that can match nothing: the mandatory copies, then a tracked region of optional iterations,
  /// `split(enter, exit); enter; x; loop; x; loop; …; leave` (or one copy looping back to itself when unbounded).
  private mutating func emitTrackedRepetition(
    _ inner: RegexNode, minimum: Int, optionalCopies: Int?, greedy: Bool
  ) throws(PatternError) {
    for _ in 0..<minimum { try emit(inner) }
    let split = try append(.split(0, 0))
    try append(.enter)
    depth += 1
    var loops: [Int] = []
    if optionalCopies == nil {
      let body = program.instructions.count
      try emit(inner)
      loops.append(try append(.loop(target: body, exit: 0, greedy: greedy)))
    } else {
      for copy in 0..<(optionalCopies ?? 0) {
        if copy > 0 { loops.append(try append(.loop(target: program.instructions.count + 1, exit: 0, greedy: greedy))) }
        try emit(inner)
      }
      try append(.leave)
    }
    depth -= 1
    let exit = program.instructions.count
    for loop in loops {
      if case .loop(let target, _, _) = program.instructions[loop] {
        program.instructions[loop] = .loop(target: target, exit: exit, greedy: greedy)
      }
    }
    program.instructions[split] = greedy ? .split(split + 1, exit) : .split(exit, split + 1)
  }

  /// Appends an instruction and returns its index; refuses to grow past the state limit so `(a{1000}){1000}` fails
  /// after about 10,000 states instead of allocating a million.
  @discardableResult
  private mutating func append(_ instruction: RegexInstruction) throws(PatternError) -> Int {
    guard program.instructions.count < Pattern.maximumStates else {
      throw PatternError(
        "this repetition makes the pattern too large to check quickly (over \(Pattern.maximumStates) states); "
          + "use a smaller count", at: repetitionOffsets.first ?? 0)
    }
    program.instructions.append(instruction)
    depths.append(depth)
    return program.instructions.count - 1
  }
}
