/// What would change a verdict: for a violated rule, the smallest changes to the facts that would
/// make it pass, read off the rule's condition and the values this evaluation computed (not found
/// by search): a comparison of a fact with a value gives the boundary (`product.pricing.apr` at
/// least 38.57%), a membership the allowed cases, a wording rule the words to remove from each
/// piece of copy, a missing fact that it be supplied; `and` needs a fix for each false part, `or`
/// the cheapest part. For an unknown rule, the missing facts to supply. A condition of another
/// shape gives no fix rather than a guess.
public struct Fix: Sendable, Equatable {
  public enum Op: String, Sendable {
    case atLeast = "at_least"
    case atMost = "at_most"
    case set
    /// Remove these words from a text, or these items from a list.
    case removeWords = "remove_words"
    case supply
  }

  /// The fact to change (`product.pricing.apr`, `product.marketing[0].copy`).
  public var path: String
  public var op: Op
  /// The bound, the value to set (a list, for a fact that is not a list: one of its items), or
  /// the words (or list items) to remove; nil for `supply`.
  public var value: Value?
  /// The value's type.
  public var type: ValueType
  /// The piece of copy's channel, for wording fixes.
  public var channel: String?

  /// The fix in words: "product.pricing.apr at least 38.57%".
  public var text: String {
    let shown = value.map { $0.formatted(as: type) } ?? ""
    let phrase: String
    switch op {
    case .atLeast: phrase = "at least \(shown)"
    case .atMost: phrase = "at most \(shown)"
    case .set:
      if case .list = value { phrase = "set to one of \(shown)" } else { phrase = "set to \(shown)" }
    case .removeWords: phrase = "remove \(shown)"
    case .supply: phrase = "supply it"
    }
    return "\(path): \(phrase)" + (channel.map { " (\($0))" } ?? "")
  }

  /// What is said when no fix can be read off a rule's condition.
  public static let noneReadable = "no single change to the facts can be read off this condition"

  /// The fixes of one rule in one line: each fix's text, or `noneReadable`.
  public static func line(_ fixes: [Fix]) -> String {
    fixes.isEmpty ? noneReadable : fixes.map(\.text).joined(separator: "; ")
  }

  /// The fix as JSON: `{"path", "op", "value"?, "channel"?}`.
  public var json: JSON {
    var fields: [(String, JSON)] = [("path", .string(path)), ("op", .string(op.rawValue))]
    if let value { fields.append(("value", value.json(as: type))) }
    if let channel { fields.append(("channel", .string(channel))) }
    return .object(fields)
  }
}

extension Fix {
  /// Applies the fix to facts (values of `roots`, in order), as a program that acts on it would:
  /// a bound or a value is set (a list of choices, for a fact that is not a list: its first
  /// item); words are removed from a text, items from a list; `supply` cannot be applied. False
  /// when the path leads nowhere in the facts.
  public func apply(to facts: inout [Value], roots: [Field]) -> Bool {
    let steps = Fix.steps(path)
    guard let first = steps.first, let r = roots.firstIndex(where: { $0.name == first.name }), r < facts.count else { return false }
    return Fix.update(&facts[r], type: roots[r].type, steps.dropFirst()) { current, type in
      switch op {
      case .atLeast, .atMost, .set:
        guard let v = value else { return false }
        if case .list(let items) = v, type.unwrapped.element == nil {
          guard let one = items.first else { return false }
          current = one
        } else {
          current = v
        }
      case .removeWords:
        guard case .list(let words)? = value else { return false }
        switch current {
        case .text(let s):
          var t = s
          for case .text(let w) in words { t = t.replacing(w, with: "") }
          current = .text(t)
        case .list(let items): current = .list(items.filter { !words.contains($0) })
        default: return false
        }
      case .supply:
        return false
      }
      return true
    }
  }

  /// `product.marketing[0].copy` → (product, nil), (marketing, 0), (copy, nil).
  static func steps(_ path: String) -> [(name: String, index: Int?)] {
    path.split(separator: ".").map { part in
      guard let open = part.firstIndex(of: "["), let close = part.firstIndex(of: "]"), let i = Int(part[part.index(after: open)..<close]) else {
        return (String(part), nil)
      }
      return (String(part[..<open]), i)
    }
  }

