extension NodeReader {
  static let ruleKeys = [
    "id", "title", "description", "category", "owner", "stage", "severity", "when", "require", "forbid", "flag",
    "message", "cite", "overrides", "effective", "justification", "tags", "lint",
  ]

  mutating func rules(_ node: YAMLNode) -> [Rule] {
    guard
      let items = sequence(
        node, "`rules`", help: ["write each rule as a list item: `- id: ELIG-DTI` on a line of its own, its other keys indented under it"])
    else { return [] }
    var out: [Rule] = []
    var firstSeen: [String: Span] = [:]
    for item in items {
      let read: Rule?
      if let memo, let key = LoadMemo.key(item, file) {
        if let e = memo.reuse(key, at: item) {
          diagnostics += e.diagnostics
          read = e.rule
        } else {
          let before = diagnostics.count
          read = rule(item)
          memo.keep(key, item, rule: read, diagnostics: Array(diagnostics[before...]))
        }
      } else {
        read = rule(item)
      }
      guard let rule = read else { continue }
      if let first = firstSeen[rule.id.value] {
        report(
          .duplicateRuleID, rule.id.span, "rule id `\(rule.id.value)` is used twice; every rule needs its own id",
          notes: [.init("first used here", at: first)])
        continue
      }
      firstSeen[rule.id.value] = rule.id.span
      out.append(rule)
    }
    return out
  }

  /// `ELIG-DTI`, `R01`, `DAY-TOTAL`: capitals and digits in words joined by `-` or `_`.
  static func isRuleID(_ s: String) -> Bool {
    guard let f = s.unicodeScalars.first, f.value >= 0x41, f.value <= 0x5A, s.unicodeScalars.last != "-" else { return false }
    return s.unicodeScalars.allSatisfy { ($0.value >= 0x41 && $0.value <= 0x5A) || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
  }

  private mutating func rule(_ node: YAMLNode) -> Rule? {
    guard let m = mapping(node, of: "a rule", allowed: NodeReader.ruleKeys, required: ["id"]),
      let id = m["id"].flatMap({ text($0.value, "the rule id") })
    else { return nil }
    if !NodeReader.isRuleID(id.value) {
      let upper = id.value.uppercased()
      report(
        .invalidID, id.span, "rule id `\(id.value)` must be capital letters and digits joined by `-`, like `ELIG-DTI`",
        help: NodeReader.isRuleID(upper) ? ["write `\(upper)`"] : [])
    }
    let verbs = Verb.allCases.compactMap { v in m[v.rawValue].map { (v, $0) } }
    guard verbs.count == 1, let (verb, pair) = verbs.first else {
      if verbs.isEmpty {
        report(
          .ruleVerb, id.span, "rule `\(id.value)` says nothing to check",
          help: ["add `require: <condition>` (violated when false), `forbid: <condition>` (violated when true) or `flag: <condition>` (an alert when true)"])
      } else {
        report(
          .ruleVerb, verbs[1].1.key.span, "rule `\(id.value)` has both `\(verbs[0].0.rawValue)` and `\(verbs[1].0.rawValue)`; a rule checks one condition",
          notes: [.init("`\(verbs[0].0.rawValue)` is here", at: verbs[0].1.key.span)],
          help: ["combine the conditions with `and`, or split them into two rules"])
      }
      return nil
    }
    let condition = expression(pair.value, "`\(verb.rawValue)`") ?? Expr(.error, pair.value.span)
    var severity: Severity
    // When the severity is unreadable, `block` stands in; lint must not then warn about it.
    var severityAssumed = false
    if let s = m["severity"] {
      if let v = word(s.value, "severity", as: Severity.self) {
        severity = v
      } else {
        severity = .block
        severityAssumed = true
      }
    } else if verb == .flag {
      severity = .review
    } else {
      severity = .block
      severityAssumed = true
      report(
        .missingKey, id.span, "rule `\(id.value)` does not say how serious a violation is",
        help: ["add `severity:` with one of: info, warning, review, block"])
    }
    var stages = Stage.allCases
    if let s = m["stage"], let items = sequence(s.value, "`stage`", allowSingle: true) {
      stages = items.compactMap { word($0, "stage", as: Stage.self) }
    }
    var from: Located<String>?
    var until: Located<String>?
    if let e = m["effective"] {
      if case .mapping = e.value.kind {
        let em = mapping(e.value, of: "`effective`", allowed: ["from", "until"])
        from = em?["from"].flatMap { text($0.value, "`effective.from`") }
        until = em?["until"].flatMap { text($0.value, "`effective.until`") }
      } else {
        from = text(e.value, "`effective`")
      }
    }
    var overrides: [Located<String>] = []
    if let o = m["overrides"], let items = sequence(o.value, "`overrides`", allowSingle: true) {
      overrides = items.compactMap { text($0, "an overridden rule id") }
    }
    let (allow, reason) = m["lint"].map { lintAllowance($0.value) } ?? ([], nil)
    let (cite, clauses) = m["cite"].map { citation($0.value) } ?? (nil, [])
    var rule = Rule(
      id: id,
      title: m["title"].flatMap { scalar($0.value, "`title`")?.value },
      category: m["category"].flatMap { lowerWord($0.value, "category") },
      owner: m["owner"].flatMap { lowerWord($0.value, "owner") },
      stages: stages, severity: severity,
      when: m["when"].flatMap { expression($0.value, "`when`") },
      verb: verb, condition: condition, verbSpan: pair.key.span,
      message: m["message"].flatMap { message($0.value) },
      cite: cite,
      justification: m["justification"].flatMap { text($0.value, "`justification`")?.value },
      overrides: overrides, effectiveFrom: from, effectiveUntil: until,
      span: id.span, severityAssumed: severityAssumed,
      lintAllow: allow, lintReason: reason, nodeSpan: node.span)
    rule.clauses = clauses
    return rule
  }

  /// `cite: "text"`, or a list mixing clause ids of the regulations registry and free text
  /// (`cite: [PBOC-2021-3#3, "free text"]`): the items joined with "; ", and the items written as
  /// clause ids (one word with a `#`, see `RegulationRegistry.isClauseReference`), which the
  /// checker looks up in the registry.
  mutating func citation(_ node: YAMLNode) -> (String?, [Located<String>]) {
    guard case .sequence(let items) = node.kind else {
      guard let t = scalar(node, "`cite`") else { return (nil, []) }
      return (t.value, RegulationRegistry.isClauseReference(t.value) ? [t] : [])
    }
    var texts: [String] = []
    var clauses: [Located<String>] = []
    for item in items {
      guard let t = text(item, "an item of `cite`") else { continue }
      texts.append(t.value)
      if RegulationRegistry.isClauseReference(t.value) { clauses.append(t) }
    }
    return (texts.isEmpty ? nil : texts.joined(separator: "; "), clauses)
  }

  /// `lint: {allow: [P0605], reason: "…"}`: warnings intended for this rule. Only warnings can be
  /// allowed, and the reason is required.
  private mutating func lintAllowance(_ node: YAMLNode) -> (allow: [Located<String>], reason: String?) {
    guard let m = mapping(node, of: "`lint`", allowed: ["allow", "reason"], required: ["allow", "reason"]) else { return ([], nil) }
    var allow: [Located<String>] = []
    if let a = m["allow"], let items = sequence(a.value, "`allow`", allowSingle: true) {
      for item in items {
        guard let code = text(item, "a diagnostic code") else { continue }
        guard let known = DiagnosticCode(rawValue: code.value) else {
          report(.invalidValue, code.span, "`\(code.value)` is not a diagnostic code", help: ["codes look like `P0605`; docs/diagnostics.md lists them"])
          continue
        }
        guard known.defaultSeverity == .warning else {
          report(
            .invalidValue, code.span, "`\(code.value)` (\(known.title)) is an error, and errors cannot be allowed",
            help: ["only warnings (P06xx) can be allowed on a rule; fix the error instead"])
          continue
        }
        allow.append(code)
      }
    }
    let reason = m["reason"].flatMap { text($0.value, "`reason`")?.value }
    return (allow, reason)
  }


  /// Categories and owners are open sets of lower-case words (`eligibility`, `risk`).
  private mutating func lowerWord(_ node: YAMLNode, _ what: String) -> Located<String>? {
    guard let s = text(node, "the \(what)") else { return nil }
    let ok = s.value.unicodeScalars.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "_" || $0 == "-" }
    if !ok {
      report(
        .invalidValue, s.span, "\(what) `\(s.value)` must be a lower-case word such as `\(what == "owner" ? "compliance" : "eligibility")`",
        help: ["write `\(s.value.lowercased())`"])
    }
    return s
  }

