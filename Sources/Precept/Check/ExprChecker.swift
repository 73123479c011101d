/// What an expression can see besides its rulebook's scope: the current `where` item and quantifier names.
struct Env {
  var unit: Int
  var items: [ValueType] = []
  var variables: [(String, ValueType)] = []

  func with(item: ValueType, variable: String? = nil) -> Env {
    var e = self
    e.items.append(item)
    if let v = variable { e.variables.append((v, item)) }
    return e
  }
}

extension Checker {
  /// Types an expression. `expected` lets a bare word resolve as a case of the enum it is compared with.
  ///
  /// Every sub-expression passes through here, so this is where nesting is counted (see
  /// `Nesting.swift`). Each form is typed by its own method: in a debug build a function's frame
  /// holds the locals of all its cases, and this one is on the stack once per level of nesting.
  func check(_ e: Expr, _ env: Env, expected: ValueType? = nil) -> Typed {
    // Where the parser gave up (an expression nested too deeply ends in one, a level below its
    // limit) there is nothing to count.
    if case .error = e.kind { return .error(e.span) }
    guard enter(e.span) else { return .error(e.span) }
    defer { depth -= 1 }
    switch e.kind {
    case .error: return .error(e.span)
    case .literal(let l): return literal(l, e.span)
    case .name(let n): return name(n, e.span, env, expected: expected)
    case .implicitMember(let field): return implicitMember(field, e.span, env)
    case .member(let base, let field, let nameSpan): return memberAccess(base, field, nameSpan: nameSpan, whole: e.span, env)
    case .index(let base, let i): return index(base, i, e.span, env)
    case .call(let name, let args, let nameSpan): return call(name, args, nameSpan: nameSpan, whole: e.span, env)
    case .unary(.not, let a): return not(a, e.span, env)
    case .unary(.negate, let a): return negate(a, e.span, env)
    case .binary(let op, let l, let r): return binary(op, l, r, e.span, env)
    case .between(let x, let lo, let hi, let negated): return between(x, lo, hi, negated: negated, e.span, env)
    case .presence(let x, let missing): return presence(x, missing: missing, e.span, env)
    case .conditional(let c, let y, let n): return conditional(c, y, n, e.span, env, expected: expected)
    case .filter(let xs, let c): return filter(xs, c, e.span, env)
    case .quantifier(let q, let v, let xs, let body): return quantifier(q, v, xs, body, e.span, env)
    case .list(let items): return list(items, e.span, env, expected: expected)
    }
  }

  private func literal(_ l: Literal, _ span: Span) -> Typed {
    if case .failure(let problem) = l.value {
      report(.invalidLiteral, span, "`\(Printer.literal(l))` is not a valid \(literalType(l, span).description.replacingMoney): \(problem.message)")
      return .error(span)
    }
    return Typed(.literal(l), literalType(l, span), span)
  }

  private func implicitMember(_ field: String, _ span: Span, _ env: Env) -> Typed {
    guard let item = env.items.last else {
      let lists = listsWithField(field, env.unit)
      let help =
        lists.count == 1
        ? "to test every item of `\(lists[0])`, write \"all x in \(lists[0]): x.\(field) …\" (in quotes, because of the `: `), or filter with `\(lists[0]) where .\(field) …`"
        : "use it inside `xs where .\(field) …` or \"any x in xs: x.\(field) …\", where `xs` is a list of records"
      report(
        .implicitItemOutside, span, "`.\(field)` means “the current item's \(field)”, which exists only inside `where`, a quantifier or `by:`",
        help: [help])
      return .error(span)
    }
    return member(Typed(.item, item, span), field, nameSpan: span, whole: span)
  }

  private func memberAccess(_ base: Expr, _ field: String, nameSpan: Span, whole: Span, _ env: Env) -> Typed {
    if case .name(let a) = base.kind, let target = scopes[env.unit].aliases[a], !isLocal(a, env) {
      return imported(target, alias: a, field, nameSpan: nameSpan, whole: whole, from: env.unit)
    }
    if case .name(let a) = base.kind, scopes[env.unit].brokenAliases.contains(a) || scopes[env.unit].duplicates.contains(a), !isLocal(a, env) {
      return .error(whole)
    }
    if case .name(let a) = base.kind, !isLocal(a, env), !scopes[env.unit].knows(a) {
      // `applicant.age` with no `applicant`: a fact the schema does not declare.
      var help = Suggestion.help(for: a, among: scopes[env.unit].allNames + env.variables.map(\.0))
      if help.isEmpty {
        help.append("facts are declared under `schema:`; add `\(a):` there with its fields, e.g. `\(field): int`")
      }
      report(.unknownName, base.span, "unknown name `\(a)`: the schema declares no fact `\(a)`", help: help)
      return .error(whole)
    }
    let b = check(base, env)
    return member(b, field, nameSpan: nameSpan, whole: whole)
  }

