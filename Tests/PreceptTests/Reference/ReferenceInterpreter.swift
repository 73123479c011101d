import Foundation

@testable import Precept

/// A plain reference interpreter for a compiled rule graph, kept in the test target so that the
/// optimised evaluator (`Evaluator`: unboxed slots, memo stamps, raw buffers, special-cased
/// dispatch) can be checked against it on every shipped rulebook and on random ones
/// (`DifferentialTests`), as Cedar checks its engine against a Lean-verified one.
///
/// It walks `CompiledRulebook.nodes` recursively over plain `Value`s: no unsafe code, no
/// memoization, Kleene logic written once (`kleeneAnd`, `kleeneOr`), one comparison and one
/// arithmetic dispatch, quantifiers, `window`/`per_day` grouping, and decision tables under
/// every hit policy written from docs/decision-tables.md. Only the domain layer (Fixed, Money,
/// dates, Finance, Wording, Proximity, Screening, regex) is shared: that is the meaning both sides
/// must agree on, while graph walking and dispatch are written twice so a slip in either shows
/// as a disagreement.
///
/// Where the two sides could reasonably differ, this one takes the documented meaning:
/// - a strict operation (comparison, arithmetic, membership, call, …) reads all its operands, so
///   a rule's `missing` names every missing fact its verdict depends on; only `and`, `or`,
///   `if`, `??`, quantifiers, `where`, `first` tables and table rows short-circuit;
/// - a rule's `missing` lists the facts of its condition and `when` (as its trace shows them)
///   that the rule itself read and found missing;
/// - a failure (overflow, division by zero, a table conflict, …) met while a rule is evaluated is
///   that rule's reason, whichever rule met it first; each failure is named once.
///
/// Adding an `Op` is a local change: one case in `eval` and one name in `opKind`.
final class ReferenceInterpreter {
  /// What one rule came to, as `RuleResult` reports it.
  struct Result: Equatable, CustomStringConvertible {
    var rule: String
    var status: RuleStatus
    var message: String?
    var reason: String?
    var description: String { "\(rule): \(status.rawValue) message=\(message ?? "nil") reason=\(reason ?? "nil")" }
  }

  let book: CompiledRulebook
  private var facts: [Value] = []
  private var today = CivilDate(uncheckedDays: 0)
  /// The item of each loop level.
  private var frames: [Value] = []
  /// Failures met while evaluating the current rule (or message placeholder).
  private var failures: [(node: Int, error: ArithmeticError)] = []
  /// Fact nodes read by the current rule.
  private var readByRule: Set<Int> = []
  private var patterns: [String: Result_<Pattern>] = [:]
  /// Which op kinds, builtins, hit policies and cell kinds evaluation reached (coverage).
  private(set) var reached: Set<String> = []

  private enum Result_<T> {
    case ok(T)
    case bad
  }

  init(_ book: CompiledRulebook) {
    self.book = book
  }

  // MARK: Rules

  /// Every rule's status, message and reason over `facts` (values of `book.roots`, in order).
  func decide(_ facts: [Value], asOf: CivilDate, stage: Stage? = nil) -> [Result] {
    self.facts = facts
    today = asOf
    let rules = book.rules
    let bookActive = book.effective.map { asOf >= $0 } ?? true
    var statuses: [RuleStatus] = []
    var whenValues: [Value?] = []
    var ruleFailures: [[(node: Int, error: ArithmeticError)]] = []
    var ruleReads: [Set<Int>] = []
    for rule in rules {
      failures = []
      readByRule = []
      frames = []
      var status = RuleStatus.notApplicable
      var whenValue: Value?
      if inForce(rule, asOf: asOf, stage: stage, bookActive: bookActive) {
        status = verdict(rule, &whenValue)
      }
      statuses.append(status)
      whenValues.append(whenValue)
      ruleFailures.append(status == .unknown ? failures : [])
      ruleReads.append(readByRule)
    }
    // Exceptions: a rule in force whose `when` is true (or absent) sets aside the rules it names;
    // a later exception naming the same rule is the one reported.
    var overriddenBy = [Int?](repeating: nil, count: rules.count)
    for (i, rule) in rules.enumerated() where !rule.overrides.isEmpty {
      guard inForce(rule, asOf: asOf, stage: stage, bookActive: bookActive) else { continue }
      if rule.when != nil, whenValues[i] != .bool(true) { continue }
      for j in rule.overrides {
        statuses[j] = .overridden
        overriddenBy[j] = i
      }
    }
    var out: [Result] = []
    for (i, rule) in rules.enumerated() {
      var result = Result(rule: rule.id, status: statuses[i])
      switch statuses[i] {
      case .notApplicable:
        result.reason = notApplicableReason(rule, asOf: asOf, stage: stage, bookActive: bookActive)
      case .overridden:
        result.reason = "set aside by \(overriddenBy[i].map { rules[$0].id } ?? "?"), an exception that applies here"
      case .unknown:
        let missing = missingFacts(rule, read: ruleReads[i])
        let failed = ruleFailures[i].map { $0.error.namesItsPlace ? $0.error.message : "\($0.error.message) in `\(book.sourceText(book.nodes[$0.node].span))`" }
        result.reason =
          failed.isEmpty
          ? (missing.isEmpty ? "the verdict depends on a value that is missing" : "missing: " + missing.joined(separator: ", "))
          : failed.joined(separator: "; ")
      case .violated:
        result.message = message(rule)
      case .passed:
        break
      }
      out.append(result)
    }
    return out
  }

