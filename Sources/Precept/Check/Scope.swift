/// What a name declared in a rulebook stands for.
enum Declared {
  case definition(Int)
  case list(Int)
  case table(Int)
  /// A fact root and its (merged) type.
  case fact(ValueType)
  /// An import alias and the unit it names.
  case alias(Int)
}

/// The names one rulebook can use without a prefix, in one table so resolving a name is one lookup.
struct Scope {
  var names: [String: Declared] = [:]
  /// Where each fact root was declared, for notes.
  var factSpans: [String: Span] = [:]

  subscript(_ name: String) -> Declared? { names[name] }

  var facts: [String: ValueType] {
    names.compactMapValues { if case .fact(let t) = $0 { t } else { nil } }
  }
  func fact(_ n: String) -> ValueType? {
    if case .fact(let t)? = names[n] { return t }
    return nil
  }
  func alias(_ n: String) -> Int? {
    if case .alias(let u)? = names[n] { return u }
    return nil
  }

  /// Every name the scope knows, for "did you mean" suggestions.
  var allNames: [String] { Array(names.keys) + ["today"] }
}

extension Checker {
  /// Builds each unit's scope. Imported schemas merge into the importer's: facts are shared by
  /// every rulebook that reads them, so an imported definition reads the same `applicant`.
  func declare() {
    scopes = project.units.indices.map { i in
      var s = Scope()
      let book = unit(i)
      // Clashing names were reported by the reader; the first declaration wins here.
      for (alias, target) in project.units[i].imports { s.names[alias] = s.names[alias] ?? .alias(target) }
      for (k, l) in book.lists.enumerated() { s.names[l.name.value] = s.names[l.name.value] ?? .list(k) }
      for (k, d) in book.definitions.enumerated() { s.names[d.name.value] = s.names[d.name.value] ?? .definition(k) }
      for (k, t) in book.tables.enumerated() { s.names[t.name.value] = s.names[t.name.value] ?? .table(k) }
      return s
    }
    for i in project.units.indices {
      var visited: Set<Int> = []
      mergeSchema(into: i, from: i, visited: &visited)
    }
  }

  private func mergeSchema(into i: Int, from j: Int, visited: inout Set<Int>) {
    guard visited.insert(j).inserted else { return }
    for root in unit(j).schema {
      let name = root.name.value
      if let existing = scopes[i].fact(name) {
        if let merged = mergeRecords(existing, root.type) {
          scopes[i].names[name] = .fact(merged)
        } else if j != i || scopes[i].factSpans[name] != root.name.span {
          report(
            .invalidType, root.name.span,
            "fact `\(name)` is declared with a different type in \(j == i ? "this rulebook" : "an imported rulebook")",
            notes: scopes[i].factSpans[name].map { [.init("also declared here", at: $0)] } ?? [])
        }
      } else if scopes[i][name] == nil {
        scopes[i].names[name] = .fact(root.type)
        scopes[i].factSpans[name] = root.name.span
      }
    }
    for target in project.units[j].imports.values.sorted() { mergeSchema(into: i, from: target, visited: &visited) }
  }

  /// Two schemas of the same fact: records merge field by field; anything else must agree exactly.
  private func mergeRecords(_ a: ValueType, _ b: ValueType) -> ValueType? {
    if a == b { return a }
    guard case .record(let ra) = a, case .record(let rb) = b else { return nil }
    var fields = ra.fields
    for f in rb.fields {
      if let k = fields.firstIndex(where: { $0.name == f.name }) {
        guard let m = mergeRecords(fields[k].type, f.type) else { return nil }
        fields[k].type = m
      } else {
        fields.append(f)
      }
    }
    return .record(RecordType(fields))
  }
}
