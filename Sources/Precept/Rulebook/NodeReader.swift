/// Reads YAML nodes into rulebook parts, collecting diagnostics instead of stopping at the first.
struct NodeReader {
  let file: SourceFile
  var diagnostics: [Diagnostic] = []

  init(file: SourceFile) { self.file = file }

  mutating func report(_ code: DiagnosticCode, _ span: Span, _ message: String, notes: [Diagnostic.Note] = [], help: [String] = []) {
    diagnostics.append(Diagnostic(code, span, message, notes: notes, help: help))
  }

  /// The pairs of a mapping whose keys are checked against `allowed`; unknown keys are reported
  /// with the closest allowed key, missing `required` keys at the mapping's start.
  mutating func mapping(
    _ node: YAMLNode, of what: String, allowed: [String], required: [String] = []
  ) -> [String: YAMLPair]? {
    guard case .mapping(let pairs) = node.kind else {
      report(.wrongShape, node.span, "\(what) must be a mapping of keys to values, found \(node.kindDescription)")
      return nil
    }
    var out: [String: YAMLPair] = [:]
    for pair in pairs {
      let key = pair.name
      if allowed.contains(key) {
        out[key] = pair
      } else {
        report(
          .unknownKey, pair.key.span, "unknown key `\(key)` in \(what)",
          help: Suggestion.help(for: key, among: allowed) + ["allowed keys: " + allowed.joined(separator: ", ")])
      }
    }
    for key in required where out[key] == nil {
      report(.missingKey, node.span.startOnly, "\(what) is missing the required key `\(key)`")
    }
    return out
  }

  /// A scalar's text, or a diagnostic if the node is a list or mapping.
  mutating func scalar(_ node: YAMLNode, _ what: String) -> Located<String>? {
    guard case .scalar(let v, _) = node.kind else {
      report(.wrongShape, node.span, "\(what) must be a single value, found \(node.kindDescription)")
      return nil
    }
    return Located(v, node.span)
  }

  /// A non-empty scalar.
  mutating func text(_ node: YAMLNode, _ what: String) -> Located<String>? {
    guard let s = scalar(node, what) else { return nil }
    if node.isNull || s.value.trimmingSpaces.isEmpty {
      report(.invalidValue, node.span, "\(what) is empty")
      return nil
    }
    return s
  }

  /// The items of a sequence; a single scalar counts as a one-item list when `allowSingle`.
  mutating func sequence(_ node: YAMLNode, _ what: String, allowSingle: Bool = false) -> [YAMLNode]? {
    switch node.kind {
    case .sequence(let items): return items
    case .scalar where allowSingle && !node.isNull: return [node]
    default:
      report(.wrongShape, node.span, "\(what) must be a list, found \(node.kindDescription)")
      return nil
    }
  }

  /// A scalar as expression source text, with each character's place in the file.
  func exprSource(_ node: YAMLNode) -> ExprSource? {
    guard case .scalar(let v, _) = node.kind else { return nil }
    return ExprSource(file: file, text: Array(v.unicodeScalars), offsets: node.sourceOffsets(in: file))
  }

  /// Parses a scalar as an expression.
  mutating func expression(_ node: YAMLNode, _ what: String) -> Expr? {
    guard let source = exprSource(node) else {
      report(.wrongShape, node.span, "\(what) must be an expression (a single value), found \(node.kindDescription)")
      return nil
    }
    if node.isNull {
      report(.expectedExpression, node.span, "\(what) is empty; write an expression")
      return Expr(.error, node.span)
    }
    let (expr, diags) = Parser.parse(source)
    diagnostics += diags
    return expr
  }

  /// A value from a fixed set of words (`severity: block`), with a suggestion when misspelt.
  mutating func word<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, as: T.Type) -> T? where T.RawValue == String {
    guard let s = text(node, what) else { return nil }
    if let v = T(rawValue: s.value) { return v }
    let all = T.allCases.map(\.rawValue)
    report(
      .invalidValue, s.span, "`\(s.value)` is not a valid \(what)",
      help: Suggestion.help(for: s.value, among: all) + ["use one of: " + all.joined(separator: ", ")])
    return nil
  }
}

extension Span {
  /// An empty span at this span's start, for "missing" diagnostics that point at a mapping.
  var startOnly: Span { Span(file: file, start: start, end: start) }
}

extension String {
  var trimmingSpaces: Substring {
    var s = self[...]
    while let c = s.first, c.isWhitespace { s = s.dropFirst() }
    while let c = s.last, c.isWhitespace { s = s.dropLast() }
    return s
  }

  /// Whether the string matches `[A-Za-z_][A-Za-z0-9_]*`.
  var isIdentifier: Bool {
    guard let f = unicodeScalars.first, f.isIdentifierStart else { return false }
    return unicodeScalars.allSatisfy(\.isIdentifierContinue)
  }
}