  private func index(_ base: Expr, _ index: Expr, _ span: Span, _ env: Env) -> Typed {
    let b = check(base, env)
    let i = check(index, env)
    if !i.type.isError, i.type.unwrapped != .int {
      report(.typeMismatch, i.span, "a list index must be a whole number, found \(i.type.brief)")
    }
    guard let element = b.type.element else {
      if !b.type.isError { report(.typeMismatch, b.span, "only a list can be indexed with `[…]`; this is \(b.type.brief)") }
      return .error(span)
    }
    return Typed(.index(b, i), element.asOptional, span)
  }

  private func not(_ a: Expr, _ span: Span, _ env: Env) -> Typed {
    let t = check(a, env)
    requireBool(t, "the value after `not`")
    return Typed(.unary(.not, t), carry(.bool, t.type), span)
  }

  private func negate(_ a: Expr, _ span: Span, _ env: Env) -> Typed {
    let t = check(a, env)
    switch t.type.unwrapped {
    case .int, .decimal, .percent, .money, .duration, .error: break
    default: report(.typeMismatch, span, "cannot negate \(t.type.brief)")
    }
    return Typed(.unary(.negate, t), t.type, span)
  }

  private func between(_ x: Expr, _ lo: Expr, _ hi: Expr, negated: Bool, _ span: Span, _ env: Env) -> Typed {
    let tx = check(x, env)
    let tl = check(lo, env, expected: tx.type)
    let th = check(hi, env, expected: tx.type)
    for bound in [tl, th] { _ = comparison(.le, tx, bound, at: bound.span) }
    return Typed(.between(tx, tl, th, negated: negated), carry(.bool, tx.type, tl.type, th.type), span)
  }

  private func presence(_ x: Expr, missing: Bool, _ span: Span, _ env: Env) -> Typed {
    let tx = check(x, env)
    return Typed(.presence(tx, missing: missing), .bool, span)
  }

  private func conditional(_ c: Expr, _ y: Expr, _ n: Expr, _ span: Span, _ env: Env, expected: ValueType?) -> Typed {
    let tc = check(c, env)
    requireBool(tc, "the condition after `if`")
    let ty = check(y, env, expected: expected)
    let tn = check(n, env, expected: ty.type)
    guard let t = unify(ty.type, tn.type) else {
      report(.typeMismatch, tn.span, "`then` gives \(ty.type.brief) but `else` gives \(tn.type.brief); both branches must have the same type")
      return .error(span)
    }
    return Typed(.conditional(tc, ty, tn), carry(t, tc.type), span)
  }

  private func filter(_ xs: Expr, _ c: Expr, _ span: Span, _ env: Env) -> Typed {
    let tx = check(xs, env)
    guard let element = tx.type.element else {
      report(.typeMismatch, tx.span, "`where` filters a list; this is \(tx.type.brief)")
      return .error(span)
    }
    let tc = check(c, env.with(item: element))
    requireBool(tc, "the condition after `where`")
    return Typed(.filter(tx, tc), tx.type, span)
  }

  private func quantifier(_ q: Quantifier, _ v: String, _ xs: Expr, _ body: Expr, _ span: Span, _ env: Env) -> Typed {
    let tx = check(xs, env)
    guard let element = tx.type.element else {
      report(.typeMismatch, tx.span, "`\(q.rawValue) \(v) in …` needs a list; this is \(tx.type.brief)")
      return .error(span)
    }
    let tb = check(body, env.with(item: element, variable: v))
    requireBool(tb, "the condition after `:`")
    return Typed(.quantifier(q, v, tx, tb), carry(.bool, tx.type, tb.type), span)
  }

  private func list(_ items: [Expr], _ span: Span, _ env: Env, expected: ValueType?) -> Typed {
    let expectedElement = expected?.element
    var typed: [Typed] = []
    var t: ValueType = .nothing
    for item in items {
      let ti = check(item, env, expected: expectedElement ?? (t == .nothing ? nil : t))
      if let u = unify(t, ti.type) {
        t = u
      } else {
        report(.typeMismatch, ti.span, "this list mixes \(t.brief) and \(ti.type.brief); a list holds one type of value")
      }
      typed.append(ti)
    }
    return Typed(.list(typed), .list(t), span)
  }

