import Foundation
import Precept

extension Features {
  // MARK: completion

  func completion(_ uri: String, _ line: Int, _ character: Int) -> JSON {
    guard let doc = ws.documents[uri] else { return .array([]) }
    let lineText = doc.index.line(line)
    let cursor = doc.index.offset(line: line, character: character) - doc.index.lineStarts[min(line, doc.index.lineStarts.count - 1)]
    let before = Array(lineText.prefix(max(0, cursor))).string
    let a = ws.analysis
    let unit = ws.file(ofURI: uri).flatMap { a?.unit(of: $0) }

    // A key being typed at the start of a line: the keys of a rule, or of the top level.
    if let keyPrefix = Self.keyPrefix(before) {
      let inRules = Self.enclosingTopKey(doc.index, line: line) == "rules" && !before.allSatisfy({ $0 != " " })
      let keys = inRules ? RulebookKeys.rule : RulebookKeys.topLevel
      return .array(keys.filter { $0.hasPrefix(keyPrefix) }.map { item($0, kind: 10, detail: inRules ? "rule key" : "rulebook key", insert: $0 + ": ") })
    }
    guard let a, let unit else { return .array([]) }
    let project = a.checked.project
    let book = project.units[unit].rulebook
    let roots = a.checked.factRoots[safe: unit] ?? []

    // After `.`: the fields of a fact path, or the names an import alias leads to.
    if let path = Self.pathBeforeDot(before) {
      if let target = project.units[unit].imports[path.first ?? ""], path.count == 1 {
        let b = project.units[target].rulebook
        return .array(b.definitions.map { item($0.name.value, kind: 6, detail: "definition") }
          + b.lists.map { item($0.name.value, kind: 6, detail: "list") }
          + b.tables.map { item($0.name.value, kind: 3, detail: "table") })
      }
      guard let rootType = roots.first(where: { $0.name == path.first })?.type, let t = Self.type(rootType, at: Array(path.dropFirst())) else {
        return .array([])
      }
      var record = t.unwrapped
      if case .list(let e) = record { record = e.unwrapped }  // projection: `product.fees.amount`
      guard case .record(let r) = record else { return .array([]) }
      return .array(r.fields.map { item($0.name, kind: 5, detail: "\($0.type)") })
    }

    // Comparing with an enum: its cases.
    if let (path, _) = Self.enumComparison(before), let rootType = roots.first(where: { $0.name == path.first })?.type,
      let t = Self.type(rootType, at: Array(path.dropFirst()))
    {
      var e = t.unwrapped
      if case .list(let inner) = e { e = inner.unwrapped }
      if case .enumeration(let en) = e { return .array(en.cases.map { item($0, kind: 20, detail: "case of \(path.joined(separator: "."))") }) }
    }

    // Anywhere else in an expression: builtins, names in scope, keywords.
    var items: [JSON] = Builtin.allCases.map { f in
      item(f.rawValue, kind: 3, detail: docs.builtins[f.rawValue].map { $0.replacingAll("`", with: "") } ?? "builtin", insert: f.rawValue + "(")
    }
    items += roots.map { item($0.name, kind: 6, detail: "fact: \($0.type)") }
    items += book.definitions.map { item($0.name.value, kind: 6, detail: "definition: \(a.checked.definitions[Reference(unit: unit, name: $0.name.value)]?.type.description ?? "")") }
    items += book.lists.map { item($0.name.value, kind: 6, detail: "list") }
    items += book.tables.map { item($0.name.value, kind: 3, detail: "table") }
    items += book.imports.map { item($0.alias.value, kind: 9, detail: "import \($0.path.value)") }
    items += ["today", "and", "or", "not", "in", "between", "contains", "matches", "is missing", "is present", "where", "any", "all", "none", "if", "then", "else"]
      .map { item($0, kind: 14, detail: "keyword") }
    return .array(items)
  }

  func item(_ label: String, kind: Int, detail: String, insert: String? = nil) -> JSON {
    var f: [(String, JSON)] = [("label", .string(label)), ("kind", .int(kind)), ("detail", .string(detail))]
    if let insert { f.append(("insertText", .string(insert))) }
    return .object(f)
  }

  /// The partial key when the text before the cursor is only a key being typed (`    sev`, `  - i`).
  static func keyPrefix(_ before: String) -> String? {
    var s = Substring(before)
    while s.first == " " { s.removeFirst() }
    if s.hasPrefix("- ") { s = s.dropFirst(2) }
    guard s.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
    return String(s)
  }

  /// The top-level key whose block holds `line` (the nearest unindented key above).
  static func enclosingTopKey(_ index: LineIndex, line: Int) -> String? {
    var n = line
    while n >= 0 {
      let text = index.line(n).string
      if let first = text.first, first != " ", first != "#", first != "-", let colon = text.firstIndex(of: ":") {
        return String(text[..<colon])
      }
      n -= 1
    }
    return nil
  }

  /// `product.pricing.` (and a partial name after it) at the end of the text → `[product, pricing]`.
  static func pathBeforeDot(_ before: String) -> [String]? {
    var s = Array(before.unicodeScalars)
    while let last = s.last, isName(last) { s.removeLast() }
    guard s.last == "." else { return nil }
    s.removeLast()
    var path: [String] = []
    while true {
      var word: [Unicode.Scalar] = []
      while let last = s.last, isName(last) { word.insert(s.removeLast(), at: 0) }
      guard !word.isEmpty else { return path.isEmpty ? nil : path }
      path.insert(word.string, at: 0)
      guard s.last == "." else { return path }
      s.removeLast()
    }
  }