  private func inForce(_ rule: CompiledRule, asOf: CivilDate, stage: Stage?, bookActive: Bool) -> Bool {
    guard bookActive else { return false }
    if let stage, !rule.stages.contains(stage) { return false }
    if let from = rule.effectiveFrom, asOf < from { return false }
    if let until = rule.effectiveUntil, until < asOf { return false }
    return true
  }

  private func verdict(_ rule: CompiledRule, _ whenValue: inout Value?) -> RuleStatus {
    if let w = rule.when {
      let v = eval(w)
      whenValue = v
      switch truth(v) {
      case false?: return .notApplicable
      case nil: return .unknown
      case true?: break
      }
    }
    guard let holds = truth(eval(rule.condition)) else { return .unknown }
    switch rule.verb {
    case .require: return holds ? .passed : .violated
    case .forbid, .flag: return holds ? .violated : .passed
    }
  }

  private func notApplicableReason(_ rule: CompiledRule, asOf: CivilDate, stage: Stage?, bookActive: Bool) -> String {
    if !bookActive, let e = book.effective { return "the rulebook takes effect on \(e)" }
    if let stage, !rule.stages.contains(stage) {
      return "applies at \(rule.stages.map(\.rawValue).joined(separator: ", ")), not at \(stage.rawValue)"
    }
    if let from = rule.effectiveFrom, asOf < from { return "in force from \(from)" }
    if let until = rule.effectiveUntil, until < asOf { return "in force until \(until)" }
    return "`when` is false: \(rule.whenText ?? "")"
  }

  /// The message with placeholders filled (each evaluated afresh); the title when there is none.
  private func message(_ rule: CompiledRule) -> String? {
    guard !rule.message.isEmpty else { return rule.title }
    return rule.message.map { piece -> String in
      switch piece {
      case .text(let s): return s
      case .value(let n, let t):
        failures = []
        frames = []
        let v = eval(n)
        if v.isMissing, let first = failures.first { return "(error: \(first.error.message))" }
        return v.formatted(as: t)
      }
    }.joined()
  }

  /// The facts of the rule's `when` and condition templates that were read (per `read`) and missing.
  private func missingFacts(_ rule: CompiledRule, read: Set<Int>) -> [String] {
    var out: [String] = []
    func walk(_ t: TraceTemplate) {
      if let f = t.fact, read.contains(t.node), factValue(t.node).isMissing, !out.contains(f) { out.append(f) }
      t.children.forEach(walk)
    }
    rule.whenTrace.map(walk)
    walk(rule.trace)
    return out
  }

  private func factValue(_ n: Int) -> Value {
    guard case .fact(let root, let path) = book.nodes[n].op else { return .missing }
    return readFact(root, path)
  }

  // MARK: Values

  private func truth(_ v: Value) -> Bool? {
    if case .bool(let b) = v { return b }
    return nil
  }

  /// Kleene conjunction: false wins over missing. `rhs` is only evaluated when `lhs` is not false.
  private func kleeneAnd(_ lhs: Value, _ rhs: () -> Value) -> Value {
    let l = truth(lhs)
    if l == false { return .bool(false) }
    let r = truth(rhs())
    if r == false { return .bool(false) }
    return l == true && r == true ? .bool(true) : .missing
  }

  /// Kleene disjunction: true wins over missing.
  private func kleeneOr(_ lhs: Value, _ rhs: () -> Value) -> Value {
    let l = truth(lhs)
    if l == true { return .bool(true) }
    let r = truth(rhs())
    if r == true { return .bool(true) }
    return l == false && r == false ? .bool(false) : .missing
  }

  private func fail(_ node: Int, _ error: ArithmeticError) -> Value {
    if !failures.contains(where: { $0.node == node && $0.error == error }) { failures.append((node, error)) }
    return .missing
  }

  private func readFact(_ root: Int, _ path: [Int]) -> Value {
    var v = root < facts.count ? facts[root] : Value.missing
    for p in path {
      guard case .record(let fields) = v, p < fields.count else { return .missing }
      v = fields[p]
    }
    return v
  }

