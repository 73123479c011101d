import Precept

/// The language features, each a function of the workspace and a place in a document.
struct Features {
  let ws: Workspace
  let docs: Docs

  /// The analysis, the document's project path and the scalar offset (in Precept's counting) of a position.
  func locate(_ uri: String, _ line: Int, _ character: Int) -> (Analysis, String, Int, LineIndex)? {
    guard let a = ws.analysis, let file = ws.file(ofURI: uri) else { return nil }
    let index = ws.index(forFile: file)
    return (a, file, index.offset(line: line, character: character), index)
  }

  // MARK: hover

  func hover(_ uri: String, _ line: Int, _ character: Int) -> JSON {
    guard let (a, file, offset, index) = locate(uri, line, character) else { return .null }
    // A diagnostic under the cursor: its code explained.
    if let d = a.checked.diagnostics.first(where: { $0.span.file == file && $0.span.start.offset <= offset && offset <= $0.span.end.offset }) {
      return markdown(explain(d.code.rawValue, title: d.code.title), range: LSP.range(d.span, index))
    }
    // A code written in the file (`lint: {allow: [P0605]}`).
    if let (word, start, end) = word(at: offset, in: index), word.count == 5, word.hasPrefix("P"), word.dropFirst().allSatisfy(\.isNumber),
      let code = DiagnosticCode(rawValue: word)
    {
      return markdown(explain(word, title: code.title), range: LSP.range(start, end, index))
    }
    guard let o = a.occurrence(in: file, at: offset) else { return .null }
    var text: String
    switch o.target {
    case .fact(let path): text = "fact `\(path.joined(separator: "."))`"
    case .definition(let r): text = "definition `\(r.name)`"
    case .list(let r): text = "list `\(r.name)`"
    case .table(let r): text = "table `\(r.name)`"
    case .alias(_, let name): text = "import `\(name)`"
    case .rule(let id):
      guard let r = a.rule(id) else { return .null }
      var lines = ["rule **\(id)**" + (r.title.map { " — \($0)" } ?? "")]
      lines.append("severity: `\(r.severity.rawValue)`" + (r.owner.map { " · owner: `\($0.value)`" } ?? "") + (r.category.map { " · category: `\($0.value)`" } ?? ""))
      lines.append("\(r.verb.rawValue): `\(r.condition.source)`")
      if let c = r.cite { lines.append("cite: " + c) }
      // What each cited clause says, from the regulations registry.
      for id in r.clauses {
        guard let found = a.checked.project.registries.lazy.compactMap({ $0.clause(id.value) }).first else { continue }
        lines.append("`\(id.value)` (\(found.clause.status.rawValue)): \(found.clause.description)")
      }
      return markdown(lines.joined(separator: "\n\n"), range: LSP.range(o.span, index))
    }
    if let t = o.type { text += ": `\(t)`" }
    if case .definition(let r) = o.target, let d = a.checked.project.units[safe: r.unit]?.rulebook.definitions.first(where: { $0.name.value == r.name }) {
      text += "\n\n`\(d.expr.source)`"
    }
    return markdown(text, range: LSP.range(o.span, index))
  }

  func explain(_ code: String, title: String) -> String {
    docs.diagnostics[code] ?? "**\(code)** \(title)"
  }

  func markdown(_ text: String, range: JSON) -> JSON {
    .object([("contents", .object([("kind", .string("markdown")), ("value", .string(text))])), ("range", range)])
  }

  /// The word (letters, digits, `_`) around `offset`.
  func word(at offset: Int, in index: LineIndex) -> (String, Int, Int)? {
    let s = index.scalars
    func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" }
    var a = min(offset, s.count)
    var b = a
    while a > 0, isWord(s[a - 1]) { a -= 1 }
    while b < s.count, isWord(s[b]) { b += 1 }
    return a < b ? (Array(s[a..<b]).string, a, b) : nil
  }

  // MARK: definition and references

  func definition(_ uri: String, _ line: Int, _ character: Int) -> JSON {
    guard let (a, file, offset, _) = locate(uri, line, character), let o = a.occurrence(in: file, at: offset),
      let span = a.declaration(of: o.target)
    else { return .null }
    return LSP.location(span, ws)
  }

