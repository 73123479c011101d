extension GraphCompiler {
  /// Compiles a decision table once, however many rules name it.
  mutating func table(_ ref: Reference) -> Int {
    if let i = tableIndexes[ref] { return i }
    let i = compileTable(ref)
    tableIndexes[ref] = i
    return i
  }

  /// Compiles a table with `for:` for application at loop depth `level`: its inputs, cells and
  /// results read the item from that level.
  mutating func appliedTable(_ ref: Reference, level: Int) -> Int {
    let key = AppliedTableKey(table: ref, level: level)
    if let i = appliedTableIndexes[key] { return i }
    let saved = frames
    frames = Array(frames.prefix(level)) + [nil]
    let i = compileTable(ref)
    frames = saved
    appliedTableIndexes[key] = i
    return i
  }

  private mutating func compileTable(_ ref: Reference) -> Int {
    guard let t = checked.tables[ref] else { return 0 }
    let inputs = t.inputs.map { lower($0) }
    var rows: [(cells: [CompiledTable.Cell], outputs: [Int])] = []
    for row in t.rows {
      let cells = row.cells.map { cell($0) }
      rows.append((cells, row.outputs.map { lower($0) }))
    }
    let compiled = CompiledTable(
      name: ref.name, hit: t.table.hit, inputs: inputs, rows: rows, defaultValue: t.defaultValue.map { $0.map { lower($0) } },
      priority: t.priority.map { lower($0) }, aggregate: t.table.aggregate?.value, rowSpans: t.table.rows.map(\.span))
    tables.append(compiled)
    names.tables[tables.count - 1] = qualified(ref)
    return tables.count - 1
  }

  private mutating func cell(_ c: CheckedTable.Cell) -> CompiledTable.Cell { c.map { lower($0) } }

  /// A rule's trace shape: each sub-expression's node and text. Loop bodies are not expanded
  /// (their values change per item); definitions are expanded one level so a reviewer sees
  /// what `dti` was made of.
  mutating func template(_ t: Typed, expandDefinitions: Bool = true) -> TraceTemplate {
    let node = lower(t)
    var children: [TraceTemplate] = []
    var fact: String?
    var definition: String?
    var table: Int?
    var matchNodes: [Int] = []
    switch t.kind {
    case .fact(let path): fact = path.joined(separator: ".")
    case .definition(let ref):
      definition = ref.name
      if expandDefinitions, let def = checked.definitions[ref] { children = [template(def, expandDefinitions: false)] }
    case .filter(let xs, let body), .quantifier(_, _, let xs, let body):
      children = [template(xs, expandDefinitions: expandDefinitions)]
      // Look the body's nodes up inside the same loop frame they were lowered in.
      if case .quantifier(_, let name, _, _) = t.kind { frames.append(name) } else { frames.append(nil) }
      matchNodes = textTests(in: body)
      frames.removeLast()
    case .binary(let op, _, _) where op == .contains || op == .containsAny || op == .containsAll:
      matchNodes = [node]
      children = t.children.map { template($0, expandDefinitions: expandDefinitions) }
    case .table(let ref):
      // The inputs the rows were chosen by, so the trace (and `missing`) names the facts behind it.
      table = self.table(ref)
      children = (checked.tables[ref]?.inputs ?? []).map { template($0, expandDefinitions: false) }
    case .appliedTable(let ref, let item):
      // Its inputs read the item, whose value the trace shows.
      table = appliedTable(ref, level: frames.count)
      children = [template(item, expandDefinitions: expandDefinitions)]
    case .call(.near, let args):
      matchNodes = [node]
      children = args.map { template($0, expandDefinitions: expandDefinitions) }
    case .literal, .enumCase, .namedList, .today, .item, .variable, .error: break
    case .call(let f, let args):
      let shown = (f == .window || f == .perDay) ? Array(args.prefix(f == .window ? 2 : 1)) : args
      children = shown.map { template($0, expandDefinitions: expandDefinitions) }
    default:
      children = t.children.map { template($0, expandDefinitions: expandDefinitions) }
    }
    return TraceTemplate(
      node: node, text: text(t.span), type: t.type, fact: fact, definition: definition, table: table, matchNodes: matchNodes,
      children: children)
  }

  /// The nodes of the text tests inside an expression (already lowered, so this only looks them up).
  /// `seen`: the definitions already looked into, so shared ones are visited once, not once per path.
  private mutating func textTests(in t: Typed) -> [Int] {
    var seen: Set<Reference> = []
    return textTests(in: t, &seen)
  }

  private mutating func textTests(in t: Typed, _ seen: inout Set<Reference>) -> [Int] {
    var out: [Int] = []
    if case .binary(let op, _, _) = t.kind, op == .contains || op == .containsAny || op == .containsAll { out.append(lower(t)) }
    if case .call(.near, _) = t.kind { out.append(lower(t)) }
    if case .definition(let ref) = t.kind, seen.insert(ref).inserted, let d = checked.definitions[ref] { out += textTests(in: d, &seen) }
    for c in t.children { out += textTests(in: c, &seen) }
    return out
  }

  func text(_ span: Span) -> String {
    checked.project.text(of: span)
  }

  /// Compiles every rule of the unit.
  mutating func rules() -> [CompiledRule] {
    let checkedRules = checked.rules[unit]
    let ids = checkedRules.map(\.rule.id.value)
    return checkedRules.map { c in
      let r = c.rule
      let whenNode = c.when.map { lower($0) }
      let conditionNode = lower(c.condition)
      let message = c.message.map { part -> MessagePiece in
        switch part {
        case .text(let s): .text(s)
        case .placeholder(let t): .value(lower(t), t.type)
        }
      }
      var compiled = CompiledRule(
        id: r.id.value, title: r.title, category: r.category?.value, owner: r.owner?.value, severity: r.severity,
        verb: r.verb, stages: r.stages, cite: r.cite, source: r.span,
        conditionText: text(c.condition.span), whenText: c.when.map { text($0.span) },
        when: whenNode, condition: conditionNode, message: message,
        overrides: r.overrides.compactMap { ids.firstIndex(of: $0.value) },
        effectiveFrom: r.effectiveFrom.flatMap { CivilDate.parse($0.value).ok },
        effectiveUntil: r.effectiveUntil.flatMap { CivilDate.parse($0.value).ok },
        trace: template(c.condition), whenTrace: c.when.map { template($0) })
      compiled.clauses = r.clauses.map(\.value)
      return compiled
    }
  }
}

