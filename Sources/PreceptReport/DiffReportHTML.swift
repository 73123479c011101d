import Precept

/// `precept diff --format html`: what changed in the rulebooks and what it changes over the
/// corpus, as one self-contained page (the same data as the text and JSON, in tables).
public enum DiffReportHTML {
  public static func html(_ r: DiffReport) -> String {
    var s = "<header><h1>Rulebook change review</h1>\n"
    s += "<p class=\"muted\"><code>\(HTML.text(r.old))</code> → <code>\(HTML.text(r.new))</code> · as of \(r.asOf)</p>\n"
    let verdict = r.flipped ? "CHANGES BEHAVIOUR" : "NO FLIP"
    s += "<p>Verdict <span class=\"badge \(r.flipped ? "block" : "pass")\">\(verdict)</span> "
    s += "\(r.shadow.flips.count) rule flip\(r.shadow.flips.count == 1 ? "" : "s"), \(r.shadow.outcomeFlips.count) outcome flip\(r.shadow.outcomeFlips.count == 1 ? "" : "s") over \(r.shadow.documents) document\(r.shadow.documents == 1 ? "" : "s")</p>\n</header>\n"

    let changed = r.diff.rulebooks.filter { $0.oldDigest != $0.newDigest || $0.oldVersion != $0.newVersion }
    s += "<section><h2>Rulebooks (\(changed.count) changed of \(r.diff.rulebooks.count))</h2>\n"
    if !changed.isEmpty {
      s += "<table><tr><th>Rulebook</th><th>Version</th><th>Digest before</th><th>Digest after</th></tr>\n"
      for v in changed {
        let version = v.oldVersion == v.newVersion ? (v.newVersion ?? "—") : "\(v.oldVersion ?? "absent") → \(v.newVersion ?? "absent")"
        s += "<tr><td><code>\(HTML.text(v.id))</code></td><td style=\"white-space: nowrap\">\(HTML.text(version))</td>"
        s += "<td class=\"digest\">\(digest(v.oldDigest))</td><td class=\"digest\">\(digest(v.newDigest))</td></tr>\n"
      }
      s += "</table>\n"
    }
    s += "</section>\n<section><h2>Changes (\(r.diff.changes.count))</h2>\n"
    if r.diff.changes.isEmpty { s += "<p class=\"muted\">No change to any rule, definition, table, list or schema field.</p>\n" }
    for c in r.diff.changes {
      s += "<h3><code>\(HTML.text(c.rulebook))</code> · \(c.target.rawValue) <code>\(HTML.text(c.name))</code> · \(c.kind.rawValue)</h3>\n"
      if !c.wordsAdded.isEmpty { s += "<p>Words added: " + c.wordsAdded.map { "<ins>\(HTML.text($0))</ins>" }.joined(separator: ", ") + "</p>\n" }
      if !c.wordsRemoved.isEmpty { s += "<p>Words removed: " + c.wordsRemoved.map { "<del>\(HTML.text($0))</del>" }.joined(separator: ", ") + "</p>\n" }
      let keys = c.keys.filter { !(c.target == .list && $0.key == "items") }
      guard !keys.isEmpty else { continue }
      s += "<table><tr><th>Key</th><th>Before</th><th>After</th></tr>\n"
      for k in keys {
        s += "<tr><td>\(HTML.text(k.key))</td><td>\(marked(k.old, k.oldPart, "del"))</td><td>\(marked(k.new, k.newPart, "ins"))</td></tr>\n"
      }
      s += "</table>\n"
    }
    s += "</section>\n<section><h2>Shadow run: what flips</h2>\n"
    if r.shadow.flips.isEmpty { s += "<p class=\"muted\">No rule changes status on any document.</p>\n" }
    if !r.shadow.flips.isEmpty {
      s += "<table><tr><th>Facts</th><th>Rulebook</th><th>Rule</th><th>Before</th><th>After</th><th>Why (new version)</th><th>To pass</th></tr>\n"
      for f in r.shadow.flips {
        s += "<tr><td><code>\(HTML.text(f.facts))</code></td><td><code>\(HTML.text(f.rulebook))</code></td><td><code>\(HTML.text(f.rule))</code></td>"
        s += "<td>\(HTML.text(f.before))</td><td><strong>\(HTML.text(f.after))</strong></td><td>\(HTML.text(f.why ?? ""))</td><td>\(HTML.text(f.fixes.map(Fix.line) ?? ""))</td></tr>\n"
      }
      s += "</table>\n"
    }
    if !r.shadow.outcomeFlips.isEmpty {
      s += "<h3>Outcomes that flipped</h3>\n<table><tr><th>Facts</th><th>Rulebook</th><th>Before</th><th>After</th></tr>\n"
      for f in r.shadow.outcomeFlips {
        s += "<tr><td><code>\(HTML.text(f.facts))</code></td><td><code>\(HTML.text(f.rulebook))</code></td>"
        s += "<td><span class=\"badge \(f.before)\">\(HTML.text(f.before))</span></td><td><span class=\"badge \(f.after)\">\(HTML.text(f.after))</span></td></tr>\n"
      }
      s += "</table>\n"
    }
    if !r.shadow.oneSided.isEmpty {
      s += "<h3>Decided under one version only</h3>\n<ul>"
      for d in r.shadow.oneSided {
        s += "<li><code>\(HTML.text(d.facts))</code>: " + HTML.text(d.old.map { "old: \($0)" } ?? d.new.map { "new: \($0)" } ?? "") + "</li>"
      }
      s += "</ul>\n"
    }
    s += "</section>\n"
    return Page.document(title: "Rulebook change review", body: s)
  }

  /// The text with the part that changed wrapped in `<del>`/`<ins>` (its last occurrence, where
  /// the common prefix ends); the whole text when no part is known.
  private static func marked(_ text: String?, _ part: String?, _ tag: String) -> String {
    guard let text else { return "<span class=\"muted\">—</span>" }
    guard let part, let range = lastRange(of: part, in: text) else { return "<code>\(HTML.text(text))</code>" }
    return "<code>" + HTML.text(String(text[..<range.lowerBound])) + "<\(tag)>" + HTML.text(part) + "</\(tag)>"
      + HTML.text(String(text[range.upperBound...])) + "</code>"
  }

  /// A digest shortened, whole in its title.
  private static func digest(_ d: String?) -> String {
    guard let d else { return "absent" }
    return "<span title=\"\(HTML.attr(d))\">\(HTML.text(String(d.prefix(19))))…</span>"
  }

  private static func lastRange(of part: String, in text: String) -> Range<String.Index>? {
    let p = Array(part)
    let t = Array(text)
    guard !p.isEmpty, p.count <= t.count else { return nil }
    for start in stride(from: t.count - p.count, through: 0, by: -1) where Array(t[start..<(start + p.count)]) == p {
      let lower = text.index(text.startIndex, offsetBy: start)
      return lower..<text.index(lower, offsetBy: p.count)
    }
    return nil
  }
}
