/// Two rules of a rulebook that apply to the same inputs and are violated by the same inputs,
/// though written differently (P0606, as for the same text). Only rules over the same variables
/// are compared; each rule's sets are computed once; a rule is compared exactly only with the
/// earlier rules that agree with it at every probe (one input inside each box of every rule's
/// sets, and in each piece of them), which two equivalent rules always do and two different ones
/// almost never.
extension Checker {
  /// The variables a rule's conditions range over, sorted, when the rule is compared with others
  /// (its condition is not constant and has no error); nil when it is not.
  func equivalenceVariables(_ r: CheckedRule) -> [String]? {
    guard fold(r.condition) == nil, !r.rule.condition.containsError, !(r.rule.when?.containsError ?? false) else { return nil }
    var space = ConditionSpace()
    space.collect(r.when, self)
    space.collect(r.condition, self)
    return space.keys.sorted()
  }

  /// Reports each rule of unit `u` (`linted` alone) equivalent to an earlier one, except those
  /// `reported` as textual duplicates already.
  func lintEquivalentRules(_ u: Int, _ linted: [RuleLint], reported: Set<String>) {
    let rules = checkedRules[u]
    var groups: [[String]: [Int]] = [:]
    var order: [[String]] = []
    for (k, l) in linted.enumerated() {
      guard let v = l.variables else { continue }
      if groups[v] == nil { order.append(v) }
      groups[v, default: []].append(k)
    }
    for v in order {
      guard let members = groups[v], members.count > 1 else { continue }
      // The group's result is kept under its members' texts, in order.
      var keys: [TextKey]?
      if memo != nil {
        let k = members.compactMap { memoKeys[u][$0] }
        keys = k.count == members.count ? k : nil
      }
      let firsts: [Int?]
      if let keys, let kept = memo?.group(keys) {
        firsts = kept
      } else {
        firsts = firstEquivalents(members.map { rules[$0] })
        if let keys { memo?.keepGroup(keys, firsts) }
      }
      for (j, first) in firsts.enumerated() {
        guard let i = first, j < members.count, i < members.count else { continue }
        let a = rules[members[i]]
        let b = rules[members[j]]
        guard !reported.contains(b.rule.id.value) else { continue }
        report(
          .duplicateCondition, b.condition.span,
          "rules `\(a.rule.id.value)` and `\(b.rule.id.value)` check the same condition: they apply to the same inputs and are violated by the same inputs",
          notes: [.init("`\(a.rule.id.value)` is here", at: a.condition.span)],
          help: ["merge the two rules, or make their conditions differ"])
      }
    }
  }

  /// For each rule, the first earlier one equivalent to it (both `flag`, or neither), if any.
  private func firstEquivalents(_ members: [CheckedRule]) -> [Int?] {
    var out = [Int?](repeating: nil, count: members.count)
    var space = ConditionSpace()
    for m in members {
      space.collect(m.when, self)
      space.collect(m.condition, self)
    }
    guard space.analysable else { return out }
    let sets = members.map { applyAndViolate($0, space) }
    var probes: [[ValueSet]] = []
    var seen: Set<[ValueSet]> = []
    for set in sets.compactMap({ $0 }) {
      for box in set.violated + set.applies {
        for p in Self.probes(box) where probes.count < 1024 && seen.insert(p).inserted { probes.append(p) }
      }
    }
    // Rules by their answers at the probes (violated there? applies there?, as bits), in rule order.
    var byAnswers: [[UInt64]: [Int]] = [:]
    for (j, y) in sets.enumerated() {
      guard let y else { continue }
      var answers = [UInt64](repeating: 0, count: (2 * probes.count + 63) / 64)
      for (k, p) in probes.enumerated() {
        if Self.contains(y.violated, p) { answers[(2 * k) / 64] |= 1 << UInt64((2 * k) % 64) }
        if Self.contains(y.applies, p) { answers[(2 * k + 1) / 64] |= 1 << UInt64((2 * k + 1) % 64) }
      }
      for i in byAnswers[answers] ?? [] where (members[i].rule.verb == .flag) == (members[j].rule.verb == .flag) {
        guard let x = sets[i], sameSet(x.applies, y.applies, space), sameSet(x.violated, y.violated, space) else { continue }
        out[j] = i
        break
      }
      byAnswers[answers, default: []].append(j)
    }
    return out
  }

  /// Inputs inside `box`: one in its first piece of every variable, and one in each other piece
  /// of each variable (`x < 2 or x > 9` has two), the other variables at their first.
  private static func probes(_ box: [ValueSet]) -> [[ValueSet]] {
    let first = box.map(\.point)
    var out = [first]
    for (k, set) in box.enumerated() {
      for p in set.points.dropFirst() {
        var q = first
        q[k] = p
        out.append(q)
      }
    }
    return out
  }

  /// Whether some box of `boxes` holds the input `point` (one value per variable).
  private static func contains(_ boxes: [[ValueSet]], _ point: [ValueSet]) -> Bool {
    for box in boxes where box.count == point.count {
      var all = true
      for k in box.indices where !box[k].contains(point: point[k]) {
        all = false
        break
      }
      if all { return true }
    }
    return false
  }

  /// Where a rule applies and where it is violated, over `space`.
  func applyAndViolate(_ r: CheckedRule, _ space: ConditionSpace) -> (applies: [[ValueSet]], violated: [[ValueSet]])? {
    let full = [space.columns.map(\.full)]
    guard let applies = r.when.map({ space.holds($0, self) }) ?? full, let holds = space.holds(r.condition, self) else { return nil }
    switch r.rule.verb {
    case .require:
      guard let fails = space.subtract(applies, holds) else { return nil }
      return (applies, fails)
    case .forbid, .flag:
      return (applies, space.intersect(applies, holds))
    }
  }

  private func sameSet(_ a: [[ValueSet]], _ b: [[ValueSet]], _ space: ConditionSpace) -> Bool {
    guard let x = space.subtract(a, b), let y = space.subtract(b, a) else { return false }
    return x.isEmpty && y.isEmpty
  }
}

extension Checker.ValueSet {
  /// A set of one value in each of its pieces (of each of its cases), the first as `point` gives.
  var points: [Checker.ValueSet] {
    switch self {
    case .numbers(let n):
      return n.pieces.compactMap { piece in
        Checker.Intervals(pieces: [piece], integral: n.integral).probe.map { .numbers(Checker.Intervals(point: $0, integral: n.integral)) }
      }
    case .cases(let c):
      return c.sorted().map { .cases([$0]) }
    }
  }

  /// Whether the set holds `point`, a set of one value (as `point` gives); for anything else,
  /// whether the two meet.
  func contains(point: Checker.ValueSet) -> Bool {
    switch (self, point) {
    case (.numbers(let a), .numbers(let b)):
      guard b.pieces.count == 1, let v = b.pieces[0].low, b.pieces[0].high == v else { return !intersect(point).isEmpty }
      return a.pieces.contains { q in
        (q.low.map { $0 < v || ($0 == v && q.lowIn) } ?? true) && (q.high.map { v < $0 || (v == $0 && q.highIn) } ?? true)
      }
    case (.cases(let a), .cases(let b)):
      if b.count == 1, let x = b.first { return a.contains(x) }
      return !a.isDisjoint(with: b)
    default:
      return !intersect(point).isEmpty
    }
  }
}
