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

  /// The decision as text for a reviewer.
  public func render(_ d: Decision) -> String {
    let book = d.rulebook
    var out = paint(book.id, .bold) + (book.version.map { " \($0)" } ?? "") + (book.title.map { " — \($0)" } ?? "") + "\n"
    out += "as of \(d.asOf)" + (d.stage.map { " · stage \($0.rawValue)" } ?? " · all stages") + " · \(book.digest.prefix(19))…\n"
    out += "Outcome: " + badge(d.outcome) + "\n\n"
    out += "Sign-off by department\n"
    let width = d.byOwner.map { $0.name.count }.max() ?? 0
    for (owner, outcome) in d.byOwner {
      let findings = d.results.filter { ($0.rule.owner ?? "unassigned") == owner && $0.outcome > .pass }.map(\.rule.id)
      out += "  " + owner.padding(width) + "  " + badge(outcome)
      out += findings.isEmpty ? "\n" : String(repeating: " ", count: 9 - outcome.rawValue.count) + findings.joined(separator: ", ") + "\n"
    }
    let findings = d.results.filter { $0.status == .violated || $0.status == .unknown }
      .sorted { ($0.outcome, $1.rule.id) > ($1.outcome, $0.rule.id) }
    if !findings.isEmpty {
      out += "\nFindings\n"
      for r in findings { out += finding(r) }
    }
    for (status, label) in [(RuleStatus.overridden, "Set aside"), (.notApplicable, "Not applicable"), (.passed, "Passed")] {
      let rs = d.results.filter { $0.status == status }
      guard !rs.isEmpty else { continue }
      out += "\n\(label) (\(rs.count))\n"
      if traces || status != .passed {
        for r in rs {
          out += "  \(r.rule.id)" + (r.reason.map { " — \($0)" } ?? (r.rule.title.map { " — \($0)" } ?? "")) + "\n"
          if traces, let t = r.trace { out += tree(t, indent: "      ") }
        }
      } else {
        out += wrap(rs.map(\.rule.id).joined(separator: ", "), indent: "  ")
      }
    }
    return out
  }

  private func finding(_ r: RuleResult) -> String {
    let rule = r.rule
    let mark = r.status == .unknown ? "?" : (rule.verb == .flag ? "!" : "✗")
    var s = "  \(paint(mark, r.status == .unknown ? .yellow : .red)) " + badge(r.outcome) + "  " + paint(rule.id, .bold)
    s += (rule.title.map { "  \($0)" } ?? "") + "\n"
    let pad = "      "
    // An unknown rule's message would describe a violation that has not been established.
    if r.status == .unknown, let reason = r.reason {
      s += pad + "unknown: " + reason + "\n"
    } else if let m = r.message {
      s += pad + m + "\n"
    }
    if rule.verb == .flag, r.status == .violated { s += pad + "flagged: the condition holds\n" }
    if let w = rule.whenText { s += pad + "when:   " + w + "\n" }
    s += pad + "\(rule.verb.rawValue): " + rule.conditionText + "\n"
    if traces, let t = r.trace {
      if let w = r.whenTrace { s += tree(w, indent: pad + "  ") }
      s += tree(t, indent: pad + "  ")
    } else if let t = r.trace {
      let found = t.allMatches
      if !found.isEmpty { s += pad + "  " + TextMatches.describe(found) + "\n" }
      let facts = t.facts + (r.whenTrace?.facts ?? [])
      var seen: Set<String> = []
      for (path, value) in facts where seen.insert(path).inserted {
        s += pad + "  \(path) = \(clip(value))\n"
      }
    }
    s += pad + "owner: \(rule.owner ?? "unassigned") · \(rule.category ?? "uncategorized") · \(rule.source.description)\n"
    if let cite = rule.cite { s += pad + "cite: " + cite + "\n" }
    return s
  }

  /// The evaluation tree: each sub-expression with its value.
  private func tree(_ t: Trace, indent: String) -> String {
    var label = t.expression
    if let f = t.fact, f != t.expression { label += "  (\(f))" }
    let value = t.value.map { clip($0) } ?? "not evaluated"
    var s = indent + label + " = " + value
    if let item = t.decidingItem { s += "  (decided by item \(item))" }
    s += "\n"
    if !t.matches.isEmpty { s += indent + "  " + TextMatches.describe(t.matches) + "\n" }
    for c in t.children where !(c.children.isEmpty && c.fact == nil && c.definition == nil && c.expression == c.value) {
      s += tree(c, indent: indent + "  ")
    }
    return s
  }

  private func clip(_ s: String) -> String {
    s.unicodeScalars.count > 160 ? String(scalars: s.unicodeScalars.prefix(157)) + "…" : s
  }

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

/// How matched words are shown to a reviewer: the words, and where they are in the copy.
enum TextMatches {
  static func describe(_ spans: [TextSpan]) -> String {
    "found: " + spans.map { "“\($0.text)” at characters \($0.start)–\($0.end)" }.joined(separator: ", ")
  }
}

extension Trace {
  /// Every match anywhere in this trace.
  var allMatches: [TextSpan] { matches + children.flatMap(\.allMatches) }
}
