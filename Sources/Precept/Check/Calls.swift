extension Checker {
  /// Checks a call's arguments, then its types (in `callType`, so that this frame, which is on
  /// the stack once per level of nested calls, stays small).
  func call(_ name: String, _ args: [Argument], nameSpan: Span, whole: Span, _ env: Env) -> Typed {
    if scopes[env.unit].tables[name] != nil, !isLocal(name, env) { return tableApplied(name, args, nameSpan: nameSpan, whole: whole, env) }
    guard let f = Builtin(rawValue: name) else { return unknownFunction(name, nameSpan, whole) }
    if let problem = labelProblem(f, args) { return badCall(f, problem, whole) }
    // `by: .at` names a field of each item, so it is checked with the list's item in view.
    var typed: [Typed] = []
    for a in args {
      if a.label == "by", let element = typed.first?.type.element {
        typed.append(check(a.value, env.with(item: element)))
      } else {
        typed.append(check(a.value, env))
      }
    }
    return callType(f, typed, whole)
  }

  /// `fee_cap(fee)`: a table with `for:` applied to one item of its list.
  private func tableApplied(_ name: String, _ args: [Argument], nameSpan: Span, whole: Span, _ env: Env) -> Typed {
    let ref = Reference(unit: env.unit, name: name)
    guard let type = useTable(ref, at: nameSpan) else { return .error(whole) }
    guard let checked = tableTypes[ref], let forEach = checked.table.forEach else {
      report(
        .badCall, nameSpan, "table `\(name)` reads the facts as a whole, so it is named, not called",
        help: ["write `\(name)`; to apply a table to each item of a list, give it `for: LIST` and read the item as `.field` in its inputs"])
      return .error(whole)
    }
    if checked.itemType?.isError == true { return .error(whole) }
    let list = text(of: forEach.span)
    guard args.count == 1, let arg = args.first, arg.label == nil else {
      report(.badCall, whole, "table `\(name)` takes one item of `\(list)`", help: ["write `\(name)(item)`"])
      return .error(whole)
    }
    let item = check(arg.value, env, expected: checked.itemType)
    if let want = checked.itemType, !item.type.isError, unify(want, item.type) == nil {
      report(
        .badCall, item.span, "table `\(name)` takes an item of `\(list)`, which is \(want.brief), but this is \(item.type.brief)",
        help: ["pass one item of `\(list)`, e.g. `all x in \(list): \(name)(x) …`"])
      return .error(whole)
    }
    if item.type.isError || type.isError { return .error(whole) }
    // A missing item leaves the table's value missing: its inputs cannot be read.
    return Typed(.appliedTable(ref, item), item.type.isOptional ? type.asOptional : type, whole)
  }

  private func unknownFunction(_ name: String, _ nameSpan: Span, _ whole: Span) -> Typed {
    let synonym = Builtin.synonyms[name.lowercased()].map { ["to \($0.what), use `\($0.builtin.rawValue)`: \($0.builtin.usage)"] }
    report(
      .unknownName, nameSpan, "unknown function `\(name)`",
      help: (synonym ?? Suggestion.help(for: name, among: Builtin.allCases.map(\.rawValue)))
        + ["functions are " + Builtin.allCases.map(\.rawValue).joined(separator: ", ")])
    return .error(whole)
  }

  /// Labels: only where the signature has one, and then required.
  private func labelProblem(_ f: Builtin, _ args: [Argument]) -> String? {
    for (k, a) in args.enumerated() {
      let want = k < f.labels.count ? f.labels[k] : nil
      if a.label != want {
        if let want { return "argument \(k + 1) of `\(f.rawValue)` must be labelled `\(want):`" }
        return "`\(f.rawValue)` takes no argument labelled `\(a.label ?? "")`"
      }
    }
    return nil
  }

  private func badCall(_ f: Builtin, _ message: String, _ whole: Span) -> Typed {
    report(.badCall, whole, message, help: ["write \(f.usage)"])
    return .error(whole)
  }

  /// The type of a call whose arguments are checked.
  private func callType(_ f: Builtin, _ typed: [Typed], _ whole: Span) -> Typed {
    let name = f.rawValue
    let bad = { (message: String) -> Typed in self.badCall(f, message, whole) }
    if typed.contains(where: { $0.type.isError }) { return Typed(.call(f, typed), .error, whole) }
    let types = typed.map { $0.type.unwrapped }
    let anyOptional = typed.contains { $0.type.isOptional }
    func result(_ t: ValueType, optional: Bool = false) -> Typed {
      Typed(.call(f, typed), optional || anyOptional ? t.asOptional : t, whole)
    }
    func arity(_ n: Int) -> Bool { types.count == n }

    switch f {
    case .count:
      guard arity(1), types[0].element != nil else {
        return bad("`count` takes one list" + (arity(1) ? ", but \(describe(typed[0])) is \(types[0].brief)" : ", but is given \(types.count) values"))
      }
      return result(.int)
    case .distinct:
      guard arity(1), let e = types[0].element else {
        return bad("`distinct` takes one list" + (arity(1) ? ", but \(describe(typed[0])) is \(types[0].brief)" : ", but is given \(types.count) values"))
      }
      return result(.list(e))
    case .sum, .avg:
      guard arity(1), let e = types[0].element?.unwrapped else { return bad("`\(name)` takes one list") }
      switch e {
      case .int where f == .sum: return result(.int)
      case .int, .decimal: return result(.decimal, optional: f == .avg)
      case .percent: return result(.percent, optional: f == .avg)
      case .money, .duration: return result(e, optional: f == .avg)
      case .nothing: return result(.decimal)
      default: return bad("`\(name)` adds numbers, money or durations; this list holds \(e.brief)")
      }
    case .min, .max:
      if arity(1), let e = types[0].element?.unwrapped {
        return orderable(e) ? result(e, optional: true) : bad("`\(name)` needs values with an order; this list holds \(e.brief)")
      }
      guard types.count >= 2 else { return bad("`\(name)` takes a list, or two or more values") }
      var t = types[0]
      for u in types.dropFirst() {
        guard let v = unify(t, u), comparable(t, u) else { return bad("`\(name)` cannot compare \(t.brief) with \(u.brief)") }
        t = v
      }
      return orderable(t) ? result(t) : bad("`\(name)` needs values with an order")
    case .abs:
      guard arity(1), types[0].isNumeric || isMoney(types[0]) || types[0] == .duration else { return bad("`abs` takes one number or amount") }
      return result(types[0])
    case .round:
      guard arity(2), types[0].isNumeric || isMoney(types[0]), types[1] == .int else { return bad("`round` takes a number or amount and a count of decimal places") }
      return result(types[0])
    case .age:
      guard arity(1), types[0] == .date else { return bad("`age` takes a date of birth") }
      return result(.int)
    case .daysBetween:
      guard arity(2), types[0] == types[1], types[0] == .date || types[0] == .datetime else { return bad("`days_between` takes two dates") }
      return result(.int)
    case .window, .perDay:
      let by = f == .window ? 2 : 1
      guard arity(by + 1), let e = types[0].element else { return bad("`\(name)` groups a list") }
      if f == .window, types[1] != .duration { return bad("the second argument of `window` is a duration such as `24h`") }
      let key = types[by]
      guard key == .datetime || key == .date || key == .int else {
        return bad("`by:` must name a date-time field of each item (or whole seconds since 1970), found \(key.brief)")
      }
      if f == .perDay, key == .date { return result(.list(.list(e))) }
      return result(.list(.list(e)))
    case .apr, .irr, .effectiveRate:
      guard arity(1), case .record(let r)? = types[0].element?.unwrapped,
        r.field("date")?.unwrapped == .date, isMoney(r.field("amount")?.unwrapped ?? .error)
      else { return bad("`\(name)` takes a dated cash-flow schedule: a list of records with `date` and `amount` (money)") }
      return result(.percent, optional: true)
    case .pmt:
      guard arity(3), types[0].isNumeric, types[1] == .int, isMoney(types[2]) else { return bad("`pmt` takes a rate per period, a number of periods and a principal") }
      return result(types[2])
    case .similarity:
      guard arity(2), types[0] == .text, types[1] == .text else { return bad("`similarity` takes two names") }
      return result(.decimal)
    case .bestMatch:
      guard arity(2), types[0] == .text, types[1].element?.unwrapped == .text else { return bad("`best_match` takes a name and a list of names") }
      return result(.record(RecordType([Field(name: "name", type: .text), Field(name: "score", type: .decimal)])), optional: true)
    case .near:
      func words(_ t: ValueType) -> Bool { t == .text || t.element?.unwrapped == .text }
      guard arity(4), types[0] == .text, words(types[1]), words(types[2]), types[3] == .int else {
        return bad("`near` takes a text, two words or lists of words, and `within:` a number of characters")
      }
      return result(.bool)
    case .lower, .upper:
      guard arity(1), types[0] == .text else { return bad("`\(name)` takes one text") }
      return result(.text)
    case .length:
      guard arity(1), types[0] == .text else { return bad("`length` takes one text; for a list use `count`") }
      return result(.int)
    }
  }

  private func isMoney(_ t: ValueType) -> Bool {
    if case .money = t { return true }
    return false
  }

  private func orderable(_ t: ValueType) -> Bool {
    switch t {
    case .int, .decimal, .percent, .money, .date, .datetime, .duration, .text, .enumeration: true
    default: false
    }
  }
}
