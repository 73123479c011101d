/// Builds a `Rulebook` from a YAML document: every key of the format validated, every expression parsed.
public enum RulebookReader {
  static let topLevelKeys = [
    "precept", "rulebook", "title", "description", "version", "jurisdiction", "effective", "timezone",
    "imports", "schema", "lists", "definitions", "tables", "rules", "tests",
  ]
  /// The format versions this build reads.
  public static let formatVersions = ["1"]

  /// Reads a rulebook from its parsed YAML. Returns nil only when the file is not a rulebook at all.
  /// Rules whose text `memo` holds from an earlier load are taken from it.
  public static func read(_ root: YAMLNode, file: SourceFile, memo: LoadMemo? = nil) -> (Rulebook?, [Diagnostic]) {
    var r = NodeReader(file: file, memo: memo)
    guard let top = r.mapping(root, of: "a rulebook", allowed: topLevelKeys, required: ["precept", "rulebook"]) else {
      return (nil, r.diagnostics)
    }
    if let v = top["precept"], let s = r.scalar(v.value, "`precept`"), !formatVersions.contains(s.value) {
      r.report(
        .formatVersion, s.span, "this is rulebook format `\(s.value)`; this version of Precept reads format 1",
        help: ["write `precept: 1`"])
    }
    var id = Located("", root.span.startOnly)
    if let v = top["rulebook"], let s = r.text(v.value, "the rulebook id") {
      id = s
      if !isRulebookID(s.value) {
        r.report(
          .invalidID, s.span, "rulebook id `\(s.value)` must be dotted lower-case words, like `cn.consumer-credit`",
          help: isRulebookID(s.value.lowercased()) ? ["write `\(s.value.lowercased())`"] : [])
      }
    }
    var book = Rulebook(
      file: file, id: id,
      title: top["title"].flatMap { r.scalar($0.value, "`title`")?.value },
      version: top["version"].flatMap { r.scalar($0.value, "`version`")?.value },
      jurisdiction: top["jurisdiction"].flatMap { r.scalar($0.value, "`jurisdiction`")?.value },
      effective: top["effective"].flatMap { r.text($0.value, "`effective`") },
      timezone: top["timezone"].flatMap { r.text($0.value, "`timezone`") },
      imports: [], schema: [], lists: [], definitions: [], tables: [], rules: [], tests: [])
    if let n = top["imports"] { (book.imports, book.reusedAliases) = r.imports(n.value) }
    if let n = top["schema"] { book.schema = r.schema(n.value) }
    if let n = top["lists"] { book.lists = r.lists(n.value) }
    if let n = top["definitions"] { book.definitions = r.definitions(n.value) }
    if let n = top["tables"] { book.tables = r.tables(n.value) }
    if let n = top["rules"] {
      book.rules = r.rules(n.value)
      book.rulesSpan = n.value.span
    }
    if let n = top["tests"] { book.tests = r.tests(n.value) }
    r.checkNamesAreUnique(book)
    return (book, r.diagnostics)
  }

  static func isRulebookID(_ s: String) -> Bool {
    let words = s.split(separator: ".", omittingEmptySubsequences: false)
    return !words.isEmpty && words.allSatisfy { w in
      guard let f = w.unicodeScalars.first, f.value >= 0x61, f.value <= 0x7A else { return false }
      return w.unicodeScalars.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
    }
  }
}

extension NodeReader {
  /// The imports, and the aliases a later import tried to reuse.
  mutating func imports(_ node: YAMLNode) -> ([Import], Set<String>) {
    guard let items = sequence(node, "`imports`", help: ["write each import as a list item: `- { path: ../common/cn-lists.yaml, as: cn }`"]) else { return ([], []) }
    var out: [Import] = []
    var reused: Set<String> = []
    for item in items {
      guard let m = mapping(item, of: "an import", allowed: ["path", "as"], required: ["path", "as"]),
        let p = m["path"].flatMap({ text($0.value, "the import's `path`") }),
        let a = m["as"].flatMap({ text($0.value, "the import's `as`") })
      else { continue }
      guard a.value.isIdentifier, Keyword(rawValue: a.value) == nil else {
        let fixed = String(a.value.map { $0 == "-" || $0 == "." || $0 == " " ? "_" : $0 })
        report(
          .importAlias, a.span, "import alias `\(a.value)` must be a simple name such as `cn`",
          help: [
            fixed.isIdentifier && Keyword(rawValue: fixed) == nil
              ? "write `as: \(fixed)` (letters, digits and `_`; a `-` would read as minus)"
              : "use letters, digits and `_`, starting with a letter, and not a word of the expression language"
          ])
        continue
      }
      if let first = out.first(where: { $0.alias.value == a.value }) {
        report(
          .importAlias, a.span, "two imports use the alias `\(a.value)`", notes: [.init("first used here", at: first.alias.span)],
          help: ["give each import its own alias; names are then read as `ALIAS.NAME`"])
        reused.insert(a.value)
        continue
      }
      out.append(Import(path: p, alias: a))
    }
    return (out, reused)
  }

