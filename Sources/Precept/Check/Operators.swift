extension Checker {
  func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ span: Span, _ env: Env) -> Typed {
    // A bare enum case on the left (`consumer_loan == product.kind`) takes its type from the right.
    let (tl, tr): (Typed, Typed)
    if isBareWord(l, env), !isBareWord(r, env) {
      let right = check(r, env)
      let hint = (op == .in || op == .notIn) ? right.type.element : right.type
      tl = check(l, env, expected: hint)
      tr = right
    } else {
      tl = check(l, env)
      let hint: ValueType? =
        switch op {
        case .in, .notIn: .list(tl.type.unwrapped)
        case .containsAny, .containsAll: tl.type.unwrapped
        case .contains: tl.type.element ?? tl.type
        case .and, .or: nil
        default: tl.type
        }
      tr = check(r, env, expected: hint)
    }
    let type = binaryType(op, tl, tr, span)
    return Typed(.binary(op, tl, tr), type, span)
  }

  /// A name (or list of names) that is not declared anywhere: it can only be an enum case.
  private func isBareWord(_ e: Expr, _ env: Env) -> Bool {
    switch e.kind {
    case .name(let n):
      return !isLocal(n, env) && !scopes[env.unit].knows(n)
    case .list(let xs): return !xs.isEmpty && xs.allSatisfy { isBareWord($0, env) }
    default: return false
    }
  }

  private func binaryType(_ op: BinaryOp, _ l: Typed, _ r: Typed, _ span: Span) -> ValueType {
    let a = l.type.unwrapped
    let b = r.type.unwrapped
    if a == .error || b == .error { return .error }
    switch op {
    case .and, .or:
      requireBool(l, "the left side of `\(op.rawValue)`")
      requireBool(r, "the right side of `\(op.rawValue)`")
      return carry(.bool, l.type, r.type)
    case .eq, .ne, .lt, .le, .gt, .ge:
      return comparison(op, l, r, at: span) ? carry(.bool, l.type, r.type) : .error
    case .in, .notIn:
      guard let element = r.type.element else {
        report(.typeMismatch, r.span, "`\(op.rawValue)` needs a list on its right, found \(b.brief)", help: b == .text ? ["to look for text inside text, write `contains`"] : [])
        return .error
      }
      if case .enumeration(let en) = a, case .text = element.unwrapped { checkCases(of: r, en) }
      else if !comparable(a, element.unwrapped) {
        report(.typeMismatch, span, "cannot look for \(a.brief) in a list of \(element.brief)")
        return .error
      }
      return carry(.bool, l.type, r.type)
    case .matches:
      guard a == .text else { return mismatch(op, l, r, span) }
      guard case .literal(.string(let pattern)) = r.kind else {
        report(.typeMismatch, r.span, "`matches` takes a pattern written as text, e.g. `matches \"^[0-9]{6}$\"`")
        return .error
      }
      // Checked with the engine that will run it, so lint accepts exactly what evaluation can match.
      if case .failure(let problem) = Pattern.compile(pattern) {
        // Point at the offending character when the literal has no escapes shifting the places.
        var at = r.span
        if text(of: r.span).unicodeScalars.dropFirst().dropLast().elementsEqual(pattern.unicodeScalars) {
          let offset = r.span.start.offset + 1 + problem.offset
          if let file = project.files[r.span.file] { at = file.span(offset, offset + 1) }
        }
        report(
          .invalidRegex, at, "`\(pattern)` is not a valid pattern: \(problem.message)",
          help: ["every `(` needs a `)` and every `[` a `]`; to match one of `( ) [ ] { } . * + ? |` itself, write `\\\\` before it (in text, a single `\\` starts an escape such as `\\n`)"])
        return .error
      }
      return carry(.bool, l.type)
    case .contains:
      if a == .text, b == .text { return carry(.bool, l.type, r.type) }
      if let element = l.type.element, comparable(element.unwrapped, b) { return carry(.bool, l.type, r.type) }
      return mismatch(op, l, r, span)
    case .containsAny, .containsAll:
      if a == .text, let e = r.type.element, e.unwrapped == .text || e == .nothing { return carry(.bool, l.type, r.type) }
      if let e1 = l.type.element, let e2 = r.type.element, comparable(e1.unwrapped, e2.unwrapped) { return carry(.bool, l.type, r.type) }
      return mismatch(op, l, r, span, help: ["`contains any` takes text (or a list) on the left and a list on the right"])
    case .startsWith:
      guard a == .text, b == .text else { return mismatch(op, l, r, span) }
      return carry(.bool, l.type, r.type)
    case .coalesce:
      guard let t = unify(a, r.type) else {
        report(.typeMismatch, r.span, "the default after `??` is \(r.type.brief) but the value is \(a.brief)")
        return .error
      }
      return t
    case .add, .sub, .mul, .div, .rem:
      guard let t = arithmetic(op, a, b, l, r, span) else { return .error }
      return carry(t, l.type, r.type)
    }
  }

  /// The bare number literal in `t` (`24`, `-0.5`), as written, if `t` is one.
  private func bareNumber(_ t: Typed) -> String? {
    switch t.kind {
    case .literal(.int(let s)), .literal(.decimal(let s)): return s
    case .unary(.negate, let inner): return bareNumber(inner).map { "-" + $0 }
    default: return nil
    }
  }

  /// A percent beside a bare number literal above 1 in size (`apr <= 24`, `apr + 2`) is refused:
  /// 24 there is 2400%, almost never what the author meant. A fraction (`0.18`, `0`) stays legal,
  /// as in facts, and so do `*` and `/` (`24% / 12`). False after reporting.
  func percentAgainstBareNumber(_ l: Typed, _ r: Typed, at span: Span, _ verb: String) -> Bool {
    let (a, b) = (l.type.unwrapped, r.type.unwrapped)
    let number: String
    if a == .percent, b != .percent, let n = bareNumber(r) {
      number = n
    } else if b == .percent, a != .percent, let n = bareNumber(l) {
      number = n
    } else {
      return true
    }
    // At most 1 in size it reads as the fraction it is (0.18 is 18%), as in facts.
    let plain = String(number.filter { $0 != "_" })
    if let v = Fixed.parse(plain).ok, v <= .one, v >= Fixed(-1) { return true }
    let fraction = Fixed.parse(plain).ok.flatMap { try? $0.divided(by: Fixed(100)) }
    let what = verb == "compare" ? "compare a percent with the bare number \(number)" : "\(verb) the bare number \(number) \(verb == "add" ? "to" : "from") a percent"
    report(
      .typeMismatch, span, "cannot \(what): beside a percent a bare number is a fraction, so \(number) would mean \(number)00%",
      help: ["did you mean `\(number)%`?" + (fraction.map { " (or the fraction `\($0.description)`)" } ?? "")])
    return false
  }

  /// The result of `a op b` for arithmetic operators, or nil after reporting why not.
  private func arithmetic(_ op: BinaryOp, _ a: ValueType, _ b: ValueType, _ l: Typed, _ r: Typed, _ span: Span) -> ValueType? {
    if op == .add || op == .sub, !percentAgainstBareNumber(l, r, at: span, op == .add ? "add" : "subtract") { return nil }
    if case .money(let ca) = a, case .money(let cb) = b, let x = ca, let y = cb, x != y, op != .mul {
      report(
        .currencyMismatch, span, "cannot \(op == .div ? "divide" : "combine") \(x) and \(y) amounts",
        help: Checker.currencyHelp(x, y) ?? ["convert one amount to the other currency first; Precept never converts currencies by itself"])
      return nil
    }
    switch (op, a, b) {
    case (.add, .int, .int), (.sub, .int, .int), (.mul, .int, .int), (.rem, .int, .int): return .int
    case (.add, .percent, .percent), (.sub, .percent, .percent), (.mul, .percent, .percent): return .percent
    case (.mul, .percent, .int), (.mul, .percent, .decimal), (.mul, .int, .percent), (.mul, .decimal, .percent),
      (.div, .percent, .int), (.div, .percent, .decimal):
      return .percent
    case (_, let x, let y) where x.isNumeric && y.isNumeric: return .decimal
    case (.add, .money(let x), .money(let y)), (.sub, .money(let x), .money(let y)): return .money(x ?? y)
    case (.mul, .money(let c), let n) where n.isNumeric: return .money(c)
    case (.mul, let n, .money(let c)) where n.isNumeric: return .money(c)
    case (.div, .money(let c), let n) where n.isNumeric: return .money(c)
    case (.div, .money, .money): return .decimal
    case (.add, .date, .duration), (.sub, .date, .duration): return .date
    case (.add, .duration, .date): return .date
    case (.add, .datetime, .duration), (.sub, .datetime, .duration): return .datetime
    case (.sub, .date, .date), (.sub, .datetime, .datetime): return .duration
    case (.add, .duration, .duration), (.sub, .duration, .duration): return .duration
    case (.mul, .duration, .int), (.mul, .int, .duration): return .duration
    case (.add, .text, .text): return .text
    default:
      var help: [String] = []
      if case .money = a, b == .percent, op == .add || op == .sub {
        help.append("to add a percentage of an amount, multiply: `amount * (1 + rate)`")
      } else if case .money = a, case .money = b, op == .mul {
        help.append("multiply money by a number or a percentage, not by money")
      }
      report(
        .typeMismatch, span, "cannot \(BinaryOp.verb(op)) \(a.brief) and \(b.brief)", help: help)
      return nil
    }
  }

  /// Reports and returns false when two values cannot be compared with `op`.
  @discardableResult
  func comparison(_ op: BinaryOp, _ l: Typed, _ r: Typed, at span: Span) -> Bool {
    let a = l.type.unwrapped
    let b = r.type.unwrapped
    if a == .error || b == .error { return true }
    if case .money(let x?) = a, case .money(let y?) = b, x != y {
      report(
        .currencyMismatch, span, "cannot compare \(x) with \(y) amounts",
        help: Checker.currencyHelp(x, y) ?? ["convert one amount first; Precept never converts currencies by itself"])
      return false
    }
    guard comparable(a, b) else {
      var help: [String] = []
      if case .money = a, b == .percent { help.append("a percentage compares with a ratio: divide two amounts first, e.g. `applicant.monthly_debt / applicant.monthly_income <= 50%`") }
      if a == .percent, case .money = b { help.append("a percentage compares with a ratio, not with an amount") }
      if case .money(let c) = a, b.isNumeric, b != .percent {
        help.append(moneyVersusNumberHelp(money: l, number: r, c))
      }
      if a.isNumeric, a != .percent, case .money(let c) = b {
        help.append(moneyVersusNumberHelp(money: r, number: l, c))
      }
      report(.typeMismatch, span, "cannot compare \(a.brief) with \(b.brief)", help: help)
      return false
    }
    if !percentAgainstBareNumber(l, r, at: span, "compare") { return false }
    let ordering = op == .lt || op == .le || op == .gt || op == .ge
    if ordering {
      switch a {
      case .bool, .record, .list:
        report(.typeMismatch, span, "\(a.brief) values have no order; only `==` and `!=` compare them")
        return false
      default: break
      }
    }
    return true
  }

  /// Everyday names for currencies that are not their ISO 4217 codes.
  static let currencyNicknames = ["RMB": "CNY", "NTD": "TWD"]

  /// Help for two currencies that differ only because one is written by a nickname (`RMB` for `CNY`).
  static func currencyHelp(_ x: String, _ y: String) -> [String]? {
    for (nick, iso) in [(x, y), (y, x)] where currencyNicknames[nick] == iso {
      return ["`\(nick)` is not an ISO 4217 code: write `\(iso)`"]
    }
    return nil
  }

  func comparable(_ a: ValueType, _ b: ValueType) -> Bool {
    switch (a, b) {
    case (.error, _), (_, .error), (.nothing, _), (_, .nothing): true
    case (let x, let y) where x.isNumeric && y.isNumeric: true
    case (.money(let x), .money(let y)): x == nil || y == nil || x == y
    case (.enumeration(let x), .enumeration(let y)): x == y
    case (.list(let x), .list(let y)): comparable(x.unwrapped, y.unwrapped)
    default: a == b
    }
  }

  /// An amount met a plain number: when the amount is the literal (`age between 18 and 60 CNY`)
  /// its currency is the slip; otherwise the number lacks one (`income >= 3000`).
  private func moneyVersusNumberHelp(money: Typed, number: Typed, _ currency: String?) -> String {
    if case .literal(.money(let amount, _)) = money.kind, !isLiteral(number) {
      return "\(describe(number) == "this value" ? "the other side" : describe(number)) is a plain number, not an amount: write `\(amount)` without a currency"
    }
    return "write the amount with its currency, e.g. `\(amountExample(number, currency))`"
  }

  private func isLiteral(_ t: Typed) -> Bool {
    if case .literal = t.kind { return true }
    return false
  }

  /// `3000 CNY` for a bare number literal `3000` (in the currency the other side has, if known).
  private func amountExample(_ number: Typed, _ currency: String?) -> String {
    guard case .literal(let l) = number.kind else { return "50_000 \(currency ?? "CNY")" }
    switch l {
    case .int(let t), .decimal(let t): return "\(t) \(currency ?? "CNY")"
    default: return "50_000 \(currency ?? "CNY")"
    }
  }

  /// The type both branches (or list items) can share, if any.
  func unify(_ a: ValueType, _ b: ValueType) -> ValueType? {
    switch (a, b) {
    case (.error, _), (_, .nothing): return a
    case (_, .error), (.nothing, _): return b
    case (.optional(let x), _): return unify(x, b.unwrapped).map { $0.asOptional }
    case (_, .optional(let y)): return unify(a, y).map { $0.asOptional }
    case _ where a == b: return a
    case (.int, .decimal), (.decimal, .int), (.percent, .decimal), (.decimal, .percent), (.int, .percent), (.percent, .int):
      return .decimal
    case (.money(let x), .money(let y)):
      if let x, let y, x != y { return nil }
      return .money(x ?? y)
    case (.list(let x), .list(let y)): return unify(x, y).map { .list($0) }
    default: return nil
    }
  }

  private func mismatch(_ op: BinaryOp, _ l: Typed, _ r: Typed, _ span: Span, help: [String] = []) -> ValueType {
    report(.typeMismatch, span, "`\(op.rawValue)` does not apply to \(l.type.unwrapped.brief) and \(r.type.unwrapped.brief)", help: help)
    return .error
  }

  /// Every constant text in a list compared with an enum must be one of its cases.
  private func checkCases(of list: Typed, _ en: EnumType) {
    var items: [Typed] = []
    switch list.kind {
    case .namedList(let ref): items = listTypes[ref]?.items ?? []
    case .literal: break
    default: items = list.children
    }
    for item in items {
      guard case .literal(.string(let s)) = item.kind, !en.cases.contains(s) else { continue }
      report(
        .unknownEnumCase, item.span, "`\(s)` is not one of the cases it is compared with",
        help: Suggestion.help(for: s, among: en.cases) + ["the cases are " + en.cases.joined(separator: ", ")])
    }
  }

  /// The type of a literal; the values themselves are validated where they are parsed.
  func literalType(_ l: Literal, _ span: Span) -> ValueType {
    switch l {
    case .int: .int
    case .decimal: .decimal
    case .percent: .percent
    case .money(_, let c): .money(c)
    case .date: .date
    case .datetime: .datetime
    case .duration: .duration
    case .string: .text
    case .bool: .bool
    }
  }
}

extension BinaryOp {
  static func verb(_ op: BinaryOp) -> String {
    switch op {
    case .add: "add"
    case .sub: "subtract"
    case .mul: "multiply"
    case .div: "divide"
    case .rem: "take the remainder of"
    default: "combine"
    }
  }
}
