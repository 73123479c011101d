extension Checker {
  /// Warnings: things that are allowed but almost certainly not what the author meant.
  func lint() {
    lintConstantFailures()
    let reads = factReads()
    let factPrefixes = Set(reads.flatMap { p in (1...p.count).map { Array(p.prefix($0)) } })
    // Where a rulebook (or one importing it) has errors, some expressions were not understood,
    // so what they read is unknown: "never used" would only echo those errors.
    let filesWithErrors = Set((project.diagnostics + diagnostics).filter { $0.severity == .error }.map(\.span.file))
    let unitsWithErrors = Set(project.units.indices.filter { filesWithErrors.contains(unit($0).file.path) })
    for u in project.units.indices {
      let book = unit(u)
      let importerHasErrors = unitsWithErrors.contains { project.units[$0].imports.values.contains(u) }
      // A rulebook without rules is a library for others to import; its items are for them.
      if !book.rules.isEmpty, !unitsWithErrors.contains(u), !importerHasErrors { lintUnused(u, book, reads, factPrefixes) }
      lintRules(u, judgeConditions: !unitsWithErrors.contains(u))
      lintFairness(u)
      for t in book.tables where t.hit == .first { lintUnreachableRows(t) }
      for t in book.tables { lintTableCoverage(Reference(unit: u, name: t.name.value)) }
    }
  }

  /// Every fact path some checked expression reads. A path read whole (a record, a list) reads
  /// every field below it; `product.fees.amount` reads only the `amount` of each fee.
  private func factReads() -> Set<[String]> {
    var reads: Set<[String]> = []
    func visit(_ t: Typed) {
      switch t.kind {
      case .fact(let p): reads.insert(p)
      case .projection(let b, let field):
        if case .fact(let p) = b.kind { reads.insert(p + [field]) } else { visit(b) }
      default: for c in t.children { visit(c) }
      }
    }
    for d in definitionTypes.values { visit(d) }
    for t in tableTypes.values {
      t.inputs.forEach(visit)
      for row in t.rows {
        for cell in row.cells { cell.operands.forEach(visit) }
        row.outputs.forEach(visit)
      }
      t.defaultValue?.forEach(visit)
    }
    for rules in checkedRules {
      for r in rules {
        r.when.map(visit)
        visit(r.condition)
        for case .placeholder(let p) in r.message { visit(p) }
      }
    }
    return reads
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

  /// Rule-level warnings; the condition analysis only where the rulebook has no errors (a
  /// misread enum or expression would make it judge something the author did not write).
  private func lintRules(_ u: Int, judgeConditions: Bool) {
    var seen: [String: Rule] = [:]
    var textualDuplicates: Set<String> = []
    for checked in checkedRules[u] {
      let rule = checked.rule
      if judgeConditions {
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
      if !rule.condition.containsError {
        let key = squeezed(rule.when.map { text(of: $0.span) } ?? "") + "|" + rule.verb.rawValue + "|" + squeezed(text(of: rule.condition.span))
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
      if rule.severity == .block, !rule.severityAssumed, (rule.cite ?? "").trimmingSpaces.isEmpty {
        report(
          .blockWithoutCite, rule.id.span, "rule `\(rule.id.value)` blocks approval but cites no source",
          help: ["add `cite:` naming the regulation or policy (write \"illustrative: …\" for an institution's own threshold)"])
      }
    }
    if judgeConditions {
      lintEquivalentRules(checkedRules[u], reported: textualDuplicates)
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