  static func isName(_ c: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
  }

  /// `product.kind == ` / `product.kind != con` / `product.kind in [a, ` → the compared path.
  static func enumComparison(_ before: String) -> ([String], String)? {
    var s = Array(before.unicodeScalars)
    while let last = s.last, isName(last) { s.removeLast() }
    var text = s.string
    if let bracket = text.lastIndex(of: "["), !text[bracket...].contains("]") {
      text = String(text[..<bracket])
      while text.hasSuffix(" ") { text.removeLast() }
      guard text.hasSuffix(" in") else { return nil }
      text.removeLast(3)
      if text.hasSuffix(" not") { text.removeLast(4) }
    } else {
      while text.hasSuffix(" ") { text.removeLast() }
      guard text.hasSuffix("==") || text.hasSuffix("!=") else { return nil }
      text.removeLast(2)
    }
    while text.hasSuffix(" ") { text.removeLast() }
    guard let path = pathBeforeDot(text + ".") else { return nil }
    return (path, text)
  }

  /// The type at a field path below a root's type (through lists, as projections do).
  static func type(_ t: ValueType, at path: [String]) -> ValueType? {
    var current = t
    for name in path {
      var u = current.unwrapped
      if case .list(let e) = u { u = e.unwrapped }
      guard case .record(let r) = u, let f = r.field(name) else { return nil }
      current = f
    }
    return current
  }

  // MARK: code actions

  func codeActions(_ uri: String, start: (Int, Int), end: (Int, Int)) -> JSON {
    guard let a = ws.analysis, let file = ws.file(ofURI: uri) else { return .array([]) }
    let index = ws.index(forFile: file)
    let from = index.offset(line: start.0, character: start.1)
    let to = index.offset(line: end.0, character: end.1)
    var actions: [JSON] = []
    func action(_ title: String, _ d: Diagnostic, _ edits: [(Int, Int, String)]) {
      let textEdits: [JSON] = edits.map { .object([("range", LSP.range($0.0, $0.1, index)), ("newText", .string($0.2))]) }
      actions.append(.object([
        ("title", .string(title)), ("kind", .string("quickfix")),
        ("diagnostics", .array([LSP.diagnostic(d, index, ws)])),
        ("edit", .object([("changes", .object([(uri, .array(textEdits))]))])),
      ]))
    }
    for d in a.checked.diagnostics where d.span.file == file && d.span.start.offset <= to && from <= d.span.end.offset {
      // The did-you-mean of the diagnostic, in place of the misspelt name.
      for h in d.help where h.hasPrefix("did you mean `") {
        let guess = h.dropFirst("did you mean `".count).prefix { $0 != "`" }
        action("Change to `\(guess)`", d, [(d.span.start.offset, d.span.end.offset, String(guess))])
      }
      // A blocking rule without a citation: add `cite:` under its id.
      if d.code == .blockWithoutCite, let rule = a.checked.project.units.flatMap(\.rulebook.rules).first(where: { $0.id.span.file == file && ($0.nodeSpan ?? $0.span).start.offset <= d.span.start.offset && d.span.start.offset <= ($0.nodeSpan ?? $0.span).end.offset }) {
        let idLine = index.position(ofOffset: rule.id.span.start.offset).line
        let idKey = keyColumn(index.line(idLine))
        let at = idLine + 1 < index.lineStarts.count ? index.lineStarts[idLine + 1] : index.scalars.count
        action("Add a `cite:`", d, [(at, at, String(repeating: " ", count: idKey) + "cite: \"illustrative: …\"\n")])
      }
      // YAML read `key: a: b` as a nested mapping: quote the expression.
      if d.code == .yamlSyntax {
        let line = index.position(ofOffset: d.span.start.offset).line
        for n in [line, line - 1] where n >= 0 {
          if let (s, e, quoted) = quotedValue(index.line(n)) {
            let base = index.lineStarts[n]
            action("Quote the expression (it contains `: `)", d, [(base + s, base + e, quoted)])
            break
          }
        }
      }
    }
    return .array(actions)
  }

  /// The column of the key on a line (`  - id: X` → 4).
  func keyColumn(_ line: [Unicode.Scalar]) -> Int {
    var i = 0
    while i < line.count, line[i] == " " || line[i] == "-" { i += 1 }
    return i
  }

  /// For `key: value: more`, the value's range on the line and the value single-quoted.
  func quotedValue(_ line: [Unicode.Scalar]) -> (Int, Int, String)? {
    let text = line.string
    guard let sep = text.range(of: ": ") else { return nil }
    let key = text[..<sep.lowerBound].trimmingCharacters(in: .whitespaces)
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" || $0 == " " }) else { return nil }
    var value = String(text[sep.upperBound...])
    while value.hasSuffix(" ") { value.removeLast() }
    guard value.contains(": "), let first = value.first, first != "'", first != "\"" else { return nil }
    let start = text[..<sep.upperBound].unicodeScalars.count
    return (start, start + value.unicodeScalars.count, "'" + value.replacingAll("'", with: "''") + "'")
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
