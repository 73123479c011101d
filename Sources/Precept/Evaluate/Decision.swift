/// A rule's status in a decision.
public enum RuleStatus: String, Sendable, Hashable, Codable, CaseIterable {
  case passed, violated, unknown
  case notApplicable = "not_applicable"
  case overridden
  /// Violated, but a waiver valid on the evaluation date covers these facts: listed, not counted.
  case waived

  /// Position in `allCases`, for tables indexed by status.
  var index: UInt8 {
    switch self {
    case .passed: 0
    case .violated: 1
    case .unknown: 2
    case .notApplicable: 3
    case .overridden: 4
    case .waived: 5
    }
  }
}

/// The verdict of a decision, least severe first: the worst severity among violated rules,
/// and at least `review` for a rule whose verdict is unknown.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case pass, info, warning, review, block

  /// Orders outcomes from `pass` to `block`.
  public static func < (a: Outcome, b: Outcome) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }

  init(_ s: Severity) {
    switch s {
    case .info: self = .info
    case .warning: self = .warning
    case .review: self = .review
    case .block: self = .block
    }
  }

  /// What a rule of `severity` that came to `status` contributes: its severity when violated, at
  /// least `review` when unknown (someone must look), nothing otherwise.
  public init(_ status: RuleStatus, severity: Severity) {
    switch status {
    case .violated: self = Outcome(severity)
    case .unknown: self = Swift.max(Outcome(severity), .review)
    default: self = .pass
    }
  }
}

/// What one rule came to, and why.
public struct RuleResult: Sendable {
  /// The rule, with its id, severity, owner, category, citation and source.
  public let rule: CompiledRule
  /// Whether the rule passed, was violated, was unknown, did not apply or was set aside.
  public let status: RuleStatus
  /// The rule's message with its placeholders filled, for violated and unknown rules.
  public let message: String?
  /// Why the rule did not apply, was unknown or was set aside, in words.
  public let reason: String?
  /// The id of the rule that set this one aside.
  public let overriddenBy: String?
  /// Fact paths whose absence left the verdict unknown.
  public let missing: [String]
  /// The condition's evaluation, when a trace was asked for.
  public let trace: Trace?
  /// The `when:` condition's evaluation, when a trace was asked for and the rule has one.
  public let whenTrace: Trace?
  /// When counterfactuals were asked for: what would make a violated or unknown rule pass (empty
  /// when nothing can be read off its condition); nil otherwise.
  public var fixes: [Fix]? = nil
  /// The waiver that covers a `waived` rule.
  public var waiver: Waiver? = nil

  /// What this rule contributes to the outcome.
  public var outcome: Outcome { Outcome(status, severity: rule.severity) }
}

/// Where a text test found a word: the span of the original copy and, inside `any`/`all`/`none`/`where`, which
/// item of which list the copy belongs to.
public struct TextMatch: Sendable, Hashable {
  /// The words as written, and their scalar offsets in the copy.
  public let span: TextSpan
  /// The item's position in the list (from 0), when the match was made inside a loop.
  public let item: Int?
  /// The list as written (`product.marketing`), when the match was made inside a loop.
  public let list: String?
  /// The item's `channel` field, when it is a record that has one (marketing copy).
  public let channel: String?

  public init(span: TextSpan, item: Int? = nil, list: String? = nil, channel: String? = nil) {
    self.span = span
    self.item = item
    self.list = list
    self.channel = channel
  }
}

/// One sub-expression of a rule's condition and the value it had.
public struct Trace: Sendable {
  /// Lists in a trace's values show this many items and their length (a month of transactions
  /// would otherwise be printed in full at every step that reads it).
  public static let listItems = 20
  /// The sub-expression as written.
  public let expression: String
  /// What evaluation gave it, kept as computed and shown (as text or JSON) only when asked.
  let shown: Shown
  /// The fact path, when the sub-expression reads a fact directly.
  public let fact: String?
  /// The definition's name, when the sub-expression names one.
  public let definition: String?
  /// For `any`/`all`/`none`: the position (from 0) of the item that decided it.
  public let decidingItem: Int?
  /// That item's value (a transaction, a 24-hour group of them) and its type: the evidence a
  /// reviewer reads first.
  let deciding: (value: Value, type: ValueType)?
  /// When the sub-expression names a decision table: the table and the rows its value came from.
  public let table: TableChoice?
  /// Where words were found in the copy (spans of the original text); inside a loop, with the item of each.
  public let matches: [TextMatch]
  /// The sub-expressions that decided this one's value.
  public let children: [Trace]

  /// A trace node's value as evaluation left it.
  enum Shown: Sendable {
    /// Evaluation never needed it (short-circuited).
    case notEvaluated
    case value(Value, ValueType)
    /// `window`/`per_day` groups under a quantifier, built one at a time and never kept: how many there were.
    case groups(Int)
  }

  init(expression: String, shown: Shown, fact: String?, definition: String?, decidingItem: Int?, deciding: (value: Value, type: ValueType)?,
       table: TableChoice?, matches: [TextMatch], children: [Trace]) {
    self.expression = expression
    self.shown = shown
    self.fact = fact
    self.definition = definition
    self.decidingItem = decidingItem
    self.deciding = deciding
    self.table = table
    self.matches = matches
    self.children = children
  }

  /// Its value, as a reviewer reads it (lists cut after `listItems`); nil when evaluation never
  /// needed it (short-circuited).
  public var value: String? {
    switch shown {
    case .notEvaluated: nil
    case .value(let v, let type): v.formatted(as: type, items: Trace.listItems)
    case .groups(let n): "[… \(n) groups in all]"
    }
  }

