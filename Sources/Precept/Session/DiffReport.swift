/// `precept diff`'s output: what changed in the rulebooks, and what flipped over the corpus, as
/// text and as JSON.
public struct DiffReport: Sendable {
  public var diff: RulebookDiff
  public var shadow: ShadowRun.Outcome
  public var asOf: CivilDate
  public var old: String
  public var new: String

  public init(diff: RulebookDiff, shadow: ShadowRun.Outcome, asOf: CivilDate, old: String, new: String) {
    self.diff = diff
    self.shadow = shadow
    self.asOf = asOf
    self.old = old
    self.new = new
  }

  /// Whether any rule status or rulebook outcome flipped, or a document is decided under one version only.
  public var flipped: Bool { !shadow.flips.isEmpty || !shadow.outcomeFlips.isEmpty || !shadow.oneSided.isEmpty }

  /// How many times each rule flipped each way, by `rulebook rule` then `before→after`, in first-seen order.
  var flipsByRule: [(rule: String, ways: [(String, Int)])] {
    var out: [(rule: String, ways: [(String, Int)])] = []
    for f in shadow.flips {
      let rule = "\(f.rulebook) \(f.rule)"
      let way = "\(f.before)→\(f.after)"
      if let i = out.firstIndex(where: { $0.rule == rule }) {
        if let j = out[i].ways.firstIndex(where: { $0.0 == way }) { out[i].ways[j].1 += 1 } else { out[i].ways.append((way, 1)) }
      } else {
        out.append((rule, [(way, 1)]))
      }
    }
    return out
  }

  /// How many outcomes flipped each way.
  var outcomeCounts: [(String, Int)] {
    var out: [(String, Int)] = []
    for f in shadow.outcomeFlips {
      let way = "\(f.before)→\(f.after)"
      if let j = out.firstIndex(where: { $0.0 == way }) { out[j].1 += 1 } else { out.append((way, 1)) }
    }
    return out
  }

  // MARK: Text

  public var text: String {
    var out = "precept diff \(old) → \(new)\n\nRulebooks\n"
    let changed = diff.rulebooks.filter { $0.oldDigest != $0.newDigest || $0.oldVersion != $0.newVersion }
    for v in changed {
      let version = v.oldVersion == v.newVersion ? (v.newVersion ?? "-") : "\(v.oldVersion ?? "absent") → \(v.newVersion ?? "absent")"
      out += "  \(v.id)  \(version)  \(short(v.oldDigest)) → \(short(v.newDigest))\n"
    }
    let same = diff.rulebooks.count - changed.count
    if same > 0 { out += "  \(changed.isEmpty ? "" : "and ")\(same) rulebook\(same == 1 ? "" : "s") unchanged (same bytes)\n" }
    out += diff.changes.isEmpty ? "\nNo change to any rule, definition, table, list or schema field.\n" : "\nChanges (\(diff.changes.count))\n"
    for c in diff.changes {
      out += "  \(c.rulebook)  \(c.target.rawValue) \(c.name)  \(c.kind.rawValue)\n"
      if !c.wordsAdded.isEmpty { out += "      words added:   " + c.wordsAdded.joined(separator: ", ") + "\n" }
      if !c.wordsRemoved.isEmpty { out += "      words removed: " + c.wordsRemoved.joined(separator: ", ") + "\n" }
      for k in c.keys where !(c.target == .list && k.key == "items") {
        switch (k.old, k.new) {
        case (let a?, let b?):
          out += "      \(k.key): \(a)\n"
          out += "      \(String(repeating: " ", count: k.key.count))→ \(b)"
          if k.oldPart != nil || k.newPart != nil { out += "   (\(k.oldPart ?? "…") → \(k.newPart ?? "…"))" }
          out += "\n"
        case (let a?, nil): out += "      \(k.key): \(a)\(c.kind == .changed ? "   (removed)" : "")\n"
        case (nil, let b?): out += "      \(k.key): \(b)\(c.kind == .changed ? "   (added)" : "")\n"
        case (nil, nil): break
        }
      }
    }
    out += "\nShadow run over \(shadow.documents) document\(shadow.documents == 1 ? "" : "s") as of \(asOf)"
    if shadow.documents == 0 {
      out += ": no corpus given (--facts)\n"
      return out
    }
    let documentsFlipped = Set(shadow.flips.map(\.facts) + shadow.outcomeFlips.map(\.facts)).count
    out += ": \(shadow.flips.count) rule flip\(shadow.flips.count == 1 ? "" : "s") in \(documentsFlipped) document\(documentsFlipped == 1 ? "" : "s"), "
    out += "\(shadow.outcomeFlips.count) outcome flip\(shadow.outcomeFlips.count == 1 ? "" : "s")\n"
    for f in shadow.flips {
      out += "  \(f.facts)  \(f.rulebook)  \(f.rule)  \(f.before) → \(f.after)\n"
      if let why = f.why { out += "      \(why)\n" }
      if let fixes = f.fixes { out += "      to pass: \(Fix.line(fixes))\n" }
    }
    if !shadow.outcomeFlips.isEmpty {
      out += "\nOutcomes that flipped\n"
      for f in shadow.outcomeFlips { out += "  \(f.facts)  \(f.rulebook)  \(f.before) → \(f.after)\n" }
    }
    if !shadow.oneSided.isEmpty {
      out += "\nDecided under one version only\n"
      for d in shadow.oneSided {
        out += "  \(d.facts)  " + (d.old.map { "old: \($0)" } ?? "") + (d.new.map { "new: \($0)" } ?? "") + "\n"
      }
    }
    if !flipsByRule.isEmpty {
      out += "\nBy rule\n"
      for r in flipsByRule { out += "  \(r.rule)  " + r.ways.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "\n" }
    }
    if !outcomeCounts.isEmpty {
      out += "\nBy outcome\n"
      for (way, n) in outcomeCounts { out += "  \(way) \(n)\n" }
    }
    if !shadow.undecided.isEmpty {
      out += "\nNot decided under either version (\(shadow.undecided.count)): " + shadow.undecided.map(\.facts).joined(separator: ", ") + "\n"
    }
    return out
  }

