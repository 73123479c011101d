/// Reads YAML nodes into rulebook parts, collecting diagnostics instead of stopping at the first.
struct NodeReader {
  let file: SourceFile
  var diagnostics: [Diagnostic] = []
  /// Rules read by an earlier load, reused where their text is unchanged.
  var memo: LoadMemo?

  init(file: SourceFile, memo: LoadMemo? = nil) {
    self.file = file
    self.memo = memo
  }

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
    var misspelt: [(guess: String, pair: YAMLPair)] = []
    for pair in pairs {
      let key = pair.name
      if allowed.contains(key) {
        out[key] = pair
      } else {
        let guess = Suggestion.closest(to: key, among: allowed)
        if let guess { misspelt.append((guess, pair)) }
        report(
          .unknownKey, pair.key.span, "unknown key `\(key)` in \(what)",
          help: (guess.map { ["did you mean `\($0)`?"] } ?? []) + ["allowed keys: " + allowed.joined(separator: ", ")])
      }
    }
    // A misspelt key (`serverity:`, `shcema:`) is read as the key it was meant to be, so the one
    // typo is reported once, not again as a missing key or as every name the section declares.
    for (guess, pair) in misspelt where out[guess] == nil { out[guess] = pair }
    for key in required where out[key] == nil {
      report(
        .missingKey, node.span.startOnly, "\(what) is missing the required key `\(key)`",
        help: NodeReader.missingKeyHelp[key].map { [$0] } ?? [])
    }
    return out
  }

  /// What to write for a required key that is missing, by key.
  static let missingKeyHelp: [String: String] = [
    "precept": "add `precept: 1` as the first line: it says which rulebook format the file uses",
    "rulebook": "add the rulebook's id near the top, e.g. `rulebook: cn.consumer-credit` (dotted lower-case words)",
    "id": "give the rule an id, e.g. `- id: ELIG-DTI` (capital letters and digits joined by `-`)",
    "inputs": "list what the table looks at, e.g. `inputs: [applicant.risk_grade, product.term_months]`",
    "rows": "add the rows, one list per row: a cell per input, then the result, e.g. `- [A, \"<= 12\", 18%]`",
    "name": "give the test a name, e.g. `- name: salaried applicant passes`",
    "expect": "say what the test expects, e.g. `expect: { outcome: pass, violated: [] }`",
    "path": "name the file to import, relative to this one, e.g. `path: ../common/cn-lists.yaml`",
    "as": "give the import a short name to use it by, e.g. `as: cn`, then write `cn.prohibited_claims`",
  ]

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
  mutating func sequence(_ node: YAMLNode, _ what: String, allowSingle: Bool = false, help: [String] = []) -> [YAMLNode]? {
    switch node.kind {
    case .sequence(let items): return items
    case .scalar where allowSingle && !node.isNull: return [node]
    default:
      report(.wrongShape, node.span, "\(what) must be a list, found \(node.kindDescription)", help: help)
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
