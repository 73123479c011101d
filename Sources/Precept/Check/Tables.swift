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
    var env = Env(unit: ref.unit)
    // `for: product.pricing.fees`: the inputs, cells and results read one item as `.field`.
    var itemType: ValueType?
    if let forEach = table.forEach {
      let list = check(forEach, env)
      if let element = list.type.element {
        itemType = element
        env = env.with(item: element)
      } else {
        report(
          .badCall, forEach.span, "`for` names the list whose items the table is applied to, but this is \(list.type.brief)",
          help: ["write a list of records, such as `for: product.pricing.fees`"])
        itemType = .error
        env = env.with(item: .error)
      }
    }
    let inputs = table.inputs.map { check($0, env) }
    var rows: [(cells: [CheckedTable.Cell], outputs: [Typed])] = []
    // A declared type is what every result must be; else the first row's results set it.
    var types: [ValueType] = table.outputs.map { $0.type ?? .nothing }
    func agreeing(_ e: Expr, _ k: Int) -> Typed {
      let out = check(e, env, expected: types[k] == .nothing ? nil : types[k])
      types[k] = agree(types[k], out, table, k, declared: table.outputs[k].type != nil)
      return out
    }
    for row in table.rows {
      let cells = zip(row.cells, inputs).map { cell($0.0, input: $0.1, env) }
      rows.append((cells, row.outputs.indices.map { agreeing(row.outputs[$0], $0) }))
    }
    let defaultValue = table.defaultValue.map { d in d.indices.map { agreeing(d[$0], $0) } }
    types = types.map { $0 == .nothing ? .error : $0 }
    let outputType: ValueType
    if table.outputs.first?.name == nil {
      outputType = types.first ?? .error
    } else if types.contains(where: \.isError) {
      outputType = .error
    } else {
      outputType = .record(RecordType(zip(table.outputs, types).map { Field(name: $0.0.name?.value ?? "", type: $0.1) }))
    }
    var checked = CheckedTable(
      table: table, itemType: itemType, inputs: inputs, rows: rows, defaultValue: defaultValue, outputTypes: types, outputType: outputType)
    checked.priority = table.priority.map { check($0, env, expected: types.first) }
    checkPolicy(checked)
    tableTypes[ref] = checked
    return checked
  }

  /// The `priority:` list holds distinct constants of the result type, and every constant
  /// result is in it; `aggregate:` fits the result type.
  private func checkPolicy(_ t: CheckedTable) {
    let name = t.table.name.value
    guard !t.outputType.isError else { return }
    // With several outputs the reader has said `aggregate` cannot be used.
    if let a = t.table.aggregate, t.table.hit == .collect, t.table.outputs.count == 1 {
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
      guard let ranked = t.outputTypes.first, unify(ranked, p.type) != nil else {
        report(
          .invalidValue, p.span, "this priority is \(p.type.brief), but " + (t.table.outputs.first?.name.map { "the output it ranks, `\($0.value)`," } ?? "the results of table `\(name)`")
            + " \(t.table.outputs.first?.name == nil ? "are" : "is") \(t.outputTypes.first?.brief ?? "none")",
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
      guard let first = row.outputs.first, let key = priorityKey(first), !keys.contains(key) else { continue }
      report(
        .tableCell, first.span, "the result `\(text(of: first.span))` is not in the `priority` list of table `\(name)`",
        help: ["with `hit: \(t.table.hit.rawValue)` every result needs a rank: add it to `priority`"])
    }
  }

  /// A constant result, to compare a row's result with the `priority` list at lint time.
  enum PriorityKey: Hashable {
    case constant(Value)
    case enumCase(String)
  }

  func priorityKey(_ t: Typed) -> PriorityKey? {
    if case .enumCase(let c) = t.kind { return .enumCase(c) }
    return fold(t).map { .constant($0) }
  }

  private func agree(_ sofar: ValueType, _ out: Typed, _ table: DecisionTable, _ k: Int, declared: Bool) -> ValueType {
    // A declared type takes results of that type (an amount in any currency for `money`, a
    // missing value for `T?`); an int result does not become a decimal one.
    func sameKind(_ a: ValueType, _ b: ValueType) -> Bool {
      if case .money = a.unwrapped, case .money = b.unwrapped { return true }
      return a.unwrapped == b.unwrapped
    }
    if let u = unify(sofar, out.type), !declared || sameKind(u, sofar) || out.type.isError { return declared ? sofar : u }
    let which = table.outputs[k].name.map { "output `\($0.value)`" } ?? "result"
    report(
      .tableCell, out.span,
      declared
        ? "this \(which) is \(out.type.brief), but table `\(table.name.value)` declares it \(sofar.brief)"
        : "this \(which) is \(out.type.brief), but earlier results of table `\(table.name.value)` are \(sofar.brief)",
      help: [declared ? "give a value of the declared type, or change the table's type" : "every row of a table gives the same type of result"])
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
    // Enums order by declaration (R1 < R2), which is what risk scales need.
    return c.test.map(operand)
  }
}


extension Checker {
  /// The file text a span covers, for messages that quote an expression.
  func text(of span: Span) -> String {
    project.text(of: span)
  }
}
