import Precept

/// One rule's result as a reviewer reads it: the finding, its facts, its words, its rates, its trace.
enum FindingHTML {
  static func finding(_ r: RuleResult, rulebook: String, texts: [MarkedText]) -> String {
    let rule = r.rule
    let outcome = r.outcome
    var s = "<article class=\"finding \(outcome.rawValue)\" id=\"\(HTML.anchor(rulebook, rule.id))\" data-rule=\"\(HTML.attr(rule.id))\" data-status=\"\(r.status.rawValue)\">\n"
    s += "<h4>\(HTML.badge(outcome))\(r.status == .unknown ? " <span class=\"status-unknown\">unknown</span>" : "") <code class=\"rule-id\">\(HTML.text(rule.id))</code>"
    if let title = rule.title { s += " <span>\(HTML.text(title))</span>" }
    s += "</h4>\n"
    if r.status == .unknown {
      s += "<p class=\"message\"><strong>Unknown:</strong> \(HTML.text(r.reason ?? "a fact it needs is missing"))</p>\n"
      if !r.missing.isEmpty, !r.missing.allSatisfy({ (r.reason ?? "").contains($0) }) { s += "<p class=\"meta\">Missing facts: " + r.missing.map { "<code>\(HTML.text($0))</code>" }.joined(separator: ", ") + "</p>\n" }
    } else if let m = r.message {
      s += "<p class=\"message\">\(HTML.text(m))</p>\n"
    }
    if rule.verb == .flag, r.status == .violated { s += "<p class=\"meta\">Flagged: the condition holds.</p>\n" }
    if let w = rule.whenText { s += "<p class=\"cond\"><span class=\"muted\">when</span> <code>\(HTML.text(w))</code></p>\n" }
    s += "<p class=\"cond\"><span class=\"muted\">\(rule.verb.rawValue)</span> <code>\(HTML.text(rule.conditionText))</code></p>\n"
    s += words(r, texts: texts)
    if let rates = RateFigure.find(r) { s += rates.html(failed: true, schedule: false) }
    s += facts(r)
    s += "<p class=\"meta\">owner <strong>\(HTML.text(rule.owner ?? "unassigned"))</strong> · \(HTML.text(rule.category ?? "uncategorized")) · <span class=\"mono\">\(HTML.text(rule.source.description))</span></p>\n"
    if let cite = rule.cite { s += "<p class=\"meta\">cite: \(HTML.text(cite))</p>\n" }
    s += trace(r, open: false)
    return s + "</article>\n"
  }

  /// The words the rule found, each in its copy's context, with the channel.
  static func words(_ r: RuleResult, texts: [MarkedText]) -> String {
    let found = CopyMarks.matches(r)
    guard !found.isEmpty else { return "" }
    var s = "<ul class=\"compact found-words\">\n"
    for m in found {
      var place = ""
      if let list = m.list, let item = m.item { place = "\(list)[\(item)]" }
      if let c = m.channel { place += " (\(c))" }
      s += "<li>found <mark>\(HTML.text(m.span.text))</mark> at characters \(m.span.start)–\(m.span.end)"
      if !place.isEmpty { s += " in <code>\(HTML.text(place))</code>" }
      s += "</li>\n"
    }
    return s + "</ul>\n"
  }

  /// The facts behind the verdict: every fact the condition and `when` read, with its value.
  static func facts(_ r: RuleResult) -> String {
    var seen: Set<String> = []
    let all = (r.trace?.facts ?? []) + (r.whenTrace?.facts ?? [])
    let rows = all.filter { seen.insert($0.path).inserted }
    guard !rows.isEmpty else { return "" }
    var s = "<dl class=\"facts\">\n"
    for (path, value) in rows {
      s += "<dt><code>\(HTML.text(path))</code></dt><dd>\(HTML.clipped(value, 240))</dd>\n"
    }
    return s + "</dl>\n"
  }

  /// The evaluation tree, collapsed: each sub-expression with its value, each collapsible.
  static func trace(_ r: RuleResult, open: Bool) -> String {
    guard let t = r.trace else { return "" }
    var s = "<details class=\"trace\"\(open ? " open" : "")><summary>Trace: how the rule reached its verdict</summary>\n"
    if let w = r.whenTrace { s += "<ul class=\"tree\">" + node(w, prefix: "when ") + "</ul>\n" }
    s += "<ul class=\"tree\">" + node(t, prefix: "") + "</ul>\n"
    return s + "</details>\n"
  }

  private static func node(_ t: Trace, prefix: String) -> String {
    var label = (prefix.isEmpty ? "" : "<span class=\"muted\">\(prefix)</span>") + "<code>\(HTML.text(t.expression))</code>"
    if let f = t.fact, f != t.expression { label += " <span class=\"muted\">(\(HTML.text(f)))</span>" }
    label += " = " + value(t.value)
    if let item = t.decidingItem {
      label += " <span class=\"muted\">(decided by item \(item)" + (t.decidingText.map { ": " + HTML.clipped($0) } ?? "") + ")</span>"
    }
    if let choice = t.table, t.evaluated { label += " <span class=\"muted\">(\(HTML.text(choice.description)))</span>" }
    for m in t.matches { label += " <mark>\(HTML.text(m.span.text))</mark>" }
    let kids = t.children.filter { !($0.children.isEmpty && $0.fact == nil && $0.definition == nil && $0.expression == $0.value) }
    guard !kids.isEmpty else { return "<li>\(label)</li>" }
    return "<li><details open><summary>\(label)</summary><ul class=\"tree\">" + kids.map { node($0, prefix: "") }.joined() + "</ul></details></li>"
  }

  private static func value(_ v: String?) -> String {
    switch v {
    case nil: "<span class=\"v-none\">not evaluated</span>"
    case "true": "<span class=\"v-true\">true</span>"
    case "false": "<span class=\"v-false\">false</span>"
    case let v?: "<span class=\"val\">\(HTML.clipped(v))</span>"
    }
  }
}

