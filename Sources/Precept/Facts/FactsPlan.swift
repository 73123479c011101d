/// A schema compiled for reading facts: every type as a node, every record field and enum case
/// with its name as bytes, and — in one place — every rule for which written value a type
/// accepts and every message when it does not. Both readers drive it: `FactsReader` over a YAML
/// or JSON file's tree (`check`, `trace`, `test`, the Swift API) and `JSONFactsReader` over the
/// bytes of a JSON line (`eval`). Immutable; compile once and share across threads.
public final class FactsPlan: Sendable {
  let layout: Layout
  /// The layout's arrays, copied once into memory the plan owns: a line's reader takes them as
  /// plain pointers, so reading a line retains nothing shared (workers of `eval --jobs` reading
  /// with one plan did, and the reference counts they all wrote cost a quarter of their time).
  private let tables: Tables.Storage

  /// Compiles `schema` (the roots of a rulebook).
  public init(_ schema: [Field]) {
    layout = Layout(schema)
    tables = Tables.Storage(layout)
  }

  deinit { tables.deallocate() }

  /// The plan's tables as raw buffers, valid while `body` runs.
  func withTables<R>(_ body: (Tables) -> R) -> R {
    body(Tables(plan: self, nodes: tables.nodes, fields: tables.fields, cases: tables.cases, names: tables.names))
  }

  struct Tables {
    /// Not retained: `withTables` runs while the plan is alive.
    unowned(unsafe) let plan: FactsPlan
    let nodes: UnsafeBufferPointer<Layout.Node>
    let fields: UnsafeBufferPointer<Layout.FieldEntry>
    let cases: UnsafeBufferPointer<Layout.Name>
    let names: UnsafeBufferPointer<UInt8>

    /// Copies of a layout's arrays, allocated once and freed with the plan.
    struct Storage: @unchecked Sendable {
      let nodes: UnsafeBufferPointer<Layout.Node>
      let fields: UnsafeBufferPointer<Layout.FieldEntry>
      let cases: UnsafeBufferPointer<Layout.Name>
      let names: UnsafeBufferPointer<UInt8>

      init(_ layout: Layout) {
        func copy<T>(_ xs: [T]) -> UnsafeBufferPointer<T> {
          let p = UnsafeMutableBufferPointer<T>.allocate(capacity: Swift.max(xs.count, 1))
          _ = p.initialize(from: xs)
          return UnsafeBufferPointer(rebasing: p[..<xs.count])
        }
        nodes = copy(layout.nodes)
        fields = copy(layout.fields)
        cases = copy(layout.cases)
        names = copy(layout.names)
      }

      func deallocate() {
        func free<T>(_ p: UnsafeBufferPointer<T>) {
          guard let base = p.baseAddress else { return }
          UnsafeMutablePointer(mutating: base).deinitialize(count: p.count)
          UnsafeMutablePointer(mutating: base).deallocate()
        }
        free(nodes)
        free(fields)
        free(cases)
        free(names)
      }
    }
  }

  /// The tables of a plan.
  struct Layout: Sendable {
    enum Kind: UInt8 {
      case bool, int, decimal, percent, money, date, datetime, duration, text, enumeration, list, record, optional, skip
    }

    /// One type. Records: fields `a..<b`; enums: cases `a..<b`; lists and optionals: element node
    /// `a`; money: currency `a` (−1 when any currency is accepted).
    struct Node {
      var kind: Kind
      var a: Int32
      var b: Int32
      /// Records: whether the field names are distinct, so the field after the last one read may be tried first.
      var distinct = true
    }

    /// A name as a range of `names`.
    struct Name {
      var start: Int32
      var count: Int32
    }

    /// A record field: its name, the node of its type, and whether the name needs no escaping in
    /// JSON (no `"`, `\\` or control character), so a key can be compared in place, quote included.
    struct FieldEntry {
      var name: Name
      var node: Int32
      var plain: Bool
      /// `"name":` as written when nothing separates the key from its colon.
      var key: Name
    }

    var nodes: [Node] = []
    var fields: [FieldEntry] = []
    var cases: [Name] = []
    var names: [UInt8] = []
    /// Each node's type, for messages.
    var types: [ValueType] = []
    /// Each field's name, for paths and for keys written with escapes.
    var fieldNames: [String] = []
    var currencies: [String] = []
    /// The record of the roots, and the money-as-mapping record (`amount`, `currency`).
    var rootRecord: Int32 = 0
    var moneyRecord: Int32 = 0
    var singleRoot = false
    /// The longest path a value of the schema can have.
    var depth = 1

    init(_ schema: [Field]) {
      moneyRecord = add(.record(RecordType([Field(name: "amount", type: .decimal), Field(name: "currency", type: .text)])), level: 0)
      rootRecord = add(.record(RecordType(schema)), level: 0)
      singleRoot = schema.count == 1
    }

