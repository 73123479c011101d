/// Conditions judged before anything runs: the set of inputs where a condition holds, computed
/// exactly over the values it compares (intervals of numbers, amounts and percentages; sets of
/// enum cases and bools), with every other test a free true/false of its own. A `when` that holds
/// for no input can never apply; a `require` that holds for every input (where its `when` holds)
/// can never fail, and one that holds for none always fails — and the same for `forbid` and
/// `flag`. Only present values are judged: a missing fact makes a rule unknown at run time, never
/// passed, so "never fails" means "never fails on the facts that are given".
extension Checker {
  func lintConditions(_ checked: CheckedRule) {
    let rule = checked.rule
    // Constant conditions are reported by the folding checks already.
    if let w = checked.when, fold(w) != nil { return }
    if fold(checked.condition) != nil { return }
    var space = ConditionSpace()
    space.collect(checked.when, self)
    space.collect(checked.condition, self)
    guard space.analysable else { return }
    let full = [space.columns.map(\.full)]
    let when = checked.when.map { space.holds($0, self) } ?? full
    guard let when else { return }
    func named(_ t: Typed) -> String {
      let s = space.subjects(of: t, self)
      return s.isEmpty ? "its inputs" : s.joined(separator: ", ")
    }
    if let w = checked.when, when.isEmpty {
      report(
        .neverApplies, w.span, "rule `\(rule.id.value)` can never apply: no value of \(named(w)) makes its `when` true",
        help: ["the conditions exclude each other; check each comparison's direction and bound"])
      return
    }
    guard let holds = space.holds(checked.condition, self), let fails = space.subtract(when, holds) else { return }
    let neverHolds = space.intersect(when, holds).isEmpty
    let verb = rule.verb.rawValue
    let under = checked.when == nil ? "" : " where its `when` holds"
    switch rule.verb {
    case .require where fails.isEmpty, .forbid where neverHolds, .flag where neverHolds:
      report(
        .constantVerdict, checked.condition.span,
        "rule `\(rule.id.value)` can never \(rule.verb == .flag ? "be raised" : "be violated"): its `\(verb)` is \(rule.verb == .require ? "true" : "false") for every value of \(named(checked.condition))\(under)",
        help: ["the condition covers every case; check each comparison's direction and bound"])
    case .require where neverHolds, .forbid where fails.isEmpty, .flag where fails.isEmpty:
      report(
        .constantVerdict, checked.condition.span,
        "rule `\(rule.id.value)` is \(rule.verb == .flag ? "raised" : "violated") for every input: its `\(verb)` is \(rule.verb == .require ? "false" : "true") for every value of \(named(checked.condition))\(under)",
        help: ["the condition can never come out the other way; check each comparison's direction and bound"])
    default:
      break
    }
  }
}

/// The variables a condition ranges over, and the sets where it holds.
struct ConditionSpace {
  /// Each variable's key (the expression as written, or a whole test taken as a free bool).
  var keys: [String] = []
  var columns: [Checker.Column] = []
  /// False once the space is too large to judge.
  var analysable = true
  /// Boolean definitions already looked into, and where each holds (a definition shared by many
  /// paths is judged once).
  private final class Memo {
    var collected: Set<Reference> = []
    var holds: [Reference: [[Checker.ValueSet]]?] = [:]
  }
  private let memo = Memo()

  /// The body of a boolean definition, judged in its place (`old and applicant.age < 18`).
  private func inlined(_ t: Typed, _ c: Checker) -> (Reference, Typed)? {
    guard case .definition(let r) = t.kind, let body = c.definitionTypes[r], body.type.unwrapped == .bool else { return nil }
    return (r, body)
  }

  private mutating func variable(_ key: String, _ column: Checker.Column) -> Int {
    if let i = keys.firstIndex(of: key) { return i }
    keys.append(key)
    columns.append(column)
    if keys.count > 12 { analysable = false }
    return keys.count - 1
  }

  /// A comparison's subject and constant, with the operator as seen from the subject.
  private func atom(_ t: Typed, _ c: Checker) -> (subject: Typed, op: BinaryOp, constant: Typed)? {
    guard case .binary(let op, let l, let r) = t.kind else { return nil }
    let flipped: [BinaryOp: BinaryOp] = [.lt: .gt, .le: .ge, .gt: .lt, .ge: .le, .eq: .eq, .ne: .ne]
    guard flipped[op] != nil else { return nil }
    if c.fold(l) == nil, Checker.Column(l.type.unwrapped) != nil, isConstant(r, c) { return (l, op, r) }
    if c.fold(r) == nil, Checker.Column(r.type.unwrapped) != nil, isConstant(l, c), let f = flipped[op] { return (r, f, l) }
    return nil
  }