  private func withItem<T>(_ level: Int, _ item: Value, _ body: () -> T) -> T {
    while frames.count <= level { frames.append(.missing) }
    let saved = frames[level]
    frames[level] = item
    defer { frames[level] = saved }
    return body()
  }

  /// The value of node `n`, computed afresh.
  func eval(_ n: Int) -> Value { compute(n) }

  private func compute(_ n: Int) -> Value {
    let op = book.nodes[n].op
    reached.insert(Self.opKind(op))
    switch op {
    case .constant(let v):
      return v
    case .fact(let root, let path):
      readByRule.insert(n)
      return readFact(root, path)
    case .today:
      return .date(today)
    case .item(let level):
      return level < frames.count ? frames[level] : .missing
    case .field(let x, let f):
      guard case .record(let fields) = eval(x), f < fields.count else { return .missing }
      return fields[f]
    case .projection(let x, let f):
      guard case .list(let items) = eval(x) else { return .missing }
      return .list(items.map { item in
        guard case .record(let fields) = item, f < fields.count else { return .missing }
        return fields[f]
      })
    case .index(let x, let i):
      let list = eval(x)
      let position = eval(i)
      guard case .list(let items) = list, case .number(let k) = position, let k = k.intValue, items.indices.contains(k) else {
        return .missing
      }
      return items[k]
    case .not(let x):
      return truth(eval(x)).map { .bool(!$0) } ?? .missing
    case .negate(let x):
      switch eval(x) {
      case .number(let v): return .number(v.negated)
      case .money(let v): return .money(v.negated)
      case .duration(let v): return .duration(v.negated)
      default: return .missing
      }
    case .and(let x, let y):
      return kleeneAnd(eval(x)) { eval(y) }
    case .or(let x, let y):
      return kleeneOr(eval(x)) { eval(y) }
    case .compare(let op, let x, let y):
      let a = eval(x)
      let b = eval(y)
      return compare(op, a, b, node: n)
    case .arithmetic(let op, let x, let y):
      let a = eval(x)
      let b = eval(y)
      return arithmetic(op, a, b, node: n)
    case .coalesce(let x, let y):
      let a = eval(x)
      return a.isMissing ? eval(y) : a
    case .member(let x, let xs, let negated):
      let a = eval(x)
      let list = eval(xs)
      guard !a.isMissing, case .list(let items) = list, let found = Self.member(a, items) else { return .missing }
      return .bool(found != negated)
    case .between(let x, let lo, let hi, let negated):
      let a = eval(x)
      let low = eval(lo)
      let high = eval(hi)
      guard let above = truth(compare(.ge, a, low, node: n)), let below = truth(compare(.le, a, high, node: n)) else { return .missing }
      return .bool((above && below) != negated)
    case .presence(let x, let missing):
      return .bool(eval(x).isMissing == missing)
    case .conditional(let c, let yes, let no):
      guard let b = truth(eval(c)) else { return .missing }
      return eval(b ? yes : no)
    case .filter(let xs, let body, let level):
      guard case .list(let items) = eval(xs) else { return .missing }
      var kept: [Value] = []
      for item in items {
        switch truth(withItem(level, item) { eval(body) }) {
        case true?: kept.append(item)
        case false?: continue
        case nil: return .missing
        }
      }
      return .list(kept)
    case .quantifier(let q, let xs, let body, let level):
      guard case .list(let items) = eval(xs) else { return .missing }
      return quantify(q, items) { item in withItem(level, item) { truth(eval(body)) } }
    case .list(let xs):
      return .list(xs.map { eval($0) })
    case .contains(let x, let y), .containsAny(let x, let y), .containsAll(let x, let y), .startsWith(let x, let y):
      return textOrListTest(op, x, y, node: n)
    case .matches(let x, let source):
      guard case .text(let s) = eval(x) else { return .missing }
      guard case .ok(let p) = pattern(source) else { return fail(n, .invalidOperands) }
      return .bool(p.matches(s))
    case .call(let f, let args, let level):
      reached.insert("call.\(f.rawValue)")
      return call(f, args, level: level, node: n)
    case .table(let t):
      return table(t, node: n)
    case .appliedTable(let t, let item, let level):
      let v = eval(item)
      if v.isMissing { return .missing }
      return withItem(level, v) { table(t, node: n) }
    }
  }

