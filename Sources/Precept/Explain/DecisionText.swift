/// Decisions as text for a reviewer who has not read the rulebook: the verdict, the sign-off
/// sheet by department, then each finding with its reason, the facts behind it and its source.
public struct DecisionRenderer: Sendable {
  /// ANSI colours (the caller decides: only on a terminal, never when `NO_COLOR` is set).
  public var color: Bool
  /// Show the full evaluation tree of each rule (`precept trace`), not only the facts read.
  public var traces: Bool

  /// A renderer, plain and without full traces unless asked.
  public init(color: Bool = false, traces: Bool = false) {
    self.color = color
    self.traces = traces
  }

  /// The decision as text for a reviewer. Every piece of text that comes from the rulebook or the
  /// facts is escaped (`TerminalText`), so no value can move the cursor or forge a line.
  public func render(_ d: Decision) -> String {
    let book = d.rulebook
    var out = paint(shown(book.id), .bold) + (book.version.map { " \(shown($0))" } ?? "") + (book.title.map { " — \(shown($0))" } ?? "") + "\n"
    out += "as of \(d.asOf)" + (d.stage.map { " · stage \($0.rawValue)" } ?? " · all stages") + " · \(book.digest.prefix(19))…\n"
    out += "Outcome: " + badge(d.outcome) + "\n\n"
    out += "Sign-off by department\n"
    let width = d.byOwner.map { DisplayWidth.of(shown($0.name)) }.max() ?? 0
    for (owner, outcome) in d.byOwner {
      let findings = d.results.filter { ($0.rule.owner ?? "unassigned") == owner && $0.outcome > .pass }.map { shown($0.rule.id) }
        + d.results.filter { ($0.rule.owner ?? "unassigned") == owner && $0.status == .waived }.map { shown($0.rule.id) + " (waived)" }
      out += "  " + shown(owner).padding(width) + "  " + badge(outcome)
      out += findings.isEmpty ? "\n" : String(repeating: " ", count: 9 - outcome.rawValue.count) + findings.joined(separator: ", ") + "\n"
    }
    let findings = d.results.filter { $0.status == .violated || $0.status == .unknown }
      .sorted { ($0.outcome, $1.rule.id) > ($1.outcome, $0.rule.id) }
    if !findings.isEmpty {
      out += "\nFindings\n"
      for r in findings { out += finding(r) }
    }
    if !d.waiverFindings.isEmpty {
      out += "\nWaivers not applied (\(d.waiverFindings.count))\n"
      for f in d.waiverFindings { out += "  " + shown(f) + "\n" }
    }
    for (status, label) in [(RuleStatus.waived, "Waived"), (.overridden, "Set aside"), (.notApplicable, "Not applicable"), (.passed, "Passed")] {
      let rs = d.results.filter { $0.status == status }
      guard !rs.isEmpty else { continue }
      out += "\n\(label) (\(rs.count))\n"
      if traces || status != .passed {
        for r in rs {
          out += "  \(shown(r.rule.id))" + (r.reason.map { " — \(shown($0))" } ?? (r.rule.title.map { " — \(shown($0))" } ?? "")) + "\n"
          if traces, let t = r.trace { out += tree(t, indent: "      ") }
        }
      } else {
        out += wrap(rs.map { shown($0.rule.id) }.joined(separator: ", "), indent: "  ")
      }
    }
    return out
  }

  private func finding(_ r: RuleResult) -> String {
    let rule = r.rule
    let mark = r.status == .unknown ? "?" : (rule.verb == .flag ? "!" : "✗")
    var s = "  \(paint(mark, r.status == .unknown ? .yellow : .red)) " + badge(r.outcome) + "  " + paint(shown(rule.id), .bold)
    s += (rule.title.map { "  \(shown($0))" } ?? "") + "\n"
    let pad = "      "
    // An unknown rule's message would describe a violation that has not been established.
    if r.status == .unknown, let reason = r.reason {
      s += pad + "unknown: " + shown(reason) + "\n"
    } else if let m = r.message {
      s += pad + shown(m) + "\n"
    }
    if rule.verb == .flag, r.status == .violated { s += pad + "flagged: the condition holds\n" }
    if let w = rule.whenText { s += pad + "when:   " + TerminalText.escaped(source: w, indent: pad + "  ") + "\n" }
    s += pad + "\(rule.verb.rawValue): " + TerminalText.escaped(source: rule.conditionText, indent: pad + "  ") + "\n"
    if traces, let t = r.trace {
      if let w = r.whenTrace { s += tree(w, indent: pad + "  ") }
      s += tree(t, indent: pad + "  ")
    } else if let t = r.trace {
      let found = t.allMatches
      for line in TextMatches.describe(found) { s += pad + "  " + line + "\n" }
      let facts = t.facts + (r.whenTrace?.facts ?? [])
      var seen: Set<String> = []
      for (path, value) in facts where seen.insert(path).inserted {
        s += pad + "  \(shown(path)) = \(clip(value))\n"
      }
    }
    if let fixes = r.fixes {
      if fixes.isEmpty {
        s += pad + "to pass: " + Fix.noneReadable + "\n"
      } else {
        s += pad + "to pass:" + (fixes.count == 1 ? " " + shown(fixes[0].text) + "\n" : "\n")
        if fixes.count > 1 { for f in fixes { s += pad + "  · " + shown(f.text) + "\n" } }
      }
    }
    s += pad + "owner: \(shown(rule.owner ?? "unassigned")) · \(shown(rule.category ?? "uncategorized")) · \(shown(rule.source.description))\n"
    if let cite = rule.cite { s += pad + "cite: " + shown(cite) + "\n" }
    return s
  }

