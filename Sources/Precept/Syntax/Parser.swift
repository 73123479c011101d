/// A Pratt parser for the expression language. It reports a problem, marks the spot with an
/// `.error` node, skips to the next `,` or closing bracket, and goes on, so one expression with
/// two mistakes in two arguments yields two diagnostics.
public struct Parser {
  /// Deepest nesting accepted; deeper input is an error, never a stack overflow.
  public static let maximumDepth = 256

  private let source: ExprSource
  private let tokens: [Token]
  private var pos = 0
  private var depth = 0
  private var tooDeepReported = false
  private(set) var diagnostics: [Diagnostic]

  private init(_ source: ExprSource) {
    self.source = source
    let lexed = Lexer.tokenize(source)
    self.tokens = lexed.tokens
    self.diagnostics = lexed.diagnostics
  }

  /// Parses a whole expression. The result is `.error` somewhere when diagnostics were reported.
  public static func parse(_ source: ExprSource) -> (expr: Expr, diagnostics: [Diagnostic]) {
    var p = Parser(source)
    // Lexical errors already explain the problem; parsing on would only echo them.
    if !p.diagnostics.isEmpty { return (Expr(.error, source.span(0, source.text.count)), p.diagnostics) }
    var e = p.expression(.lowest)
    if p.current.kind != .end, !e.containsError {
      let t = p.current
      p.report(
        .unexpectedToken, t, "unexpected \(t.described) after a complete expression",
        help: p.joinHelp(t))
      e = Expr(.error, e.span)
    }
    return (e, p.diagnostics)
  }

  // MARK: - Tokens

  private var current: Token { tokens[pos] }
  private func peek(_ k: Int) -> Token { tokens[Swift.min(pos + k, tokens.count - 1)] }

  private mutating func advance() -> Token {
    let t = tokens[pos]
    if pos < tokens.count - 1 { pos += 1 }
    return t
  }

  private func at(_ s: Symbol) -> Bool { current.kind == .symbol(s) }
  private func at(_ k: Keyword) -> Bool { current.kind == .keyword(k) }

  private func span(_ t: Token) -> Span { source.span(t.start, t.end) }
  private func span(from a: Token, to b: Token) -> Span { source.span(a.start, b.end) }
  private var previousEnd: Int { pos > 0 ? tokens[pos - 1].end : 0 }

  private mutating func report(_ code: DiagnosticCode, _ t: Token, _ message: String, notes: [Diagnostic.Note] = [], help: [String] = []) {
    // Past "nested too deeply" the parser has jumped to the end of the text, so every enclosing
    // construct would report its missing `)`, `then` or `else`: one cause, one diagnostic.
    if tooDeepReported, code != .expressionTooDeep { return }
    // At the end of the text, point just past the last character rather than at nothing.
    let s = t.kind == .end ? source.span(source.text.count, source.text.count) : span(t)
    diagnostics.append(Diagnostic(code, s, message, notes: notes, help: help))
  }

  private func joinHelp(_ t: Token) -> [String] {
    switch t.kind {
    case .identifier, .int, .decimal, .string, .percent, .keyword(.not):
      ["two values stand side by side; is an operator such as `and`, `==` or `+` missing?"]
    default: []
    }
  }

  private mutating func expectingExpression(after what: String) -> Expr {
    let t = current
    report(.expectedExpression, t, "expected an expression after \(what), found \(t.described)")
    return Expr(.error, t.kind == .end ? source.span(source.text.count, source.text.count) : span(t))
  }

  // MARK: - Expressions

  /// Parses operators that bind tighter than `min`.
  private mutating func expression(_ min: Precedence) -> Expr {
    let outer = depth
    defer { depth = outer }
    depth += 1
    if depth > Parser.maximumDepth { return tooDeep() }
    var left = prefix()
    while true {
      if case .error = left.kind { return left }
      guard let next = infix(left, min) else { return left }
      left = next
      // `a + b + c` is `(a + b) + c`: each operator in a row makes the tree one level deeper,
      // so a long chain counts against the limit just as nesting does (every later pass recurses).
      depth += 1
      if depth > Parser.maximumDepth { return tooDeep() }
    }
  }

  private mutating func tooDeep() -> Expr {
    if !tooDeepReported {
      tooDeepReported = true
      report(
        .expressionTooDeep, current, "expression nested more than \(Parser.maximumDepth) levels deep",
        help: ["split it into named definitions"])
    }
    pos = tokens.count - 1
    return Expr(.error, span(current))
  }

