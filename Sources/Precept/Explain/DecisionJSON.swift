/// Decisions as JSON, with the field names and order of the documented contract.
public enum DecisionJSON {
  /// The decision as the documented JSON object (`rulebook`, `outcome`, `by_owner`, `results`, …); serialize with `serialized(pretty:)`.
  public static func json(_ d: Decision, includeTraces: Bool = true) -> JSON {
    var fields: [(String, JSON)] = [
      ("rulebook", .string(d.rulebook.id)),
      ("version", d.rulebook.version.map { .string($0) } ?? .null),
      ("digest", .string(d.rulebook.digest)),
      ("as_of", .string(d.asOf.description)),
    ]
    if let s = d.stage { fields.append(("stage", .string(s.rawValue))) }
    fields += [
      ("outcome", .string(d.outcome.rawValue)),
      ("by_owner", .object(d.byOwner.map { ($0.name, .string($0.outcome.rawValue)) })),
      ("by_category", .object(d.byCategory.map { ($0.name, .string($0.outcome.rawValue)) })),
      ("results", .array(d.results.map { result($0, includeTraces: includeTraces) })),
    ]
    if !d.waiverFindings.isEmpty { fields.append(("waiver_findings", .array(d.waiverFindings.map(JSON.string)))) }
    return .object(fields)
  }

  static func result(_ r: RuleResult, includeTraces: Bool) -> JSON {
    let rule = r.rule
    var fields: [(String, JSON)] = [
      ("rule", .string(rule.id)),
      ("status", .string(r.status.rawValue)),
      ("severity", .string(rule.severity.rawValue)),
      ("category", rule.category.map { .string($0) } ?? .null),
      ("owner", rule.owner.map { .string($0) } ?? .null),
      ("title", rule.title.map { .string($0) } ?? .null),
      ("message", r.message.map { .string($0) } ?? .null),
      ("source", .string(rule.source.description)),
      ("cite", rule.cite.map { .string($0) } ?? .null),
    ]
    if !rule.clauses.isEmpty { fields.append(("clauses", .array(rule.clauses.map(JSON.string)))) }
    if let reason = r.reason { fields.append(("reason", .string(reason))) }
    if let by = r.overriddenBy { fields.append(("overridden_by", .string(by))) }
    if !r.missing.isEmpty { fields.append(("missing", .array(r.missing.map { .string($0) }))) }
    if let fixes = r.fixes, r.status == .violated || r.status == .unknown { fields.append(("fix", .array(fixes.map(\.json)))) }
    if let w = r.waiver {
      fields.append((
        "waiver",
        .object([
          ("facts", .object(w.facts.map { ($0.path, .string($0.value)) })), ("reason", .string(w.reason)),
          ("approved_by", .object([("department", .string(w.department)), ("name", .string(w.approver))])),
          ("approved_at", .string(w.approvedAt.description)), ("expires", .string(w.expires.description)), ("source", .string(w.span.description)),
        ])
      ))
    }
    if includeTraces, let t = r.trace {
      var trace = self.trace(t)
      if let w = r.whenTrace, case .object(var tf) = trace {
        tf.append(("when", self.trace(w)))
        trace = .object(tf)
      }
      fields.append(("trace", trace))
    }
    return .object(fields)
  }

  static func trace(_ t: Trace) -> JSON {
    var fields: [(String, JSON)] = [("expr", .string(t.expression)), ("value", t.json ?? .null)]
    if t.value == nil { fields.append(("evaluated", .bool(false))) }
    if let f = t.fact { fields.append(("fact", .string(f))) }
    if let d = t.definition { fields.append(("definition", .string(d))) }
    if let i = t.decidingItem { fields.append(("item", .int(i))) }
    if let v = t.decidingValue { fields.append(("item_value", v.json)) }
    if let c = t.table, t.value != nil {
      fields.append(("table", .object([("name", .string(c.name)), ("rows", c.rows.map { .array($0.map { .int($0) }) } ?? .null)])))
    }
    if !t.matches.isEmpty {
      fields.append(("matches", .array(t.matches.map { m in
        var match: [(String, JSON)] = [("text", .string(m.span.text)), ("start", .int(m.span.start)), ("end", .int(m.span.end))]
        if let item = m.item { match.append(("item", .int(item))) }
        if let list = m.list { match.append(("in", .string(list))) }
        if let channel = m.channel { match.append(("channel", .string(channel))) }
        return .object(match)
      })))
    }
    if !t.children.isEmpty { fields.append(("children", .array(t.children.map(trace)))) }
    return .object(fields)
  }
}
