/// Reads one YAML document into a tree of `YAMLNode`s with exact spans, refusing what rulebooks must not use.
public enum YAMLLoader {
  /// The deepest nesting of lists and mappings accepted. Real rulebooks stay far below it; the
  /// limit keeps hostile files from costing unbounded memory in later passes.
  public static let maximumDepth = 200

  /// Parses one YAML document with libyaml's event API (yaml_parser_parse, not the document loader).
  ///
  /// The root is nil when the file is empty or a fatal problem (syntax error, anchor or alias,
  /// too-deep nesting) stopped the parse. Duplicate keys, complex keys and a second document are
  /// reported but leave the rest of the tree usable.
  public static func load(_ file: SourceFile) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
    var builder = YAMLTreeBuilder(file: file)
    let reader = LibYAMLEventReader(bytes: file.utf8)
    while true {
      switch reader.next() {
      case .failure(let error):
        builder.fail(YAMLSyntaxDiagnostic.make(error, in: file))
        return builder.finish()
      case .success(let event):
        if !builder.consume(event) { return builder.finish() }
      }
    }
  }
}

/// Builds the node tree from parse events with an explicit stack, so no file can overflow the call stack.
struct YAMLTreeBuilder {
  /// A list or mapping whose end event has not arrived yet.
  private struct Frame {
    let isMapping: Bool
    let start: Int
    let tag: String?
    var items: [YAMLNode] = []
    var pairs: [YAMLPair] = []
    /// In a mapping, the key whose value comes next.
    var key: YAMLNode?
    /// False after a duplicate or complex key: its value is read but not kept.
    var keepValue = true
    /// Each key's first place: in a list while the mapping is small (most are), then in a
    /// dictionary (hashing every key of every small mapping cost more than the rest of the tree).
    var firstKeys: [(name: String, span: Span)] = []
    var firstKeySpans: [String: Span]?

    func firstSpan(of name: String) -> Span? {
      if let d = firstKeySpans { return d[name] }
      return firstKeys.first { $0.name == name }?.span
    }

    mutating func noteFirst(_ name: String, _ span: Span) {
      if firstKeySpans != nil {
        firstKeySpans?[name] = span
      } else if firstKeys.count < 16 {
        firstKeys.append((name, span))
      } else {
        var d = Dictionary(firstKeys.map { ($0.name, $0.span) }, uniquingKeysWith: { a, _ in a })
        d[name] = span
        firstKeySpans = d
        firstKeys = []
      }
    }
  }

  let file: SourceFile
  private var diagnostics: [Diagnostic] = []
  private var stack: [Frame] = []
  private var root: YAMLNode?
  private var documents = 0
  private var failed = false

  init(file: SourceFile) {
    self.file = file
  }

  /// The line of the last position computed: events come in file order, so the next position
  /// is almost always on the same line or the next (`SourceFile.position` searches every time).
  private var line = 0

  /// `file.span(start, end)`, found from the last line.
  private mutating func span(_ start: Int, _ end: Int) -> Span {
    let a = position(start)
    return Span(file: file.path, start: a, end: position(Swift.max(start, end)))
  }

  private mutating func position(_ offset: Int) -> Position {
    let starts = file.lineStarts
    let o = Swift.max(0, Swift.min(offset, file.scalars.count))
    func isOn(_ l: Int) -> Bool { l < starts.count && starts[l] <= o && (l + 1 == starts.count || o < starts[l + 1]) }
    if !isOn(line) {
      guard isOn(line + 1) else {
        let p = file.position(ofOffset: o)
        line = p.line - 1
        return p
      }
      line += 1
    }
    return Position(line: line + 1, column: o - starts[line] + 1, offset: o)
  }

  /// Records a problem after which the tree cannot be trusted.
  mutating func fail(_ diagnostic: Diagnostic) {
    diagnostics.append(diagnostic)
    failed = true
  }

  /// Takes in one event; returns false when parsing must stop.
  mutating func consume(_ event: YAMLEvent) -> Bool {
    switch event.kind {
    case .streamStart, .documentEnd:
      return true
    case .streamEnd:
      return false
    case .documentStart:
      documents += 1
      guard documents == 1 else {
        diagnostics.append(Diagnostic(
          .multipleDocuments, file.span(event.start, event.end),
          "a second YAML document starts here; a rulebook or facts file must hold exactly one",
          help: ["remove this `---` line, or move what follows it into a file of its own"]))
        return false
      }
      return true
    case .alias:
      fail(aliasDiagnostic(file.span(event.start, event.end)))
      return false
    case .scalar(let value, let style, let tag, let anchor):
      if let anchor {
        fail(aliasDiagnostic(anchorSpan(anchor, event)))
        return false
      }
      attach(YAMLNode(kind: .scalar(value, style), span: span(event.start, event.end), tag: tag))
      return true
    case .sequenceStart(let tag, let anchor):
      return open(isMapping: false, tag: tag, anchor: anchor, event)
    case .mappingStart(let tag, let anchor):
      return open(isMapping: true, tag: tag, anchor: anchor, event)
    case .sequenceEnd, .mappingEnd:
      guard let frame = stack.popLast() else { return true }
      let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
      attach(YAMLNode(kind: kind, span: span(frame.start, event.end), tag: frame.tag))
      return true
    }
  }