  private static func update(
    _ v: inout Value, type: ValueType, _ path: ArraySlice<(name: String, index: Int?)>, _ change: (inout Value, ValueType) -> Bool
  ) -> Bool {
    guard let step = path.first else { return change(&v, type) }
    guard case .record(let r) = type.unwrapped, let k = r.fields.firstIndex(where: { $0.name == step.name }),
      case .record(var fields) = v, k < fields.count
    else { return false }
    var field = fields[k]
    let ok: Bool
    if let i = step.index {
      guard case .list(var items) = field, items.indices.contains(i), let element = r.fields[k].type.element else { return false }
      ok = update(&items[i], type: element, path.dropFirst(), change)
      field = .list(items)
    } else {
      ok = update(&field, type: r.fields[k].type, path.dropFirst(), change)
    }
    fields[k] = field
    v = .record(fields)
    return ok
  }
}

extension Evaluator {
  /// The fixes for a rule of the last evaluation (which recorded witnesses): nil when the rule
  /// is neither violated nor unknown, or no fix can be read off its condition.
  func fixes(_ rule: CompiledRule, status: RuleStatus, missing: [String], stage: Stage?) -> [Fix]? {
    switch status {
    case .unknown:
      guard !missing.isEmpty else { return nil }
      return missing.map { Fix(path: $0, op: .supply, value: nil, type: factType($0) ?? .error) }
    case .violated:
      exploreAll(rule.trace)
      guard let found = fix(rule.trace, want: rule.verb == .require) else { return nil }
      // Checked before it is offered: the facts with the fixes applied are decided again, and a
      // set of fixes that does not make the rule pass (the condition has a part no fix reads,
      // such as a pattern beside a word list) is no fix. A fact to supply has no value to try.
      if found.contains(where: { $0.op == .supply }) { return found }
      var changed = facts
      guard found.allSatisfy({ $0.apply(to: &changed, roots: book.roots) }) else { return nil }
      let again = Evaluator(book)
      again.run(changed, asOf: today, stage: stage)
      guard let k = book.ruleIndex[rule.id], again.statuses[k] == .passed else { return nil }
      return found
    default:
      return nil
    }
  }

  /// Every quantifier of the condition explored to its end (the run stopped at the deciding item),
  /// so a wording fix names every piece of copy that makes a claim.
  private func exploreAll(_ t: TraceTemplate) {
    if !t.matchNodes.isEmpty { exploreRest(of: t.node) }
    t.children.forEach(exploreAll)
  }

  /// Changes that make `t` evaluate to `want`; [] when it already does, nil when none can be derived.
  private func fix(_ t: TraceTemplate, want: Bool) -> [Fix]? {
    if case .bool(let b)? = computedValue(t.node), b == want { return [] }
    // A definition's template holds its expansion.
    if t.definition != nil {
      guard let inner = t.children.first else { return nil }
      return fix(inner, want: want)
    }
    if let fact = t.fact, t.type.unwrapped == .bool {
      return [Fix(path: fact, op: .set, value: .bool(want), type: .bool)]
    }
    let kids = t.children
    switch book.nodes[t.node].op {
    case .and where kids.count == 2, .or where kids.count == 2:
      var isAnd = false
      if case .and = book.nodes[t.node].op { isAnd = true }
      // Every part must change when the whole must hold (`and` true, `or` false); else the cheapest.
      if isAnd == want {
        guard let a = fix(kids[0], want: want), let b = fix(kids[1], want: want) else { return nil }
        return a + b
      }
      return cheapest(fix(kids[0], want: want), fix(kids[1], want: want))
    case .not where kids.count == 1:
      return fix(kids[0], want: !want)
    case .compare(let op, _, _) where kids.count == 2:
      return compareFix(op, kids[0], kids[1], want: want)
    case .between(_, _, _, let negated) where kids.count == 3 && want != negated:
      guard let fact = kids[0].fact, let lo = computedValue(kids[1].node), let hi = computedValue(kids[2].node), !lo.isMissing, !hi.isMissing,
        let x = computedValue(kids[0].node)
      else { return nil }
      if let below = Value.order(x, lo), below < 0 { return [Fix(path: fact, op: .atLeast, value: lo, type: kids[0].type)] }
      return [Fix(path: fact, op: .atMost, value: hi, type: kids[0].type)]
    case .member(_, _, let negated) where kids.count == 2:
      return memberFix(kids[0], kids[1], inList: want != negated)
    case .presence(_, let missing) where kids.count == 1 && want != missing:
      guard let fact = kids[0].fact else { return nil }
      return [Fix(path: fact, op: .supply, value: nil, type: kids[0].type)]
    case .quantifier(let q, _, _, _) where !t.matchNodes.isEmpty:
      // A wording rule: `any m in copy: m.copy contains any claims` must become false.
      let mustFindNone = (q == .any && !want) || (q == .none && want)
      return mustFindNone ? wordingFix(t) : nil
    case .contains, .containsAny:
      guard !want, let fact = kids.first?.fact else { return nil }
      let words = unique((matchedSpans[t.node] ?? []).map(\.text))
      return words.isEmpty ? nil : [Fix(path: fact, op: .removeWords, value: .list(words.map(Value.text)), type: .list(.text))]
    default:
      return nil
    }
  }

