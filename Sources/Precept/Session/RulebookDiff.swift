/// What changed between two versions of a set of rulebooks, by rulebook id and by name: rules
/// (per key), definitions, tables (per key and row), lists (words added and removed), schema
/// fields, and each rulebook's version and digest. Expressions are compared by their shape, so
/// spacing and redundant parentheses are not a change; a changed expression is shown with the
/// part that differs (`24%` → `20%`).
public struct RulebookDiff: Sendable {
  /// A rulebook present in either version.
  public struct Version: Sendable, Equatable {
    public var id: String
    public var oldVersion: String?
    public var newVersion: String?
    public var oldDigest: String?
    public var newDigest: String?
  }

  public enum Target: String, Sendable, CaseIterable {
    case rulebook, rule, definition, table, list, schema
  }

  public enum Kind: String, Sendable {
    case added, removed, changed
  }

  /// One key of a changed item: its text before and after (nil where absent), and the parts of
  /// each that differ when both are given.
  public struct KeyChange: Sendable, Equatable {
    public var key: String
    public var old: String?
    public var new: String?
    public var oldPart: String?
    public var newPart: String?
  }

  public struct Change: Sendable {
    public var rulebook: String
    public var target: Target
    /// The rule id, or the definition's, table's or list's name, or the schema field's path.
    public var name: String
    public var kind: Kind
    /// For `changed` (and the content of `added`/`removed` items): each key that differs.
    public var keys: [KeyChange]
    /// For lists: the words added and removed.
    public var wordsAdded: [String] = []
    public var wordsRemoved: [String] = []
  }

  public var rulebooks: [Version]
  public var changes: [Change]

  /// Compares two checked projects (and their compiled rulebooks, for digests).
  public static func compare(old: CheckedProject, oldBooks: [CompiledRulebook], new: CheckedProject, newBooks: [CompiledRulebook]) -> RulebookDiff {
    let before = Side(old.project, oldBooks)
    let after = Side(new.project, newBooks)
    var versions: [Version] = []
    var changes: [Change] = []
    for id in ordered(before.ids, after.ids) {
      let a = before.units[id]
      let b = after.units[id]
      versions.append(
        Version(
          id: id, oldVersion: a?.rulebook.version, newVersion: b?.rulebook.version, oldDigest: before.digests[id],
          newDigest: after.digests[id]))
      switch (a, b) {
      case (let a?, nil):
        changes.append(Change(rulebook: id, target: .rulebook, name: id, kind: .removed, keys: keys([], rulebookKeys(a.rulebook, before.project))))
      case (nil, let b?):
        changes.append(Change(rulebook: id, target: .rulebook, name: id, kind: .added, keys: keys([], rulebookKeys(b.rulebook, after.project))))
      case (let a?, let b?):
        changes += compare(id, a.rulebook, before, b.rulebook, after)
      case (nil, nil):
        break
      }
    }
    return RulebookDiff(rulebooks: versions, changes: changes)
  }

  /// Whether anything but the digest changed (a digest changes with any byte, comments included).
  public var isEmpty: Bool { changes.isEmpty }

  // MARK: One version

  private struct Side {
    let project: Project
    var units: [String: Project.Unit] = [:]
    var ids: [String] = []
    var digests: [String: String] = [:]

    init(_ project: Project, _ books: [CompiledRulebook]) {
      self.project = project
      for unit in project.units where units[unit.rulebook.id.value] == nil {
        units[unit.rulebook.id.value] = unit
        ids.append(unit.rulebook.id.value)
      }
      for b in books { digests[b.id] = b.digest }
    }

    func text(_ span: Span) -> String { RulebookDiff.oneLine(project.text(of: span)) }
  }

  /// The names of both sides: the old order, then what only the new one has.
  private static func ordered(_ a: [String], _ b: [String]) -> [String] {
    let known = Set(a)
    return a + b.filter { !known.contains($0) }
  }

  /// Text on one line, runs of white space as one space (a block scalar's line breaks are layout).
  static func oneLine(_ s: String) -> String {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
  }

