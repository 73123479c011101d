/// The names one rulebook can use without a prefix.
struct Scope {
  /// Fact roots: the rulebook's own schema merged with its imports' schemas.
  var facts: [String: ValueType] = [:]
  /// Where each fact root was declared, for notes.
  var factSpans: [String: Span] = [:]
  var lists: [String: Int] = [:]
  var definitions: [String: Int] = [:]
  var tables: [String: Int] = [:]
  var aliases: [String: Int] = [:]
  /// Aliases of imports that failed (not found, a cycle, outside the root): already reported,
  /// so names read through them stay quiet instead of each becoming an "unknown name".
  var brokenAliases: Set<String> = []
  /// Names declared twice in this rulebook (reported as P0216). Which one a use meant is
  /// anybody's guess, so uses stay quiet until the author renames one.
  var duplicates: Set<String> = []

  /// Whether `n` is declared here (or is `today`), in any namespace.
  func knows(_ n: String) -> Bool {
    facts[n] != nil || lists[n] != nil || definitions[n] != nil || tables[n] != nil || aliases[n] != nil
      || brokenAliases.contains(n) || duplicates.contains(n) || n == "today"
  }

  /// Every name the scope knows, for "did you mean" suggestions.
  var allNames: [String] {
    Array(facts.keys) + Array(lists.keys) + Array(definitions.keys) + Array(tables.keys) + Array(aliases.keys) + ["today"]
  }
}

extension Checker {
  /// Builds each unit's scope. Imported schemas merge into the importer's: facts are shared by
  /// every rulebook that reads them, so an imported definition reads the same `applicant`.
  func declare() {
    scopes = project.units.indices.map { i in
      var s = Scope()
      let book = unit(i)
      // A name declared twice (reported as P0216) keeps its first meaning, in the order the
      // reader checks uniqueness: import aliases, facts, lists, definitions, tables.
      var taken: Set<String> = []
      for name in book.imports.map(\.alias.value) + book.schema.map(\.name.value) where !taken.insert(name).inserted {
        s.duplicates.insert(name)
      }
      func claim(_ name: String) -> Bool {
        if taken.insert(name).inserted { return true }
        s.duplicates.insert(name)
        return false
      }
      for (k, l) in book.lists.enumerated() where claim(l.name.value) { s.lists[l.name.value] = k }
      for (k, d) in book.definitions.enumerated() where claim(d.name.value) { s.definitions[d.name.value] = k }
      for (k, t) in book.tables.enumerated() where claim(t.name.value) { s.tables[t.name.value] = k }
      for (alias, target) in project.units[i].imports { s.aliases[alias] = target }
      for imp in book.imports where s.aliases[imp.alias.value] == nil { s.brokenAliases.insert(imp.alias.value) }
      return s
    }
    for i in project.units.indices {
      // Depth first, imports in order, with an explicit stack: a chain of imports can be long.
      var visited: Set<Int> = []
      var pending = [i]
      while let j = pending.popLast() {
        guard visited.insert(j).inserted else { continue }
        mergeSchema(into: i, from: j)
        pending += project.units[j].imports.values.sorted().reversed()
      }
    }
  }

  private func mergeSchema(into i: Int, from j: Int) {
    for root in unit(j).schema {
      let name = root.name.value
      if let existing = scopes[i].facts[name] {
        if let merged = mergeRecords(existing, root.type) {
          scopes[i].facts[name] = merged
        } else if j != i || scopes[i].factSpans[name] != root.name.span {
          report(
            .invalidType, root.name.span,
            "fact `\(name)` is declared with a different type in \(j == i ? "this rulebook" : "an imported rulebook")",
            notes: scopes[i].factSpans[name].map { [.init("also declared here", at: $0)] } ?? [])
        }
      } else {
        scopes[i].facts[name] = root.type
        scopes[i].factSpans[name] = root.name.span
      }
    }
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