    /// Adds the nodes of `type`, its own first; returns its index.
    private mutating func add(_ type: ValueType, level: Int) -> Int32 {
      depth = Swift.max(depth, level + 1)
      let k = Int32(nodes.count)
      nodes.append(Node(kind: .skip, a: 0, b: 0))
      types.append(type)
      var node = Node(kind: .skip, a: 0, b: 0)
      switch type {
      case .bool: node.kind = .bool
      case .int: node.kind = .int
      case .decimal: node.kind = .decimal
      case .percent: node.kind = .percent
      case .money(let c):
        node.kind = .money
        node.a = -1
        if let c {
          node.a = Int32(currencies.count)
          currencies.append(c)
        }
      case .date: node.kind = .date
      case .datetime: node.kind = .datetime
      case .duration: node.kind = .duration
      case .text: node.kind = .text
      case .enumeration(let e):
        node.kind = .enumeration
        node.a = Int32(cases.count)
        for c in e.cases { cases.append(name(c)) }
        node.b = Int32(cases.count)
      case .list(let element):
        node.kind = .list
        node.a = add(element, level: level + 1)
      case .optional(let t):
        node.kind = .optional
        node.a = add(t, level: level)
      case .record(let r):
        node.kind = .record
        // The fields are contiguous; their types' nodes come after.
        let first = fields.count
        for f in r.fields {
          let plain = !f.name.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
          fields.append(FieldEntry(name: name(f.name), node: 0, plain: plain, key: name("\"" + f.name + "\":")))
          fieldNames.append(f.name)
        }
        for (n, f) in r.fields.enumerated() {
          let child = add(f.type, level: level + 1)
          fields[first + n].node = child
        }
        node.a = Int32(first)
        node.b = Int32(first + r.fields.count)
        node.distinct = Set(r.fields.map { Array($0.name.utf8) }).count == r.fields.count
      case .nothing, .error: node.kind = .skip
      }
      nodes[Int(k)] = node
      return k
    }

    private mutating func name(_ s: String) -> Name {
      let n = Name(start: Int32(names.count), count: Int32(s.utf8.count))
      names.append(contentsOf: s.utf8)
      return n
    }
  }
}

// MARK: - What each type accepts

/// A written value offered to a type: a value of it, or why not.
enum Accepted {
  case value(Value)
  case refused(String)
}

extension FactsPlan.Layout {
  func type(_ k: Int32) -> ValueType { types[Int(k)] }

  /// The index of the case of enum node `k` spelled `raw`.
  @inline(__always)
  func enumCase(_ k: Int32, _ raw: UnsafeBufferPointer<UInt8>) -> Int? {
    let node = nodes[Int(k)]
    for c in Int(node.a)..<Int(node.b) {
      let n = cases[c]
      guard Int(n.count) == raw.count else { continue }
      var same = true
      for j in 0..<raw.count where names[Int(n.start) + j] != raw[j] {
        same = false
        break
      }
      if same { return c - Int(node.a) }
    }
    return nil
  }

  /// A number (`raw` as written; `value` its exact reading) offered to node `k`.
  func number(_ k: Int32, _ value: Result<Fixed, FactNumber.Refusal>, raw: UnsafeBufferPointer<UInt8>) -> Accepted {
    let text = String(decoding: raw, as: UTF8.self)
    switch nodes[Int(k)].kind {
    case .int, .decimal, .percent:
      switch value {
      case .failure(let r): return .refused(r.message(text))
      case .success(let n): return number(k, n, raw: raw)
      }
    case .text: return .value(.text(text))
    case .enumeration:
      if let c = enumCase(k, raw) { return .value(.enumCase(c)) }
      return refusedCase(k, text)
    case .money:
      return .refused("expected an amount with its currency such as \"20000 CNY\" or {amount: 20000, currency: CNY}, found \(text)")
    case .optional: return number(nodes[Int(k)].a, value, raw: raw)
    case .skip: return .value(.missing)
    default: return mismatch(k, found: text)
    }
  }

  /// An exact number offered to an int, decimal or percent node (the readers' fast path ends here too).
  @inline(__always)
  func number(_ k: Int32, _ n: Fixed, raw: UnsafeBufferPointer<UInt8>) -> Accepted {
    switch nodes[Int(k)].kind {
    case .int:
      return n.isInteger ? .value(.number(n)) : mismatch(k, found: String(decoding: raw, as: UTF8.self))
    case .percent:
      // A bare number is the fraction: 0.18 is 18%. A bare 18 is almost surely meant as 18%, and
      // reading it as 1800% would let a rate through a cap: refused.
      guard n <= .one, n >= Fixed(units: -Fixed.unitsPerWhole) else {
        let text = String(decoding: raw, as: UTF8.self)
        return .refused("\(text) is not a percentage: write \"\(text)%\", or the fraction \(fractionHint(n)) (a bare number is the fraction, so \(text) would be \(text)00%)")
      }
      return .value(.number(n))
    default:
      return .value(.number(n))
    }
  }

  private func fractionHint(_ n: Fixed) -> String {
    (try? n.divided(by: Fixed(100)))?.description ?? "0.18"
  }