  /// Keys whose texts differ, in the order of `new` then what only `old` has.
  private static func keys(_ old: [(String, String)], _ new: [(String, String)]) -> [KeyChange] {
    let before = Dictionary(old, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(new, uniquingKeysWith: { a, _ in a })
    var out: [KeyChange] = []
    for key in ordered(new.map(\.0), old.map(\.0)) where before[key] != after[key] {
      var change = KeyChange(key: key, old: before[key], new: after[key])
      if let a = before[key], let b = after[key] { (change.oldPart, change.newPart) = differingParts(a, b) }
      out.append(change)
    }
    // Keys of the new side first, as written there.
    return out
  }

  // MARK: Keys of each kind of item

  private static func rulebookKeys(_ r: Rulebook, _ p: Project) -> [(String, String)] {
    var out: [(String, String)] = []
    if let t = r.title { out.append(("title", t)) }
    if let v = r.version { out.append(("version", v)) }
    if let j = r.jurisdiction { out.append(("jurisdiction", j)) }
    if let e = r.effective { out.append(("effective", e.value)) }
    if let z = r.timezone { out.append(("timezone", z.value)) }
    if !r.imports.isEmpty { out.append(("imports", r.imports.map { "\($0.alias.value): \($0.path.value)" }.joined(separator: ", "))) }
    out.append(("rules", String(r.rules.count)))
    return out
  }

  /// A rule's keys as texts; expressions in their canonical form (so layout is no change).
  private static func ruleKeys(_ r: Rule, _ side: Side) -> [(String, String)] {
    var out: [(String, String)] = []
    if let t = r.title { out.append(("title", t)) }
    if let c = r.category { out.append(("category", c.value)) }
    if let o = r.owner { out.append(("owner", o.value)) }
    out.append(("severity", r.severity.rawValue))
    if r.stages.count != Stage.allCases.count { out.append(("stage", r.stages.map(\.rawValue).joined(separator: ", "))) }
    if let w = r.when { out.append(("when", w.source)) }
    out.append((r.verb.rawValue, r.condition.source))
    if let m = r.message { out.append(("message", side.text(m.span))) }
    if let c = r.cite { out.append(("cite", c)) }
    if let j = r.justification { out.append(("justification", j)) }
    if !r.overrides.isEmpty { out.append(("overrides", r.overrides.map(\.value).joined(separator: ", "))) }
    if let f = r.effectiveFrom { out.append(("effective from", f.value)) }
    if let u = r.effectiveUntil { out.append(("effective until", u.value)) }
    return out
  }

  private static func tableKeys(_ t: DecisionTable, _ side: Side) -> [(String, String)] {
    var out: [(String, String)] = [("hit", t.hit.rawValue)]
    if let f = t.forEach { out.append(("for", f.source)) }
    out.append(("inputs", t.inputs.map(\.source).joined(separator: ", ")))
    let named = t.outputs.compactMap { o in o.name.map { n in o.type.map { "\(n.value): \($0)" } ?? n.value } }
    if !named.isEmpty { out.append(("outputs", named.joined(separator: ", "))) }
    if let d = t.defaultValue { out.append(("default", d.map(\.source).joined(separator: ", "))) }
    if !t.priority.isEmpty { out.append(("priority", t.priority.map(\.source).joined(separator: ", "))) }
    if let a = t.aggregate { out.append(("aggregate", a.value.rawValue)) }
    return out
  }

  /// A row as written, on one line.
  private static func rowText(_ row: TableRow, _ side: Side) -> String { side.text(row.span) }

  // MARK: Comparing one rulebook

  private static func compare(_ id: String, _ a: Rulebook, _ before: Side, _ b: Rulebook, _ after: Side) -> [Change] {
    var out: [Change] = []
    let meta = keys(rulebookKeys(a, before.project), rulebookKeys(b, after.project)).filter { $0.key != "rules" }
    if !meta.isEmpty { out.append(Change(rulebook: id, target: .rulebook, name: id, kind: .changed, keys: meta)) }

    // Schema fields, by path.
    func fields(_ r: Rulebook) -> [(String, String)] {
      r.schema.flatMap { root in root.fields.map { ($0.path.joined(separator: "."), $0.type.description) } }
    }
    out += items(id, .schema, fields(a), fields(b)) { [("type", $0)] }

    // Lists: the words added and removed.
    func lists(_ r: Rulebook) -> [(String, [String])] { r.lists.map { ($0.name.value, $0.items.map(\.text)) } }
    let oldLists = Dictionary(lists(a), uniquingKeysWith: { x, _ in x })
    let newLists = Dictionary(lists(b), uniquingKeysWith: { x, _ in x })
    for name in ordered(lists(a).map(\.0), lists(b).map(\.0)) {
      switch (oldLists[name], newLists[name]) {
      case (let x?, nil): out.append(Change(rulebook: id, target: .list, name: name, kind: .removed, keys: [], wordsRemoved: x))
      case (nil, let y?): out.append(Change(rulebook: id, target: .list, name: name, kind: .added, keys: [], wordsAdded: y))
      case (let x?, let y?) where x != y:
        let gone = Set(y)
        let had = Set(x)
        out.append(
          Change(
            rulebook: id, target: .list, name: name, kind: .changed,
            keys: [KeyChange(key: "items", old: x.joined(separator: ", "), new: y.joined(separator: ", "))],
            wordsAdded: y.filter { !had.contains($0) }, wordsRemoved: x.filter { !gone.contains($0) }))
      default: break
      }
    }

    // Definitions, by name: their expression.
    func definitions(_ r: Rulebook) -> [(String, String)] { r.definitions.map { ($0.name.value, $0.expr.shape) } }
    let oldSources = Dictionary(a.definitions.map { ($0.name.value, $0.expr.source) }, uniquingKeysWith: { x, _ in x })
    let newSources = Dictionary(b.definitions.map { ($0.name.value, $0.expr.source) }, uniquingKeysWith: { x, _ in x })
    for change in items(id, .definition, definitions(a), definitions(b), { [("expression", $0)] }) {
      // Compared by shape; shown as written canonically.
      var c = change
      c.keys = keys(oldSources[c.name].map { [("expression", $0)] } ?? [], newSources[c.name].map { [("expression", $0)] } ?? [])
      out.append(c)
    }

    // Tables: their keys, then their rows (matched as a longest common subsequence of row texts).
    let oldTables = Dictionary(a.tables.map { ($0.name.value, $0) }, uniquingKeysWith: { x, _ in x })
    let newTables = Dictionary(b.tables.map { ($0.name.value, $0) }, uniquingKeysWith: { x, _ in x })
    for name in ordered(a.tables.map(\.name.value), b.tables.map(\.name.value)) {
      switch (oldTables[name], newTables[name]) {
      case (let x?, nil):
        out.append(Change(rulebook: id, target: .table, name: name, kind: .removed, keys: keys(tableKeys(x, before), [])))
      case (nil, let y?):
        out.append(Change(rulebook: id, target: .table, name: name, kind: .added, keys: keys([], tableKeys(y, after))))
      case (let x?, let y?):
        let changed = keys(tableKeys(x, before), tableKeys(y, after)) + rowChanges(x.rows.map { rowText($0, before) }, y.rows.map { rowText($0, after) })
        if !changed.isEmpty { out.append(Change(rulebook: id, target: .table, name: name, kind: .changed, keys: changed)) }
      default: break
      }
    }

    // Rules, by id.
    let oldRules = Dictionary(a.rules.map { ($0.id.value, $0) }, uniquingKeysWith: { x, _ in x })
    let newRules = Dictionary(b.rules.map { ($0.id.value, $0) }, uniquingKeysWith: { x, _ in x })
    for rule in ordered(a.rules.map(\.id.value), b.rules.map(\.id.value)) {
      switch (oldRules[rule], newRules[rule]) {
      case (let x?, nil): out.append(Change(rulebook: id, target: .rule, name: rule, kind: .removed, keys: keys(ruleKeys(x, before), [])))
      case (nil, let y?): out.append(Change(rulebook: id, target: .rule, name: rule, kind: .added, keys: keys([], ruleKeys(y, after))))
      case (let x?, let y?):
        // Conditions are compared by shape (layout and redundant parentheses are no change).
        let same = { (k: String) -> Bool in
          k == x.verb.rawValue && x.verb == y.verb && x.condition.shape == y.condition.shape
            || k == "when" && x.when?.shape == y.when?.shape
        }
        let changed = keys(ruleKeys(x, before), ruleKeys(y, after)).filter { !same($0.key) }
        if !changed.isEmpty { out.append(Change(rulebook: id, target: .rule, name: rule, kind: .changed, keys: changed)) }
      default: break
      }
    }
    return out
  }

  /// Added, removed and changed items of one kind, each with one key.
  private static func items(
    _ id: String, _ target: Target, _ a: [(String, String)], _ b: [(String, String)], _ content: (String) -> [(String, String)]
  ) -> [Change] {
    let old = Dictionary(a, uniquingKeysWith: { x, _ in x })
    let new = Dictionary(b, uniquingKeysWith: { x, _ in x })
    var out: [Change] = []
    for name in ordered(a.map(\.0), b.map(\.0)) {
      switch (old[name], new[name]) {
      case (let x?, nil): out.append(Change(rulebook: id, target: target, name: name, kind: .removed, keys: keys(content(x), [])))
      case (nil, let y?): out.append(Change(rulebook: id, target: target, name: name, kind: .added, keys: keys([], content(y))))
      case (let x?, let y?) where x != y: out.append(Change(rulebook: id, target: target, name: name, kind: .changed, keys: keys(content(x), content(y))))
      default: break
      }
    }
    return out
  }

  /// Rows kept, added, removed and changed: rows matched as the longest common subsequence of
  /// their texts; between two matches, old and new rows side by side are a row changed, the rest
  /// added or removed. Keys are `row N` (the new row's number, or the old one's for a removal).
  static func rowChanges(_ a: [String], _ b: [String]) -> [KeyChange] {
    let n = a.count
    let m = b.count
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : Swift.max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out: [KeyChange] = []
    var i = 0
    var j = 0
    var gapOld: [Int] = []
    var gapNew: [Int] = []
    func flush() {
      for k in 0..<Swift.max(gapOld.count, gapNew.count) {
        let o = k < gapOld.count ? gapOld[k] : nil
        let w = k < gapNew.count ? gapNew[k] : nil
        var change = KeyChange(key: "row \((w ?? o ?? 0) + 1)", old: o.map { a[$0] }, new: w.map { b[$0] })
        if let x = change.old, let y = change.new { (change.oldPart, change.newPart) = differingParts(x, y) }
        out.append(change)
      }
      gapOld = []
      gapNew = []
    }
    while i < n || j < m {
      if i < n, j < m, a[i] == b[j] {
        flush()
        i += 1
        j += 1
      } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
        gapNew.append(j)
        j += 1
      } else {
        gapOld.append(i)
        i += 1
      }
    }
    flush()
    return out
  }