  /// Fact paths (`product.fees`) that are lists of records with a field of this name.
  func listsWithField(_ field: String, _ u: Int) -> [String] {
    var out: [String] = []
    func walk(_ t: ValueType, _ path: String, depth: Int) {
      guard depth < 8 else { return }
      switch t.unwrapped {
      case .record(let r): for f in r.fields { walk(f.type, path + "." + f.name, depth: depth + 1) }
      case .list(let e):
        if case .record(let r) = e.unwrapped, r.field(field) != nil { out.append(path) }
      default: break
      }
    }
    for (name, t) in scopes[u].facts.sorted(by: { $0.key < $1.key }) { walk(t, name, depth: 0) }
    return out
  }

  /// Whether a name is bound by a quantifier here (it then hides declarations of the same name).
  func isLocal(_ n: String, _ env: Env) -> Bool { env.variables.contains { $0.0 == n } }

  private func name(_ n: String, _ span: Span, _ env: Env, expected: ValueType?) -> Typed {
    if let v = env.variables.last(where: { $0.0 == n }) { return Typed(.variable(n), v.1, span) }
    if scopes[env.unit].duplicates.contains(n) { return .error(span) }
    if case .enumeration(let en) = expected?.unwrapped ?? .error, en.cases.contains(n) {
      return Typed(.enumCase(n), .enumeration(en), span)
    }
    // Compared with something whose type is in error (a schema that failed to import), a word
    // that names the definition being checked is most likely an enum case (`tx where .channel ==
    // cash` inside `cash`): taken as the definition, it would add a false cycle to the first error.
    if expected?.isError == true, inProgress.contains(Reference(unit: env.unit, name: n)) { return .error(span) }
    if let resolved = declared(n, in: env.unit, span) { return resolved }
    if scopes[env.unit].brokenAliases.contains(n) { return .error(span) }
    if scopes[env.unit].aliases[n] != nil {
      report(.unknownName, span, "`\(n)` is an import alias; name something inside it, such as `\(n).NAME`")
      return .error(span)
    }
    // Compared with something whose type is already in error (a field with a bad type): the
    // word is most likely one of its enum cases, and the first error says all there is to say.
    if expected?.isError == true { return .error(span) }
    if case .enumeration(let en) = expected?.unwrapped ?? .error {
      report(
        .unknownEnumCase, span, "`\(n)` is not one of the cases it is compared with",
        help: Suggestion.help(for: n, among: en.cases) + ["the cases are " + en.cases.joined(separator: ", ")])
      return .error(span)
    }
    // A bare word with nothing to compare it with, such as a table's result or an `if` branch:
    // the case of the one enum of the schema that has it.
    let owners = schemaEnums(with: n, in: env.unit)
    if owners.count == 1, let only = owners.first { return Typed(.enumCase(n), .enumeration(only.type), span) }
    if owners.count > 1 {
      report(
        .unknownName, span, "`\(n)` is a case of \(owners.count) different enums of the schema, so which one is meant is unclear",
        help: ["the enums of " + owners.map { "`\($0.path)`" }.joined(separator: ", ") + " have it",
          "compare it with a field of the one meant, or declare the table's result `type:`"])
      return .error(span)
    }
    var help = Suggestion.help(for: n, among: scopes[env.unit].allNames + env.variables.map(\.0))
    if help.isEmpty, n.isIdentifier {
      help.append("if `\(n)` is an enum case, compare it with a field of that enum, e.g. `product.kind == \(n)`; if it is text, quote it: \"\(n)\"")
    }
    report(.unknownName, span, "unknown name `\(n)`", help: help)
    return .error(span)
  }

  /// A table is named or called at `span`: it counts as used and is expanded there (bounded like
  /// a definition); its result type, or nil when expanding it here goes too deep.
  func useTable(_ ref: Reference, at span: Span) -> ValueType? {
    used.insert(ref)
    let type = tableResultType(ref)
    return expand(ref, at: span) ? type : nil
  }

  /// The distinct enum types of unit `u`'s schema that have the case `n`, each with the first
  /// fact path (in name order) declared with it.
  func schemaEnums(with n: String, in u: Int) -> [(type: EnumType, path: String)] {
    var out: [(type: EnumType, path: String)] = []
    func walk(_ t: ValueType, _ path: String) {
      switch t {
      case .enumeration(let e):
        if e.cases.contains(n), !out.contains(where: { $0.type == e }) { out.append((e, path)) }
      case .optional(let x), .list(let x): walk(x, path)
      case .record(let r): for f in r.fields { walk(f.type, path + "." + f.name) }
      default: break
      }
    }
    for root in scopes[u].facts.keys.sorted() { scopes[u].facts[root].map { walk($0, root) } }
    return out
  }