  /// The tree, or nil with the reason; an empty document is reported here.
  func finish() -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
    if failed { return (nil, diagnostics) }
    guard let root, !root.isNull else {
      var all = diagnostics
      all.append(Diagnostic(
        .emptyDocument, file.span(0, 0), "the file is empty",
        help: ["a rulebook or facts file needs at least one `key: value` line"]))
      return (nil, all)
    }
    return (root, diagnostics)
  }

  private mutating func open(isMapping: Bool, tag: String?, anchor: String?, _ event: YAMLEvent) -> Bool {
    if let anchor {
      fail(aliasDiagnostic(anchorSpan(anchor, event)))
      return false
    }
    guard stack.count < YAMLLoader.maximumDepth else {
      let end = Swift.min(Swift.max(event.end, event.start + 1), file.scalars.count)
      fail(Diagnostic(
        .yamlTooDeep, file.span(event.start, end),
        "lists and mappings are nested more than \(YAMLLoader.maximumDepth) levels deep here",
        help: ["rulebooks and facts never need this much nesting; look for an unclosed `[` or `{`, or flatten the structure"]))
      return false
    }
    stack.append(Frame(isMapping: isMapping, start: event.start, tag: tag))
    return true
  }

  /// Adds a finished node to the collection being built, or makes it the root.
  private mutating func attach(_ node: YAMLNode) {
    let top = stack.count - 1
    guard top >= 0 else {
      if root == nil { root = node }
      return
    }
    guard stack[top].isMapping else {
      let previousEnd = stack[top].items.last?.span.end.offset ?? stack[top].start
      stack[top].items.append(placingEmpty(node, afterIndicator: "-", from: previousEnd))
      return
    }
    if let key = stack[top].key {
      if stack[top].keepValue {
        stack[top].pairs.append(YAMLPair(key: key, value: placingEmpty(node, afterIndicator: ":", from: key.span.end.offset)))
      }
      stack[top].key = nil
      stack[top].keepValue = true
      return
    }
    stack[top].key = node
    guard let name = node.scalarValue else {
      stack[top].keepValue = false
      diagnostics.append(Diagnostic(
        .complexKey, node.span,
        "a mapping key must be a single value such as `name`, not \(node.kindDescription)",
        help: ["write the key as plain text; this entry is ignored"]))
      return
    }
    if let first = stack[top].firstSpan(of: name) {
      stack[top].keepValue = false
      let shown = name.isEmpty ? "the empty key" : "`\(name)`"
      diagnostics.append(Diagnostic(
        .duplicateKey, node.span,
        "\(shown) is written twice in the same mapping; only the first one is used",
        notes: [Diagnostic.Note("first written here", at: first)],
        help: ["remove one of the two, or rename this one"]))
    } else {
      stack[top].noteFirst(name, node.span)
    }
  }

  /// libyaml places a missing value (`key:` or `-` with nothing after it) at the next token, often
  /// on a later line; an author expects it right after the `:` or `-` that announced it.
  private func placingEmpty(_ node: YAMLNode, afterIndicator indicator: Unicode.Scalar, from: Int) -> YAMLNode {
    guard case .scalar("", .plain) = node.kind, node.tag == nil, node.span.start == node.span.end else { return node }
    let text = file.scalars
    var i = from
    while i < node.span.start.offset, i < text.count {
      let c = text[i]
      if c == indicator {
        var moved = node
        moved.span = file.span(i + 1, i + 1)
        return moved
      }
      if c == "#" {
        while i < text.count, !SourceFile.isLineBreak(text[i]) { i += 1 }
      } else if c == " " || c == "\t" || SourceFile.isLineBreak(c) {
        i += 1
      } else {
        return node
      }
    }
    return node
  }

  private func aliasDiagnostic(_ span: Span) -> Diagnostic {
    Diagnostic(
      .yamlAlias, span, "anchors and aliases (&name, *name) are not allowed in rulebooks and facts",
      help: ["write the value out in full everywhere it is needed"])
  }

  /// The `&name` text itself; a tag written before the anchor makes the event start earlier.
  private func anchorSpan(_ name: String, _ event: YAMLEvent) -> Span {
    let needle: [Unicode.Scalar] = ["&"] + Array(name.unicodeScalars)
    let limit = Swift.min(file.scalars.count, Swift.max(event.start, event.end) + needle.count)
    var i = Swift.max(0, event.start)
    while i + needle.count <= limit {
      if file.scalars[i..<(i + needle.count)].elementsEqual(needle) { return file.span(i, i + needle.count) }
      i += 1
    }
    return file.span(event.start, Swift.min(Swift.max(event.end, event.start + 1), file.scalars.count))
  }
}