  /// A value, a name, or a prefix form. Each form is parsed by its own method: in a debug build a
  /// function's frame holds the locals of all its cases, and this one is on the stack once per
  /// level of nesting.
  private mutating func prefix() -> Expr {
    let t = current
    switch t.kind {
    case .int, .decimal, .percent, .duration, .date, .datetime, .string, .keyword(.true), .keyword(.false):
      return literal(t)
    case .identifier:
      _ = advance()
      if at(.lparen) { return call(t) }
      return Expr(.name(t.text), span(t))
    case .symbol(.dot):
      return implicitMember(t)
    case .symbol(.lparen):
      return parenthesized(t)
    case .symbol(.lbracket):
      _ = advance()
      let (items, close) = sequence(opener: t, closer: .rbracket) { p in p.expression(.lowest) }
      guard let close else { return Expr(.error, span(t)) }
      return Expr(.list(items), span(from: t, to: close))
    case .symbol(.minus), .keyword(.not):
      _ = advance()
      let minus = t.kind == .symbol(.minus)
      let operand = expression(minus ? .unary : .not)
      return Expr(.unary(minus ? .negate : .not, operand), span(t).union(operand.span))
    case .keyword(.if):
      return conditional(t)
    case .keyword(.any), .keyword(.all), .keyword(.none):
      return quantifier(t)
    case .end:
      return expectingExpression(after: pos == 0 ? "nothing" : "`\(tokens[pos - 1].text)`")
    default:
      _ = advance()
      report(.expectedExpression, t, "expected a value or a name, found \(t.described)")
      return Expr(.error, span(t))
    }
  }

  private mutating func literal(_ t: Token) -> Expr {
    _ = advance()
    switch t.kind {
    case .int, .decimal:
      if current.kind == .identifier, Parser.isCurrencyCode(current.text) {
        let code = advance()
        return Expr(.literal(.money(t.text, code.text)), span(from: t, to: code))
      }
      return Expr(.literal(t.kind == .int ? .int(t.text) : .decimal(t.text)), span(t))
    case .percent: return Expr(.literal(.percent(t.text)), span(t))
    case .duration: return Expr(.literal(.duration(t.text)), span(t))
    case .date: return Expr(.literal(.date(t.text)), span(t))
    case .datetime: return Expr(.literal(.datetime(t.text)), span(t))
    case .string: return Expr(.literal(.string(t.text)), span(t))
    default: return Expr(.literal(.bool(t.kind == .keyword(.true))), span(t))
    }
  }

  private mutating func implicitMember(_ t: Token) -> Expr {
    _ = advance()
    let n = current
    guard n.kind == .identifier || Parser.isKeyword(n) else {
      report(.expectedExpression, n, "expected a field name after `.`", help: ["inside `where`, write `.amount` for the current item's amount"])
      return Expr(.error, span(t))
    }
    _ = advance()
    return Expr(.implicitMember(n.text), span(from: t, to: n))
  }

  private mutating func parenthesized(_ t: Token) -> Expr {
    _ = advance()
    let inner = expression(.lowest)
    if case .error = inner.kind { return inner }
    guard at(.rparen) else { return unclosed(t, closer: ")") }
    let close = advance()
    return Expr(inner.kind, span(from: t, to: close))
  }

  private mutating func conditional(_ t: Token) -> Expr {
    _ = advance()
    let cond = expression(.lowest)
    guard expect(.then, after: "the condition of `if`") else { return Expr(.error, span(t)) }
    let yes = expression(.lowest)
    guard expect(.else, after: "`if … then …`") else { return Expr(.error, span(t)) }
    let no = expression(.lowest)
    return Expr(.conditional(cond, yes, no), span(t).union(no.span))
  }

  private mutating func expect(_ k: Keyword, after what: String) -> Bool {
    if at(k) {
      _ = advance()
      return true
    }
    report(.unexpectedToken, current, "expected `\(k.rawValue)` after \(what), found \(current.described)")
    return false
  }

  private mutating func unclosed(_ opener: Token, closer: String) -> Expr {
    report(
      .unclosedDelimiter, current, "expected `\(closer)` to close the `\(opener.text)`, found \(current.described)",
      notes: [Diagnostic.Note("opened here", at: span(opener))])
    return Expr(.error, span(opener))
  }