  /// A text (a JSON string, a quoted or non-numeric YAML scalar) offered to node `k`.
  func text(_ k: Int32, _ raw: UnsafeBufferPointer<UInt8>) -> Accepted {
    let node = nodes[Int(k)]
    switch node.kind {
    case .text: return .value(.text(String(decoding: raw, as: UTF8.self)))
    case .enumeration:
      if let c = enumCase(k, raw) { return .value(.enumCase(c)) }
      return refusedCase(k, String(decoding: raw, as: UTF8.self))
    case .optional: return text(node.a, raw)
    case .skip: return .value(.missing)
    default: break
    }
    let s = String(decoding: raw, as: UTF8.self)
    switch node.kind {
    case .percent:
      if s.hasSuffix("%"), case .success(let n) = PercentLiteral.parse(s) { return .value(.number(n)) }
      return .refused("expected a percentage such as \"18%\" or the fraction 0.18, found \(quoted(s))")
    case .money:
      switch Money.parse(s) {
      case .success(let m): return money(k, m)
      case .failure: return .refused("expected an amount with its currency such as \"20000 CNY\" or {amount: 20000, currency: CNY}, found \(quoted(s))")
      }
    case .date:
      guard case .success(let d) = CivilDate.parse(s) else { return mismatch(k, found: quoted(s), hint: " (write YYYY-MM-DD)") }
      return .value(.date(d))
    case .datetime:
      switch DateTime.parse(s) {
      case .success(let d): return .value(.datetime(d))
      case .failure(let e): return .refused("expected a date-time such as 2026-01-01T09:30:00+08:00, found \(quoted(s)): \(e.message)")
      }
    case .duration:
      guard case .success(let d) = TimeSpan.parse(s) else { return mismatch(k, found: quoted(s), hint: " (write e.g. \"24h\" or \"30d\")") }
      return .value(.duration(d))
    default:
      return mismatch(k, found: quoted(s))
    }
  }

  /// `true` or `false` offered to node `k`.
  func bool(_ k: Int32, _ b: Bool) -> Accepted {
    switch nodes[Int(k)].kind {
    case .bool: return .value(.bool(b))
    case .optional: return bool(nodes[Int(k)].a, b)
    case .skip: return .value(.missing)
    default: return mismatch(k, found: b ? "true" : "false")
    }
  }

  /// `null` (or an empty YAML value) offered to node `k`: missing for an optional, an empty list for a list.
  func null(_ k: Int32) -> Accepted {
    switch nodes[Int(k)].kind {
    case .optional, .skip: return .value(.missing)
    case .list: return .value(.list([]))
    default: return .refused("expected \(type(k).brief), found nothing")
    }
  }

  /// A field of node `k`'s type that the facts do not give.
  func absent(_ k: Int32) -> Accepted {
    switch nodes[Int(k)].kind {
    case .optional, .skip: return .value(.missing)
    case .list: return .value(.list([]))
    default: return .refused("required fact is missing (expected \(type(k).brief))")
    }
  }

  /// An amount, checked against the node's currency.
  func money(_ k: Int32, _ m: Money) -> Accepted {
    let a = nodes[Int(k)].a
    if a >= 0, m.currency.code != currencies[Int(a)] {
      return .refused("expected an amount in \(currencies[Int(a)]), found \(m.description)")
    }
    return .value(.money(m))
  }

  /// The amount of a money mapping: its two fields as read (`amount` a decimal, `currency` a text).
  func moneyMapping(_ k: Int32, _ fields: [Value]) -> Accepted {
    guard fields.count == 2, case .number(let a) = fields[0], case .text(let c) = fields[1] else {
      return .refused("an amount written as a mapping needs `amount` and `currency`")
    }
    guard let code = Currency(c) else { return .refused("expected a currency code such as CNY, found \(quoted(c))") }
    return money(k, Money(a, code))
  }

  /// A value of the wrong shape (`found`: "a list", "a mapping", a number or a quoted text).
  func mismatch(_ k: Int32, found: String, hint: String = "") -> Accepted {
    .refused("expected \(type(k).brief), found \(found)\(hint)")
  }

  private func refusedCase(_ k: Int32, _ s: String) -> Accepted {
    guard case .enumeration(let e) = type(k).unwrapped else { return mismatch(k, found: quoted(s)) }
    let near = Suggestion.closest(to: s, among: e.cases).map { "; did you mean \($0)?" } ?? ""
    return .refused("expected one of \(e.cases.joined(separator: ", ")), found \(quoted(s))\(near)")
  }

  /// Text as an error quotes it: in quotes, cut after 40 characters.
  func quoted(_ s: String) -> String {
    let clipped = s.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(40))) + "…" : s
    return "\"\(clipped)\""
  }
}

extension FactsPlan {
  /// The stages a dossier's `product.stage` may name, and the words when it names another.
  static func stage(_ text: String) -> Result<Stage, FactsError> {
    if let s = Stage(rawValue: text) { return .success(s) }
    let cases = Stage.allCases.map(\.rawValue)
    let near = Suggestion.closest(to: text, among: cases).map { "; did you mean \($0)?" } ?? ""
    return .failure(FactsError(path: "product.stage", message: "expected one of \(cases.joined(separator: ", ")), found \"\(text)\"\(near)"))
  }
}
