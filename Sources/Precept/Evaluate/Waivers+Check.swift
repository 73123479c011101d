extension WaiverFile {
  /// The problems of waivers against the rulebooks they name, as of `date`: a waiver of a rule
  /// or rulebook that does not exist, approved by a department that does not own the rule, or
  /// not in force on `date` (a warning).
  public func check(_ rulebooks: [CompiledRulebook], asOf date: CivilDate) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for w in waivers {
      for problem in WaiverFile.problems(w, rulebooks, asOf: date) {
        out.append(Diagnostic(problem.code, w.span.startOnly, problem.message, severity: problem.code == .waiverNotInForce ? .warning : nil))
      }
    }
    return out
  }

  /// What is wrong with one waiver against the rulebooks, as of `date`.
  static func problems(_ w: Waiver, _ rulebooks: [CompiledRulebook], asOf date: CivilDate) -> [(code: DiagnosticCode, message: String)] {
    guard let book = rulebooks.first(where: { $0.id == w.rulebook }) else {
      let near = Suggestion.closest(to: w.rulebook, among: rulebooks.map(\.id)).map { "; did you mean `\($0)`?" } ?? ""
      return [(.waiverUnknownRule, "waiver names rulebook `\(w.rulebook)`, which is not loaded\(near)")]
    }
    guard let k = book.ruleIndex[w.rule] else {
      let near = Suggestion.closest(to: w.rule, among: book.rules.map(\.id)).map { "; did you mean `\($0)`?" } ?? ""
      return [(.waiverUnknownRule, "waiver names rule `\(w.rule)`, which \(w.rulebook) does not have\(near)")]
    }
    var out: [(DiagnosticCode, String)] = []
    let owner = book.rules[k].owner
    if owner != w.department {
      out.append((.waiverWrongDepartment, "waiver of \(w.rule) is approved by \(w.department), but the rule is owned by \(owner ?? "no department"): only its owner may waive it"))
    }
    if !w.isValid(on: date) {
      out.append((.waiverNotInForce, date < w.approvedAt ? "waiver of \(w.rule) is not in force until \(w.approvedAt)" : "waiver of \(w.rule) expired on \(w.expires)"))
    }
    return out
  }
}

extension Evaluator {
  /// The waivers of this rulebook (set once; reused for every evaluation).
  public var waivers: [Waiver] {
    get { ownWaivers }
    set { ownWaivers = newValue.filter { $0.rulebook == book.id } }
  }

  /// The waiver that covers violated rule `k` on these facts and this date: its rule, its facts
  /// and its dates match, and its owner approved it. nil when none does.
  func waiver(covering k: Int, asOf date: CivilDate) -> Waiver? {
    let rule = book.rules[k]
    return ownWaivers.first { w in
      w.rule == rule.id && w.department == rule.owner && w.isValid(on: date) && matches(w)
    }
  }

  /// Whether every fact path the waiver lists has the value it gives, in this evaluation's facts.
  func matches(_ w: Waiver) -> Bool {
    w.facts.allSatisfy { f in
      let parts = f.path.split(separator: ".").map(String.init)
      guard let root = parts.first, let r = book.roots.firstIndex(where: { $0.name == root }), r < facts.count else { return false }
      var value = facts[r]
      var type = book.roots[r].type
      for name in parts.dropFirst() {
        guard case .record(let record) = type.unwrapped, let i = record.fields.firstIndex(where: { $0.name == name }),
          case .record(let fields) = value, i < fields.count
        else { return false }
        (value, type) = (fields[i], record.fields[i].type)
      }
      return !value.isMissing && value.formatted(as: type) == f.value
    }
  }

  /// The waivers for these facts that were not applied, and why.
  func waiverFindings(asOf date: CivilDate) -> [String] {
    ownWaivers.filter(matches).flatMap { w in
      WaiverFile.problems(w, [book], asOf: date).map { "\($0.code.rawValue): \($0.message) (\(w.span.description))" }
    }
  }
}
