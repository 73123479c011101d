extension Evaluator {
  /// A decision table's result under its hit policy. `unique` with two matching rows, `any` with
  /// two that disagree, a result outside the `priority` list, and no matching row without a
  /// `default` are failures that name the rows, the result or the inputs; an input that is missing leaves the result missing only where it matters.
  func table(_ t: Int, node: Int) -> Value {
    let table = book.tables[t]
    let inputs = table.inputs.map { eval(Int32($0)) }
    var matched: [Int] = []
    // A row is the Kleene `and` of its cells: one false cell and it does not match, whatever
    // the others are; a cell that cannot be decided (a missing input) leaves the row undecided.
    var undecided = false
    for (r, row) in table.rows.enumerated() {
      var verdict = Truth.yes
      for (cell, input) in zip(row.cells, inputs) {
        verdict = verdict.and(Truth(matches(cell, input, node: node)))
        if verdict == .no { break }
      }
      if verdict == .unknown {
        // For `first`, an undecided row before any match might be the one; for the other
        // policies any undecided row might change the result.
        undecided = true
        if table.hit == .first { return .missing }
        continue
      }
      guard verdict == .yes else { continue }
      matched.append(r)
      if recordTableRows { tableRowsChosen[t][r] = true }
      if table.hit == .first { break }
    }
    if undecided { return .missing }
    switch table.hit {
    case .first:
      if let r = matched.first { return chosen(table, [r], node: node) }
    case .unique:
      if matched.count > 1 { return fail(node, .ambiguousRows(table.name, matched.map { $0 + 1 })) }
      if let r = matched.first { return chosen(table, [r], node: node) }
    case .any:
      let outputs = matched.map { result(table.rows[$0].outputs) }
      if let first = outputs.first {
        if outputs.contains(where: { Value.equal($0, first) != true }) { return fail(node, .disagreeingRows(table.name, matched.map { $0 + 1 })) }
        return chosen(table, matched, node: node, value: first)
      }
    case .priority:
      guard let best = ranked(table, matched, node: node) else { return .missing }
      if let first = best.first { return chosen(table, [first.row], node: node, value: first.value) }
    case .outputOrder:
      guard let order = ranked(table, matched, node: node) else { return .missing }
      return chosen(table, order.map(\.row), node: node, value: .list(order.map(\.value)))
    case .ruleOrder:
      return chosen(table, matched, node: node, value: .list(matched.map { result(table.rows[$0].outputs) }))
    case .collect:
      noteRows(matched, node: node)
      let outputs = matched.map { result(table.rows[$0].outputs) }
      guard let aggregate = table.aggregate else { return .list(outputs) }
      if aggregate == .count { return .number(Fixed(outputs.count)) }
      if let folded = fold(outputs, aggregate, node: node) { return folded }
    }
    if let d = table.defaultValue {
      noteRows([], node: node)
      return result(d)
    }
    // Sum, min and max of nothing are not a number: missing, not a gap in the table.
    if table.aggregate != nil { return .missing }
    // Every input is known and no row matches: not a missing fact, a gap in the table.
    let given = zip(table.inputs, inputs).map { "\(text(of: $0)) = \($1.formatted(as: book.nodes[$0].type))" }
    return fail(node, .noRowMatches(table.name, given.joined(separator: ", ")))
  }

  /// The value of the rows chosen (their result, unless given), noting them for the trace.
  private func chosen(_ table: CompiledTable, _ rows: [Int], node: Int, value: Value? = nil) -> Value {
    noteRows(rows, node: node)
    if let value { return value }
    return rows.first.map { result(table.rows[$0].outputs) } ?? .missing
  }

  /// For a trace: the rows (counted from 1) the table's value came from; none for its `default`.
  private func noteRows(_ rows: [Int], node: Int) {
    if recordWitnesses { tableRows[node] = rows.map { $0 + 1 } }
  }

  /// A row's (or the default's) result: its one output, or the record of its named outputs.
  private func result(_ outputs: [Int]) -> Value {
    if outputs.count == 1, let only = outputs.first { return eval(Int32(only)) }
    return .record(outputs.map { eval(Int32($0)) })
  }

  /// The matching rows with their results, most important first by the `priority:` list (which
  /// ranks the first output; rows of equal rank in row order); nil when a ranked output is
  /// missing or not in the list (a failure).
  private func ranked(_ table: CompiledTable, _ matched: [Int], node: Int) -> [(row: Int, value: Value)]? {
    let ranks = table.priority.map { eval(Int32($0)) }
    var out: [(rank: Int, row: Int, value: Value)] = []
    for r in matched {
      guard let output = table.rows[r].outputs.first else { return nil }
      let v = eval(Int32(output))
      if v.isMissing { return nil }
      guard let k = ranks.firstIndex(where: { Value.equal(v, $0) == true }) else {
        _ = fail(node, .unrankedResult(table.name, v.formatted(as: book.nodes[output].type)))
        return nil
      }
      out.append((k, r, result(table.rows[r].outputs)))
    }
    return out.sorted { ($0.rank, $0.row) < ($1.rank, $1.row) }.map { ($0.row, $0.value) }
  }

  /// `aggregate: sum | min | max` over the matching results; nil when none matched.
  private func fold(_ outputs: [Value], _ aggregate: Aggregate, node: Int) -> Value? {
    guard var acc = outputs.first else { return nil }
    if outputs.contains(where: \.isMissing) { return .missing }
    for v in outputs.dropFirst() {
      switch aggregate {
      case .sum: acc = arithmetic(.add, acc, v, node: node)
      case .min, .max:
        // `compare` reports amounts in two currencies as a failure, not a silent pick.
        guard let less = compare(v, acc, holds: .below, node: node) else { return .missing }
        if less == (aggregate == .min), Value.equal(v, acc) != true { acc = v }
      case .count: return .number(Fixed(outputs.count))
      }
      if acc.isMissing { return .missing }
    }
    return acc
  }

  private func matches(_ cell: CompiledTable.Cell, _ input: Value, node: Int) -> Bool? {
    switch cell {
    case .any: return true
    case .equals(let e): return Value.equal(input, eval(Int32(e)))
    case .compare(let op, let e):
      return compare(input, eval(Int32(e)), holds: Program.Orderings(op), node: node)
    case .range(let lo, let li, let hi, let hiIn):
      let atLow = compare(input, eval(Int32(lo)), holds: li ? [.equal, .above] : .above, node: node)
      let atHigh = compare(input, eval(Int32(hi)), holds: hiIn ? [.below, .equal] : .below, node: node)
      guard let atLow, let atHigh else { return nil }
      return atLow && atHigh
    case .anyOf(let cells):
      // Kleene `or`: one match decides; an undecided test leaves a non-match undecided.
      var verdict = Truth.no
      for c in cells {
        verdict = verdict.or(Truth(matches(c, input, node: node)))
        if verdict == .yes { return true }
      }
      return verdict.bool
    case .not(let c):
      return matches(c, input, node: node).map { !$0 }
    }
  }
}