  private mutating func quantifier(_ t: Token) -> Expr {
    _ = advance()
    let q = Quantifier(rawValue: t.text) ?? .any
    let v = current
    guard v.kind == .identifier else {
      report(.unexpectedToken, v, "expected a name for each item after `\(t.text)`", help: ["write `\(t.text) x in xs: <condition>`"])
      return Expr(.error, span(t))
    }
    _ = advance()
    guard expect(.in, after: "`\(t.text) \(v.text)`") else { return Expr(.error, span(t)) }
    let collection = expression(.filter)
    if case .error = collection.kind { return collection }
    guard at(.colon) else {
      report(.unexpectedToken, current, "expected `:` before the condition, found \(current.described)", help: ["write `\(t.text) \(v.text) in xs: <condition>`"])
      return Expr(.error, span(t))
    }
    _ = advance()
    let body = expression(.lowest)
    return Expr(.quantifier(q, v.text, collection, body), span(t).union(body.span))
  }

  private mutating func call(_ name: Token) -> Expr {
    let open = advance()
    let (args, close) = sequence(opener: open, closer: .rparen) { p -> Argument in
      if p.current.kind == .identifier, p.peek(1).kind == .symbol(.colon) {
        let label = p.advance()
        _ = p.advance()
        return Argument(label: label.text, value: p.expression(.lowest))
      }
      return Argument(label: nil, value: p.expression(.lowest))
    }
    guard let close else { return Expr(.error, span(name)) }
    return Expr(.call(name.text, args, nameSpan: span(name)), span(from: name, to: close))
  }

  /// Comma-separated items up to `closer`. On a bad item, skips to the next `,` or the closer.
  private mutating func sequence<T>(opener: Token, closer: Symbol, item: (inout Parser) -> T) -> ([T], Token?) {
    var items: [T] = []
    var failed = false
    if at(closer) { return (items, advance()) }
    while true {
      let before = diagnostics.count
      items.append(item(&self))
      if diagnostics.count > before {
        failed = true
        skipToSeparator(closer)
      }
      if at(.comma) {
        _ = advance()
        if at(closer) { break }  // a trailing comma is fine
        continue
      }
      break
    }
    if at(closer) {
      let close = advance()
      return (items, failed ? nil : close)
    }
    if !failed { _ = unclosed(opener, closer: closer.rawValue) }
    return (items, nil)
  }

  private mutating func skipToSeparator(_ closer: Symbol) {
    var nesting = 0
    while current.kind != .end {
      switch current.kind {
      case .symbol(.lparen), .symbol(.lbracket): nesting += 1
      case .symbol(.rparen), .symbol(.rbracket):
        if nesting == 0 { return }
        nesting -= 1
      case .symbol(.comma) where nesting == 0: return
      default: break
      }
      _ = advance()
    }
  }

  // MARK: - Infix and postfix

  /// The operator or postfix form after `left`, if one binds tighter than `min`. As in `prefix`,
  /// each form has its own method to keep this frame small.
  private mutating func infix(_ left: Expr, _ min: Precedence) -> Expr? {
    switch current.kind {
    case .symbol(.dot) where min < .postfix:
      return memberAccess(left)
    case .symbol(.lbracket) where min < .postfix:
      return index(left)
    case .keyword(.where) where min < .filter:
      _ = advance()
      let cond = expression(.filter)
      return Expr(.filter(left, cond), left.span.union(cond.span))
    case .keyword(.is) where min < .comparison:
      return presence(left)
    case .keyword(.between) where min < .comparison:
      return between(left, negated: false)
    case .keyword(.not) where min < .comparison:
      if peek(1).kind == .keyword(.in) {
        _ = advance()
        _ = advance()
        return binary(left, .notIn)
      }
      if peek(1).kind == .keyword(.between) {
        _ = advance()
        return between(left, negated: true)
      }
      return nil
    default:
      guard let op = binaryOperator() else { return nil }
      guard Precedence.of(op) > min else { return nil }
      guard consume(op) else { return Expr(.error, left.span) }
      return binary(left, op)
    }
  }

  private mutating func memberAccess(_ left: Expr) -> Expr {
    _ = advance()
    let n = current
    guard n.kind == .identifier || Parser.isKeyword(n) else {
      report(.expectedExpression, n, "expected a field name after `.`, found \(n.described)")
      return Expr(.error, left.span)
    }
    _ = advance()
    return Expr(.member(left, n.text, nameSpan: span(n)), left.span.union(span(n)))
  }