  /// A definition, list, table or fact root declared in unit `u`.
  func declared(_ n: String, in u: Int, _ span: Span) -> Typed? {
    let s = scopes[u]
    let ref = Reference(unit: u, name: n)
    if s.definitions[n] != nil {
      used.insert(ref)
      let type = definitionType(ref)
      guard expand(ref, at: span) else { return .error(span) }
      return Typed(.definition(ref), type, span)
    }
    if s.lists[n] != nil {
      used.insert(ref)
      return Typed(.namedList(ref), .list(listType(ref)), span)
    }
    if s.tables[n] != nil {
      guard let type = useTable(ref, at: span) else { return .error(span) }
      if let checked = tableTypes[ref], let forEach = checked.table.forEach {
        // A `for` that is not a list has been reported.
        if checked.itemType?.isError == true { return .error(span) }
        report(
          .badCall, span, "table `\(n)` is applied to one item of `\(text(of: forEach.span))` at a time, so it needs the item",
          help: ["write `\(n)(item)`, e.g. `all x in \(text(of: forEach.span)): \(n)(x) …`"])
        return .error(span)
      }
      return Typed(.table(ref), type, span)
    }
    if let t = s.facts[n] {
      return Typed(.fact([n]), t, span)
    }
    if n == "today" { return Typed(.today, .date, span) }
    return nil
  }

  private func imported(_ target: Int, alias: String, _ n: String, nameSpan: Span, whole: Span, from u: Int) -> Typed {
    if let t = declared(n, in: target, whole), n != "today" { return t }
    if unit(u).reusedAliases.contains(alias) { return .error(whole) }
    let s = scopes[target]
    report(
      .unknownName, nameSpan, "`\(alias)` (\(unit(target).file.path)) has no list, definition, table or fact named `\(n)`",
      help: Suggestion.help(for: n, among: Array(s.lists.keys) + Array(s.definitions.keys) + Array(s.tables.keys) + Array(s.facts.keys)))
    return .error(whole)
  }

  /// `base.field` on a record (a field) or on a list of records (every item's field).
  func member(_ b: Typed, _ field: String, nameSpan: Span, whole: Span) -> Typed {
    switch b.type.unwrapped {
    case .error:
      return .error(whole)
    case .record(let r):
      guard let ft = r.field(field) else { return unknownField(b, field, r, nameSpan, whole) }
      let t = b.type.isOptional ? ft.asOptional : ft
      if case .fact(let path) = b.kind {
        return Typed(.fact(path + [field]), t, whole)
      }
      return Typed(.member(b, field), t, whole)
    case .list(let element):
      guard case .record(let r) = element.unwrapped else { break }
      guard let ft = r.field(field) else { return unknownField(b, field, r, nameSpan, whole) }
      return Typed(.projection(b, field), carry(.list(ft), b.type), whole)
    default:
      break
    }
    report(.unknownField, nameSpan, "\(describe(b)) is \(b.type.brief), which has no field `\(field)`")
    return .error(whole)
  }

  private func unknownField(_ b: Typed, _ field: String, _ r: RecordType, _ nameSpan: Span, _ whole: Span) -> Typed {
    let names = r.fields.map(\.name)
    report(
      .unknownField, nameSpan, "\(describe(b)) has no field `\(field)`",
      help: Suggestion.help(for: field, among: names) + (!names.isEmpty && names.count <= 12 ? ["its fields are " + names.joined(separator: ", ")] : []))
    return .error(whole)
  }

  /// How a message names an expression: `applicant`, `the current item`.
  func describe(_ t: Typed) -> String {
    switch t.kind {
    case .fact(let p): "`" + p.joined(separator: ".") + "`"
    case .item: "the current item"
    case .variable(let v): "`\(v)`"
    case .definition(let r): "`\(r.name)`"
    default: "this value"
    }
  }

  /// Reports a non-boolean where a condition is needed.
  func requireBool(_ t: Typed, _ what: String) {
    switch t.type.unwrapped {
    case .bool, .error: return
    default:
      report(.notBoolean, t.span, "\(what) must be true or false, but this is \(t.type.brief)", help: conditionHelp(t))
    }
  }

  func conditionHelp(_ t: Typed) -> [String] {
    switch t.type.unwrapped {
    case .int, .decimal, .percent, .money: ["compare it with a limit, e.g. `\(text(of: t.span)) <= …`"]
    case .list: ["test the list, e.g. `count(…) > 0` or `any x in …: …`"]
    case .text: ["compare the text, e.g. `… == \"…\"` or `… contains \"…\"`"]
    default: []
    }
  }

  /// `result`, made optional when any input may be missing.
  func carry(_ result: ValueType, _ inputs: ValueType...) -> ValueType {
    inputs.contains { $0.isOptional } ? result.asOptional : result
  }
}

extension String {
  /// `money(CNY)` reads as plain `money` in a sentence.
  fileprivate var replacingMoney: String { hasPrefix("money") ? "amount" : self }
}
