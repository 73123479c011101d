import Precept

/// A piece of copy (or any text a wording rule read) with where the rules found words in it.
struct MarkedText {
  /// Where the text is in the facts: `product.marketing[2].copy`.
  var path: String
  /// The list and item it belongs to, when it is an item of a list.
  var list: String?
  var item: Int?
  /// The channel, for marketing copy.
  var channel: String?
  var text: String
  var marks: [Mark] = []
  var negated: [Mark] = []

  /// Words found by rules, in scalar offsets of `text`.
  struct Mark {
    var start: Int
    var end: Int
    /// "RULE-ID (status)", one per rule that found these words.
    var rules: [String]
    /// Found by a violated or unknown rule: a claim the reviewer must act on.
    var claim: Bool
  }

  /// The text as HTML: `<mark>` around each found span (the rules in its title), negated
  /// occurrences struck through with a title saying so; everything else escaped.
  func html() -> String {
    var starts: [Int: (open: String, end: Int)] = [:]
    for m in marks {
      let cls = m.claim ? "" : " class=\"found\""
      starts[m.start] = ("<mark\(cls) title=\"\(HTML.attr(m.rules.joined(separator: ", ")))\">", m.end)
    }
    for m in negated where starts[m.start] == nil {
      starts[m.start] = ("<span class=\"negated\" title=\"\(HTML.attr("negated, not a claim: " + m.rules.joined(separator: ", ")))\">", m.end)
    }
    var out = ""
    var closeAt: Int?
    var closer = ""
    for (i, c) in text.unicodeScalars.enumerated() {
      if let at = closeAt, at == i {
        out += closer
        closeAt = nil
      }
      if closeAt == nil, let s = starts[i], s.end > i {
        out += s.open
        closeAt = s.end
        closer = s.open.hasPrefix("<mark") ? "</mark>" : "</span>"
      }
      HTML.append(c, into: &out, inAttribute: false)
    }
    if closeAt != nil { out += closer }
    return out
  }
}

/// Finding the texts the decisions' wording rules read, and the words they found in each.
enum CopyMarks {
  /// One text per piece of marketing copy in the facts (all of them, marked or not), then every
  /// other text in which a rule found words, in order of first appearance.
  static func texts(_ decisions: [Decision], facts: JSON, claimTerms: ClaimTerms) -> [MarkedText] {
    var texts: [MarkedText] = []
    var index: [String: Int] = [:]
    for (i, item) in FactsTree.items(FactsTree.value(facts, "product.marketing")).enumerated() {
      guard let copy = FactsTree.scalar(FactsTree.field(item, "copy")) else { continue }
      let path = "product.marketing[\(i)].copy"
      index[path] = texts.count
      texts.append(MarkedText(path: path, list: "product.marketing", item: i, channel: FactsTree.scalar(FactsTree.field(item, "channel")), text: copy))
    }
    for d in decisions {
      for r in d.results {
        let claim = r.status == .violated || r.status == .unknown
        let label = "\(r.rule.id) (\(r.status.rawValue.replacing("_", with: " ")))"
        for m in matches(r) {
          guard let (path, text, channel) = locate(m, facts: facts) else { continue }
          if index[path] == nil {
            index[path] = texts.count
            texts.append(MarkedText(path: path, list: m.list, item: m.item, channel: channel ?? m.channel, text: text))
          }
          if let t = index[path] { add(MarkedText.Mark(start: m.span.start, end: m.span.end, rules: [label], claim: claim), to: &texts[t].marks) }
        }
      }
    }
    // Negated occurrences of a forbidding rule's words, in the texts that rule reads.
    for d in decisions {
      for r in d.results where r.rule.verb != .require {
        for t in texts.indices {
          guard let list = texts[t].list, r.rule.conditionText.contains(list) else { continue }
          for span in claimTerms.negated(d.rulebook.id, r.rule.id, in: texts[t].text)
          where !texts[t].marks.contains(where: { $0.start < span.end && span.start < $0.end }) {
            add(MarkedText.Mark(start: span.start, end: span.end, rules: [r.rule.id], claim: false), to: &texts[t].negated)
          }
        }
      }
    }
    return texts
  }

  /// Every match in a result's traces, once each, in order.
  static func matches(_ r: RuleResult) -> [TextMatch] {
    var seen: Set<TextMatch> = []
    var out: [TextMatch] = []
    func walk(_ t: Trace) {
      for m in t.matches where seen.insert(m).inserted { out.append(m) }
      t.children.forEach(walk)
    }
    if let w = r.whenTrace { walk(w) }
    if let t = r.trace { walk(t) }
    return out
  }

  /// The text a match was made in: an item's field whose words at the match's offsets are the
  /// words found (`copy` first), or a fact text that has them there.
  static func locate(_ m: TextMatch, facts: JSON) -> (path: String, text: String, channel: String?)? {
    guard let list = m.list, let item = m.item else { return nil }
    let items = FactsTree.items(FactsTree.value(facts, list))
    guard items.indices.contains(item), case .object(let fields) = items[item] else { return nil }
    let ordered = fields.filter { $0.0 == "copy" } + fields.filter { $0.0 != "copy" }
    for (name, value) in ordered {
      guard case .string(let s) = value, has(s, m.span) else { continue }
      // Marketing copy names its channel; other texts (disclosures) their kind.
      let label = FactsTree.scalar(FactsTree.field(items[item], "channel")) ?? FactsTree.scalar(FactsTree.field(items[item], "kind"))
      return ("\(list)[\(item)].\(name)", s, label)
    }
    return nil
  }

  /// Whether `text` holds the span's words at the span's scalar offsets.
  static func has(_ text: String, _ span: TextSpan) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard span.start >= 0, span.start <= span.end, span.end <= scalars.count else { return false }
    return String(String.UnicodeScalarView(scalars[span.start..<span.end])) == span.text
  }

  /// Adds a mark, merging it with the marks it overlaps (their rules joined).
  static func add(_ m: MarkedText.Mark, to marks: inout [MarkedText.Mark]) {
    var merged = m
    marks.removeAll { other in
      guard other.start < merged.end, merged.start < other.end || (other.start == merged.start && other.end == merged.end) else { return false }
      merged.start = min(merged.start, other.start)
      merged.end = max(merged.end, other.end)
      merged.rules = other.rules + merged.rules.filter { !other.rules.contains($0) }
      merged.claim = merged.claim || other.claim
      return true
    }
    marks.append(merged)
    marks.sort { ($0.start, $0.end) < ($1.start, $1.end) }
  }
}