  private func short(_ digest: String?) -> String {
    guard let d = digest else { return "absent" }
    return String(d.prefix("sha256:".count + 12)) + "…"
  }

  // MARK: JSON

  public var json: JSON {
    func opt(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    let rulebooks = JSON.array(diff.rulebooks.map { v in
      .object([
        ("id", .string(v.id)), ("old_version", opt(v.oldVersion)), ("new_version", opt(v.newVersion)),
        ("old_digest", opt(v.oldDigest)), ("new_digest", opt(v.newDigest)),
      ])
    })
    let changes = JSON.array(diff.changes.map { c in
      var fields: [(String, JSON)] = [
        ("rulebook", .string(c.rulebook)), ("target", .string(c.target.rawValue)), ("rule", .string(c.name)), ("kind", .string(c.kind.rawValue)),
        ("keys", .object(c.keys.map { k in
          var o: [(String, JSON)] = [("old", opt(k.old)), ("new", opt(k.new))]
          if k.oldPart != nil || k.newPart != nil { o += [("old_part", opt(k.oldPart)), ("new_part", opt(k.newPart))] }
          return (k.key, .object(o))
        })),
      ]
      if c.target == .list { fields += [("words_added", .array(c.wordsAdded.map(JSON.string))), ("words_removed", .array(c.wordsRemoved.map(JSON.string)))] }
      return .object(fields)
    })
    let flips = JSON.array(shadow.flips.map { f in
      .object([
        ("facts", .string(f.facts)), ("rulebook", .string(f.rulebook)), ("rule", .string(f.rule)), ("before", .string(f.before)),
        ("after", .string(f.after)), ("why", opt(f.why)),
      ] + (f.fixes.map { [("fix", JSON.array($0.map(\.json)))] } ?? []))
    })
    let outcomeFlips = JSON.array(shadow.outcomeFlips.map { f in
      .object([("facts", .string(f.facts)), ("rulebook", .string(f.rulebook)), ("before", .string(f.before)), ("after", .string(f.after))])
    })
    let oneSided = JSON.array(shadow.oneSided.map { d in .object([("facts", .string(d.facts)), ("old_problem", opt(d.old)), ("new_problem", opt(d.new))]) })
    let undecided = JSON.array(shadow.undecided.map { d in .object([("facts", .string(d.facts)), ("why", .string(d.why))]) })
    let summary = JSON.object([
      ("documents", .int(shadow.documents)),
      ("flips_by_rule", .object(flipsByRule.map { r in (r.rule, .object(r.ways.map { ($0.0, .int($0.1)) })) })),
      ("outcome_flips", .object(outcomeCounts.map { ($0.0, .int($0.1)) })),
    ])
    return .object([
      ("as_of", .string(asOf.description)), ("rulebooks", rulebooks), ("changes", changes), ("flips", flips), ("outcome_flips", outcomeFlips),
      ("decided_one_side", oneSided), ("undecided", undecided), ("summary", summary),
    ])
  }
}
