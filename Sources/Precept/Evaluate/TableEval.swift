extension Evaluator {
  /// A decision table's result under its hit policy. `unique` with two matching rows is
  /// unknown (the rows disagree about which applies); the failure names both rows.
  func table(_ t: Int, node: Int) -> Value {
    let table = book.tables[t]
    let inputs = table.inputs.map { eval(Int32($0)) }
    var matched: [Int] = []
    for (r, row) in table.rows.enumerated() {
      var all = true
      for (cell, input) in zip(row.cells, inputs) {
        switch matches(cell, input, node: node) {
        case true?: continue
        case false?: all = false
        case nil: return .missing  // an input needed to choose a row is missing
        }
        if !all { break }
      }
      guard all else { continue }
      matched.append(r)
      if recordTableRows { tableRowsChosen[t][r] = true }
      if table.hit == .first { break }
    }
    switch table.hit {
    case .first:
      if let r = matched.first { return eval(Int32(table.rows[r].output)) }
    case .unique:
      if matched.count > 1 { return fail(node, .ambiguousRows(table.name, matched.map { $0 + 1 })) }
      if let r = matched.first { return eval(Int32(table.rows[r].output)) }
    case .any:
      let outputs = matched.map { eval(Int32(table.rows[$0].output)) }
      if let first = outputs.first {
        if outputs.contains(where: { Evaluator.equal($0, first) != true }) { return fail(node, .ambiguousRows(table.name, matched.map { $0 + 1 })) }
        return first
      }
    case .collect:
      return .list(matched.map { eval(Int32(table.rows[$0].output)) })
    }
    return table.defaultValue.map { eval(Int32($0)) } ?? .missing
  }

  private func matches(_ cell: CompiledTable.Cell, _ input: Value, node: Int) -> Bool? {
    switch cell {
    case .any: return true
    case .equals(let e): return Evaluator.equal(input, eval(Int32(e)))
    case .compare(let op, let e):
      guard case .bool(let b) = compare(op, input, eval(Int32(e)), node: node) else { return nil }
      return b
    case .range(let lo, let li, let hi, let hiIn):
      guard case .bool(let a) = compare(li ? .ge : .gt, input, eval(Int32(lo)), node: node),
        case .bool(let b) = compare(hiIn ? .le : .lt, input, eval(Int32(hi)), node: node)
      else { return nil }
      return a && b
    case .oneOf(let xs):
      if input.isMissing { return nil }
      return xs.contains { Evaluator.equal(input, eval(Int32($0))) == true }
    }
  }
}
