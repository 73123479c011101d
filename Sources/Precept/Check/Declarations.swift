extension Checker {
  func checkLists() {
    for u in project.units.indices {
      for l in unit(u).lists { _ = listType(Reference(unit: u, name: l.name.value)) }
    }
  }

  /// A list's element type: quoted or wordy items are text; plain numbers, amounts, dates are those.
  func listType(_ ref: Reference) -> ValueType {
    if let done = listTypes[ref] { return done.type }
    guard let index = scopes[ref.unit].lists[ref.name] else { return .error }
    let list = unit(ref.unit).lists[index]
    var t: ValueType = .nothing
    var items: [Typed] = []
    for item in list.items {
      let typed = listItem(item, ref.unit)
      if let u = unify(t, typed.type) {
        t = u
      } else {
        report(
          .typeMismatch, item.span, "list `\(ref.name)` mixes \(t.brief) and \(typed.type.brief)",
          help: ["a list holds one type of value; quote numbers to make them text"])
      }
      items.append(typed)
    }
    listTypes[ref] = CheckedList(list: list, type: t, items: items)
    return t
  }

  private func listItem(_ item: ListItem, _ u: Int) -> Typed {
    let text = Typed(.literal(.string(item.text)), .text, item.span)
    // Only plain items that look like numbers, amounts or dates are read as such; `保本` stays text.
    guard item.style == .plain, let first = item.text.unicodeScalars.first, first.isASCIIDigit || first == "-" else { return text }
    let (e, diags) = Parser.parse(item.source)
    guard diags.isEmpty, case .literal(let l) = e.kind else { return text }
    return Typed(.literal(l), literalType(l, item.span), item.span)
  }

  /// A definition's type, checking it on first use. A definition that reaches itself is an error.
  func definitionType(_ ref: Reference) -> ValueType {
    if let done = definitionTypes[ref] { return done.type }
    if let at = inProgress.firstIndex(of: ref) {
      reportCycle(Array(inProgress[at...]))
      return .error
    }
    guard let index = scopes[ref.unit].definitions[ref.name] else { return .error }
    let def = unit(ref.unit).definitions[index]
    let typed = measuring(ref) { check(def.expr, Env(unit: ref.unit)) }
    // A definition in a cycle has already been given the error type; keep that.
    if definitionTypes[ref] == nil { definitionTypes[ref] = typed }
    return definitionTypes[ref]?.type ?? .error
  }

  /// One diagnostic however long the cycle: its names abbreviated past six, a note on each of the
  /// first five others.
  private func reportCycle(_ cycle: [Reference]) {
    for r in cycle { definitionTypes[r] = .error(spanOfDeclaration(r)) }
    let others = cycle.dropFirst()
    var notes: [Diagnostic.Note] = others.prefix(5).map { .init("`\(Checker.clipped($0.name))` is part of the cycle", at: spanOfDeclaration($0)) }
    if others.count > 5 { notes.append(.init("and \(others.count - 5) more definitions")) }
    report(
      .definitionCycle, spanOfDeclaration(cycle[0]),
      "definitions depend on each other in a cycle: " + Checker.chain(cycle.map(\.name) + [cycle[0].name])
        + (cycle.count > 5 ? " (\(cycle.count) definitions)" : ""),
      notes: notes,
      help: ["a definition cannot use itself, directly or through others; break the cycle"])
  }

  func spanOfDeclaration(_ r: Reference) -> Span {
    let book = unit(r.unit)
    if let d = book.definitions.first(where: { $0.name.value == r.name }) { return d.name.span }
    if let t = book.tables.first(where: { $0.name.value == r.name }) { return t.name.span }
    if let l = book.lists.first(where: { $0.name.value == r.name }) { return l.name.span }
    return book.id.span
  }
}
