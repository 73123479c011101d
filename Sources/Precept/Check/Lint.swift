extension Checker {
  /// Warnings: things that are allowed but almost certainly not what the author meant. Each rule
  /// is linted on its own first (see `lintRule`, which a memo may supply), then the passes over
  /// several rules and declarations run.
  func lint() {
    lintConstantFailures()
    // Where a rulebook (or one importing it) has errors, some expressions were not understood,
    // so what they read is unknown: "never used" would only echo those errors.
    let filesWithErrors = Set((project.diagnostics + diagnostics).filter { $0.severity == .error }.map(\.span.file))
    let unitsWithErrors = Set(project.units.indices.filter { filesWithErrors.contains(unit($0).file.path) })
    let linted = checkedRules.enumerated().map { u, rules in
      rules.indices.map { lintRuleOrReuse(rules[$0], key: memo == nil ? nil : memoKeys[u][$0], judged: !unitsWithErrors.contains(u)) }
    }
    let reads = factReads(linted)
    let factPrefixes = Set(reads.flatMap { p in (1...p.count).map { Array(p.prefix($0)) } })
    for u in project.units.indices {
      let book = unit(u)
      let importerHasErrors = unitsWithErrors.contains { project.units[$0].imports.values.contains(u) }
      // A rulebook without rules is a library for others to import; its items are for them.
      if !book.rules.isEmpty, !unitsWithErrors.contains(u), !importerHasErrors { lintUnused(u, book, reads, factPrefixes) }
      lintRulesTogether(u, linted[u], judgeConditions: !unitsWithErrors.contains(u))
      for t in book.tables where t.hit == .first { lintUnreachableRows(t) }
      for t in book.tables { lintTableCoverage(Reference(unit: u, name: t.name.value)) }
    }
  }

  /// What `lint` finds that is an error, without the passes that only warn: arithmetic on
  /// constants that can only fail, and table rows that overlap under `hit: unique` or `any` (the
  /// table analysis reports its warnings as it goes).
  func lintErrors() {
    lintConstantFailures()
    for u in project.units.indices {
      for t in unit(u).tables { lintTableCoverage(Reference(unit: u, name: t.name.value)) }
    }
  }

  /// `lintRule`, or what it gave last time for the same text under the same declarations.
  private func lintRuleOrReuse(_ checked: CheckedRule, key: TextKey?, judged: Bool) -> RuleLint {
    let rule = checked.rule
    if let memo, let key, let l = memo.current(key)?.lint, l.judged == judged {
      diagnostics += l.diagnostics
      return l
    }
    let before = diagnostics.count
    var l = lintRule(checked, judged: judged)
    l.diagnostics = Array(diagnostics[before...])
    if let memo, let span = rule.nodeSpan, let key { memo.keepLint(key, l, inside: span) }
    return l
  }

  /// The warnings about one rule that read nothing but the rule and its rulebook's declarations:
  /// conditions that never apply or never fail (judged only where the rulebook has no errors: a
  /// misread enum or expression would make them judge something the author did not write),
  /// redundant conjuncts, a blocking rule without a citation, a protected attribute read. Reported
  /// as it goes; also gives what the passes over several rules need. (Arithmetic that can only
  /// fail is an error, found with the rule's checking: see `checkRules`.)
  private func lintRule(_ checked: CheckedRule, judged: Bool) -> RuleLint {
    let rule = checked.rule
    if judged {
      lintConditions(checked)
      lintRedundantConjuncts(checked.when)
      lintRedundantConjuncts(checked.condition)
    }
    if let w = checked.when, case .bool(false)? = fold(w) {
      report(
        .neverApplies, w.span, "rule `\(rule.id.value)` can never apply: its `when` is always false",
        help: ["the condition reads no fact, so no product can meet it; compare a fact instead, or remove the rule"])
    } else if case .bool(let v)? = fold(checked.condition) {
      let fails = (rule.verb == .require) != v
      report(
        .constantVerdict, checked.condition.span,
        fails
          ? "rule `\(rule.id.value)` is \(rule.verb == .flag ? "raised" : "violated") for every input: its `\(rule.verb.rawValue)` is always \(v)"
          : "rule `\(rule.id.value)` can never \(rule.verb == .flag ? "be raised" : "be violated"): its `\(rule.verb.rawValue)` is always \(v)",
        help: ["the condition reads no fact; did you mean to compare a fact with this value?"])
    }
    if rule.severity == .block, !rule.severityAssumed, (rule.cite ?? "").trimmingSpaces.isEmpty {
      report(
        .blockWithoutCite, rule.id.span, "rule `\(rule.id.value)` blocks approval but cites no source",
        help: ["add `cite:` naming the regulation or policy (write \"illustrative: …\" for an institution's own threshold)"])
    }
    lintFairness(checked)
    var reads: Set<[String]> = []
    checked.when.map { Self.collectReads($0, into: &reads) }
    Self.collectReads(checked.condition, into: &reads)
    for case .placeholder(let p) in checked.message { Self.collectReads(p, into: &reads) }
    let duplicateKey =
      rule.condition.containsError
      ? nil : squeezed(rule.when.map { text(of: $0.span) } ?? "") + "|" + rule.verb.rawValue + "|" + squeezed(text(of: rule.condition.span))
    return RuleLint(
      judged: judged, diagnostics: [], reads: reads, duplicateKey: duplicateKey,
      variables: judged ? equivalenceVariables(checked) : nil)
  }

  /// Every fact path some checked expression reads. A path read whole (a record, a list) reads
  /// every field below it; `product.fees.amount` reads only the `amount` of each fee.
  private func factReads(_ linted: [[RuleLint]]) -> Set<[String]> {
    var reads: Set<[String]> = []
    for d in definitionTypes.values { Self.collectReads(d, into: &reads) }
    for t in tableTypes.values {
      t.inputs.forEach { Self.collectReads($0, into: &reads) }
      for row in t.rows {
        for cell in row.cells { cell.operands.forEach { Self.collectReads($0, into: &reads) } }
        row.outputs.forEach { Self.collectReads($0, into: &reads) }
      }
      t.defaultValue?.forEach { Self.collectReads($0, into: &reads) }
    }
    for rules in linted { for r in rules { reads.formUnion(r.reads) } }
    return reads
  }

  private static func collectReads(_ t: Typed, into reads: inout Set<[String]>) {
    switch t.kind {
    case .fact(let p): reads.insert(p)
    case .projection(let b, let field):
      if case .fact(let p) = b.kind { reads.insert(p + [field]) } else { collectReads(b, into: &reads) }
    default: for c in t.children { collectReads(c, into: &reads) }
    }
  }

  private func lintUnused(_ u: Int, _ book: Rulebook, _ usedFacts: Set<[String]>, _ factPrefixes: Set<[String]>) {
    for d in book.definitions where !used.contains(Reference(unit: u, name: d.name.value)) {
      report(.unusedDefinition, d.name.span, "definition `\(d.name.value)` is never used", help: ["use it in a rule, or remove it"])
    }
    for l in book.lists where !used.contains(Reference(unit: u, name: l.name.value)) {
      report(.unusedList, l.name.span, "list `\(l.name.value)` is never used", help: ["use it in a rule, or remove it"])
    }
    for root in book.schema {
      for f in root.fields where isLeaf(f) {
        // Reading a whole record (or list of records) reads all its fields.
        let read = factPrefixes.contains(f.path) || (1..<f.path.count).contains { usedFacts.contains(Array(f.path.prefix($0))) }
        if !read {
          report(
            .unusedField, f.span, "fact `\(f.path.joined(separator: "."))` is declared but no rule reads it",
            help: ["remove it from the schema, or write the rule that needs it"])
        }
      }
    }
  }

  private func isLeaf(_ f: SchemaField) -> Bool {
    switch f.type {
    case .record, .error: false
    default: true
    }
  }

  /// Warnings that compare the rules of a rulebook: the same condition written twice (as text, or
  /// as the same sets of inputs where conditions are judged), exceptions that never matter.
  private func lintRulesTogether(_ u: Int, _ linted: [RuleLint], judgeConditions: Bool) {
    var seen: [String: Rule] = [:]
    var textualDuplicates: Set<String> = []
    for (checked, l) in zip(checkedRules[u], linted) {
      let rule = checked.rule
      guard let key = l.duplicateKey else { continue }
      if let first = seen[key] {
        textualDuplicates.insert(rule.id.value)
        report(
          .duplicateCondition, rule.condition.span, "rules `\(first.id.value)` and `\(rule.id.value)` check the same condition",
          notes: [.init("`\(first.id.value)` is here", at: first.condition.span)],
          help: ["merge the two rules, or make their conditions differ"])
      } else {
        seen[key] = rule
      }
    }
    if judgeConditions {
      lintEquivalentRules(u, linted, reported: textualDuplicates)
      lintUselessExceptions(checkedRules[u])
    }
  }

  /// With hit policy `first`, a row is dead when an earlier row matches everything it matches.
  private func lintUnreachableRows(_ table: DecisionTable) {
    for (j, row) in table.rows.enumerated() {
      guard let i = table.rows[..<j].firstIndex(where: { rowCovers($0, row) }) else { continue }
      let earlier = table.rows[i]
      report(
        .unreachableRow, row.span, "this row of table `\(table.name.value)` can never be chosen: row \(i + 1) comes first and matches everything it matches",
        notes: [.init("row \(i + 1) is here", at: earlier.span)],
        help: ["with `hit: first` the first matching row wins; move the narrower row up"])
    }
  }

  /// Whether row `a` matches everything row `b` matches, cell by cell as written.
  func rowCovers(_ a: TableRow, _ b: TableRow) -> Bool {
    zip(a.cells, b.cells).allSatisfy { x, y in
      if case .any = x.test { return true }
      return cellShape(x.test) == cellShape(y.test)
    }
  }

  private func cellShape(_ t: TableCell.Test) -> String {
    switch t {
    case .any: "-"
    case .equals(let e): "=" + e.shape
    case .compare(let op, let e): op.rawValue + e.shape
    case .range(let a, let ai, let b, let bi): (ai ? "[" : "(") + a.shape + ".." + b.shape + (bi ? "]" : ")")
    case .anyOf(let ts): ts.map(cellShape).sorted().joined(separator: ",")
    case .not(let t): "not(" + cellShape(t) + ")"
    }
  }

  /// Expression text without white space outside quotes, so `a<=b` and `a <= b` compare equal.
  private func squeezed(_ s: String) -> String {
    var out: [Unicode.Scalar] = []
    var quote: Unicode.Scalar?
    for c in s.unicodeScalars {
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c.isSpace {
        continue
      }
      out.append(c)
    }
    return String(scalars: out)
  }
}
