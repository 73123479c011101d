extension Checker {
  /// Attributes fair-lending law forbids as a basis for credit decisions (US ECOA / Regulation B:
  /// race, colour, religion, national origin, sex, marital status, receipt of public assistance),
  /// their common spellings, and obvious proxies (a Chinese household registration, a postcode).
  /// Age is not listed: adult and retirement-age limits are standard, lawful eligibility rules.
  static let protectedAttributes: [String: String] = [
    "race": "race", "ethnicity": "ethnicity", "ethnic_group": "ethnicity", "colour": "colour", "color": "colour",
    "religion": "religion", "national_origin": "national origin", "nationality": "national origin",
    "sex": "sex", "gender": "sex", "marital_status": "marital status", "pregnancy": "pregnancy", "pregnant": "pregnancy",
    "disability": "disability", "public_assistance": "receipt of public assistance", "receives_public_assistance": "receipt of public assistance",
    "hukou": "household registration (a proxy for origin)", "household_registration": "household registration (a proxy for origin)",
    "postcode": "postcode (a proxy for race or origin)", "zip_code": "ZIP code (a proxy for race or origin)", "zip": "ZIP code (a proxy for race or origin)",
  ]

  /// Eligibility and suitability rules that read a protected attribute, directly or through a
  /// definition or table, need a stated justification; otherwise they are flagged for review.
  /// Reads that only test presence or format (`is present`, `matches`, `length`) do not count.
  func lintFairness(_ checked: CheckedRule) {
    let rule = checked.rule
    guard let category = rule.category?.value, category == "eligibility" || category == "suitability",
      (rule.justification ?? "").trimmingSpaces.isEmpty
    else { return }
    var found: [(path: String, basis: String)] = []
    var seen: Set<Reference> = []
    func visit(_ t: Typed) {
      switch t.kind {
      case .fact(let p):
        for name in p { if let basis = Checker.protectedAttributes[name] { found.append((p.joined(separator: "."), basis)) } }
      case .projection(let b, let field):
        if let basis = Checker.protectedAttributes[field] { found.append(("….\(field)", basis)) }
        visit(b)
      case .member(let b, let field):
        if let basis = Checker.protectedAttributes[field] { found.append(("….\(field)", basis)) }
        visit(b)
      // Checking that a value is present or well formed decides nothing on it.
      case .presence, .binary(.matches, _, _), .call(.length, _):
        break
      case .definition(let ref):
        if seen.insert(ref).inserted, let d = definitionTypes[ref] { visit(d) }
      case .table(let ref):
        if seen.insert(ref).inserted, let table = tableTypes[ref] { table.inputs.forEach(visit) }
      default:
        t.children.forEach(visit)
      }
    }
    checked.when.map(visit)
    visit(checked.condition)
    guard let first = found.first else { return }
    let others = Set(found.map(\.path)).subtracting([first.path]).sorted()
    report(
      .protectedAttribute, rule.id.span,
      "\(category) rule `\(rule.id.value)` reads `\(first.path)` — \(first.basis), a protected basis under fair-lending rules"
        + (others.isEmpty ? "" : " (also " + others.map { "`\($0)`" }.joined(separator: ", ") + ")"),
      help: [
        "decide eligibility on what the product requires, not on who the applicant is; if the law requires this attribute here, say why with `justification: \"…\"`",
      ])
  }
}
