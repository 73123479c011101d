/// What one check found for each rule, kept for the next check of the same project: a rule whose
/// text is unchanged, in a project whose declarations (everything outside the rules of every
/// rulebook: schemas, lists, definitions, tables, imports, tests) are unchanged, is typed, and
/// linted on its own, exactly as last time — so its results are taken from here, moved to the
/// rule's new place. The passes over several rules (duplicates, unused items, exceptions) run on
/// every check; the comparison of equivalent rules is kept per group of rules. `precept lsp`
/// keeps one across re-checks; `Check.project` without one computes everything.
///
/// Only results whose every span lies inside the rule's own text are kept (a note pointing at a
/// declaration is not), and none from a rule whose checking met a nesting limit (reported once per
/// declaration, so it depends on the rules before it).
public final class CheckMemo {
  typealias Key = TextKey

  /// A rule's results when its text started at `start`.
  struct Entry {
    var start: Position
    var when: Typed?
    var condition: Typed
    var message: [CheckedRule.MessagePart]
    /// What checking the rule reported, and the declarations it named.
    var diagnostics: [Diagnostic]
    var used: Set<Reference>
    /// What linting it gave, once linted.
    var lint: RuleLint?
  }

  /// The project's declarations the entries were computed under.
  private var declarations: [String] = []
  private var last: [Key: Entry] = [:]
  private var now: [Key: Entry] = [:]
  /// For each group of rules compared for equivalence (their keys, in order), each member's
  /// first earlier equivalent member.
  private var lastGroups: [[TextKey]: [Int?]] = [:]
  private var nowGroups: [[TextKey]: [Int?]] = [:]
  /// Rules whose checking was reused, and rules checked, since the memo was made.
  public private(set) var hits = 0
  public private(set) var misses = 0

  public init() {}

  /// Starts a check of `project`: what was kept is usable only under the same declarations.
  func begin(_ project: Project) {
    let d = Self.declarations(project)
    if d != declarations {
      last = [:]
      lastGroups = [:]
      declarations = d
    }
    now = [:]
    nowGroups = [:]
  }

  /// Ends a check: what it did not use is forgotten.
  func finish() {
    last = now
    lastGroups = nowGroups
    now = [:]
    nowGroups = [:]
  }