  /// `subject in [constants]` (or `not in`): the subject, the constants, and whether negated.
  private func membership(_ t: Typed, _ c: Checker) -> (subject: Typed, items: [Typed], negated: Bool)? {
    guard case .binary(let op, let s, let list) = t.kind, op == .in || op == .notIn, case .list(let items) = list.kind,
      c.fold(s) == nil, items.allSatisfy({ isConstant($0, c) })
    else { return nil }
    return (s, items, op == .notIn)
  }

  /// The compared subjects `t` reads, as written, in order.
  func subjects(of t: Typed, _ c: Checker) -> [String] {
    var seen: Set<Reference> = []
    return subjects(of: t, c, &seen)
  }

  private func subjects(of t: Typed, _ c: Checker, _ seen: inout Set<Reference>) -> [String] {
    if let (r, body) = inlined(t, c) { return seen.insert(r).inserted ? subjects(of: body, c, &seen) : [] }
    switch t.kind {
    case .binary(.and, let a, let b), .binary(.or, let a, let b):
      let left = subjects(of: a, c, &seen)
      return left + subjects(of: b, c, &seen).filter { !left.contains($0) }
    case .unary(.not, let a): return subjects(of: a, c, &seen)
    default:
      if let (s, _, _) = atom(t, c) { return ["`\(c.text(of: s.span))`"] }
      if let (s, _, _) = membership(t, c) { return ["`\(c.text(of: s.span))`"] }
      if case .between(let s, _, _, _) = t.kind { return ["`\(c.text(of: s.span))`"] }
      return []
    }
  }

  private func isConstant(_ t: Typed, _ c: Checker) -> Bool {
    if case .enumCase = t.kind { return true }
    return c.fold(t) != nil
  }

  /// Registers the variables of `t`.
  mutating func collect(_ t: Typed?, _ c: Checker) {
    guard let t else { return }
    if let (r, body) = inlined(t, c) {
      if memo.collected.insert(r).inserted { collect(body, c) }
      return
    }
    switch t.kind {
    case .binary(.and, let a, let b), .binary(.or, let a, let b):
      collect(a, c)
      collect(b, c)
    case .unary(.not, let a):
      collect(a, c)
    default:
      if let (s, _, _) = atom(t, c), let col = Checker.Column(s.type.unwrapped) {
        _ = variable(c.text(of: s.span), col)
      } else if let (s, _, _) = membership(t, c), let col = Checker.Column(s.type.unwrapped) {
        _ = variable(c.text(of: s.span), col)
      } else if case .between(let s, let lo, let hi, _) = t.kind, isConstant(lo, c), isConstant(hi, c), c.fold(s) == nil,
        let col = Checker.Column(s.type.unwrapped)
      {
        _ = variable(c.text(of: s.span), col)
      } else {
        _ = variable(squeezedKey(c.text(of: t.span)), .cases(["false", "true"]))
      }
    }
  }

  /// The key of a condition the analysis treats as opaque: its text without white space.
  private func squeezedKey(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("?")
    for u in s.unicodeScalars {
      // ASCII white space is U+0009–U+000D and the space; anything else asks Unicode.
      let white = u.isASCII ? (u.value == 0x20 || (0x09...0x0D).contains(u.value)) : u.properties.isWhitespace
      if !white { out.append(u) }
    }
    return String(out)
  }

