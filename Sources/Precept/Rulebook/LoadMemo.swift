/// What one load read, kept for the next load of the same files: a file whose bytes are unchanged
/// is not read again, and in a changed file, a rule whose text (and column) is unchanged is taken
/// from here, moved to its new place, instead of being read and parsed again. `precept lsp` keeps
/// one across re-checks; a load without one reads everything.
///
/// A rule's reading depends on nothing but its own text, so its text is the whole key. Only
/// results whose every span lies inside the rule's own text are kept, so that moving them by
/// the rule's shift is exact.
public final class LoadMemo {
  /// A file as read: its source, what reading it reported, and the rulebook (nil when it is not one).
  struct File {
    var file: SourceFile
    var diagnostics: [Diagnostic]
    var rulebook: Rulebook?
  }

  private var lastFiles: [String: (bytes: [UInt8], file: File)] = [:]
  private var nowFiles: [String: (bytes: [UInt8], file: File)] = [:]

  struct Entry {
    var rule: Rule?
    var diagnostics: [Diagnostic]
    /// Where the rule's text started when this was read.
    var start: Position
  }

  /// What the last load read or reused; what this load reads or reuses.
  private var last: [TextKey: Entry] = [:]
  private var now: [TextKey: Entry] = [:]
  /// Rules taken from the memo and rules read, since it was made (for tests and timing).
  public private(set) var hits = 0
  public private(set) var misses = 0

  public init() {}

  /// The file read last time under `path` from the same bytes. Its rules stay kept too.
  func file(_ path: String, _ bytes: [UInt8]) -> File? {
    guard let kept = nowFiles[path] ?? lastFiles[path], kept.bytes == bytes else { return nil }
    nowFiles[path] = kept
    for (k, e) in last where k.path == path { now[k] = e }
    return kept.file
  }

  func keepFile(_ path: String, _ bytes: [UInt8], _ file: File) { nowFiles[path] = (bytes, file) }

  static func key(_ node: YAMLNode, _ file: SourceFile) -> TextKey? { TextKey(node.span, in: file) }

  /// The rule read from the text at `key` last time, moved to `node`'s place.
  func reuse(_ key: TextKey, at node: YAMLNode) -> Entry? {
    guard let old = last[key] ?? now[key] else {
      misses += 1
      return nil
    }
    hits += 1
    let shift = Shift(from: old.start, to: node.span.start)
    var e = old
    if !shift.isZero {
      e.rule = old.rule.map { $0.mapSpans(shift.apply) }
      e.diagnostics = old.diagnostics.map { $0.mapSpans(shift.apply) }
      e.start = node.span.start
    }
    now[key] = e
    return e
  }

  /// Keeps what reading `node` gave, when every span of it lies inside the node's text.
  func keep(_ key: TextKey, _ node: YAMLNode, rule: Rule?, diagnostics: [Diagnostic]) {
    let range = node.span.start.offset...node.span.end.offset
    var inside = true
    let check: (Span) -> Span = { s in
      if s.file != node.span.file || !range.contains(s.start.offset) || !range.contains(s.end.offset) { inside = false }
      return s
    }
    _ = rule?.mapSpans(check)
    _ = diagnostics.map { $0.mapSpans(check) }
    guard inside else { return }
    now[key] = Entry(rule: rule, diagnostics: diagnostics, start: node.span.start)
  }

  /// Ends a load: what it did not use is forgotten.
  func finishLoad() {
    last = now
    now = [:]
    lastFiles = nowFiles
    nowFiles = [:]
  }
}

extension Rule {
  /// The rule with `f` applied to every span in it.
  func mapSpans(_ f: (Span) -> Span) -> Rule {
    var r = self
    func located(_ l: Located<String>) -> Located<String> { Located(l.value, f(l.span)) }
    r.id = located(id)
    r.category = category.map(located)
    r.owner = owner.map(located)
    r.when = when?.mapSpans(f)
    r.condition = condition.mapSpans(f)
    r.verbSpan = f(verbSpan)
    r.message = message.map { m in
      Message(
        parts: m.parts.map { p in
          if case .placeholder(let e) = p { return .placeholder(e.mapSpans(f)) }
          return p
        }, span: f(m.span))
    }
    r.overrides = overrides.map(located)
    r.clauses = clauses.map(located)
    r.effectiveFrom = effectiveFrom.map(located)
    r.effectiveUntil = effectiveUntil.map(located)
    r.span = f(span)
    r.lintAllow = lintAllow.map(located)
    r.nodeSpan = nodeSpan.map(f)
    return r
  }
}