/// A rate rule's figures: the rate the documents disclose next to the rate the repayment
/// schedule implies (`apr(…)`, `effective_rate(…)`), drawn as two bars, and the schedule.
struct RateFigure {
  /// The rule the figures were read from.
  var rule: String = ""
  var disclosed: (label: String, text: String, value: Double)?
  var implied: (label: String, text: String, value: Double)?
  var schedule: [(date: String, amount: String)]

  /// The figures a result's trace holds, when it reads an implied rate.
  static func find(_ r: RuleResult) -> RateFigure? {
    guard let t = r.trace else { return nil }
    var fig = RateFigure(rule: r.rule.id, schedule: [])
    func walk(_ t: Trace, parent: Trace?) {
      if fig.implied == nil, t.expression.hasPrefix("apr(") || t.expression.hasPrefix("effective_rate("), let v = t.value, let x = percent(v) {
        let name = parent?.definition ?? t.expression
        fig.implied = ("\(name) (implied by the schedule)", v, x)
        for c in t.children where c.fact != nil {
          fig.schedule = FactsTree.items(c.json).map {
            (FactsTree.scalar(FactsTree.field($0, "date")) ?? "", FactsTree.scalar(FactsTree.field($0, "amount")) ?? "")
          }
        }
      }
      if fig.disclosed == nil, let f = t.fact, f.split(separator: ".").last == "apr", let v = t.value, let x = percent(v) {
        fig.disclosed = ("\(f) (disclosed)", v, x)
      }
      for c in t.children { walk(c, parent: t) }
    }
    walk(t, parent: nil)
    if let w = r.whenTrace { walk(w, parent: nil) }
    return fig.implied == nil ? nil : fig
  }

  static func percent(_ s: String) -> Double? {
    guard s.hasSuffix("%") else { return nil }
    return Double(String(s.dropLast()).replacing(",", with: ""))
  }

  /// A percentage to two decimals, for display (the trace keeps every digit).
  static func shown(_ v: Double) -> String {
    let hundredths = Int((v * 100).rounded())
    let sign = hundredths < 0 ? "-" : ""
    let a = abs(hundredths)
    let frac = a % 100
    return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)%"
  }

  /// The bars and figures; `failed` draws the implied rate red (the rule failed), otherwise green;
  /// `schedule` adds the schedule's cash flows.
  func html(failed: Bool, schedule showSchedule: Bool) -> String {
    let bars = [disclosed, implied].compactMap { $0 }
    let top = Swift.max(bars.map(\.value).max() ?? 1, 1) * 1.1
    let width = 260.0
    var svg = "<svg role=\"img\" aria-label=\"disclosed and implied annual rates\" width=\"420\" height=\"\(bars.count * 30 + 8)\" viewBox=\"0 0 420 \(bars.count * 30 + 8)\" xmlns=\"http://www.w3.org/2000/svg\">"
    for (i, b) in bars.enumerated() {
      let y = 4 + i * 30
      let w = Int((Swift.max(b.value, 0) / top * width).rounded())
      let cls = i == 0 && disclosed != nil ? "bar-disclosed" : (failed ? "bar-fail" : "bar-pass")
      svg += "<text x=\"0\" y=\"\(y + 16)\" font-size=\"11\" fill=\"#59636e\">\(i == 0 && disclosed != nil ? "disclosed" : "implied")</text>"
      svg += "<rect class=\"\(cls)\" x=\"70\" y=\"\(y + 4)\" width=\"\(w)\" height=\"16\" rx=\"2\"/>"
      svg += "<text x=\"\(76 + w)\" y=\"\(y + 16)\" font-size=\"12\" font-weight=\"700\">\(RateFigure.shown(b.value))</text>"
    }
    svg += "</svg>"
    var s = "<div class=\"rates\">\(svg)<table class=\"rate-table\" style=\"width:auto\"><tr><th>Rate</th><th>Value</th></tr>"
    for b in bars { s += "<tr><td>\(HTML.text(b.label))</td><td class=\"mono\">\(HTML.text(b.text))</td></tr>" }
    if let d = disclosed, let i = implied {
      s += "<tr><td>difference</td><td class=\"mono\">\(RateFigure.shown(i.value - d.value)) points</td></tr>"
    }
    s += "</table>"
    s += "</div>\n"
    if showSchedule, !schedule.isEmpty {
      s += "<p class=\"meta\">The repayment schedule the implied rate is computed from (\(schedule.count) cash flows, from the customer's side: + received, − paid)</p>\n<ol class=\"schedule\">"
      for row in schedule { s += "<li><span class=\"mono\">\(HTML.text(row.date))</span> <span class=\"num\">\(HTML.text(row.amount))</span></li>" }
      s += "</ol>\n"
    }
    return s
  }
}