  /// The name an op is counted under for coverage.
  static func opKind(_ op: Op) -> String {
    switch op {
    case .constant: "constant"
    case .fact: "fact"
    case .today: "today"
    case .item: "item"
    case .field: "field"
    case .projection: "projection"
    case .index: "index"
    case .not: "not"
    case .negate: "negate"
    case .and: "and"
    case .or: "or"
    case .compare(let op, _, _): "compare \(op.rawValue)"
    case .arithmetic(let op, _, _): "arithmetic \(op.rawValue)"
    case .coalesce: "coalesce"
    case .member(_, _, let negated): negated ? "member not in" : "member in"
    case .between(_, _, _, let negated): negated ? "between negated" : "between"
    case .presence(_, let missing): missing ? "presence is missing" : "presence is present"
    case .conditional: "conditional"
    case .filter: "filter"
    case .quantifier(let q, _, _, _): "quantifier \(q.rawValue)"
    case .list: "list"
    case .contains: "contains"
    case .containsAny: "containsAny"
    case .containsAll: "containsAll"
    case .startsWith: "startsWith"
    case .matches: "matches"
    case .call: "call"
    case .table: "table"
    case .appliedTable: "appliedTable"
    }
  }

  /// Every name `opKind`, builtins, hit policies, aggregates and cells can be counted under.
  static var allKinds: [String] {
    let ops = [
      "constant", "fact", "today", "item", "field", "projection", "index", "not", "negate", "and", "or", "coalesce",
      "member in", "member not in", "between", "between negated", "presence is missing", "presence is present",
      "conditional", "filter", "quantifier any", "quantifier all", "quantifier none", "list", "contains", "containsAny",
      "containsAll", "startsWith", "matches", "call", "table", "appliedTable",
    ]
    let compares = ["==", "!=", "<", "<=", ">", ">="].map { "compare \($0)" }
    let arithmetic = ["+", "-", "*", "/", "%"].map { "arithmetic \($0)" }
    let calls = Builtin.allCases.map { "call.\($0.rawValue)" }
    let hits = HitPolicy.allCases.map { "hit.\($0.rawValue)" }
    let aggregates = Aggregate.allCases.map { "aggregate.\($0.rawValue)" }
    let cells = ["cell any", "cell equals", "cell compare", "cell range", "cell anyOf", "cell not", "table outputs"]
    return ops + compares + arithmetic + calls + hits + aggregates + cells
  }

  private func pattern(_ source: String) -> Result_<Pattern> {
    if let p = patterns[source] { return p }
    let p: Result_<Pattern>
    switch Pattern.compile(source) {
    case .success(let compiled): p = .ok(compiled)
    case .failure: p = .bad
    }
    patterns[source] = p
    return p
  }

  /// `any` is true at the first true item, `all` false at the first false one, `none` the
  /// negation of `any`; otherwise a missing item leaves the answer missing.
  private func quantify(_ q: Quantifier, _ items: [Value], _ body: (Value) -> Bool?) -> Value {
    let lookingFor = q != .all
    var sawMissing = false
    for item in items {
      guard let t = body(item) else {
        sawMissing = true
        continue
      }
      if t == lookingFor { return .bool(q == .any) }
    }
    return sawMissing ? .missing : .bool(q != .any)
  }

  // MARK: Comparison and arithmetic