  private mutating func index(_ left: Expr) -> Expr {
    let t = advance()
    let index = expression(.lowest)
    if case .error = index.kind { return index }
    guard at(.rbracket) else { return unclosed(t, closer: "]") }
    let close = advance()
    return Expr(.index(left, index), left.span.union(span(close)))
  }

  private mutating func presence(_ left: Expr) -> Expr {
    _ = advance()
    var negated = false
    if at(.not) {
      _ = advance()
      negated = true
    }
    let w = current
    guard w.kind == .keyword(.missing) || w.kind == .keyword(.present) else {
      report(.unexpectedToken, w, "expected `missing` or `present` after `is`", help: ["to compare values write `==`"])
      return Expr(.error, left.span)
    }
    _ = advance()
    let missing = (w.kind == .keyword(.missing)) != negated
    return checkChain(Expr(.presence(left, missing: missing), left.span.union(span(w))))
  }

  /// The binary operator at the cursor, if any (multi-word operators included).
  private func binaryOperator() -> BinaryOp? {
    switch current.kind {
    case .keyword(.or): .or
    case .keyword(.and): .and
    case .keyword(.in): .in
    case .keyword(.matches): .matches
    case .keyword(.contains):
      switch peek(1).kind {
      case .keyword(.any): .containsAny
      case .keyword(.all): .containsAll
      default: .contains
      }
    case .keyword(.starts): .startsWith
    case .symbol(let s):
      switch s {
      case .eq: .eq
      case .ne: .ne
      case .lt: .lt
      case .le: .le
      case .gt: .gt
      case .ge: .ge
      case .coalesce: .coalesce
      case .plus: .add
      case .minus: .sub
      case .star: .mul
      case .slash: .div
      case .percent: .rem
      default: nil
      }
    default: nil
    }
  }

  /// Steps over the operator's words; false, reported, when `starts` is not followed by `with`.
  private mutating func consume(_ op: BinaryOp) -> Bool {
    _ = advance()
    if op == .containsAny || op == .containsAll { _ = advance() }
    guard op == .startsWith else { return true }
    guard at(.with) else {
      report(.unexpectedToken, current, "expected `with` after `starts`", help: ["write `copy starts with \"…\"`"])
      return false
    }
    _ = advance()
    return true
  }

  private mutating func binary(_ left: Expr, _ op: BinaryOp) -> Expr {
    let prec = Precedence.of(op)
    // `??` groups to the right: a ?? b ?? c is a ?? (b ?? c).
    let rightMin: Precedence = op == .coalesce ? .comparison : prec
    if current.kind == .end || current.kind == .symbol(.rparen) || current.kind == .symbol(.rbracket) || current.kind == .symbol(.comma) {
      return expectingExpression(after: "`\(op.rawValue)`")
    }
    let right = expression(rightMin)
    let e = Expr(.binary(op, left, right), left.span.union(right.span))
    return prec == .comparison ? checkChain(e) : e
  }

  private mutating func between(_ left: Expr, negated: Bool) -> Expr {
    _ = advance()
    let low = expression(.comparison)
    if case .error = low.kind { return low }
    guard at(.and) else {
      report(.unexpectedToken, current, "expected `and` in `between … and …`, found \(current.described)")
      return Expr(.error, left.span)
    }
    _ = advance()
    let high = expression(.comparison)
    return checkChain(Expr(.between(left, low, high, negated: negated), left.span.union(high.span)))
  }

  /// `a < b < c` reads naturally but means nothing here; say so instead of guessing.
  private mutating func checkChain(_ e: Expr) -> Expr {
    let notIn = at(.not) && (peek(1).kind == .keyword(.in) || peek(1).kind == .keyword(.between))
    let chained = (binaryOperator()?.isComparison ?? false) || at(.is) || at(.between) || notIn
    guard chained, !e.containsError else { return e }
    report(
      .unexpectedToken, current, "comparisons cannot be chained",
      help: ["write two comparisons joined by `and`, e.g. `a < b and b < c`, or use `between`"])
    return Expr(.error, e.span)
  }

  static func isCurrencyCode(_ s: String) -> Bool {
    s.unicodeScalars.count == 3 && s.unicodeScalars.allSatisfy { $0.value >= 0x41 && $0.value <= 0x5A }
  }

  static func isKeyword(_ t: Token) -> Bool {
    if case .keyword = t.kind { return true }
    return false
  }
}