  /// The shorter of two fix lists, the first when equal; nil when neither exists.
  private func cheapest(_ a: [Fix]?, _ b: [Fix]?) -> [Fix]? {
    switch (a, b) {
    case (let a?, let b?): b.count < a.count ? b : a
    case (let a?, nil): a
    case (nil, let b?): b
    case (nil, nil): nil
    }
  }

  /// A fact compared with a value this evaluation knows: the bound that makes the comparison `want`.
  private func compareFix(_ op: BinaryOp, _ l: TraceTemplate, _ r: TraceTemplate, want: Bool) -> [Fix]? {
    // The fact on the left: `x op v`; on the right, the comparison read the other way round.
    let mirrored: [BinaryOp: BinaryOp] = [.lt: .gt, .le: .ge, .gt: .lt, .ge: .le, .eq: .eq, .ne: .ne]
    let (factSide, other, relation): (TraceTemplate, TraceTemplate, BinaryOp)
    if l.fact != nil {
      (factSide, other, relation) = (l, r, op)
    } else if r.fact != nil, let m = mirrored[op] {
      (factSide, other, relation) = (r, l, m)
    } else {
      return nil
    }
    guard let path = factSide.fact, let v = computedValue(other.node), !v.isMissing else { return nil }
    let negated: [BinaryOp: BinaryOp] = [.lt: .ge, .le: .gt, .gt: .le, .ge: .lt, .eq: .ne, .ne: .eq]
    guard let wanted = want ? relation : negated[relation] else { return nil }
    let type = factSide.type
    switch wanted {
    case .le: return [Fix(path: path, op: .atMost, value: v, type: type)]
    case .ge: return [Fix(path: path, op: .atLeast, value: v, type: type)]
    case .lt: return step(v, by: -1, type).map { [Fix(path: path, op: .atMost, value: $0, type: type)] }
    case .gt: return step(v, by: 1, type).map { [Fix(path: path, op: .atLeast, value: $0, type: type)] }
    case .eq: return [Fix(path: path, op: .set, value: v, type: type)]
    case .ne:
      // Another case of the enum; for other types any other value would do, which is no fix.
      guard case .enumeration(let e) = type.unwrapped, case .enumCase(let i) = v else { return nil }
      let others = e.cases.indices.filter { $0 != i }.map { Value.enumCase($0) }
      return others.isEmpty ? nil : [Fix(path: path, op: .set, value: .list(others), type: .list(type.unwrapped))]
    default: return nil
    }
  }

  /// The next value after (or before) `v` in the fact's own precision: an int by 1, a date by a
  /// day, an amount by a cent, a percent by a hundredth of a point, a decimal by 0.01.
  private func step(_ v: Value, by sign: Int, _ type: ValueType) -> Value? {
    switch (v, type.unwrapped) {
    case (.number(let n), .int): return try? .number(n.adding(Fixed(sign)))
    case (.number(let n), .percent): return (try? Fixed.parse(sign < 0 ? "-0.0001" : "0.0001").get()).flatMap { try? .number(n.adding($0)) }
    case (.number(let n), _): return (try? Fixed.parse(sign < 0 ? "-0.01" : "0.01").get()).flatMap { try? .number(n.adding($0)) }
    case (.money(let m), _):
      return (try? Fixed.parse(sign < 0 ? "-0.01" : "0.01").get()).flatMap { try? .money(m.adding(Money($0, m.currency))) }
    case (.date(let d), _): return try? .date(d.adding(days: sign))
    default: return nil
    }
  }