  /// Splits `"负债收入比 {dti} 超过 50%"` into text and parsed placeholders; `{{` and `}}` are literal braces.
  mutating func message(_ node: YAMLNode) -> Message? {
    guard let source = exprSource(node) else {
      report(.wrongShape, node.span, "`message` must be text, found \(node.kindDescription)")
      return nil
    }
    let t = source.text
    var parts: [Message.Part] = []
    var text: [Unicode.Scalar] = []
    var i = 0
    while i < t.count {
      let c = t[i]
      if c == "{", i + 1 < t.count, t[i + 1] == "{" {
        text.append("{")
        i += 2
      } else if c == "}", i + 1 < t.count, t[i + 1] == "}" {
        text.append("}")
        i += 2
      } else if c == "}" {
        report(.placeholderSyntax, source.span(i, i + 1), "a lone `}` in the message", help: ["write `}}` for a literal brace"])
        i += 1
      } else if c == "{" {
        guard let close = placeholderEnd(t, from: i + 1) else {
          report(
            .placeholderSyntax, source.span(i, i + 1), "placeholder `{` is never closed",
            help: ["close it with `}`, or write `{{` for a literal brace"])
          break
        }
        if !text.isEmpty {
          parts.append(.text(String(scalars: text)))
          text.removeAll(keepingCapacity: true)
        }
        let inner = source.slice(i + 1, close)
        if inner.string.trimmingSpaces.isEmpty {
          report(.placeholderSyntax, source.span(i, close + 1), "empty placeholder `{}`", help: ["put an expression inside, e.g. `{dti}`"])
        } else {
          let (e, diags) = Parser.parse(inner)
          diagnostics += diags
          parts.append(.placeholder(e))
        }
        i = close + 1
      } else {
        text.append(c)
        i += 1
      }
    }
    if !text.isEmpty { parts.append(.text(String(scalars: text))) }
    return Message(parts: parts, span: node.span)
  }

  /// The index of the `}` closing a placeholder, skipping braces inside quoted text.
  private func placeholderEnd(_ t: [Unicode.Scalar], from: Int) -> Int? {
    var quote: Unicode.Scalar?
    var j = from
    while j < t.count {
      let c = t[j]
      if let q = quote {
        if c == "\\" { j += 1 } else if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == "}" {
        return j
      } else if c == "{" {
        return nil
      }
      j += 1
    }
    return nil
  }
}
