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
    guard let m = mapping(node, of: "table `\(name.value)`", allowed: ["hit", "for", "inputs", "outputs", "type", "rows", "default", "priority", "aggregate", "description"], required: ["inputs", "rows"]),
      let inputNodes = m["inputs"].flatMap({ sequence($0.value, "the table's `inputs`") }),
      let rowNodes = m["rows"].flatMap({ sequence($0.value, "the table's `rows`") })
    else { return nil }
    let hit = m["hit"].flatMap { word($0.value, "hit policy", as: HitPolicy.self) } ?? .unique
    let inputs = inputNodes.compactMap { expression($0, "a table input") }
    if inputs.isEmpty, inputNodes.isEmpty {
      report(.tableShape, node.span.startOnly, "table `\(name.value)` has no inputs")
    }
    let outputs = tableOutputs(name.value, m)
    let named = outputs.first?.name != nil
    var rows: [TableRow] = []
    for rowNode in rowNodes {
      guard let cells = sequence(rowNode, "a table row") else { continue }
      let wanted = inputNodes.count + outputs.count
      guard cells.count == wanted else {
        let results = named ? "then one per output (" + outputs.compactMap { $0.name?.value }.joined(separator: ", ") + ")" : "then the result"
        report(
          .tableShape, rowNode.span,
          "this row has \(cells.count) cell\(cells.count == 1 ? "" : "s"); table `\(name.value)` has \(inputNodes.count) input\(inputNodes.count == 1 ? "" : "s"), so each row needs \(wanted) (one per input, \(results))",
          help: ["write `-` in a cell that matches any value"])
        continue
      }
      let tests = cells.prefix(inputNodes.count).compactMap { tableCell($0) }
      let results = cells.suffix(outputs.count).compactMap { expression($0, "a table result") }
      guard tests.count == inputNodes.count, results.count == outputs.count else { continue }
      rows.append(TableRow(cells: tests, outputs: results, span: rowNode.span))
    }
    let defaultValue = m["default"].flatMap { tableDefault($0.value, outputs, table: name.value) }
    let forEach = m["for"].flatMap { expression($0.value, "the table's `for`") }
    var table = DecisionTable(
      name: name, hit: hit, forEach: forEach, inputs: inputs, outputs: outputs, rows: rows, defaultValue: defaultValue, span: key.span)
    policyKeys(&table, m, hitGiven: m["hit"] != nil)
    return table
  }

  /// `type:` (the single result's type) or `outputs:` — names, or names with their types.
  private mutating func tableOutputs(_ table: String, _ m: [String: YAMLPair]) -> [TableOutput] {
    func declaredType(_ node: YAMLNode) -> ValueType? {
      guard let source = exprSource(node), !node.isNull else {
        report(.invalidType, node.span, "a table's result type must be a type such as `money`, `percent` or `enum(approve, refer, decline)`")
        return nil
      }
      let (t, diags) = TypeParser.parse(source, level: 1)
      diagnostics += diags
      return t
    }
    guard let o = m["outputs"] else {
      guard let t = m["type"] else { return [TableOutput()] }
      return [TableOutput(type: declaredType(t.value), typeSpan: t.value.span)]
    }
    if let t = m["type"] {
      report(
        .tableShape, t.key.span, "`type` is for a table with one result; table `\(table)` has `outputs`",
        help: ["give each output its type in `outputs`: `outputs: {limit: money, rate: percent}`"])
    }
    var out: [TableOutput] = []
    func add(_ key: YAMLNode, _ type: YAMLNode?) {
      guard let n = key.scalarValue, n.isIdentifier else {
        report(.invalidID, key.span, "`\(key.scalarValue ?? key.kindDescription)` cannot be an output name: use letters, digits and `_`")
        return
      }
      if out.contains(where: { $0.name?.value == n }) {
        report(.tableShape, key.span, "table `\(table)` has two outputs called `\(n)`")
        return
      }
      out.append(TableOutput(name: Located(n, key.span), type: type.flatMap(declaredType), typeSpan: type?.span))
    }
    switch o.value.kind {
    case .sequence(let items): items.forEach { add($0, nil) }
    case .mapping(let pairs): pairs.forEach { add($0.key, $0.value) }
    default:
      report(
        .wrongShape, o.value.span, "`outputs` must list the output names, found \(o.value.kindDescription)",
        help: ["write `outputs: [limit, rate]`, or with types `outputs: {limit: money, rate: percent}`"])
    }
    if out.isEmpty {
      report(.tableShape, o.key.span, "table `\(table)` declares no outputs", help: ["write `outputs: [limit, rate]`, or remove `outputs` for a table with one result"])
      return [TableOutput()]
    }
    return out
  }

  /// `default:` — one result, or for named outputs a mapping with a value for each.
  private mutating func tableDefault(_ node: YAMLNode, _ outputs: [TableOutput], table: String) -> [Expr]? {
    guard outputs.first?.name != nil else { return expression(node, "the table's `default`").map { [$0] } }
    let names = outputs.compactMap { $0.name?.value }
    guard case .mapping(let pairs) = node.kind else {
      report(
        .wrongShape, node.span, "the `default` of table `\(table)` must give a value for each output, found \(node.kindDescription)",
        help: ["write `default: {" + names.map { "\($0): …" }.joined(separator: ", ") + "}`"])
      return nil
    }
    var values: [String: Expr] = [:]
    for p in pairs {
      guard names.contains(p.name) else {
        report(.unknownKey, p.key.span, "table `\(table)` has no output `\(p.name)`", help: Suggestion.help(for: p.name, among: names))
        continue
      }
      if let e = expression(p.value, "a default") { values[p.name] = e }
    }
    let given = Set(pairs.map(\.name))
    let absent = names.filter { !given.contains($0) }
    if !absent.isEmpty {
      report(
        .missingKey, node.span, "the `default` of table `\(table)` gives no value for " + absent.map { "`\($0)`" }.joined(separator: ", "),
        help: ["every output needs a default value"])
      return nil
    }
    let ordered = names.compactMap { values[$0] }
    return ordered.count == names.count ? ordered : nil
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
      if table.outputs.count > 1 {
        report(
          .tableShape, a.key.span, "`aggregate` cannot fold table `\(name)`, which has \(table.outputs.count) outputs",
          help: ["as in DMN, only a table with one output can aggregate; read the list of results and fold one output: `sum(\(name).\(table.outputs.first?.name?.value ?? "output"))`"])
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

  /// A cell: `-`, or a list of tests — each `<= 12`, `[1..5]`, `(0..1]` or a value to equal — any
  /// of which matches (`A, B`, `< 18, >= 60`), or `not(…)` of such a list.
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
    /// One test: a comparison, a range or a value.
    func single(_ x: Int, _ y: Int) -> TableCell.Test? {
      var x = x
      var y = y
      while x < y, t[x].isSpace { x += 1 }
      while y > x, t[y - 1].isSpace { y -= 1 }
      guard x < y else {
        report(.tableCell, node.span, "a test in this cell is empty", help: ["separate the tests of a cell with one comma: `< 18, >= 60`"])
        return nil
      }
      if y - x == 1, t[x] == "-" {
        report(.tableCell, node.span, "`-` matches any value, so it cannot be one of several tests", help: ["write `-` alone in the cell"])
        return nil
      }
      if let (op, width) = NodeReader.comparisonPrefix(t, x) { return .compare(op, parse(x + width, y)) }
      if t[x] == "[" || t[x] == "(", t[y - 1] == "]" || t[y - 1] == ")", let dots = NodeReader.find(t, "..", from: x, to: y) {
        return .range(parse(x + 1, dots), lowInclusive: t[x] == "[", parse(dots + 2, y - 1), highInclusive: t[y - 1] == "]")
      }
      return .equals(parse(x, y))
    }
    /// The tests between `x` and `y`, any of which matches.
    func tests(_ x: Int, _ y: Int) -> TableCell.Test? {
      guard let commas = NodeReader.topLevelCommas(t, x, y), !commas.isEmpty else { return single(x, y) }
      var items: [TableCell.Test] = []
      var start = x
      for c in commas + [y] {
        guard let test = single(start, c) else { return nil }
        items.append(test)
        start = c + 1
      }
      return .anyOf(items)
    }
    let test: TableCell.Test?
    if b - a > 4, String(String.UnicodeScalarView(t[a..<(a + 4)])) == "not(", t[b - 1] == ")",
      NodeReader.closingParen(t, from: a + 3, to: b) == b - 1
    {
      test = tests(a + 4, b - 1).map { .not($0) }
    } else {
      test = tests(a, b)
    }
    if diagnostics.count > before, let last = diagnostics.last, last.code != .tableCell {
      diagnostics[diagnostics.count - 1].help.append("cells are `-`, a value, `<= 12`, `[1..5]`, `A, B`, `< 18, >= 60` or `not(A, B)`")
    }
    return test.map { TableCell(test: $0, span: node.span) }
  }

  /// The position of the `)` that closes the `(` at `open`, outside quotes; nil when none does before `to`.
  static func closingParen(_ t: [Unicode.Scalar], from open: Int, to: Int) -> Int? {
    var found: Int?
    scanOutsideQuotes(t, open, to) { i, depth in
      if (t[i] == ")" || t[i] == "]"), depth == 1 { found = i }
      return found == nil
    }
    return found
  }

  /// Walks `t[a..<b]` outside quotes, giving each position with the depth of brackets open before
  /// it, until `body` returns false.
  static func scanOutsideQuotes(_ t: [Unicode.Scalar], _ a: Int, _ b: Int, _ body: (_ i: Int, _ depth: Int) -> Bool) {
    var depth = 0
    var quote: Unicode.Scalar?
    for i in a..<b {
      let c = t[i]
      if let q = quote {
        if c == q { quote = nil }
        continue
      }
      if c == "\"" || c == "'" {
        quote = c
        continue
      }
      guard body(i, depth) else { return }
      switch c {
      case "(", "[": depth += 1
      case ")", "]": depth -= 1
      default: break
      }
    }
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
    scanOutsideQuotes(t, a, b) { i, depth in
      if t[i] == ",", depth == 0 { out.append(i) }
      return true
    }
    return out
  }
}