  /// -1, 0, 1 when the values can be ordered; the failure otherwise.
  private static func ordering(_ a: Value, _ b: Value) -> Swift.Result<Int, ArithmeticError> {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (y < x ? 1 : 0) }
    switch (a, b) {
    case (.number(let x), .number(let y)): return .success(sign(x, y))
    case (.money(let x), .money(let y)):
      return x.currency == y.currency ? .success(sign(x.amount, y.amount)) : .failure(.currencyMismatch(x.currency, y.currency))
    // A zero (the sum of nothing) has no currency and orders with any amount.
    case (.number(let x), .money(let y)) where x == .zero: return .success(sign(x, y.amount))
    case (.money(let x), .number(let y)) where y == .zero: return .success(sign(x.amount, y))
    case (.date(let x), .date(let y)): return .success(sign(x, y))
    case (.datetime(let x), .datetime(let y)): return .success(sign(x, y))
    case (.duration(let x), .duration(let y)):
      do { return .success(try x.compare(y)) } catch { return .failure(.incomparable) }
    case (.text(let x), .text(let y)): return .success(sign(x, y))
    case (.enumCase(let x), .enumCase(let y)): return .success(sign(x, y))
    case (.bool(let x), .bool(let y)): return .success(x == y ? 0 : (x ? 1 : -1))
    default: return .failure(.invalidOperands)
    }
  }

  /// Equality, nil when a side is missing; values that cannot be ordered are equal when identical.
  static func equal(_ a: Value, _ b: Value) -> Bool? {
    if a.isMissing || b.isMissing { return nil }
    if case .success(let c) = ordering(a, b) { return c == 0 }
    return a == b
  }

  /// Kleene membership: true when an item is equal, missing when none is but one is unknown.
  static func member(_ x: Value, _ items: [Value]) -> Bool? {
    var unknown = false
    for y in items {
      switch equal(x, y) {
      case true?: return true
      case nil: unknown = true
      case false?: break
      }
    }
    return unknown ? nil : false
  }

  private func compare(_ op: BinaryOp, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    switch op {
    case .eq, .ne:
      if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency {
        return fail(node, .currencyMismatch(x.currency, y.currency))
      }
      return Self.equal(a, b).map { .bool($0 == (op == .eq)) } ?? .missing
    case .lt, .le, .gt, .ge:
      switch Self.ordering(a, b) {
      case .failure(let e): return fail(node, e)
      case .success(let c):
        switch op {
        case .lt: return .bool(c < 0)
        case .le: return .bool(c <= 0)
        case .gt: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
      }
    default:
      return .missing
    }
  }

  private func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value, node: Int) -> Value {
    if a.isMissing || b.isMissing { return .missing }
    do throws(ArithmeticError) {
      switch (a, b) {
      case (.number(let x), .number(let y)):
        switch op {
        case .add: return .number(try x.adding(y))
        case .sub: return .number(try x.subtracting(y))
        case .mul: return .number(try x.multiplied(by: y))
        case .div: return .number(try x.divided(by: y))
        case .rem: return .number(try x.remainder(dividingBy: y))
        default: break
        }
      case (.money(let x), .money(let y)):
        switch op {
        case .add: return .money(try x.adding(y))
        case .sub: return .money(try x.subtracting(y))
        case .div: return .number(try x.ratio(to: y))
        default: break
        }
      case (.money(let x), .number(let y)):
        switch op {
        case .add where y == .zero, .sub where y == .zero: return .money(x)
        case .mul: return .money(try x.multiplied(by: y))
        case .div: return .money(try x.divided(by: y))
        default: break
        }
      case (.number(let x), .money(let y)):
        switch op {
        case .add where x == .zero: return .money(y)
        case .mul: return .money(try y.multiplied(by: x))
        default: break
        }
      case (.date(let d), .duration(let s)):
        if op == .add { return .date(try d.adding(s)) }
        if op == .sub { return .date(try d.adding(s.negated)) }
      case (.duration(let s), .date(let d)):
        if op == .add { return .date(try d.adding(s)) }
      case (.datetime(let d), .duration(let s)):
        if op == .add { return .datetime(try d.adding(s)) }
        if op == .sub { return .datetime(try d.adding(s.negated)) }
      case (.date(let x), .date(let y)):
        if op == .sub { return .duration(TimeSpan(seconds: Int64(y.days(to: x)) * 86_400)) }
      case (.datetime(let x), .datetime(let y)):
        if op == .sub {
          let (s, overflow) = x.seconds.subtractingReportingOverflow(y.seconds)
          return overflow ? fail(node, .overflow) : .duration(TimeSpan(seconds: s))
        }
      case (.duration(let x), .duration(let y)):
        if op == .add { return .duration(try x.adding(y)) }
        if op == .sub { return .duration(try x.subtracting(y)) }
      case (.duration(let x), .number(let k)), (.number(let k), .duration(let x)):
        if op == .mul {
          guard let k = k.intValue else { return fail(node, .overflow) }
          return .duration(try x.multiplied(by: k))
        }
      case (.text(let x), .text(let y)):
        if op == .add { return .text(x + y) }
      default:
        break
      }
      return fail(node, .invalidOperands)
    } catch {
      return fail(node, error)
    }
  }

  // MARK: Text and list tests

  private func textOrListTest(_ op: Op, _ x: Int, _ y: Int, node: Int) -> Value {
    let a = eval(x)
    let b = eval(y)
    if a.isMissing { return .missing }
    if case .text(let s) = a {
      if case .startsWith = op {
        guard case .text(let t) = b else { return .missing }
        return .bool(s.hasPrefix(t))
      }
      // Words are found in normalized copy (the Wording domain): every term for `contains all`,
      // any term otherwise.
      guard let terms = Self.words(b) else { return .missing }
      let copy = NormalizedText(s)
      if case .containsAll = op { return .bool(terms.allSatisfy { !WordMatcher([$0]).find(in: copy).isEmpty }) }
      return .bool(!WordMatcher(terms).find(in: copy).isEmpty)
    }
    if b.isMissing { return .missing }
    guard case .list(let items) = a else { return .missing }
    switch op {
    case .contains:
      return Self.member(b, items).map { .bool($0) } ?? .missing
    case .containsAny, .containsAll:
      guard case .list(let wanted) = b else { return .missing }
      // Kleene `or` (any) or `and` (all) over each wanted item's membership.
      var verdict: Value = .bool(op.isContainsAll)
      for w in wanted {
        let m: Value = Self.member(w, items).map { .bool($0) } ?? .missing
        verdict = op.isContainsAll ? kleeneAnd(verdict) { m } : kleeneOr(verdict) { m }
      }
      return verdict
    default:
      return .missing
    }
  }

  /// The words of a text test or `near`: a text, or the texts of a list.
  static func words(_ v: Value) -> [String]? {
    switch v {
    case .text(let t): return [t]
    case .list(let items): return items.compactMap { if case .text(let t) = $0 { t } else { nil } }
    default: return nil
    }
  }

  // MARK: Builtins

  private func call(_ f: Builtin, _ argNodes: [Int], level: Int, node: Int) -> Value {
    if f == .window || f == .perDay {
      guard let groups = groups(f, argNodes, level: level, node: node) else { return .missing }
      return .list(groups.map { .list($0) })
    }
    let args = argNodes.map { eval($0) }
    if f != .min && f != .max, args.contains(where: \.isMissing) { return .missing }
    do throws(ArithmeticError) {
      switch f {
      case .count:
        guard case .list(let xs) = args[0] else { return .missing }
        return .number(Fixed(xs.count))
      case .distinct:
        guard case .list(let xs) = args[0] else { return .missing }
        var out: [Value] = []
        for x in xs {
          if x.isMissing { return .missing }
          if !out.contains(where: { Self.equal($0, x) == true || $0 == x }) { out.append(x) }
        }
        return .list(out)
      case .sum:
        guard case .list(let xs) = args[0] else { return .missing }
        return try total(xs)
      case .avg:
        guard case .list(let xs) = args[0], !xs.isEmpty else { return .missing }
        let n = xs.count
        switch try total(xs) {
        case .number(let s): return .number(try s.divided(by: Fixed(n)))
        case .money(let m): return .money(try m.divided(by: Fixed(n)))
        case .duration(let d): return .duration(TimeSpan(months: d.months / Int32(n), seconds: d.seconds / Int64(n)))
        default: return .missing
        }
      case .min, .max:
        var items = args
        if args.count == 1, case .list(let xs) = args[0] { items = xs }
        guard let first = items.first, !items.contains(where: \.isMissing) else { return .missing }
        var best = first
        for x in items.dropFirst() {
          guard case .success(let c) = Self.ordering(x, best) else { return fail(node, .invalidOperands) }
          if f == .min ? c < 0 : c > 0 { best = x }
        }
        return best
      case .abs:
        switch args[0] {
        case .number(let v): return .number(v.magnitude)
        case .money(let m): return .money(Money(m.amount.magnitude, m.currency))
        case .duration(let d): return .duration(d.months < 0 || d.seconds < 0 ? d.negated : d)
        default: return .missing
        }
      case .round:
        guard case .number(let p) = args[1], let places = p.intValue else { return .missing }
        switch args[0] {
        case .number(let v): return .number(try v.rounded(places: places))
        case .money(let m): return .money(Money(try m.amount.rounded(places: places), m.currency))
        default: return .missing
        }
      case .age:
        guard case .date(let born) = args[0] else { return .missing }
        return .number(Fixed(born.age(on: today)))
      case .daysBetween:
        switch (args[0], args[1]) {
        case (.date(let a), .date(let b)): return .number(Fixed(a.days(to: b)))
        case (.datetime(let a), .datetime(let b)):
          return .number(Fixed(b.date(inOffset: 0).daysSinceEpoch - a.date(inOffset: 0).daysSinceEpoch))
        default: return .missing
        }
      case .lower, .upper, .length:
        guard case .text(let s) = args[0] else { return .missing }
        switch f {
        case .lower: return .text(s.lowercased())
        case .upper: return .text(s.uppercased())
        default: return .number(Fixed(s.unicodeScalars.count))
        }
      case .apr, .irr, .effectiveRate:
        guard case .list(let rows) = args[0] else { return .missing }
        var flows: [(date: CivilDate, amount: Fixed)] = []
        for row in rows {
          guard case .record(let fields) = row else { return .missing }
          var date: CivilDate?
          var amount: Fixed?
          for field in fields {
            if case .date(let d) = field { date = d }
            if case .money(let m) = field { amount = m.amount }
          }
          guard let date, let amount else { return .missing }
          flows.append((date, amount))
        }
        switch f == .apr ? Finance.apr(flows) : Finance.effectiveRate(flows) {
        case .success(let r): return .number(r)
        case .failure(let e): return fail(node, .finance(e.message))
        }
      case .pmt:
        guard case .number(let r) = args[0], case .number(let n) = args[1], let periods = n.intValue, case .money(let p) = args[2] else {
          return .missing
        }
        switch Finance.pmt(rate: r, periods: periods, principal: p.amount) {
        case .success(let x): return .money(Money(x, p.currency))
        case .failure(let e): return fail(node, .finance(e.message))
        }
      case .similarity:
        guard case .text(let a) = args[0], case .text(let b) = args[1] else { return .missing }
        return .number(Screening.similarity(a, b))
      case .bestMatch:
        guard case .text(let a) = args[0], case .list(let xs) = args[1] else { return .missing }
        let names = xs.compactMap { if case .text(let s) = $0 { s } else { nil } }
        guard let m = Screening.bestMatch(a, among: names) else { return .missing }
        return .record([.text(m.name), .number(m.score)])
      case .near:
        guard case .text(let s) = args[0], let a = Self.words(args[1]), let b = Self.words(args[2]),
          case .number(let w) = args[3], let within = w.intValue
        else { return .missing }
        let found = Proximity.closest(NormalizedText(s), WordMatcher(a, negation: false), WordMatcher(b, negation: false), within: within)
        return .bool(found != nil)
      case .window, .perDay:
        return .missing
      }
    } catch {
      return fail(node, error)
    }
  }

  /// The sum of numbers, amounts or spans; zero (a plain number) for none; missing for a missing or mixed item.
  private func total(_ xs: [Value]) throws(ArithmeticError) -> Value {
    guard var acc = xs.first else { return .number(.zero) }
    if acc.isMissing { return .missing }
    for x in xs.dropFirst() {
      switch (acc, x) {
      case (.number(let a), .number(let b)): acc = .number(try a.adding(b))
      case (.money(let a), .money(let b)): acc = .money(try a.adding(b))
      case (.duration(let a), .duration(let b)): acc = .duration(try a.adding(b))
      default: return .missing
      }
    }
    return acc
  }

  /// `window(xs, span, by: .k)`: items in key order, every maximal run less than `span` apart
  /// from its first item (runs inside the previous run left out); `per_day(xs, by: .k)`: items
  /// of one calendar day (the rulebook's time zone). Plain and quadratic on purpose.
  private func groups(_ f: Builtin, _ args: [Int], level: Int, node: Int) -> [[Value]]? {
    guard case .list(let items) = eval(args[0]), let keyNode = args.last else { return nil }
    var keyed: [(key: Int64, item: Value)] = []
    for item in items {
      let key = withItem(level, item) { eval(keyNode) }
      guard let k = instant(key, perDay: f == .perDay) else { return nil }
      keyed.append((k, item))
    }
    // A stable sort: equal keys keep list order.
    keyed = keyed.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
    if f == .perDay {
      var out: [[Value]] = []
      var lastKey: Int64?
      for (k, item) in keyed {
        if k == lastKey { out[out.count - 1].append(item) } else { out.append([item]) }
        lastKey = k
      }
      return out
    }
    guard case .duration(let span) = eval(args[1]), span.months == 0, span.seconds > 0 else {
      _ = fail(node, .invalidOperands)
      return nil
    }
    var out: [[Value]] = []
    var lastEnd = -1
    for i in keyed.indices {
      var end = i
      while end < keyed.count {
        let (gap, overflow) = keyed[end].key.subtractingReportingOverflow(keyed[i].key)
        if overflow || gap >= span.seconds { break }
        end += 1
      }
      if end > lastEnd {
        out.append(keyed[i..<end].map(\.item))
        lastEnd = end
      }
    }
    return out
  }

  /// Seconds since the epoch, or the calendar day for `per_day`.
  private func instant(_ v: Value, perDay: Bool) -> Int64? {
    let day: Int64 = 86_400
    func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-(a + 1)) / b) - 1 }
    switch v {
    case .datetime(let d):
      return perDay ? Int64(d.date(inOffset: book.timezoneOffset).daysSinceEpoch) : d.seconds
    case .number(let n):
      guard let s = n.intValue else { return nil }
      let seconds = Int64(s)
      guard perDay else { return seconds }
      let (whole, rest) = seconds.quotientAndRemainder(dividingBy: day)
      return whole + floorDiv(rest + Int64(book.timezoneOffset), day)
    case .date(let d):
      if perDay { return Int64(d.daysSinceEpoch) }
      let (s, overflow) = Int64(d.daysSinceEpoch).multipliedReportingOverflow(by: day)
      return overflow ? nil : s
    default:
      return nil
    }
  }

  // MARK: Decision tables

  /// A table's value under its hit policy (docs/decision-tables.md).
  private func table(_ t: Int, node: Int) -> Value {
    let table = book.tables[t]
    reached.insert("hit.\(table.hit.rawValue)")
    if let a = table.aggregate { reached.insert("aggregate.\(a.rawValue)") }
    if table.rows.first.map({ $0.outputs.count > 1 }) == true { reached.insert("table outputs") }
    let inputs = table.inputs.map { eval($0) }
    var matched: [Int] = []
    var undecided = false
    rows: for (r, row) in table.rows.enumerated() {
      // A row is the Kleene `and` of its cells, stopping at a false one.
      var verdict: Bool? = true
      for (cell, input) in zip(row.cells, inputs) {
        switch matches(cell, input, node: node) {
        case false?:
          continue rows
        case nil: verdict = nil
        case true?: break
        }
      }
      guard verdict == true else {
        // Under `first` only an undecided row before the winner matters; elsewhere any does.
        if table.hit == .first { return .missing }
        undecided = true
        continue
      }
      matched.append(r)
      if table.hit == .first { break }
    }
    if undecided { return .missing }
    func output(_ r: Int) -> Value { result(table.rows[r].outputs) }
    switch table.hit {
    case .first:
      if let r = matched.first { return output(r) }
    case .unique:
      if matched.count > 1 { return fail(node, .ambiguousRows(table.name, matched.map { $0 + 1 })) }
      if let r = matched.first { return output(r) }
    case .any:
      let outputs = matched.map(output)
      if let first = outputs.first {
        if outputs.contains(where: { Self.equal($0, first) != true }) {
          return fail(node, .disagreeingRows(table.name, matched.map { $0 + 1 }))
        }
        return first
      }
    case .priority, .outputOrder:
      let ranks = table.priority.map { eval($0) }
      var ranked: [(rank: Int, row: Int, value: Value)] = []
      for r in matched {
        guard let first = table.rows[r].outputs.first else { return .missing }
        let v = eval(first)
        if v.isMissing { return .missing }
        guard let rank = ranks.firstIndex(where: { Self.equal(v, $0) == true }) else {
          return fail(node, .unrankedResult(table.name, v.formatted(as: book.nodes[first].type)))
        }
        ranked.append((rank, r, output(r)))
      }
      ranked.sort { ($0.rank, $0.row) < ($1.rank, $1.row) }
      if table.hit == .outputOrder { return .list(ranked.map(\.value)) }
      if let best = ranked.first { return best.value }
    case .ruleOrder:
      return .list(matched.map(output))
    case .collect:
      let outputs = matched.map(output)
      switch table.aggregate {
      case nil: return .list(outputs)
      case .count?: return .number(Fixed(outputs.count))
      case let aggregate?:
        if let folded = fold(outputs, aggregate, node: node) { return folded }
      }
    }
    if let d = table.defaultValue { return result(d) }
    if table.aggregate != nil { return .missing }
    let given = zip(table.inputs, inputs).map { "\(book.sourceText(book.nodes[$0].span)) = \($1.formatted(as: book.nodes[$0].type))" }
    return fail(node, .noRowMatches(table.name, given.joined(separator: ", ")))
  }

  /// A row's one output, or the record of its several.
  private func result(_ outputs: [Int]) -> Value {
    if outputs.count == 1, let only = outputs.first { return eval(only) }
    return .record(outputs.map { eval($0) })
  }

  /// `sum`, `min`, `max` over matching results; nil when none matched.
  private func fold(_ outputs: [Value], _ aggregate: Aggregate, node: Int) -> Value? {
    guard var acc = outputs.first else { return nil }
    if outputs.contains(where: \.isMissing) { return .missing }
    for v in outputs.dropFirst() {
      switch aggregate {
      case .sum:
        acc = arithmetic(.add, acc, v, node: node)
      case .min, .max:
        guard let less = truth(compare(.lt, v, acc, node: node)) else { return .missing }
        if less == (aggregate == .min), Self.equal(v, acc) != true { acc = v }
      case .count:
        return .number(Fixed(outputs.count))
      }
      if acc.isMissing { return .missing }
    }
    return acc
  }

  /// Whether a cell's test holds for its input; nil when it cannot be decided.
  private func matches(_ cell: CompiledTable.Cell, _ input: Value, node: Int) -> Bool? {
    switch cell {
    case .any:
      reached.insert("cell any")
      return true
    case .equals(let e):
      reached.insert("cell equals")
      return Self.equal(input, eval(e))
    case .compare(let op, let e):
      reached.insert("cell compare")
      return truth(compare(op, input, eval(e), node: node))
    case .range(let lo, let lowInclusive, let hi, let highInclusive):
      reached.insert("cell range")
      let low = eval(lo)
      guard let above = truth(compare(lowInclusive ? .ge : .gt, input, low, node: node)) else { return nil }
      let high = eval(hi)
      guard let below = truth(compare(highInclusive ? .le : .lt, input, high, node: node)) else { return nil }
      return above && below
    case .anyOf(let cells):
      reached.insert("cell anyOf")
      var verdict: Bool? = false
      for c in cells {
        switch matches(c, input, node: node) {
        case true?: return true
        case nil: verdict = nil
        case false?: break
        }
      }
      return verdict
    case .not(let c):
      reached.insert("cell not")
      return matches(c, input, node: node).map { !$0 }
    }
  }
}

extension Op {
  fileprivate var isContainsAll: Bool {
    if case .containsAll = self { return true }
    return false
  }
}
