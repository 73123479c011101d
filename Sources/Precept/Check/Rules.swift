extension Checker {
  func checkRules() {
    checkedRules = project.units.indices.map { u in
      let book = unit(u)
      checkDate(book.effective, "the rulebook's `effective` date")
      if let tz = book.timezone, UTCOffset.parse(tz.value) == nil {
        report(.invalidValue, tz.span, "`\(tz.value)` is not a time zone offset", help: ["write `UTC` or an offset such as `+08:00`"])
      }
      let rules = book.rules.indices.map { checkRuleOrReuse(book.rules[$0], unit: u, index: $0) }
      checkOverrides(book)
      return rules
    }
  }

  /// `checkRule` and the arithmetic in the rule that can only fail (an error, so it must be known
  /// before the lint passes judge which rulebooks have errors), or what they gave last time for
  /// the same text under the same declarations.
  private func checkRuleOrReuse(_ rule: Rule, unit u: Int, index i: Int) -> CheckedRule {
    func check() -> CheckedRule {
      let checked = checkRule(rule, unit: u)
      lintConstantFailures(in: checked)
      return checked
    }
    guard let memo, let span = rule.nodeSpan, let key = memoKeys[u][i] else { return check() }
    if let e = memo.reuse(key, at: span.start) {
      diagnostics += e.diagnostics
      used.formUnion(e.used)
      return CheckedRule(rule: rule, unit: u, when: e.when, condition: e.condition, message: e.message)
    }
    let (before, refusals, outerUsed) = (diagnostics.count, nestingRefusals, used)
    used = []
    let checked = check()
    let mine = used
    used.formUnion(outerUsed)
    if nestingRefusals == refusals {
      memo.keep(
        key,
        CheckMemo.Entry(
          start: span.start, when: checked.when, condition: checked.condition, message: checked.message,
          diagnostics: Array(diagnostics[before...]), used: mine),
        inside: span)
    }
    return checked
  }

  private func checkRule(_ rule: Rule, unit u: Int) -> CheckedRule {
    let env = Env(unit: u)
    var when: Typed?
    if let w = rule.when {
      let t = check(w, env)
      requireBool(t, "`when`")
      when = t
    }
    let condition = check(rule.condition, env)
    requireBool(condition, "`\(rule.verb.rawValue)`")
    var parts: [CheckedRule.MessagePart] = []
    for part in rule.message?.parts ?? [] {
      switch part {
      case .text(let s): parts.append(.text(s))
      case .placeholder(let e):
        let t = check(e, env)
        if !printable(t.type.unwrapped) {
          report(
            .placeholderType, t.span, "a placeholder must be a value that reads well in a sentence; this is \(t.type.brief)",
            help: [placeholderHelp(t)])
        }
        parts.append(.placeholder(t))
      }
    }
    checkDate(rule.effectiveFrom, "`effective.from`")
    checkDate(rule.effectiveUntil, "`effective.until`")
    if let f = rule.effectiveFrom, let t = rule.effectiveUntil, let a = CivilDate.parse(f.value).ok, let b = CivilDate.parse(t.value).ok, b < a {
      report(.invalidValue, t.span, "rule `\(rule.id.value)` stops applying (\(t.value)) before it starts (\(f.value))")
    }
    return CheckedRule(rule: rule, unit: u, when: when, condition: condition, message: parts)
  }

  /// What to print instead of a record or a list of records: one of its fields, or how many.
  private func placeholderHelp(_ t: Typed) -> String {
    let written = text(of: t.span)
    switch t.type.unwrapped {
    case .record(let r) where !r.fields.isEmpty:
      return "name one of its fields, e.g. `{\(written).\(r.fields[0].name)}`"
    case .list(let e):
      if case .record(let r) = e.unwrapped, let f = r.fields.first {
        return "name one field of one item, e.g. `{\(written)[0].\(f.name)}`, or say how many: `{count(\(written))}`"
      }
      return "say how many: `{count(\(written))}`"
    default:
      return "name one field, or a count such as `{count(…)}`"
    }
  }

  private func printable(_ t: ValueType) -> Bool {
    switch t {
    case .record, .list(.record), .list(.list): false
    case .list(let e): printable(e.unwrapped)
    default: true
    }
  }

  func checkDate(_ d: Located<String>?, _ what: String) {
    guard let d else { return }
    if case .failure(let e) = CivilDate.parse(d.value) {
      report(.invalidValue, d.span, "\(what) `\(d.value)` is not a date: \(e.message)", help: ["write a date as YYYY-MM-DD, e.g. 2026-01-01"])
    }
  }

  /// Overridden rules must exist in the same rulebook, and no rule may end up overriding itself.
  private func checkOverrides(_ book: Rulebook) {
    let ids = book.rules.map(\.id.value)
    var edges: [String: [String]] = [:]
    for rule in book.rules {
      for o in rule.overrides {
        guard ids.contains(o.value) else {
          report(.unknownOverride, o.span, "rule `\(rule.id.value)` overrides `\(o.value)`, but this rulebook has no rule with that id", help: Suggestion.help(for: o.value, among: ids))
          continue
        }
        if o.value == rule.id.value {
          report(.overrideCycle, o.span, "rule `\(rule.id.value)` overrides itself")
          continue
        }
        edges[rule.id.value, default: []].append(o.value)
      }
    }
    var reported: Set<String> = []
    for rule in book.rules {
      // Walk from each rule; coming back to it is a cycle.
      var path = [rule.id.value]
      var seen: Set<String> = [rule.id.value]
      if let cycle = findCycle(from: rule.id.value, edges, &path, &seen), reported.isDisjoint(with: cycle) {
        reported.formUnion(cycle)
        let at = rule.overrides.first { cycle.contains($0.value) }?.span ?? rule.id.span
        report(
          .overrideCycle, at, "rules override each other in a cycle: " + (cycle + [cycle[0]]).map { "`\($0)`" }.joined(separator: " → "),
          help: ["an exception sets other rules aside; two rules cannot each set the other aside"])
      }
    }
  }

  private func findCycle(from start: String, _ edges: [String: [String]], _ path: inout [String], _ seen: inout Set<String>) -> [String]? {
    for next in edges[path[path.count - 1]] ?? [] {
      if next == start { return path }
      guard seen.insert(next).inserted else { continue }
      path.append(next)
      if let c = findCycle(from: start, edges, &path, &seen) { return c }
      path.removeLast()
    }
    return nil
  }

  func checkTests() {
    for u in project.units.indices {
      let book = unit(u)
      let ids = book.rules.map(\.id.value)
      for test in book.tests {
        checkDate(test.asOf, "the test's `as_of`")
        for (_, rules) in test.expectedStatuses {
          for r in rules where !ids.contains(r.value) {
            report(.testCase, r.span, "test `\(test.name.value)` expects rule `\(r.value)`, which this rulebook does not have", help: Suggestion.help(for: r.value, among: ids))
          }
        }
        if case .file(let path) = test.facts {
          let target = PathName.join(PathName.directory(of: book.file.path), path.value)
          if !Disk.exists(target) {
            let looked = target == path.value ? "" : " (looked for `\(target)`)"
            report(.testCase, path.span, "facts file `\(path.value)` does not exist\(looked)", help: ["paths are relative to the rulebook"])
          }
        }
      }
    }
  }
}
