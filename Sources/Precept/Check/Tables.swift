extension Checker {
  func checkTables() {
    for u in project.units.indices {
      for t in unit(u).tables { _ = tableResultType(Reference(unit: u, name: t.name.value)) }
    }
  }

  /// What naming a table yields: one result (missing when no row matches and there is no
  /// default), the list of all results for `collect`, `rule_order` and `output_order`, or
  /// for `collect` with `aggregate`, their count (an int) or their sum, min or max.
  func tableResultType(_ ref: Reference) -> ValueType {
    guard let t = checkedTable(ref) else { return .error }
    switch t.table.aggregate?.value {
    case .count?: return .int
    case .sum?, .min?, .max?: break
    case nil: if !t.table.hit.isSingle { return .list(t.outputType) }
    }
    if t.outputType.isError { return .error }
    return t.defaultValue == nil ? t.outputType.asOptional : t.outputType
  }

  private func checkedTable(_ ref: Reference) -> CheckedTable? {
    if let done = tableTypes[ref] { return done }
    if inProgress.contains(ref) {
      report(.definitionCycle, spanOfDeclaration(ref), "table `\(ref.name)` depends on its own result", help: ["a table's inputs cannot use the table itself"])
      return nil
    }
    guard let index = scopes[ref.unit].tables[ref.name] else { return nil }
    let table = unit(ref.unit).tables[index]
    return measuring(ref) { checkedTable(table, ref) }
  }

  private func checkedTable(_ table: DecisionTable, _ ref: Reference) -> CheckedTable {
    let env = Env(unit: ref.unit)
    let inputs = table.inputs.map { check($0, env) }
    var rows: [(cells: [CheckedTable.Cell], output: Typed)] = []
    var outputType: ValueType = .nothing
    for row in table.rows {
      let cells = zip(row.cells, inputs).map { cell($0.0, input: $0.1, env) }
      let out = check(row.output, env, expected: outputType == .nothing ? nil : outputType)
      outputType = agree(outputType, out, table)
      rows.append((cells, out))
    }
    var defaultValue: Typed?
    if let d = table.defaultValue {
      let typed = check(d, env, expected: outputType)
      outputType = agree(outputType, typed, table)
      defaultValue = typed
    }
    if outputType == .nothing { outputType = .error }
    var checked = CheckedTable(table: table, inputs: inputs, rows: rows, defaultValue: defaultValue, outputType: outputType)
    checked.priority = table.priority.map { check($0, env, expected: outputType) }
    checkPolicy(checked)
    tableTypes[ref] = checked
    return checked
  }

  /// The `priority:` list holds distinct constants of the result type, and every constant
  /// result is in it; `aggregate:` fits the result type.
  private func checkPolicy(_ t: CheckedTable) {
    let name = t.table.name.value
    guard !t.outputType.isError else { return }
    if let a = t.table.aggregate, t.table.hit == .collect {
      let u = t.outputType.unwrapped
      let fits: Bool
      switch (a.value, u) {
      case (.count, _): fits = true
      case (.sum, .money): fits = true
      case (.sum, _): fits = u.isNumeric
      case (.min, .money), (.min, .date), (.min, .datetime), (.min, .duration), (.min, .enumeration), (.min, .text),
        (.max, .money), (.max, .date), (.max, .datetime), (.max, .duration), (.max, .enumeration), (.max, .text):
        fits = true
      case (.min, _), (.max, _): fits = u.isNumeric
      }
      if !fits {
        report(
          .invalidValue, a.span, "`aggregate: \(a.value.rawValue)` cannot fold the results of table `\(name)`, which are \(t.outputType.brief)",
          help: [a.value == .sum ? "`sum` adds numbers or amounts" : "`min` and `max` need results that can be ordered: numbers, amounts, dates, spans, text or enum cases"])
      }
    }
    guard t.table.hit == .priority || t.table.hit == .outputOrder else { return }
    var keys: [PriorityKey] = []
    for p in t.priority {
      guard !p.type.isError else { continue }
      guard unify(t.outputType, p.type) != nil else {
        report(
          .invalidValue, p.span, "this priority is \(p.type.brief), but the results of table `\(name)` are \(t.outputType.brief)",
          help: ["list the results the rows give, from most to least important"])
        continue
      }
      guard let key = priorityKey(p) else {
        report(
          .invalidValue, p.span, "a `priority` of table `\(name)` must be a constant result, such as a value or an enum case",
          help: ["list the results the rows give, from most to least important"])
        continue
      }
      if keys.contains(key) {
        report(.invalidValue, p.span, "`\(text(of: p.span))` is listed twice in the `priority` of table `\(name)`")
      }
      keys.append(key)
    }
    // A list that is missing or did not check (a misspelt case) would make every row look unranked.
    guard !t.priority.isEmpty, !t.priority.contains(where: \.type.isError) else { return }
    for row in t.rows {
      guard let key = priorityKey(row.output), !keys.contains(key) else { continue }
      report(
        .tableCell, row.output.span, "the result `\(text(of: row.output.span))` is not in the `priority` list of table `\(name)`",
        help: ["with `hit: \(t.table.hit.rawValue)` every result needs a rank: add it to `priority`"])
    }
  }

  /// A constant result, to compare a row's result with the `priority` list at lint time.
  enum PriorityKey: Hashable {
    case constant(Constant)
    case enumCase(String)
  }

  func priorityKey(_ t: Typed) -> PriorityKey? {
    if case .enumCase(let c) = t.kind { return .enumCase(c) }
    return fold(t).map { .constant($0) }
  }

  private func agree(_ sofar: ValueType, _ out: Typed, _ table: DecisionTable) -> ValueType {
    if let u = unify(sofar, out.type) { return u }
    report(
      .tableCell, out.span, "this result is \(out.type.brief), but earlier results of table `\(table.name.value)` are \(sofar.brief)",
      help: ["every row of a table gives the same type of result"])
    return sofar
  }

  /// Checks one cell against its input's type.
  private func cell(_ c: TableCell, input: Typed, _ env: Env) -> CheckedTable.Cell {
    let t = input.type
    func operand(_ e: Expr) -> Typed {
      let typed = check(e, env, expected: t)
      if !comparable(t.unwrapped, typed.type.unwrapped) {
        report(
          .tableCell, typed.span, "this cell is \(typed.type.brief), but its input `\(text(of: input.span))` is \(t.brief)",
          help: ["a cell is compared with its column's input, so both need the same type"])
      } else {
        // `"<= 24"` under a percent input would be 2400%, as in an expression.
        _ = percentAgainstBareNumber(input, typed, at: typed.span, "compare")
      }
      return typed
    }
    switch c.test {
    case .any: return .any
    case .equals(let e): return .equals(operand(e))
    case .compare(let op, let e):
      // Enums order by declaration (R1 < R2), which is what risk scales need.
      return .compare(op, operand(e))
    case .range(let lo, let li, let hi, let hiIn): return .range(operand(lo), lowInclusive: li, operand(hi), highInclusive: hiIn)
    case .oneOf(let xs): return .oneOf(xs.map(operand))
    }
  }
}


extension Checker {
  /// The file text a span covers, for messages that quote an expression.
  func text(of span: Span) -> String {
    project.text(of: span)
  }
}
