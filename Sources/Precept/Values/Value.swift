/// A value during evaluation. Numbers are exact; enum cases are indices into their enum's
/// cases (so comparing them never touches a string); records hold fields in schema order.
public enum Value: Sendable, Hashable {
  /// A fact that was not given, or a result that depends on one.
  case missing
  case bool(Bool)
  /// An int, decimal or percent (a percent as its fraction: 18% is 0.18); the static type says which.
  case number(Fixed)
  case money(Money)
  case date(CivilDate)
  case datetime(DateTime)
  case duration(TimeSpan)
  case text(String)
  /// The index of a case in its enum type.
  case enumCase(Int)
  case list([Value])
  /// Fields in the order of the record type.
  case record([Value])

  /// Whether this is `missing`.
  public var isMissing: Bool {
    if case .missing = self { return true }
    return false
  }

  /// A record's field by position (`missing` for anything but a record with that field).
  func field(_ i: Int) -> Value {
    guard case .record(let fields) = self, fields.indices.contains(i) else { return .missing }
    return fields[i]
  }

  /// A text as one term, or the texts of a list: what `contains` and `near` look for. nil for
  /// anything else.
  var terms: [String]? {
    switch self {
    case .text(let t): [t]
    case .list(let items): items.compactMap { if case .text(let t) = $0 { t } else { nil } }
    default: nil
    }
  }

  var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }
}

extension Value {
  /// The value as a reviewer reads it in a message or trace, using its static type for
  /// enum case names and percentages.
  public func formatted(as type: ValueType) -> String { formatted(as: type, items: nil) }

  /// The value as a reviewer reads it, with lists (at any depth) cut after `items` items and
  /// their length given: a trace of 5,000 transactions shows some of them, not all.
  public func formatted(as type: ValueType, items limit: Int?) -> String {
    switch (self, type.unwrapped) {
    case (.missing, _): return "missing"
    case (.bool(let b), _): return b ? "true" : "false"
    case (.number(let n), .percent): return n.percentDescription
    case (.number(let n), _): return n.description
    case (.money(let m), _): return m.formatted()
    case (.date(let d), _): return d.description
    case (.datetime(let d), _): return d.description
    case (.duration(let d), _): return d.description
    case (.text(let s), _): return s
    case (.enumCase(let i), .enumeration(let e)): return i < e.cases.count ? e.cases[i] : "#\(i)"
    case (.enumCase(let i), _): return "#\(i)"
    case (.list(let xs), let t):
      let element = t.element ?? .error
      let shown = xs.prefix(limit ?? xs.count).map { $0.formatted(as: element, items: limit) }
      // A cut list says how long it is first, so a reviewer sees it even where the line is clipped.
      guard shown.count < xs.count else { return "[" + shown.joined(separator: ", ") + "]" }
      return "[\(xs.count) items: " + shown.joined(separator: ", ") + ", …]"
    case (.record(let fs), .record(let r)):
      return "{" + zip(r.fields, fs).map { "\($0.name): \($1.formatted(as: $0.type, items: limit))" }.joined(separator: ", ") + "}"
    case (.record(let fs), _): return "{" + fs.map { $0.formatted(as: .error, items: limit) }.joined(separator: ", ") + "}"
    }
  }

  /// The value as JSON, exactly (numbers as decimal text, money as "amount CODE").
  public func json(as type: ValueType) -> JSON { json(as: type, items: nil) }

  /// The value as JSON, with every list (at any depth) longer than `items` written as
  /// `{"first": [the first items], "count": its length}`.
  public func json(as type: ValueType, items limit: Int?) -> JSON {
    JSONBuilder.build { write(as: type, items: limit, into: &$0) }
  }

  /// `json(as:items:)`, written into a sink.
  public func write<S: JSONSink>(as type: ValueType, items limit: Int?, into s: inout S) {
    switch (self, type.unwrapped) {
    case (.missing, _): s.null()
    case (.bool(let b), _): s.bool(b)
    case (.number(let n), .percent): s.string(n.percentDescription)
    case (.number(let n), _): s.number(n.description)
    case (.money(let m), _): s.string(m.description)
    case (.date(let d), _): s.string(d.description)
    case (.datetime(let d), _): s.string(d.description)
    case (.duration(let d), _): s.string(d.description)
    case (.text(let t), _): s.string(t)
    case (.enumCase, _): s.string(formatted(as: type))
    case (.list(let xs), let t):
      let element = t.element ?? .error
      let cut = limit.map { xs.count > $0 } ?? false
      if cut {
        s.beginObject()
        s.key("first")
      }
      s.beginArray()
      for x in xs.prefix(cut ? limit ?? 0 : xs.count) { x.write(as: element, items: limit, into: &s) }
      s.endArray()
      if cut {
        s.key("count")
        s.int(xs.count)
        s.endObject()
      }
    case (.record(let fs), .record(let r)):
      s.beginObject()
      for (field, v) in zip(r.fields, fs) {
        s.key(field.name)
        v.write(as: field.type, items: limit, into: &s)
      }
      s.endObject()
    case (.record(let fs), _):
      s.beginArray()
      for v in fs { v.write(as: .error, items: limit, into: &s) }
      s.endArray()
    }
  }
}
