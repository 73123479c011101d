extension Evaluator {
  /// Evaluates every rule over `facts` (values of `book.roots`, in order). Statuses land in
  /// `statuses`; nothing is allocated once the evaluator is warm (facts permitting).
  public func run(_ facts: consuming [Value], asOf: CivilDate, stage: Stage? = nil) {
    begin(facts, asOf: asOf)
    // The rules themselves are read only for a rule with limits or an exception: taking the shared
    // array for every run retained it, and workers of `eval --jobs` contended for its count.
    // Work on a local copy of the statuses (swapped out and back, so no copy is made), written
    // through its buffer: each write to a class's stored array pays a dynamic exclusivity check.
    var statuses: [RuleStatus] = []
    swap(&statuses, &state.pointee.statuses)
    defer { swap(&statuses, &state.pointee.statuses) }
    var anyFailures = false
    let bookActive = book.effective.map { asOf >= $0 } ?? true
    // (The flag is the closures' result rather than a captured variable, which would live in memory.)
    let anyUnknown = statuses.withUnsafeMutableBufferPointer { out in
      plan.withUnsafeBufferPointer { plan in
        // A rulebook not yet in force applies to nothing.
        guard bookActive else {
          for i in 0..<plan.count { out[i] = .notApplicable }
          return false
        }
        var anyUnknown = false
        for i in 0..<plan.count {
          let status = plan[i].hasLimits && !inForce(book.rules[i], asOf: asOf, stage: stage, bookActive: true)
            ? .notApplicable : verdict(plan[i])
          out[i] = status
          if status == .unknown { anyUnknown = true }
          // The failures the rule met, kept when they leave it unknown; the log starts empty for the next.
          if !state.pointee.failures.isEmpty {
            if status == .unknown {
              if !anyFailures { clearRuleFailures() }
              anyFailures = true
              ruleFailures[i] = Self.unique(failures[...])
            }
            state.pointee.failures.removeAll(keepingCapacity: true)
          }
        }
        return anyUnknown
      }
    }
    if !anyFailures, state.pointee.hadFailures { clearRuleFailures() }
    state.pointee.hadFailures = anyFailures
    if !overriders.isEmpty {
      for i in overriddenBy.indices { overriddenBy[i] = -1 }
    }
    // Waivers: a violated rule covered by a valid waiver for these facts is waived.
    if !ownWaivers.isEmpty {
      waivedBy.removeAll(keepingCapacity: true)
      for k in statuses.indices where statuses[k] == .violated {
        if let w = waiver(covering: k, asOf: asOf) {
          statuses[k] = .waived
          waivedBy[k] = w
        }
      }
    }
    // Exceptions: a rule that applies (in force and its `when` true) sets aside the rules it names.
    for i in overriders {
      let rule = book.rules[i]
      guard inForce(rule, asOf: asOf, stage: stage, bookActive: bookActive) else { continue }
      if let w = rule.when, computedValue(w) != .bool(true) { continue }
      for j in rule.overrides {
        statuses[j] = .overridden
        overriddenBy[j] = i
      }
    }
    // An exception may have set an unknown rule aside (a waiver covers only violated ones).
    state.pointee.anyUnknown = anyUnknown && (overriders.isEmpty || statuses.contains(.unknown))
  }

  private func clearRuleFailures() {
    for i in ruleFailures.indices where !ruleFailures[i].isEmpty { ruleFailures[i].removeAll() }
  }

  @inline(__always)
  private func verdict(_ p: RulePlan) -> RuleStatus {
    if p.when >= 0 {
      switch truth(p.when) {
      case .no: return .notApplicable
      case .yes: break
      case .unknown: return .unknown
      }
    }
    let holds = truth(p.condition)
    if holds == .unknown { return .unknown }
    // `require` passes when its condition holds; `forbid` and `flag` when it does not.
    return (holds == .yes) == (p.verb == .require) ? .passed : .violated
  }

  func inForce(_ rule: CompiledRule, asOf: CivilDate, stage: Stage?, bookActive: Bool) -> Bool {
    if !bookActive { return false }
    if let stage, !rule.stages.contains(stage) { return false }
    if let from = rule.effectiveFrom, asOf < from { return false }
    if let until = rule.effectiveUntil, asOf > until { return false }
    return true
  }

  /// The decision of the last `run`, with messages, reasons and (if asked) traces and fixes (which
  /// need the run to have recorded witnesses, as traces do).
  public func decision(asOf: CivilDate, stage: Stage?, trace: Bool, counterfactuals: Bool = false) -> Decision {
    let bookActive = book.effective.map { asOf >= $0 } ?? true
    // Reasons first, from what the rules computed; then messages and traces, which may compute
    // more (a placeholder, the rest of a loop for display) and must not change a reason.
    var replayed = false
    let reasons = book.rules.enumerated().map { i, rule -> (reason: String?, missing: [String]) in
      switch statuses[i] {
      case .notApplicable:
        return (notApplicableReason(rule, asOf: asOf, stage: stage, bookActive: bookActive), [])
      case .overridden:
        return ("set aside by \(book.rules[overriddenBy[i]].id), an exception that applies here", [])
      case .unknown:
        return unknownReason(i, replayed: &replayed)
      case .waived:
        let w = waivedBy[i]
        return (w.map { "waived until \($0.expires) by \($0.approver) (\($0.department)): \($0.reason)" }, [])
      case .violated, .passed:
        return (nil, [])
      }
    }
    // The replays left only the last rule's values: evaluate again, so messages and traces read
    // what the rules computed (the same values: evaluation is deterministic).
    if replayed { run(facts, asOf: asOf, stage: stage) }
    let results = book.rules.enumerated().map { i, rule -> RuleResult in
      let status = statuses[i]
      let (reason, missing) = reasons[i]
      let message = status == .violated ? formatMessage(rule) : nil
      return RuleResult(
        rule: rule, status: status, message: message, reason: reason,
        overriddenBy: status == .overridden ? book.rules[overriddenBy[i]].id : nil, missing: missing,
        trace: trace && status != .notApplicable ? self.trace(rule.trace) : nil,
        whenTrace: trace ? rule.whenTrace.map { self.trace($0) } : nil,
        fixes: counterfactuals ? fixes(rule, status: status, missing: missing, stage: stage) ?? [] : nil,
        waiver: status == .waived ? waivedBy[i] : nil)
    }
    var decision = Decision(rulebook: book, asOf: asOf, stage: stage, results: results)
    if !ownWaivers.isEmpty { decision.waiverFindings = waiverFindings(asOf: asOf) }
    return decision
  }

  /// Why rule `i`, unknown in the last run, is unknown, and the facts it missed. Finding them
  /// replays the rule on its own (`replayed` is then set): the values of the run are gone until
  /// it is made again.
  func unknownReason(_ i: Int, replayed: inout Bool) -> (reason: String?, missing: [String]) {
    let missing = missingFacts(book.rules[i], replayed: &replayed)
    let failed = ruleFailures[i].map { $0.error.namesItsPlace ? $0.error.message : "\($0.error.message) in `\(text(of: $0.node))`" }
    let reason = failed.isEmpty
      ? (missing.isEmpty ? "the verdict depends on a value that is missing" : "missing: " + missing.joined(separator: ", "))
      : failed.joined(separator: "; ")
    return (reason, missing)
  }

  private func notApplicableReason(_ rule: CompiledRule, asOf: CivilDate, stage: Stage?, bookActive: Bool) -> String {
    if !bookActive, let e = book.effective { return "the rulebook takes effect on \(e)" }
    if let stage, !rule.stages.contains(stage) {
      return "applies at \(rule.stages.map(\.rawValue).joined(separator: ", ")), not at \(stage.rawValue)"
    }
    if let from = rule.effectiveFrom, asOf < from { return "in force from \(from)" }
    if let until = rule.effectiveUntil, asOf > until { return "in force until \(until)" }
    return "`when` is false: \(rule.whenText ?? "")"
  }

  /// The text a node was written as.
  func text(of node: Int) -> String {
    let span = book.nodes[node].span
    return book.sourceText(span)
  }

  /// The rule's message with its placeholders filled, or its title when it has no message.
  func formatMessage(_ rule: CompiledRule) -> String? {
    guard !rule.message.isEmpty else { return rule.title }
    return rule.message.map { piece in
      switch piece {
      case .text(let s): return s
      case .value(let n, let t):
        let before = failures.count
        let v = value(ofPlaceholder: n)
        // A computation that failed is an error, not a missing fact.
        if v.isMissing, let why = failure(at: n, since: before) { return "(error: \(why))" }
        return v.formatted(as: t)
      }
    }.joined()
  }

  /// Why node `n` has no value when it failed (overflow, division by zero, …) in this
  /// evaluation: a failure recorded since `since`, or the node's own.
  private func failure(at n: Int, since: Int) -> String? {
    if failures.count > since { return failures[since].error.message }
    guard failedAt[n] == generation else { return nil }
    // The node's own failure, or the first one met while computing it.
    let own = (failures + ruleFailures.flatMap { $0 }).first { $0.node == n }
    return (own ?? state.pointee.memoFailures[n]?.first)?.error.message ?? ArithmeticError.overflow.message
  }

  /// A message placeholder's value: memoized when the rule computed it, else evaluated now.
  func value(ofPlaceholder n: Int) -> Value {
    if let v = computedValue(n) { return v }
    return eval(Int32(n))
  }

  /// The facts an unknown rule read that were missing. The rule is evaluated again on its own, in a
  /// fresh generation and untraced, so that a fact another rule read (and the memo kept), or a trace
  /// read for display, is not taken for one this rule needed: exactly what the rule's `when` and
  /// condition read, with their short cuts (`verdict`).
  private func missingFacts(_ rule: CompiledRule, replayed: inout Bool) -> [String] {
    replayed = true
    let tracing = recordWitnesses
    recordWitnesses = false
    defer { recordWitnesses = tracing }
    begin(facts, asOf: today)
    if let w = rule.when {
      if truth(Int32(w)) == .yes { _ = truth(Int32(rule.condition)) }
    } else {
      _ = truth(Int32(rule.condition))
    }
    var out: [String] = []
    func walk(_ t: TraceTemplate) {
      if let f = t.fact, computedValue(t.node)?.isMissing == true, !out.contains(f) { out.append(f) }
      t.children.forEach(walk)
    }
    rule.whenTrace.map(walk)
    walk(rule.trace)
    return out
  }

  func trace(_ t: TraceTemplate, underComputedSum: Bool = false) -> Trace {
    var v = computedValue(t.node)
    // `sum(xs.f)` adds the field item by item without building `xs.f`: its value is worked out
    // here, for display only, once the sum is known to have been computed.
    if v == nil, underComputedSum, case .projection = book.nodes[t.node].op, !book.nodes[t.node].inLoop { v = eval(Int32(t.node)) }
    // `window`/`per_day` groups under a quantifier are built one at a time and never kept: the
    // trace says how many there were (the deciding one is the quantifier's `item_value`).
    if v == nil, let count = state.pointee.groupCounts[t.node] {
      return Trace(
        expression: t.text, shown: .groups(count), fact: t.fact, definition: t.definition, decidingItem: nil, deciding: nil, table: nil, matches: [],
        children: t.children.map { trace($0) })
    }
    if !t.matchNodes.isEmpty { exploreRest(of: t.node) }
    let isSum: Bool
    if case .call(.sum, _, _) = book.nodes[t.node].op { isSum = v != nil } else { isSum = false }
    let choice = t.table.map { i -> TableChoice in
      let table = book.tables[i]
      let rows = v == nil ? nil : tableRows[t.node]
      return TableChoice(name: table.name, rows: rows, sources: (rows ?? []).compactMap { r in table.rowSpans.indices.contains(r - 1) ? table.rowSpans[r - 1] : nil })
    }
    return Trace(
      expression: t.text, shown: v.map { .value($0, t.type) } ?? .notEvaluated, fact: t.fact, definition: t.definition,
      decidingItem: witnesses[t.node], deciding: deciding(t), table: choice, matches: matches(t),
      children: t.children.map { trace($0, underComputedSum: isSum) })
  }

  /// The item that decided a quantifier, read from the list it ranged over, with its type.
  private func deciding(_ t: TraceTemplate) -> (value: Value, type: ValueType)? {
    guard let i = witnesses[t.node], let list = t.children.first else { return nil }
    let type = list.type.element ?? .error
    let item: Value
    if let group = state.pointee.decidingGroups[t.node] {
      item = group
    } else if case .list(let items)? = computedValue(list.node), items.indices.contains(i) {
      item = items[i]
    } else {
      return nil
    }
    return (item, type)
  }

  /// The matches a trace node shows. A text test: where it matched. A loop: the matches of the items that
  /// decided it (every item that made `any` true, or `all` false), or of every item when none decided it,
  /// each with its item.
  private func matches(_ t: TraceTemplate) -> [TextMatch] {
    guard !t.matchNodes.isEmpty else { return [] }
    guard let items = state.pointee.loopItems[t.node], let listTemplate = t.children.first else {
      return t.matchNodes.flatMap { (matchedSpans[$0] ?? []).map { TextMatch(span: $0) } }
    }
    let op = book.nodes[t.node].op
    let decisiveTruth: Truth
    switch op {
    case .quantifier(.all, _, _, _): decisiveTruth = .no
    default: decisiveTruth = .yes
    }
    let decided = items.contains { $0.truth == decisiveTruth }
    let list = listTemplate.fact ?? listTemplate.definition ?? listTemplate.text
    // The item's `channel`, read from the list's value when the items are records with that field.
    var values: [Value] = []
    var channelField: Int?
    if case .record(let r)? = listTemplate.type.unwrapped.element?.unwrapped,
      let k = r.fields.firstIndex(where: { $0.name == "channel" && $0.type.unwrapped == .text }),
      case .list(let xs)? = computedValue(listTemplate.node)
    {
      (values, channelField) = (xs, k)
    }
    let log = state.pointee.matchLog
    let nodes = Set(t.matchNodes)
    var out: [TextMatch] = []
    for entry in items where !decided || entry.truth == decisiveTruth {
      var channel: String?
      if let k = channelField, entry.item < values.count, case .record(let fields) = values[entry.item], k < fields.count,
        case .text(let c) = fields[k]
      {
        channel = c
      }
      for m in log[entry.matches] where nodes.contains(m.node) {
        out.append(TextMatch(span: m.span, item: entry.item, list: list, channel: channel))
      }
    }
    return out
  }
}

extension CompiledRulebook {
  /// The file text a span covers (the rulebook's own file or one it imports).
  func sourceText(_ span: Span) -> String {
    sources[span.file]?.text(span.start.offset, span.end.offset) ?? ""
  }

  /// Evaluates the rulebook over facts and returns the full decision. For many evaluations,
  /// keep an `Evaluator` per thread and call `run` then `decision` to reuse its state.
  /// With `counterfactuals`, each violated or unknown result says what would make it pass (`fixes`).
  public func evaluate(
    _ facts: [Value], asOf: CivilDate, stage: Stage? = nil, trace: Bool = false, counterfactuals: Bool = false, waivers: [Waiver] = []
  ) -> Decision {
    let e = Evaluator(self)
    e.waivers = waivers
    // Fixes read what decided each rule, as a trace does.
    e.recordWitnesses = trace || counterfactuals
    e.run(facts, asOf: asOf, stage: stage)
    return e.decision(asOf: asOf, stage: stage, trace: trace, counterfactuals: counterfactuals)
  }
}