  /// Every unit's path, import links and text outside its `rules:`, in unit order.
  static func declarations(_ project: Project) -> [String] {
    var out = [project.root]
    for unit in project.units {
      let file = unit.rulebook.file
      out.append(unit.realPath + "\u{0}" + unit.imports.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
      if let r = unit.rulebook.rulesSpan {
        out.append(file.text(0, r.start.offset))
        out.append(file.text(r.end.offset, file.scalars.count))
      } else {
        out.append(file.text(0, file.scalars.count))
      }
    }
    return out
  }

  /// The key of a rule: its text.
  static func key(_ rule: Rule, _ project: Project) -> Key? {
    guard let s = rule.nodeSpan, let file = project.files[s.file] else { return nil }
    return TextKey(s, in: file)
  }

  /// The entry for `key`, moved to `start`.
  func reuse(_ key: Key, at start: Position) -> Entry? {
    guard let old = now[key] ?? last[key] else {
      misses += 1
      return nil
    }
    hits += 1
    let shift = Shift(from: old.start, to: start)
    guard !shift.isZero else {
      now[key] = old
      return old
    }
    let f = shift.apply
    var e = old
    e.start = start
    e.when = old.when?.mapSpans(f)
    e.condition = old.condition.mapSpans(f)
    e.message = old.message.map { $0.mapSpans(f) }
    e.diagnostics = old.diagnostics.map { $0.mapSpans(f) }
    e.lint = old.lint.map { $0.mapSpans(f) }
    now[key] = e
    return e
  }

  /// The entry of this check for `key`: reused or kept by the checking of the rule.
  func current(_ key: Key) -> Entry? { now[key] }

  /// Keeps a rule's results, when every span of them lies inside `span`, the rule's text.
  func keep(_ key: Key, _ entry: Entry, inside span: Span) {
    guard Self.allInside(span, entry) else { return }
    now[key] = entry
  }

  /// Adds the lint of the rule at `key`, when kept.
  func keepLint(_ key: Key, _ lint: RuleLint, inside span: Span) {
    guard var e = now[key] else { return }
    e.lint = lint
    guard Self.allInside(span, e) else { return }
    now[key] = e
  }

  func group(_ keys: [TextKey]) -> [Int?]? {
    guard let g = nowGroups[keys] ?? lastGroups[keys] else { return nil }
    nowGroups[keys] = g
    return g
  }

  func keepGroup(_ keys: [TextKey], _ firsts: [Int?]) { nowGroups[keys] = firsts }

  private static func allInside(_ span: Span, _ e: Entry) -> Bool {
    var inside = true
    let range = span.start.offset...span.end.offset
    let check: (Span) -> Span = { s in
      if s.file != span.file || !range.contains(s.start.offset) || !range.contains(s.end.offset) { inside = false }
      return s
    }
    _ = e.when?.mapSpans(check)
    _ = e.condition.mapSpans(check)
    _ = e.message.map { $0.mapSpans(check) }
    _ = e.diagnostics.map { $0.mapSpans(check) }
    _ = e.lint?.mapSpans(check)
    return inside
  }
}

/// What linting one rule on its own gives: its warnings, the facts it reads, and the keys the
/// passes over several rules compare it by.
struct RuleLint {
  /// Whether its conditions were judged (its rulebook has no errors).
  var judged: Bool
  var diagnostics: [Diagnostic]
  /// Fact paths it reads (see `Checker.factReads`).
  var reads: Set<[String]>
  /// Its `when`, verb and condition with white space squeezed out, when it has no error: two
  /// rules with the same key check the same condition as written.
  var duplicateKey: String?
  /// For the comparison of equivalent rules, the variables its conditions range over (sorted);
  /// nil when it is not compared.
  var variables: [String]?

  func mapSpans(_ f: (Span) -> Span) -> RuleLint {
    var l = self
    l.diagnostics = diagnostics.map { $0.mapSpans(f) }
    return l
  }
}

extension CheckedRule.MessagePart {
  func mapSpans(_ f: (Span) -> Span) -> CheckedRule.MessagePart {
    if case .placeholder(let t) = self { return .placeholder(t.mapSpans(f)) }
    return self
  }
}

extension Typed {
  /// The checked expression with `f` applied to every span in it.
  func mapSpans(_ f: (Span) -> Span) -> Typed {
    Typed(kind.mapSpans(f), type, f(span))
  }
}

extension TypedKind {
  func mapSpans(_ f: (Span) -> Span) -> TypedKind {
    switch self {
    case .literal, .fact, .definition, .namedList, .table, .enumCase, .today, .item, .variable, .error: self
    case .appliedTable(let r, let a): .appliedTable(r, a.mapSpans(f))
    case .member(let a, let name): .member(a.mapSpans(f), name)
    case .projection(let a, let name): .projection(a.mapSpans(f), name)
    case .index(let a, let b): .index(a.mapSpans(f), b.mapSpans(f))
    case .call(let b, let xs): .call(b, xs.map { $0.mapSpans(f) })
    case .unary(let op, let a): .unary(op, a.mapSpans(f))
    case .binary(let op, let a, let b): .binary(op, a.mapSpans(f), b.mapSpans(f))
    case .between(let x, let lo, let hi, let negated): .between(x.mapSpans(f), lo.mapSpans(f), hi.mapSpans(f), negated: negated)
    case .presence(let x, let missing): .presence(x.mapSpans(f), missing: missing)
    case .conditional(let c, let y, let n): .conditional(c.mapSpans(f), y.mapSpans(f), n.mapSpans(f))
    case .filter(let xs, let c): .filter(xs.mapSpans(f), c.mapSpans(f))
    case .quantifier(let q, let v, let xs, let body): .quantifier(q, v, xs.mapSpans(f), body.mapSpans(f))
    case .list(let xs): .list(xs.map { $0.mapSpans(f) })
    }
  }
}
