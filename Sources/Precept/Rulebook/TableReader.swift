extension NodeReader {
  mutating func tables(_ node: YAMLNode) -> [DecisionTable] {
    guard case .mapping(let pairs) = node.kind else {
      report(.wrongShape, node.span, "`tables` must be a mapping of table names to tables, found \(node.kindDescription)")
      return []
    }
    return pairs.compactMap { table(name: $0.key, $0.value) }
  }

  private mutating func table(name key: YAMLNode, _ node: YAMLNode) -> DecisionTable? {
    let name = Located(key.scalarValue ?? "", key.span)
    guard name.value.isIdentifier else {
      report(.invalidID, key.span, "`\(name.value)` cannot be a table name: use letters, digits and `_`")
      return nil
    }
    guard let m = mapping(node, of: "table `\(name.value)`", allowed: ["hit", "inputs", "rows", "default", "priority", "aggregate", "description"], required: ["inputs", "rows"]),
      let inputNodes = m["inputs"].flatMap({ sequence($0.value, "the table's `inputs`") }),
      let rowNodes = m["rows"].flatMap({ sequence($0.value, "the table's `rows`") })
    else { return nil }
    let hit = m["hit"].flatMap { word($0.value, "hit policy", as: HitPolicy.self) } ?? .unique
    let inputs = inputNodes.compactMap { expression($0, "a table input") }
    if inputs.isEmpty, inputNodes.isEmpty {
      report(.tableShape, node.span.startOnly, "table `\(name.value)` has no inputs")
    }
    var rows: [TableRow] = []
    for rowNode in rowNodes {
      guard let cells = sequence(rowNode, "a table row") else { continue }
      guard cells.count == inputNodes.count + 1 else {
        report(
          .tableShape, rowNode.span,
          "this row has \(cells.count) cell\(cells.count == 1 ? "" : "s"); table `\(name.value)` has \(inputNodes.count) input\(inputNodes.count == 1 ? "" : "s"), so each row needs \(inputNodes.count + 1) (one per input, then the result)",
          help: ["write `-` in a cell that matches any value"])
        continue
      }
      let tests = cells.dropLast().compactMap { tableCell($0) }
      guard tests.count == inputNodes.count, let last = cells.last, let output = expression(last, "a table result") else { continue }
      rows.append(TableRow(cells: tests, output: output, span: rowNode.span))
    }
    let defaultValue = m["default"].flatMap { expression($0.value, "the table's `default`") }
    var table = DecisionTable(name: name, hit: hit, inputs: inputs, rows: rows, defaultValue: defaultValue, span: key.span)
    policyKeys(&table, m, hitGiven: m["hit"] != nil)
    return table
  }

  /// `priority:` and `aggregate:`, each only where its hit policy uses it, and a `default`
  /// only where it can be used.
  private mutating func policyKeys(_ table: inout DecisionTable, _ m: [String: YAMLPair], hitGiven: Bool) {
    let name = table.name.value
    let hit = table.hit
    let hitText = hitGiven ? "`hit: \(hit.rawValue)`" : "the default `hit: unique`"
    let ordered = hit == .priority || hit == .outputOrder
    if let p = m["priority"] {
      if !ordered {
        report(
          .tableShape, p.key.span, "`priority` has no use in table `\(name)` with \(hitText)",
          help: ["`priority` ranks the results for `hit: priority` and `hit: output_order`; remove it or change `hit`"])
      }
      if let items = sequence(p.value, "the table's `priority`") {
        if items.isEmpty, ordered { report(.tableShape, p.value.span, "the `priority` list of table `\(name)` is empty", help: ["list the results from most to least important"]) }
        table.priority = items.compactMap { expression($0, "a priority") }
      }
    } else if ordered {
      report(
        .missingKey, table.name.span, "table `\(name)` with `hit: \(hit.rawValue)` is missing the required key `priority`",
        help: ["list the results from most to least important: `priority: [Declined, Referred, Approved]`"])
    }
    if let a = m["aggregate"] {
      if hit != .collect {
        report(
          .tableShape, a.key.span, "`aggregate` has no use in table `\(name)` with \(hitText)",
          help: ["`aggregate` folds the results of `hit: collect`; remove it or write `hit: collect`"])
      }
      if let word = word(a.value, "aggregate", as: Aggregate.self) { table.aggregate = Located(word, a.value.span) }
    }
    if let d = m["default"] {
      if !hit.isSingle, table.aggregate == nil {
        report(
          .tableShape, d.key.span,
          "`default` is never used in table `\(name)`: with \(hitText) the result when no row matches is an empty list",
          help: ["remove `default`, or add `aggregate: sum | count | min | max` to a `collect` table to fold its results into one value"])
      } else if table.aggregate?.value == .count {
        report(
          .tableShape, d.key.span, "`default` is never used in table `\(name)`: `aggregate: count` gives 0 when no row matches",
          help: ["remove `default`"])
      }
    }
  }

  /// A cell: `-`, `<= 12`, `[1..5]`, `(0..1]`, `A, B`, or a value to equal.
  private mutating func tableCell(_ node: YAMLNode) -> TableCell? {
    guard let source = exprSource(node) else {
      report(.tableCell, node.span, "a table cell must be a single value such as `-`, `<= 12`, `[1..5]` or `A`, found \(node.kindDescription)")
      return nil
    }
    let t = source.text
    var a = 0
    var b = t.count
    while a < b, t[a].isSpace { a += 1 }
    while b > a, t[b - 1].isSpace { b -= 1 }
    if a == b {
      report(.tableCell, node.span, "empty table cell", help: ["write `-` for a cell that matches any value"])
      return nil
    }
    if b - a == 1, t[a] == "-" { return TableCell(test: .any, span: node.span) }
    let before = diagnostics.count
    func parse(_ x: Int, _ y: Int) -> Expr {
      let (e, d) = Parser.parse(source.slice(x, y))
      diagnostics += d
      return e
    }
    let test: TableCell.Test
    if let (op, width) = NodeReader.comparisonPrefix(t, a) {
      test = .compare(op, parse(a + width, b))
    } else if t[a] == "[" || t[a] == "(", t[b - 1] == "]" || t[b - 1] == ")", let dots = NodeReader.find(t, "..", from: a, to: b) {
      test = .range(parse(a + 1, dots), lowInclusive: t[a] == "[", parse(dots + 2, b - 1), highInclusive: t[b - 1] == "]")
    } else if let commas = NodeReader.topLevelCommas(t, a, b), !commas.isEmpty {
      var items: [Expr] = []
      var start = a
      for c in commas + [b] {
        items.append(parse(start, c))
        start = c + 1
      }
      test = .oneOf(items)
    } else {
      test = .equals(parse(a, b))
    }
    if diagnostics.count > before, let last = diagnostics.last, last.code != .tableCell {
      diagnostics[diagnostics.count - 1].help.append("cells are `-`, a value, `<= 12`, `[1..5]` or `A, B`")
    }
    return TableCell(test: test, span: node.span)
  }

  static func comparisonPrefix(_ t: [Unicode.Scalar], _ a: Int) -> (BinaryOp, Int)? {
    let two = a + 1 < t.count ? String(t[a]) + String(t[a + 1]) : ""
    switch two {
    case "<=": return (.le, 2)
    case ">=": return (.ge, 2)
    case "==": return (.eq, 2)
    case "!=": return (.ne, 2)
    default: break
    }
    switch t[a] {
    case "<": return (.lt, 1)
    case ">": return (.gt, 1)
    default: return nil
    }
  }

  static func find(_ t: [Unicode.Scalar], _ pattern: String, from: Int, to: Int) -> Int? {
    let p = Array(pattern.unicodeScalars)
    guard to - from >= p.count else { return nil }
    for i in from...(to - p.count) where Array(t[i..<(i + p.count)]) == p { return i }
    return nil
  }

  /// Positions of commas outside quotes and brackets.
  static func topLevelCommas(_ t: [Unicode.Scalar], _ a: Int, _ b: Int) -> [Int]? {
    var out: [Int] = []
    var depth = 0
    var quote: Unicode.Scalar?
    for i in a..<b {
      let c = t[i]
      if let q = quote {
        if c == q { quote = nil }
        continue
      }
      switch c {
      case "\"", "'": quote = c
      case "(", "[": depth += 1
      case ")", "]": depth -= 1
      case "," where depth == 0: out.append(i)
      default: break
      }
    }
    return out
  }
}
