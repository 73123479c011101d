extension Checker {
  func checkTables() {
    for u in project.units.indices {
      for t in unit(u).tables { _ = tableResultType(Reference(unit: u, name: t.name.value)) }
    }
  }

  /// What naming a table yields: one result (missing when no row matches and there is no
  /// default), or the list of all results for `collect`.
  func tableResultType(_ ref: Reference) -> ValueType {
    guard let t = checkedTable(ref) else { return .error }
    if t.table.hit == .collect { return .list(t.outputType) }
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
    let checked = CheckedTable(table: table, inputs: inputs, rows: rows, defaultValue: defaultValue, outputType: outputType)
    tableTypes[ref] = checked
    return checked
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
