/// Decisions as JSON, with the field names and order of the documented contract: written once,
/// against `JSONSink`, so `precept check --format json`, `/v1/check` and the tree tests read are
/// the same document.
public enum DecisionJSON {
  /// The decision as the documented JSON object (`rulebook`, `outcome`, `by_owner`, `results`, …); serialize with `serialized(pretty:)`.
  public static func json(_ d: Decision, includeTraces: Bool = true) -> JSON {
    JSONBuilder.build { write(d, includeTraces: includeTraces, into: &$0) }
  }

  /// `json(_:includeTraces:)`, written into a sink (`JSONWriter` for bytes without a tree).
  public static func write<S: JSONSink>(_ d: Decision, includeTraces: Bool = true, into s: inout S) {
    s.beginObject()
    s.member("rulebook", d.rulebook.id)
    s.member("version", d.rulebook.version)
    s.member("digest", d.rulebook.digest)
    s.member("as_of", d.asOf.description)
    if let stage = d.stage { s.member("stage", stage.rawValue) }
    s.member("outcome", d.outcome.rawValue)
    s.key("by_owner")
    s.beginObject()
    for o in d.byOwner { s.member(o.name, o.outcome.rawValue) }
    s.endObject()
    s.key("by_category")
    s.beginObject()
    for c in d.byCategory { s.member(c.name, c.outcome.rawValue) }
    s.endObject()
    s.key("results")
    s.beginArray()
    for i in d.results.indices { result(d.results[i], includeTraces: includeTraces, into: &s) }
    s.endArray()
    if !d.waiverFindings.isEmpty {
      s.key("waiver_findings")
      s.beginArray()
      for f in d.waiverFindings { s.string(f) }
      s.endArray()
    }
    s.endObject()
  }

  static func result<S: JSONSink>(_ r: RuleResult, includeTraces: Bool, into s: inout S) {
    let rule = r.rule
    s.beginObject()
    s.member("rule", rule.id)
    s.member("status", r.status.rawValue)
    s.member("severity", rule.severity.rawValue)
    s.member("category", rule.category)
    s.member("owner", rule.owner)
    s.member("title", rule.title)
    s.member("message", r.message)
    s.member("source", rule.source.description)
    s.member("cite", rule.cite)
    if !rule.clauses.isEmpty {
      s.key("clauses")
      s.beginArray()
      for c in rule.clauses { s.string(c) }
      s.endArray()
    }
    if let reason = r.reason { s.member("reason", reason) }
    if let by = r.overriddenBy { s.member("overridden_by", by) }
    if !r.missing.isEmpty {
      s.key("missing")
      s.beginArray()
      for m in r.missing { s.string(m) }
      s.endArray()
    }
    if let fixes = r.fixes, r.status == .violated || r.status == .unknown {
      s.key("fix")
      s.beginArray()
      for f in fixes { s.value(f.json) }
      s.endArray()
    }
    if let w = r.waiver {
      s.key("waiver")
      s.beginObject()
      s.key("facts")
      s.beginObject()
      for f in w.facts { s.member(f.path, f.value) }
      s.endObject()
      s.member("reason", w.reason)
      s.key("approved_by")
      s.beginObject()
      s.member("department", w.department)
      s.member("name", w.approver)
      s.endObject()
      s.member("approved_at", w.approvedAt.description)
      s.member("expires", w.expires.description)
      s.member("source", w.span.description)
      s.endObject()
    }
    if includeTraces, let t = r.trace {
      s.key("trace")
      trace(t, when: r.whenTrace, into: &s)
    }
    s.endObject()
  }

  /// A trace node (and, at a rule's root, the trace of its `when` as a last member).
  static func trace<S: JSONSink>(_ t: Trace, when: Trace? = nil, into s: inout S) {
    s.beginObject()
    s.member("expr", t.expression)
    s.key("value")
    t.writeValue(into: &s)
    if !t.evaluated {
      s.key("evaluated")
      s.bool(false)
    }
    if let f = t.fact { s.member("fact", f) }
    if let d = t.definition { s.member("definition", d) }
    if let i = t.decidingItem {
      s.key("item")
      s.int(i)
    }
    if let d = t.deciding {
      s.key("item_value")
      d.value.write(as: d.type, items: Trace.listItems, into: &s)
    }
    if let c = t.table, t.evaluated {
      s.key("table")
      s.beginObject()
      s.member("name", c.name)
      s.key("rows")
      if let rows = c.rows {
        s.beginArray()
        for row in rows { s.int(row) }
        s.endArray()
      } else {
        s.null()
      }
      s.endObject()
    }
    if !t.matches.isEmpty {
      s.key("matches")
      s.beginArray()
      for m in t.matches {
        s.beginObject()
        s.member("text", m.span.text)
        s.key("start")
        s.int(m.span.start)
        s.key("end")
        s.int(m.span.end)
        if let item = m.item {
          s.key("item")
          s.int(item)
        }
        if let list = m.list { s.member("in", list) }
        if let channel = m.channel { s.member("channel", channel) }
        s.endObject()
      }
      s.endArray()
    }
    if !t.children.isEmpty {
      s.key("children")
      s.beginArray()
      for c in t.children { trace(c, into: &s) }
      s.endArray()
    }
    if let w = when {
      s.key("when")
      trace(w, into: &s)
    }
    s.endObject()
  }
}