  // MARK: The part that differs

  /// The middle of `a` and of `b` once their common leading and trailing tokens are set aside
  /// (`apr <= 24%` and `apr <= 20%` → `24%`, `20%`); nil when one holds the other whole.
  static func differingParts(_ a: String, _ b: String) -> (String?, String?) {
    let x = tokens(a)
    let y = tokens(b)
    var start = 0
    while start < x.count, start < y.count, x[start] == y[start] { start += 1 }
    var end = 0
    while end < x.count - start, end < y.count - start, x[x.count - 1 - end] == y[y.count - 1 - end] { end += 1 }
    let oldPart = String(x[start..<(x.count - end)].joined().trimmingSpaces)
    let newPart = String(y[start..<(y.count - end)].joined().trimmingSpaces)
    return (oldPart.isEmpty ? nil : oldPart, newPart.isEmpty ? nil : newPart)
  }

  /// Words (letters, digits, `_`, `.`, `%` and any non-ASCII character run together), runs of
  /// spaces, and single other characters.
  private static func tokens(_ s: String) -> [String] {
    var out: [String] = []
    var word = ""
    var spaces = ""
    func isWord(_ c: Character) -> Bool {
      c.isLetter || c.isNumber || c == "_" || c == "." || c == "%" || !c.isASCII
    }
    for c in s {
      if isWord(c) {
        if !spaces.isEmpty { out.append(spaces); spaces = "" }
        word.append(c)
      } else {
        if !word.isEmpty { out.append(word); word = "" }
        if c == " " {
          spaces.append(c)
        } else {
          if !spaces.isEmpty { out.append(spaces); spaces = "" }
          out.append(String(c))
        }
      }
    }
    if !word.isEmpty { out.append(word) }
    if !spaces.isEmpty { out.append(spaces) }
    return out
  }
}