  func references(_ uri: String, _ line: Int, _ character: Int, includeDeclaration: Bool) -> JSON {
    guard let (a, file, offset, _) = locate(uri, line, character), let o = a.occurrence(in: file, at: offset) else { return .array([]) }
    return .array(a.references(to: o.target).filter { includeDeclaration || !$0.isDeclaration }.map { LSP.location($0.span, ws) })
  }

  // MARK: document symbols

  func symbols(_ uri: String) -> JSON {
    guard let a = ws.analysis, let file = ws.file(ofURI: uri), let u = a.unit(of: file) else { return .array([]) }
    let book = a.checked.project.units[u].rulebook
    let index = ws.index(forFile: file)
    func symbol(_ name: String, _ detail: String?, _ kind: Int, _ whole: Span, _ selection: Span) -> JSON {
      var f: [(String, JSON)] = [("name", .string(name)), ("kind", .int(kind))]
      if let detail { f.append(("detail", .string(detail))) }
      f += [("range", LSP.range(whole.union(selection), index)), ("selectionRange", LSP.range(selection, index))]
      return .object(f)
    }
    var out: [JSON] = []
    for d in book.definitions { out.append(symbol(d.name.value, "definition", 13, d.name.span.union(d.expr.span), d.name.span)) }
    for l in book.lists { out.append(symbol(l.name.value, "list", 18, l.name.span.union(l.span), l.name.span)) }
    for t in book.tables { out.append(symbol(t.name.value, "table", 5, t.name.span.union(t.span), t.name.span)) }
    for r in book.rules { out.append(symbol(r.id.value, r.title, 12, r.nodeSpan ?? r.span, r.id.span)) }
    for t in book.tests { out.append(symbol(t.name.value, "test", 24, t.span, t.name.span)) }
    return .array(out)
  }

  // MARK: semantic tokens

  static let tokenTypes = ["keyword", "number", "string", "operator", "variable", "property", "function", "enumMember", "namespace"]

  func semanticTokens(_ uri: String) -> JSON {
    guard let a = ws.analysis, let file = ws.file(ofURI: uri), let source = a.checked.project.files[file] else {
      return .object([("data", .array([]))])
    }
    let index = ws.index(forFile: file)
    guard let root = YAMLLoader.load(source).root else { return .object([("data", .array([]))]) }
    let aliases = Set(a.unit(of: file).map { a.checked.project.units[$0].imports.keys.map { $0 } } ?? [])
    var tokens: [(start: Int, end: Int, type: Int)] = []
    for expr in Formatter.expressionSources(in: source, root: root) {
      let toks = Lexer.tokenize(expr).tokens
      for (k, t) in toks.enumerated() {
        let type: Int?
        switch t.kind {
        case .keyword(let kw): type = kw == .true || kw == .false ? 1 : 0
        case .int, .decimal, .percent, .duration, .date, .datetime: type = 1
        case .string: type = 2
        case .symbol(let s):
          type = [.lparen, .rparen, .lbracket, .rbracket, .comma, .colon, .dot].contains(s) ? nil : 3
        case .identifier:
          let afterDot = k > 0 && toks[k - 1].kind == .symbol(.dot)
          let beforeParen = k + 1 < toks.count && toks[k + 1].kind == .symbol(.lparen)
          if beforeParen {
            type = 6
          } else if afterDot {
            type = 5
          } else if aliases.contains(t.text) && k + 1 < toks.count && toks[k + 1].kind == .symbol(.dot) {
            type = 8
          } else if a.enumCases[file]?.contains(expr.offsets[min(t.start, expr.offsets.count - 1)]) == true {
            type = 7
          } else {
            type = 4
          }
        case .end: type = nil
        }
        guard let type, t.end > t.start, t.end <= expr.text.count else { continue }
        let start = expr.offsets[t.start]
        let end = expr.offsets[t.end - 1] + 1
        tokens.append((start, end, type))
      }
    }
    tokens.sort { $0.start < $1.start }
    var data: [JSON] = []
    var last = (line: 0, character: 0)
    for t in tokens {
      let a = index.position(ofOffset: t.start)
      let b = index.position(ofOffset: t.end)
      guard a.line == b.line, b.character > a.character else { continue }  // one line per token
      let dl = a.line - last.line
      let dc = dl == 0 ? a.character - last.character : a.character
      data += [.int(dl), .int(dc), .int(b.character - a.character), .int(t.type), .int(0)]
      last = a
    }
    return .object([("data", .array(data))])
  }
}