  /// `x in xs` made true (set x to one of the items) or false (to an enum case not among them); or,
  /// when the list is the fact (`student in product.target_segments`), made false by removing x.
  private func memberFix(_ x: TraceTemplate, _ list: TraceTemplate, inList: Bool) -> [Fix]? {
    if x.fact == nil, let path = list.fact, let v = computedValue(x.node), !v.isMissing {
      if !inList { return [Fix(path: path, op: .removeWords, value: .list([v]), type: list.type.unwrapped)] }
      // `dual_recording in product.sales_controls`: the list as it is, with the item added.
      guard case .list(let items)? = computedValue(list.node) else { return nil }
      return [Fix(path: path, op: .set, value: .list(items + [v]), type: list.type.unwrapped)]
    }
    guard let path = x.fact, case .list(let items)? = computedValue(list.node), !items.isEmpty else { return nil }
    let type = x.type.unwrapped
    if inList { return [Fix(path: path, op: .set, value: .list(items), type: .list(type))] }
    guard case .enumeration(let e) = type else { return nil }
    let allowed = e.cases.indices.filter { i in !items.contains(.enumCase(i)) }.map { Value.enumCase($0) }
    return allowed.isEmpty ? nil : [Fix(path: path, op: .set, value: .list(allowed), type: .list(type))]
  }

  /// For a quantifier over copy: the words each matching item must lose, one fix per item.
  private func wordingFix(_ t: TraceTemplate) -> [Fix]? {
    guard let items = state.pointee.loopItems[t.node], let listTemplate = t.children.first, let list = listTemplate.fact,
      case .record(let record)? = listTemplate.type.unwrapped.element?.unwrapped
    else { return nil }
    let log = state.pointee.matchLog
    let nodes = Set(t.matchNodes)
    var out: [Fix] = []
    var values: [Value] = []
    if case .list(let xs)? = computedValue(listTemplate.node) { values = xs }
    for entry in items where entry.truth == .yes {
      let found = log[entry.matches].filter { nodes.contains($0.node) }
      guard let first = found.first else { continue }
      // The text field the match was made in: the field the text test reads.
      guard let field = textField(of: first.node, in: record) else { return nil }
      var channel: String?
      if let k = record.fields.firstIndex(where: { $0.name == "channel" }), entry.item < values.count,
        case .record(let fs) = values[entry.item], k < fs.count
      {
        channel = fs[k].formatted(as: record.fields[k].type)
      }
      let words = unique(found.map(\.span.text))
      out.append(Fix(path: "\(list)[\(entry.item)].\(field)", op: .removeWords, value: .list(words.map(Value.text)), type: .list(.text), channel: channel))
    }
    return out.isEmpty ? nil : out
  }

  /// The name of the item's field a text test (`m.copy contains …`) reads.
  private func textField(of node: Int, in record: RecordType) -> String? {
    let operand: Int
    switch book.nodes[node].op {
    case .contains(let x, _), .containsAny(let x, _), .containsAll(let x, _): operand = x
    case .call(.near, let args, _): guard let first = args.first else { return nil }; operand = first
    default: return nil
    }
    guard case .field(_, let f) = book.nodes[operand].op, f < record.fields.count else { return nil }
    return record.fields[f].name
  }

  /// The type of a fact path (`product.pricing.apr`).
  private func factType(_ path: String) -> ValueType? {
    let parts = path.split(separator: ".").map(String.init)
    guard let root = parts.first, var type = book.roots.first(where: { $0.name == root })?.type else { return nil }
    for name in parts.dropFirst() {
      guard case .record(let r) = type.unwrapped, let t = r.field(name) else { return nil }
      type = t
    }
    return type
  }

  private func unique(_ xs: [String]) -> [String] {
    var seen: Set<String> = []
    return xs.filter { seen.insert($0).inserted }
  }
}
