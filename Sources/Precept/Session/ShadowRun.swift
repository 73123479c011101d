/// One facts document decided under two versions of the rulebooks, and what flipped: each rule
/// whose status changed, and each rulebook whose outcome changed. A rule (or a rulebook) present
/// in one version only is `absent` in the other; a rule that is absent in one version and not
/// applicable in the other has not flipped.
public enum ShadowRun {
  public struct Flip: Sendable, Equatable {
    public var facts: String
    public var rulebook: String
    public var rule: String
    public var before: String
    public var after: String
    /// Under the new version: the rule's message when violated, else the reason for its status.
    public var why: String?
    /// Under the new version, for a rule now violated or unknown: what change to the facts would
    /// make it pass (`check --counterfactuals`); empty when none can be read off its condition.
    public var fixes: [Fix]?
  }

  public struct OutcomeFlip: Sendable, Equatable {
    public var facts: String
    public var rulebook: String
    public var before: String
    public var after: String
  }

  /// What one document gave.
  public struct Result: Sendable {
    public var flips: [Flip] = []
    public var outcomeFlips: [OutcomeFlip] = []
    /// The document could not be decided under a version: why (facts that do not fit its schema,
    /// or no rulebook of it applies).
    public var oldProblem: String?
    public var newProblem: String?
  }

  /// What a corpus gave, document after document in the order given.
  public struct Outcome: Sendable {
    public var documents = 0
    public var flips: [Flip] = []
    public var outcomeFlips: [OutcomeFlip] = []
    /// Documents decided under one version only: where, and why the other could not.
    public var oneSided: [(facts: String, old: String?, new: String?)] = []
    /// Documents neither version applies to or reads (reported, not counted as flips).
    public var undecided: [(facts: String, why: String)] = []
    /// Documents and files that could not be read.
    public var unusable: [(facts: String, why: String)] = []

    public init() {}

    /// Adds one document's result.
    public mutating func add(_ r: Result, label: String) {
      documents += 1
      flips += r.flips
      outcomeFlips += r.outcomeFlips
      switch (r.oldProblem, r.newProblem) {
      case (nil, nil): break
      case (let a?, let b?): undecided.append((label, a == b ? a : "old: \(a); new: \(b)"))
      case (let a, let b): oneSided.append((label, a, b))
      }
    }
  }

  /// The word for a rule or rulebook a version does not have.
  public static let absent = "absent"

  /// Decides `document` (named `label` in the output) under both sessions and compares.
  public static func compare(_ document: FactsDocument, label: String, old: Session, new: Session, asOf: CivilDate, stage: Stage?) -> Result {
    var result = Result()
    let before = decisions(document, old, asOf: asOf, stage: stage, problem: &result.oldProblem)
    var after = decisions(document, new, asOf: asOf, stage: stage, problem: &result.newProblem)
    var fixesComputed = false
    var ids = before.map(\.rulebook.id)
    ids += after.map(\.rulebook.id).filter { !ids.contains($0) }
    for id in ids {
      let a = before.first { $0.rulebook.id == id }
      let b = after.first { $0.rulebook.id == id }
      var statusBefore: [String: String] = [:]
      var statusAfter: [String: String] = [:]
      var whyAfter: [String: String] = [:]
      var rules: [String] = []
      for r in a?.results ?? [] {
        statusBefore[r.rule.id] = r.status.rawValue
        rules.append(r.rule.id)
      }
      for r in b?.results ?? [] {
        statusAfter[r.rule.id] = r.status.rawValue
        whyAfter[r.rule.id] = r.message ?? r.reason
        if statusBefore[r.rule.id] == nil { rules.append(r.rule.id) }
      }
      for rule in rules {
        let x = statusBefore[rule] ?? absent
        let y = statusAfter[rule] ?? absent
        // A rule added or removed where it does not apply changes nothing.
        let notApplicable = RuleStatus.notApplicable.rawValue
        guard x != y, !([x, y].contains(absent) && [x, y].contains(notApplicable)) else { continue }
        var flip = Flip(facts: label, rulebook: id, rule: rule, before: x, after: y, why: whyAfter[rule])
        if y == RuleStatus.violated.rawValue || y == RuleStatus.unknown.rawValue {
          // What would make it pass now: the document decided again under the new version with
          // counterfactuals (only a document with such a flip pays for it).
          if !fixesComputed {
            var ignored: String?
            after = decisions(document, new, asOf: asOf, stage: stage, counterfactuals: true, problem: &ignored)
            fixesComputed = true
          }
          flip.fixes = after.first { $0.rulebook.id == id }?.results.first { $0.rule.id == rule }?.fixes ?? []
        }
        result.flips.append(flip)
      }
      let x = a?.outcome.rawValue ?? absent
      let y = b?.outcome.rawValue ?? absent
      if x != y { result.outcomeFlips.append(OutcomeFlip(facts: label, rulebook: id, before: x, after: y)) }
    }
    return result
  }

  private static func decisions(
    _ document: FactsDocument, _ session: Session, asOf: CivilDate, stage: Stage?, counterfactuals: Bool = false, problem: inout String?
  ) -> [Decision] {
    switch session.decide(document, asOf: asOf, stage: stage, counterfactuals: counterfactuals) {
    case .success(let d):
      if d.decisions.isEmpty { problem = "no rulebook applies to it" }
      return d.decisions
    case .failure(let e):
      problem = e.errors.map(\.description).joined(separator: "; ")
      return []
    }
  }
}
