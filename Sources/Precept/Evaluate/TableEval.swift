extension Evaluator {
  /// A decision table's result under its hit policy. `unique` with two matching rows, `any` with
  /// two that disagree, and no matching row without a `default` are failures that name the rows
  /// or the inputs; an input that is missing leaves the result missing only where it matters.
  func table(_ t: Int, node: Int) -> Value {
    let table = book.tables[t]
    let inputs = table.inputs.map { eval(Int32($0)) }
    var matched: [Int] = []
    // A row is the Kleene `and` of its cells: one false cell and it does not match, whatever
    // the others are; a cell that cannot be decided (a missing input) leaves the row undecided.
    var undecided = false
    for (r, row) in table.rows.enumerated() {
      var verdict: Bool? = true
      for (cell, input) in zip(row.cells, inputs) {
        switch matches(cell, input, node: node) {
        case true?: continue
        case false?: verdict = false
        case nil: verdict = nil
        }
        if verdict == false { break }
      }
      if verdict == nil {
        // For `first`, an undecided row before any match might be the one; for the other
        // policies any undecided row might change the result.
        undecided = true
        if table.hit == .first { return .missing }
        continue
      }
      guard verdict == true else { continue }
      matched.append(r)
      if recordTableRows { tableRowsChosen[t][r] = true }
      if table.hit == .first { break }
    }
    if undecided { return .missing }
    switch table.hit {
    case .first:
      if let r = matched.first { return eval(Int32(table.rows[r].output)) }
    case .unique:
      if matched.count > 1 { return fail(node, .ambiguousRows(table.name, matched.map { $0 + 1 })) }
      if let r = matched.first { return eval(Int32(table.rows[r].output)) }
    case .any:
      let outputs = matched.map { eval(Int32(table.rows[$0].output)) }
      if let first = outputs.first {
        if outputs.contains(where: { Evaluator.equal($0, first) != true }) { return fail(node, .disagreeingRows(table.name, matched.map { $0 + 1 })) }
        return first
      }
    case .collect:
      return .list(matched.map { eval(Int32(table.rows[$0].output)) })
    }
    if let d = table.defaultValue { return eval(Int32(d)) }
    // Every input is known and no row matches: not a missing fact, a gap in the table.
    let given = zip(table.inputs, inputs).map { "\(text(of: $0)) = \($1.formatted(as: book.nodes[$0].type))" }
    return fail(node, .noRowMatches(table.name, given.joined(separator: ", ")))
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