  mutating func schema(_ node: YAMLNode) -> [SchemaRoot] {
    guard case .mapping(let pairs) = node.kind else {
      report(.wrongShape, node.span, "`schema` must be a mapping of fact names to types, found \(node.kindDescription)")
      return []
    }
    var roots: [SchemaRoot] = []
    for pair in pairs {
      guard checkFieldName(pair.key, root: true) else { continue }
      var fields: [SchemaField] = []
      // A fact whose type is wrong (already reported) stays declared, typed as an error, so
      // the rules that read it are not reported again.
      let t = schemaType(pair.value, path: [pair.name], fields: &fields) ?? .error
      roots.append(SchemaRoot(name: Located(pair.name, pair.key.span), type: t, fields: fields))
    }
    return roots
  }

  private mutating func checkFieldName(_ key: YAMLNode, root: Bool) -> Bool {
    let name = key.scalarValue ?? ""
    guard name.isIdentifier else {
      report(.invalidID, key.span, "`\(name)` cannot be a field name: use letters, digits and `_`, starting with a letter")
      return false
    }
    if root, Keyword(rawValue: name) != nil {
      report(.invalidID, key.span, "`\(name)` is a reserved word and cannot name a fact")
      return false
    }
    return true
  }

  /// A schema node: a nested mapping is a record, a scalar is a type written as text.
  private mutating func schemaType(_ node: YAMLNode, path: [String], fields: inout [SchemaField]) -> ValueType? {
    switch node.kind {
    case .mapping(let pairs):
      // Each mapping is a record one level deeper (see `TypeParser.maximumDepth`).
      guard path.count <= TypeParser.maximumDepth else {
        let shown = path.count > 6 ? path.prefix(3) + ["…"] + path.suffix(2) : path[...]
        report(
          .typeTooDeep, node.span, "`\(shown.joined(separator: "."))` nests records more than \(TypeParser.maximumDepth) levels deep",
          help: [TypeParser.flatterHelp])
        return nil
      }
      var rec: [Field] = []
      for pair in pairs {
        guard checkFieldName(pair.key, root: false) else { continue }
        let before = fields.count
        let t = schemaType(pair.value, path: path + [pair.name], fields: &fields) ?? .error
        fields.insert(SchemaField(path: path + [pair.name], span: pair.key.span, type: t), at: before)
        rec.append(Field(name: pair.name, type: t))
      }
      return .record(RecordType(rec))
    case .scalar:
      guard let source = exprSource(node), !node.isNull else {
        report(.invalidType, node.span, "`\(path.joined(separator: "."))` has no type", help: ["write a type such as `int`, `money?` or `enum(A, B)`"])
        return nil
      }
      let (t, diags) = TypeParser.parse(source, level: path.count)
      diagnostics += diags
      return t
    case .sequence:
      report(
        .invalidType, node.span, "`\(path.joined(separator: "."))` must be a type or a mapping of fields, found a list",
        help: ["for a list of records write the type in quotes: `\"list(record(name: text, amount: money))\"`"])
      return nil
    }
  }

  mutating func lists(_ node: YAMLNode) -> [NamedList] {
    guard case .mapping(let pairs) = node.kind else {
      report(.wrongShape, node.span, "`lists` must be a mapping of list names to lists, found \(node.kindDescription)")
      return []
    }
    var out: [NamedList] = []
    for pair in pairs {
      guard checkFieldName(pair.key, root: true), let items = sequence(pair.value, "list `\(pair.name)`") else { continue }
      var list: [ListItem] = []
      for item in items {
        guard case .scalar(let v, let style) = item.kind, let source = exprSource(item) else {
          report(.wrongShape, item.span, "items of list `\(pair.name)` must be single values, found \(item.kindDescription)")
          continue
        }
        list.append(ListItem(text: v, style: style, source: source, span: item.span))
      }
      out.append(NamedList(name: Located(pair.name, pair.key.span), items: list, span: pair.value.span))
    }
    return out
  }

  mutating func definitions(_ node: YAMLNode) -> [Definition] {
    guard case .mapping(let pairs) = node.kind else {
      report(.wrongShape, node.span, "`definitions` must be a mapping of names to expressions, found \(node.kindDescription)")
      return []
    }
    var out: [Definition] = []
    for pair in pairs {
      guard checkFieldName(pair.key, root: true), let e = expression(pair.value, "definition `\(pair.name)`") else { continue }
      out.append(Definition(name: Located(pair.name, pair.key.span), expr: e))
    }
    return out
  }

  /// Lists, definitions, tables, fact roots and import aliases share one namespace.
  mutating func checkNamesAreUnique(_ book: Rulebook) {
    var seen: [String: (String, Span)] = [:]
    let named: [(String, Located<String>)] =
      book.imports.map { ("import alias", $0.alias) } + book.schema.map { ("fact", $0.name) }
      + book.lists.map { ("list", $0.name) } + book.definitions.map { ("definition", $0.name) }
      + book.tables.map { ("table", $0.name) }
    for (kind, name) in named {
      if let (firstKind, firstSpan) = seen[name.value] {
        report(
          .duplicateName, name.span, "`\(name.value)` is already declared as a \(firstKind); this \(kind) needs another name",
          notes: [.init("first declared here", at: firstSpan)],
          help: ["rename one of the two: facts, lists, definitions, tables and import aliases share one set of names"])
      } else {
        seen[name.value] = (kind, name.span)
      }
    }
  }
}

/// The keys the reader accepts, for editors (completion) and the JSON Schema test.
public enum RulebookKeys {
  /// The keys of a rulebook's top level.
  public static var topLevel: [String] { RulebookReader.topLevelKeys }
  /// The keys of a rule.
  public static var rule: [String] { NodeReader.ruleKeys }
}