  /// The boxes where `t` is true, or nil when too many to judge.
  func holds(_ t: Typed, _ c: Checker) -> [[Checker.ValueSet]]? {
    let full = columns.map(\.full)
    func only(_ k: Int, _ set: Checker.ValueSet) -> [[Checker.ValueSet]] {
      var box = full
      box[k] = set
      return box[k].isEmpty ? [] : [box]
    }
    if let (r, body) = inlined(t, c) {
      if let done = memo.holds[r] { return done }
      let sets = holds(body, c)
      memo.holds[r] = sets
      return sets
    }
    switch t.kind {
    case .binary(.and, let a, let b):
      guard let x = holds(a, c), let y = holds(b, c) else { return nil }
      let both = intersect(x, y)
      return both.count > 4096 ? nil : both
    case .binary(.or, let a, let b):
      guard let x = holds(a, c), let y = holds(b, c), x.count + y.count <= 4096 else { return nil }
      return x + y
    case .unary(.not, let a):
      guard let x = holds(a, c) else { return nil }
      return subtract([full], x)
    default:
      if let (s, op, k) = atom(t, c), let i = keys.firstIndex(of: c.text(of: s.span)),
        let set = c.cellSetForAnalysis(.compare(op, k), columns[i])
      {
        return only(i, set)
      }
      if let (s, items, negated) = membership(t, c), let i = keys.firstIndex(of: c.text(of: s.span)),
        let set = c.cellSetForAnalysis(.anyOf(items.map { .equals($0) }), columns[i])
      {
        return only(i, negated ? columns[i].full.subtract(set) : set)
      }
      if case .between(let s, let lo, let hi, let negated) = t.kind, let i = keys.firstIndex(of: c.text(of: s.span)),
        let set = c.cellSetForAnalysis(.range(lo, lowInclusive: true, hi, highInclusive: true), columns[i])
      {
        return only(i, negated ? columns[i].full.subtract(set) : set)
      }
      guard let i = keys.firstIndex(of: squeezedKey(c.text(of: t.span))) else { return nil }
      return only(i, .cases([1]))
    }
  }

  func intersect(_ a: [[Checker.ValueSet]], _ b: [[Checker.ValueSet]]) -> [[Checker.ValueSet]] {
    var out: [[Checker.ValueSet]] = []
    for x in a {
      for y in b {
        let box = Checker.intersectBox(x, y)
        if !Checker.isEmptyBox(box) { out.append(box) }
      }
    }
    return out
  }

  func subtract(_ a: [[Checker.ValueSet]], _ b: [[Checker.ValueSet]]) -> [[Checker.ValueSet]]? {
    Checker.subtractBoxes(a, b)
  }
}

// MARK: - Redundant conjuncts, exceptions that never matter (equivalent rules: Equivalence.swift)

extension Checker {
  /// The conjuncts of `a and b and …`, in order.
  private func conjuncts(_ t: Typed) -> [Typed] {
    if case .binary(.and, let a, let b) = t.kind { return conjuncts(a) + conjuncts(b) }
    return [t]
  }

  /// A conjunct implied by an earlier one changes nothing (P0612): `a.age > 21 and a.age >= 18`.
  func lintRedundantConjuncts(_ t: Typed?) {
    guard let t else { return }
    let parts = conjuncts(t)
    guard parts.count > 1, parts.allSatisfy({ fold($0) == nil }) else { return }
    var space = ConditionSpace()
    for p in parts { space.collect(p, self) }
    guard space.analysable else { return }
    let sets = parts.map { space.holds($0, self) }
    for j in 1..<parts.count {
      guard let later = sets[j] else { continue }
      for i in 0..<j {
        guard let earlier = sets[i], let rest = space.subtract(earlier, later), rest.isEmpty else { continue }
        report(
          .redundantCondition, parts[j].span, "`\(text(of: parts[j].span))` is implied by `\(text(of: parts[i].span))` before it: it changes nothing",
          help: ["remove it, or check whether a bound or a direction is not what was meant"])
        break
      }
    }
  }

  /// An exception (`overrides`) whose `when` never holds where the rule it sets aside is violated
  /// never changes a verdict (P0613).
  func lintUselessExceptions(_ rules: [CheckedRule]) {
    let byID = Dictionary(rules.map { ($0.rule.id.value, $0) }, uniquingKeysWith: { a, _ in a })
    for e in rules {
      guard let ew = e.when, fold(ew) == nil else { continue }
      for o in e.rule.overrides {
        guard let r = byID[o.value], fold(r.condition) == nil else { continue }
        var space = ConditionSpace()
        space.collect(ew, self)
        space.collect(r.when, self)
        space.collect(r.condition, self)
        guard space.analysable, let exceptionApplies = space.holds(ew, self), let rr = applyAndViolate(r, space),
          space.intersect(exceptionApplies, rr.violated).isEmpty, !rr.violated.isEmpty
        else { continue }
        report(
          .uselessException, o.span,
          "exception `\(e.rule.id.value)` never sets `\(r.rule.id.value)` aside when it matters: its `when` never holds where `\(r.rule.id.value)` is violated",
          notes: [.init("`\(r.rule.id.value)` is here", at: r.condition.span)],
          help: ["check the exception's `when`: it should describe the cases the rule wrongly blocks"])
      }
    }
  }
}