  /// The evaluation tree: each sub-expression with its value.
  private func tree(_ t: Trace, indent: String) -> String {
    var label = TerminalText.escaped(source: t.expression, indent: indent + "  ")
    if let f = t.fact, f != t.expression { label += "  (\(shown(f)))" }
    let value = t.value.map { clip($0) } ?? "not evaluated"
    var s = indent + label + " = " + value
    if let item = t.decidingItem { s += "  (decided by item \(item)" + (t.decidingText.map { ": " + clip($0) } ?? "") + ")" }
    if let choice = t.table, t.evaluated { s += "  (\(shown(choice.description)))" }
    s += "\n"
    for line in TextMatches.describe(t.matches) { s += indent + "  " + line + "\n" }
    for c in t.children where !(c.children.isEmpty && c.fact == nil && c.definition == nil && c.expression == c.value) {
      s += tree(c, indent: indent + "  ")
    }
    return s
  }

  /// Input text as printed: controls escaped.
  private func shown(_ s: String) -> String { TerminalText.escaped(s) }

  /// A value as printed: controls escaped, and cut at 160 characters.
  private func clip(_ s: String) -> String { TerminalText.escaped(s, limit: 160) }

  private func wrap(_ s: String, indent: String) -> String {
    var out = ""
    var line = indent
    for word in s.split(separator: " ") {
      if line.count + word.count > 96, line != indent {
        out += line + "\n"
        line = indent
      }
      line += (line == indent ? "" : " ") + word
    }
    return out + line + "\n"
  }

  private func badge(_ o: Outcome) -> String {
    switch o {
    case .pass: paint("pass", .green)
    case .info: paint("INFO", .cyan)
    case .warning: paint("WARNING", .yellow)
    case .review: paint("REVIEW", .yellow)
    case .block: paint("BLOCK", .red)
    }
  }

  private enum Style: String {
    case bold = "1", red = "1;31", yellow = "1;33", green = "32", cyan = "36"
  }

  private func paint(_ s: String, _ style: Style) -> String {
    color ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    let n = DisplayWidth.of(self)
    return n >= width ? self : self + String(repeating: " ", count: width - n)
  }
}

/// How matched words are shown to a reviewer: the words, where they are in the copy, and which piece of copy
/// (one line per item of a list: `found in product.marketing[2] (sms): “零风险” at characters 0–3`).
enum TextMatches {
  static func describe(_ matches: [TextMatch]) -> [String] {
    var lines: [String] = []
    var i = 0
    while i < matches.count {
      let m = matches[i]
      var j = i
      while j < matches.count, matches[j].item == m.item, matches[j].list == m.list { j += 1 }
      var head = "found"
      if let item = m.item {
        head += " in \(TerminalText.escaped(m.list ?? "item"))[\(item)]"
        if let c = m.channel { head += " (\(TerminalText.escaped(c)))" }
      }
      let words = matches[i..<j].map { "“\(TerminalText.escaped($0.span.text))” at characters \($0.span.start)–\($0.span.end)" }
      lines.append(head + ": " + words.joined(separator: ", "))
      i = j
    }
    return lines
  }
}

extension Trace {
  /// Every match anywhere in this trace, without repeats (a loop shows its body's matches, which are the
  /// same as a text test's below it).
  var allMatches: [TextMatch] {
    var seen: Set<TextMatch> = []
    return (matches + children.flatMap(\.allMatches)).filter { seen.insert($0).inserted }
  }
}
