import Precept

/// A decision known only from what a log recorded, when the rulebook that made it is no longer
/// loaded as it was: the rulebook's id, version and digest, the outcome, and each rule's status
/// and message. Its rules' titles, owners and severities are not known, so none are shown.
public struct RecordedDecision: Sendable {
  public var rulebook: String
  public var version: String?
  public var digest: String
  public var asOf: String
  public var stage: String?
  public var outcome: Outcome
  /// Every rule's status and message as recorded, in the order recorded.
  public var results: [(rule: String, status: RuleStatus, message: String?)]
  /// Why it is shown as recorded, under its heading ("the rulebook changed since …").
  public var why: String

  public init(
    rulebook: String, version: String?, digest: String, asOf: String, stage: String?, outcome: Outcome,
    results: [(rule: String, status: RuleStatus, message: String?)], why: String
  ) {
    self.rulebook = rulebook
    self.version = version
    self.digest = digest
    self.asOf = asOf
    self.stage = stage
    self.outcome = outcome
    self.results = results
    self.why = why
  }

  /// The section for this decision, laid out as a decided rulebook's: the violated and unknown
  /// rules with their messages first (by status: their severities are not recorded), then the rest by id.
  func section() -> String {
    var s = "<section class=\"rulebook recorded\" id=\"\(HTML.anchor("rb", rulebook))\" data-rulebook=\"\(HTML.attr(rulebook))\" data-recorded=\"true\">\n"
    s += "<h2><code>\(HTML.text(rulebook))</code> \(HTML.text(version ?? "")) <span class=\"muted\">— as recorded</span></h2>\n"
    s += "<p>\(HTML.badge(outcome)) <span class=\"muted\">as of \(HTML.text(asOf)) · \(stage.map { "stage " + HTML.text($0) } ?? "all stages") · <span class=\"mono\">\(HTML.text(digest))</span></span></p>\n"
    s += "<p class=\"notice\">\(HTML.text(why))</p>\n"
    let findings = results.filter { $0.status == .violated || $0.status == .unknown }
    if findings.isEmpty { s += "<p class=\"muted\">No findings: every rule that applied passed.</p>\n" }
    for (status, label) in [(RuleStatus.violated, "Violated"), (.unknown, "Unknown")] {
      let group = findings.filter { $0.status == status }
      guard !group.isEmpty else { continue }
      s += "<h3>\(label) (\(group.count))</h3>\n"
      for r in group {
        s += "<article class=\"finding recorded\" id=\"\(HTML.anchor(rulebook, r.rule))\" data-rule=\"\(HTML.attr(r.rule))\" data-status=\"\(r.status.rawValue)\">\n"
        s += "<h4><span class=\"status-\(r.status.rawValue)\">\(r.status.rawValue)</span> <code class=\"rule-id\">\(HTML.text(r.rule))</code></h4>\n"
        if let m = r.message { s += "<p class=\"message\">\(HTML.text(m))</p>\n" }
        if r.status == .unknown { s += "<p class=\"meta\">The log records that the verdict was unknown, not which facts were missing.</p>\n" }
        s += "</article>\n"
      }
    }
    for (status, label) in [(RuleStatus.waived, "Waived"), (.overridden, "Set aside"), (.notApplicable, "Not applicable"), (.passed, "Passed")] {
      let ids = results.filter { $0.status == status }.map(\.rule)
      guard !ids.isEmpty else { continue }
      s += "<h3>\(label) (\(ids.count))</h3>\n"
      s += "<ul class=\"passed\">" + ids.map { "<li id=\"\(HTML.anchor(rulebook, $0))\">\(HTML.text($0))</li>" }.joined() + "</ul>\n"
    }
    return s + "</section>\n"
  }
}