extension Compile {
  /// Compiles every rulebook the user asked for that has no errors. Rulebooks with errors are
  /// left out; the caller reports `checked.diagnostics` first.
  public static func rulebooks(_ checked: CheckedProject) -> [CompiledRulebook] {
    checked.project.requested.compactMap { u in
      let file = checked.project.units[u].rulebook.file.path
      if checked.diagnostics.contains(where: { $0.severity == .error && $0.span.file == file }) { return nil }
      return rulebook(checked, unit: u)
    }
  }

  /// Compiles one unit of a checked project.
  public static func rulebook(_ checked: CheckedProject, unit u: Int) -> CompiledRulebook {
    var compiler = GraphCompiler(checked, unit: u)
    let rules = compiler.rules()
    let book = checked.project.units[u].rulebook
    return CompiledRulebook(
      id: book.id.value, title: book.title, version: book.version, jurisdiction: book.jurisdiction,
      digest: Digest.sources(checked.project, unit: u), path: book.file.path, roots: compiler.roots, rules: rules,
      effective: book.effective.flatMap { CivilDate.parse($0.value).ok },
      timezoneOffset: book.timezone.flatMap { UTCOffset.parse($0.value) } ?? 0,
      nodes: compiler.nodes, tables: compiler.tables, names: compiler.names,
      sources: Dictionary(uniqueKeysWithValues: Digest.units(checked.project, from: u).map { i in
        let f = checked.project.units[i].rulebook.file
        return (f.path, f)
      }))
  }
}

/// Compiling checked rulebooks into rule graphs.
public enum Compile {}

/// The digest that identifies a rulebook version in every decision.
enum Digest {
  /// `sha256:` over the rulebook's bytes and those of every file it imports (transitively), in a fixed order.
  static func sources(_ project: Project, unit: Int) -> String {
    var hasher = SHA256Hasher()
    for u in units(project, from: unit) {
      let file = project.units[u].rulebook.file
      // Bytes only, not paths: the same rulebook has one digest however it is named on the command line.
      hasher.update(file.utf8)
      hasher.update([0])
    }
    return "sha256:" + hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }

  /// A unit and everything it imports, transitively, in a fixed order (depth first, aliases sorted).
  /// (With an explicit stack: a chain of imports can be long.)
  static func units(_ project: Project, from unit: Int) -> [Int] {
    var seen: Set<Int> = []
    var order: [Int] = []
    var pending = [unit]
    while let u = pending.popLast() {
      guard seen.insert(u).inserted else { continue }
      order.append(u)
      pending += project.units[u].imports.sorted(by: { $0.key < $1.key }).map(\.value).reversed()
    }
    return order
  }
}
