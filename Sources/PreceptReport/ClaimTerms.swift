import Precept

/// The words each wording rule looks for in copy, so a report can show where copy uses them in a
/// negated phrase (`本产品不保本`): occurrences the matcher set aside as disclosures, not claims.
///
/// Read from the rule as written: `contains any NAME` (a named list, imported names included),
/// `contains any [ … ]` and `contains "…"`. Rules whose words come from elsewhere show no negated
/// phrases; their claims are still marked from the decision.
public struct ClaimTerms: Sendable {
  /// Rulebook id → rule id → terms.
  public var terms: [String: [String: [String]]]

  /// No terms: the report shows claims only.
  public init(terms: [String: [String: [String]]] = [:]) { self.terms = terms }

  /// The terms of every decided rule that matches words, its lists looked up in the rulebooks as
  /// read (`Project.load` with the paths the decisions were loaded from). A rulebook whose files
  /// changed since it decided (another digest) gives no terms: its lists may say something else now.
  public static func resolve(_ project: Project, for decisions: [Decision]) -> ClaimTerms {
    var out: [String: [String: [String]]] = [:]
    for d in decisions {
      guard let u = project.units.indices.first(where: { project.units[$0].rulebook.id.value == d.rulebook.id }),
        CompiledRulebook.digest(of: project, unit: u) == d.rulebook.digest
      else { continue }
      let unit = project.units[u]
      for r in d.results {
        let text = r.rule.conditionText
        var words: [String] = []
        for name in listNames(in: text) { words += lookup(name, in: unit, project) }
        words += literals(in: text)
        if !words.isEmpty { out[d.rulebook.id, default: [:]][r.rule.id] = words }
      }
    }
    return ClaimTerms(terms: out)
  }

  /// Names after `contains any ` or `contains all `.
  static func listNames(in text: String) -> [String] {
    var names: [String] = []
    for marker in ["contains any ", "contains all "] {
      var rest = Substring(text)
      while let r = rest.firstRange(of: marker) {
        rest = rest[r.upperBound...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        if !name.isEmpty { names.append(String(name)) }
      }
    }
    return names
  }

  /// Quoted words after `contains any [`, `contains all [` and `contains "`.
  static func literals(in text: String) -> [String] {
    var words: [String] = []
    var rest = Substring(text)
    while let r = rest.firstRange(of: "contains ") {
      rest = rest[r.upperBound...]
      var tail = rest
      for prefix in ["any ", "all "] where tail.hasPrefix(prefix) { tail = tail.dropFirst(prefix.count) }
      if tail.hasPrefix("\"") {
        if let w = quoted(tail) { words.append(w) }
      } else if tail.hasPrefix("[") {
        let list = tail.prefix { $0 != "]" }
        var items = list.dropFirst()
        while let q = items.firstIndex(of: "\"") {
          items = items[q...]
          guard let w = quoted(items) else { break }
          words.append(w)
          items = items.dropFirst(w.count + 2)
        }
      }
    }
    return words
  }

  /// The text of a simple double-quoted literal at the start of `s` (no escapes).
  private static func quoted(_ s: Substring) -> String? {
    let body = s.dropFirst()
    guard let end = body.firstIndex(of: "\""), !body[..<end].contains("\\") else { return nil }
    return String(body[..<end])
  }

  /// A list's items by name as a rule in `unit` writes it: `claims` or `alias.claims`.
  private static func lookup(_ name: String, in unit: Project.Unit, _ project: Project) -> [String] {
    var target = unit
    var list = Substring(name)
    if let dot = name.firstIndex(of: "."), let i = unit.imports[String(name[..<dot])], project.units.indices.contains(i) {
      target = project.units[i]
      list = name[name.index(after: dot)...]
    }
    return target.rulebook.lists.first { $0.name.value == list }?.items.map(\.text) ?? []
  }

  /// Where negated occurrences of a rule's terms are in `copy` (original scalar offsets).
  func negated(_ rulebook: String, _ rule: String, in copy: String) -> [TextSpan] {
    guard let words = terms[rulebook]?[rule], !words.isEmpty else { return [] }
    let folded = NormalizedText(copy)
    let claims = Set(WordMatcher(words).find(in: folded).map(\.start))
    return WordMatcher(words, negation: false).find(in: folded).filter { !claims.contains($0.start) }
  }
}