  /// Whether evaluation needed its value (false when short-circuited).
  public var evaluated: Bool {
    if case .notEvaluated = shown { return false }
    return true
  }

  /// Its value as JSON for the decision's `trace`; nil when evaluation never needed it.
  public var json: JSON? {
    guard evaluated else { return nil }
    return JSONBuilder.build { writeValue(into: &$0) }
  }

  /// `json` (or `null`), written into a sink.
  func writeValue<S: JSONSink>(into s: inout S) {
    switch shown {
    case .notEvaluated: s.null()
    case .value(let v, let type): v.write(as: type, items: Trace.listItems, into: &s)
    case .groups(let n):
      s.beginObject()
      s.key("first")
      s.beginArray()
      s.endArray()
      s.key("count")
      s.int(n)
      s.endObject()
    }
  }

  /// The deciding item's value (`decidingItem`) as a reviewer reads it, lists cut as in `value`
  /// (the JSON of a decision writes it as `item_value`).
  public var decidingText: String? {
    deciding.map { $0.value.formatted(as: $0.type, items: Trace.listItems) }
  }

  /// Every fact this trace read, with its value, in order of appearance and without repeats.
  public var facts: [(path: String, value: String)] {
    var seen: Set<String> = []
    var out: [(String, String)] = []
    func walk(_ t: Trace) {
      if let f = t.fact, seen.insert(f).inserted { out.append((f, t.value ?? "not read")) }
      t.children.forEach(walk)
    }
    walk(self)
    return out
  }
}

/// Which rows of a decision table gave its value, for a trace.
public struct TableChoice: Sendable {
  /// The table's name.
  public let name: String
  /// The rows (from 1) whose results make the value, in the order used; empty when no row matched
  /// and the value is the table's `default`; nil when the table's value could not be decided.
  public let rows: [Int]?
  /// Where each of `rows` is written.
  public let sources: [Span]

  /// The choice in words: "row 2 (file:line:col)", "its default", "no row decided".
  public var description: String {
    guard let rows else { return "table `\(name)`: no row decided" }
    if rows.isEmpty { return "table `\(name)`: no row matched, its `default`" }
    let each = zip(rows, sources).map { "\($0) at \($1.description)" }
    return "table `\(name)`: row\(rows.count == 1 ? "" : "s") " + each.joined(separator: ", ")
  }
}

/// The result of evaluating one rulebook over one set of facts.
public struct Decision: Sendable {
  /// The rulebook that was evaluated (its id, version and digest identify the decision's rules).
  public let rulebook: CompiledRulebook
  /// The evaluation date: `today` in the rules, and the date rules' effective dates are tested against.
  public let asOf: CivilDate
  /// The lifecycle stage evaluated at; nil when every stage's rules were evaluated.
  public let stage: Stage?
  /// Every rule's result, in the rulebook's rule order.
  public let results: [RuleResult]
  /// Waivers for these facts that could not be applied: of a rule that does not exist, approved
  /// by a department that does not own the rule, or not in force on the evaluation date.
  public var waiverFindings: [String] = []

  /// The verdict: the worst outcome among the results (`pass` when nothing was violated or unknown).
  public var outcome: Outcome {
    // By index: a `RuleResult` is large, and iterating the array copies each one.
    var worst = Outcome.pass
    for i in results.indices { worst = Swift.max(worst, results[i].outcome) }
    return worst
  }

  /// The same decision showing only some of its results (`precept trace --rule`).
  public init(filtering d: Decision, to results: [RuleResult]) {
    self.init(rulebook: d.rulebook, asOf: d.asOf, stage: d.stage, results: results)
    waiverFindings = d.waiverFindings
  }

  /// A decision as a log recorded it: each rule's status and message (and, where given, the
  /// reason to show for it), under the very rulebook that made it — no traces, missing facts or
  /// fixes. Nil unless `recorded` names every rule of `rulebook` once, in its order.
  public init?(
    rulebook: CompiledRulebook, asOf: CivilDate, stage: Stage?,
    recorded: [(rule: String, status: RuleStatus, message: String?, reason: String?)]
  ) {
    guard recorded.count == rulebook.rules.count else { return nil }
    var results: [RuleResult] = []
    for (rule, r) in zip(rulebook.rules, recorded) {
      guard rule.id == r.rule else { return nil }
      results.append(RuleResult(
        rule: rule, status: r.status, message: r.message, reason: r.reason, overriddenBy: nil, missing: [], trace: nil, whenTrace: nil))
    }
    self.init(rulebook: rulebook, asOf: asOf, stage: stage, results: results)
  }

  init(rulebook: CompiledRulebook, asOf: CivilDate, stage: Stage?, results: [RuleResult]) {
    self.rulebook = rulebook
    self.asOf = asOf
    self.stage = stage
    self.results = results
  }

  /// The sign-off view: each department's verdict, by department name.
  public var byOwner: [(name: String, outcome: Outcome)] { grouped { results[$0].rule.owner ?? "unassigned" } }
  /// Each category's verdict (eligibility, disclosure, …).
  public var byCategory: [(name: String, outcome: Outcome)] { grouped { results[$0].rule.category ?? "uncategorized" } }

  /// The worst outcome under each key of the results (`key` reads result `i`: no result is copied).
  private func grouped(_ key: (Int) -> String) -> [(name: String, outcome: Outcome)] {
    var worst: [String: Outcome] = [:]
    for i in results.indices {
      let k = key(i)
      worst[k] = Swift.max(worst[k] ?? .pass, results[i].outcome)
    }
    return worst.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Results with a given status, in rule order.
  public func rules(_ status: RuleStatus) -> [RuleResult] { results.filter { $0.status == status } }
}
