#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one JSON document (a JSONL line) straight into values of a schema, without building a
/// tree first: keys and enum cases are compared as bytes, numbers are read exactly from their
/// digits, and a path string is only built when there is an error to report.
///
/// For a stream, compile the schema once into a `Plan` and read every line with it: the plan holds
/// the field and case names as bytes, so reading a line allocates only the values it returns.
public struct JSONFactsReader {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let plan: Plan.Tables
  private var i = 0
  /// The path to the value being read: a stack with room for the schema's deepest path, so
  /// stepping in and out of a value costs a store.
  private let path: UnsafeMutablePointer<PathStep>
  private var depth = 0
  private(set) var errors: [FactsError] = []
  /// The items of the lists being read, innermost last: a list's items are gathered here and
  /// moved into an array of their exact count when the list ends (kept from line to line by a `LineReader`).
  private var items: [Value] = []

  private enum PathStep {
    /// Field `field` (an index into the plan's fields).
    case key(Int32)
    case index(Int)
  }

  /// A schema compiled for reading: every type of the schema as a node, every record field and
  /// enum case with its name as bytes. Immutable; compile once and share across threads.
  public final class Plan: Sendable {
    fileprivate let layout: Layout

    /// Compiles `schema` (the roots of a rulebook).
    public init(_ schema: [Field]) { layout = Layout(schema) }

    /// The plan's tables as raw buffers, valid while `body` runs.
    fileprivate func withTables<R>(_ body: (Tables) -> R) -> R {
      layout.nodes.withUnsafeBufferPointer { nodes in
        layout.fields.withUnsafeBufferPointer { fields in
          layout.cases.withUnsafeBufferPointer { cases in
            layout.names.withUnsafeBufferPointer { names in
              body(Tables(plan: self, nodes: nodes, fields: fields, cases: cases, names: names))
            }
          }
        }
      }
    }

    fileprivate struct Tables {
      let plan: Plan
      let nodes: UnsafeBufferPointer<Layout.Node>
      let fields: UnsafeBufferPointer<Layout.FieldEntry>
      let cases: UnsafeBufferPointer<Layout.Name>
      let names: UnsafeBufferPointer<UInt8>
    }
  }

  /// The tables of a plan.
  fileprivate struct Layout: Sendable {
    fileprivate enum Kind: UInt8 {
      case bool, int, decimal, percent, money, date, datetime, duration, text, enumeration, list, record, optional, skip
    }

    /// One type. Records: fields `a..<b`; enums: cases `a..<b`; lists and optionals: element node
    /// `a`; money: currency `a` (−1 when any currency is accepted).
    fileprivate struct Node {
      var kind: Kind
      var a: Int32
      var b: Int32
      /// Records: whether the field names are distinct, so the field after the last one read may be tried first.
      var distinct = true
    }

    /// A name as a range of `names`.
    fileprivate struct Name {
      var start: Int32
      var count: Int32
    }

    /// A record field: its name, the node of its type, and whether the name needs no escaping in
    /// JSON (no `"`, `\\` or control character), so a key can be compared in place, quote included.
    fileprivate struct FieldEntry {
      var name: Name
      var node: Int32
      var plain: Bool
      /// `"name":` as written when nothing separates the key from its colon.
      var key: Name
    }

    fileprivate var nodes: [Node] = []
    fileprivate var fields: [FieldEntry] = []
    fileprivate var cases: [Name] = []
    fileprivate var names: [UInt8] = []
    /// Each node's type, for messages.
    fileprivate var types: [ValueType] = []
    /// Each field's name, for paths and for keys written with escapes.
    fileprivate var fieldNames: [String] = []
    fileprivate var currencies: [String] = []
    /// The record of the roots, its first root's name, and the money-as-object record (`amount`, `currency`).
    fileprivate var rootRecord: Int32 = 0
    fileprivate var moneyRecord: Int32 = 0
    fileprivate var singleRoot = false
    /// The longest path a value of the schema can have.
    fileprivate var depth = 1

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

  /// Reads `line` against `plan`. If the line's first key is not the single root of the schema, the
  /// whole line is that root (a flat applicant record for a rulebook over `applicant`).
  public static func read(_ line: UnsafeBufferPointer<UInt8>, plan: Plan) -> Result<[Value], FactsErrors> {
    var items: [Value] = []
    return read(line, plan: plan, items: &items)
  }

  /// Reads lines against one plan, keeping its working storage from one line to the next. Not
  /// for sharing: one per thread.
  public final class LineReader {
    /// The plan lines are read with.
    public let plan: Plan
    private var items: [Value] = []

    /// A reader of lines against `plan`.
    public init(_ plan: Plan) { self.plan = plan }

    /// Reads `line` (as `JSONFactsReader.read(_:plan:)` does).
    public func read(_ line: UnsafeBufferPointer<UInt8>) -> Result<[Value], FactsErrors> {
      JSONFactsReader.read(line, plan: plan, items: &items)
    }
  }

  private static func read(_ line: UnsafeBufferPointer<UInt8>, plan: Plan, items: inout [Value]) -> Result<[Value], FactsErrors> {
    plan.withTables { tables in
      withUnsafeTemporaryAllocation(of: PathStep.self, capacity: plan.layout.depth) { path in
        guard let stack = path.baseAddress else { return .failure(FactsErrors(errors: [FactsError(path: "", message: "not valid JSON")])) }
        var r = JSONFactsReader(bytes: line, plan: tables, path: stack)
        swap(&r.items, &items)
        let values = r.document()
        // Every list ends, one way or another, by taking its items back off.
        swap(&r.items, &items)
        if r.errors.isEmpty, let values { return .success(values) }
        return .failure(FactsErrors(errors: r.errors.isEmpty ? [FactsError(path: "", message: "not valid JSON")] : r.errors))
      }
    }
  }

  /// Reads `line` against `schema` (compiling the schema each time: for many lines, use a `Plan`).
  public static func read(_ line: UnsafeBufferPointer<UInt8>, schema: [Field]) -> Result<[Value], FactsErrors> {
    read(line, plan: Plan(schema))
  }

  /// Reads one JSON line, given as bytes, against `schema`.
  public static func read(_ line: [UInt8], schema: [Field]) -> Result<[Value], FactsErrors> {
    line.withUnsafeBufferPointer { read($0, schema: schema) }
  }

  private init(bytes: UnsafeBufferPointer<UInt8>, plan: Plan.Tables, path: UnsafeMutablePointer<PathStep>) {
    self.bytes = bytes
    self.plan = plan
    self.path = path
  }

  private mutating func document() -> [Value]? {
    skipSpace()
    guard peek == UInt8(ascii: "{") else {
      _ = fail("a line must be a JSON object")
      return nil
    }
    // Keyed by roots when the object starts with the root; otherwise a single root is the whole object.
    let rootRecord = plan.nodes[Int(plan.plan.layout.rootRecord)]
    let start = i
    let wrapped = plan.plan.layout.singleRoot && !hasKey(plan.fields[Int(rootRecord.a)].name)
    i = start
    let v: Value
    if wrapped {
      push(.key(rootRecord.a))
      v = value(plan.fields[Int(rootRecord.a)].node)
      pop()
      skipSpace()
      if i < bytes.count { _ = fail("unexpected text after the JSON object") }
      return [v]
    }
    v = value(plan.plan.layout.rootRecord)
    skipSpace()
    if i < bytes.count { _ = fail("unexpected text after the JSON object") }
    guard case .record(let fields) = v else { return nil }
    return fields
  }

  /// Whether the top-level object's first key is `key` (followed by its `:`).
  private mutating func hasKey(_ key: Layout.Name) -> Bool {
    i += 1
    skipSpace()
    guard peek == UInt8(ascii: "\""), keyEquals(key) else { return false }
    skipSpace()
    return peek == UInt8(ascii: ":")
  }

  // MARK: - Values by type

  private mutating func value(_ k: Int32) -> Value {
    skipSpace()
    let node = plan.nodes[Int(k)]
    if peek == UInt8(ascii: "n"), literal("null") {
      switch node.kind {
      case .optional: return .missing
      case .list: return .list([])
      default: return fail("expected \(type(k).brief), found null")
      }
    }
    switch node.kind {
    case .optional: return value(node.a)
    case .record: return record(k)
    case .list:
      guard peek == UInt8(ascii: "[") else { return mismatch(k) }
      i += 1
      skipSpace()
      if peek == UInt8(ascii: "]") {
        i += 1
        return .list([])
      }
      let base = items.count
      while true {
        push(.index(items.count - base))
        let item = value(node.a)
        items.append(item)
        pop()
        skipSpace()
        if peek == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if peek == UInt8(ascii: "]") {
          i += 1
          return .list(takeItems(from: base))
        }
        items.removeSubrange(base...)
        return fail("expected `,` or `]` in a list")
      }
    case .int:
      guard let (n, whole) = number() else { return mismatch(k) }
      if !whole { return fail("expected int, found \(n)") }
      return .number(n)
    case .decimal:
      guard let (n, _) = number() else { return mismatch(k) }
      return .number(n)
    case .percent:
      if peek == UInt8(ascii: "\"") {
        guard let s = string(), s.hasSuffix("%"), case .success(let n) = PercentLiteral.parse(s) else {
          return fail("expected a percentage such as \"18%\" or the fraction 0.18")
        }
        return .number(n)
      }
      guard let (n, _) = number() else { return mismatch(k) }
      return .number(n)
    case .bool:
      if literal("true") { return .bool(true) }
      if literal("false") { return .bool(false) }
      return mismatch(k)
    case .money:
      let currency = node.a < 0 ? nil : plan.plan.layout.currencies[Int(node.a)]
      if peek == UInt8(ascii: "{") {
        let v = record(plan.plan.layout.moneyRecord)
        guard case .record(let f) = v, case .number(let a) = f[0], case .text(let c) = f[1], let code = Currency(c) else {
          return errors.isEmpty ? fail("an amount written as an object needs `amount` and `currency`") : .missing
        }
        return checked(Money(a, code), currency)
      }
      guard let s = string(), case .success(let m) = Money.parse(s) else {
        return fail("expected an amount with its currency such as \"20000 CNY\"")
      }
      return checked(m, currency)
    case .date:
      guard let s = string(), case .success(let d) = CivilDate.parse(s) else { return fail("expected a date YYYY-MM-DD") }
      return .date(d)
    case .datetime:
      guard let s = string() else { return mismatch(k) }
      switch DateTime.parse(s) {
      case .success(let d): return .datetime(d)
      case .failure(let e): return fail("expected a date-time such as 2026-01-01T09:30:00+08:00: \(e.message)")
      }
    case .duration:
      guard let s = string(), case .success(let d) = TimeSpan.parse(s) else { return fail("expected a duration such as \"24h\"") }
      return .duration(d)
    case .text:
      guard let s = string() else { return mismatch(k) }
      return .text(s)
    case .enumeration:
      guard peek == UInt8(ascii: "\""), let raw = plainString() else { return mismatch(k) }
      if let c = enumCase(node, raw) { return .enumCase(c) }
      let s = String(decoding: raw, as: UTF8.self)
      guard case .enumeration(let e) = type(k) else { return .missing }
      return fail("expected one of \(e.cases.joined(separator: ", ")), found \"\(s)\"")
    case .skip:
      _ = skipValue()
      return .missing
    }
  }

  private mutating func record(_ k: Int32) -> Value {
    guard peek == UInt8(ascii: "{") else { return mismatch(k) }
    i += 1
    let node = plan.nodes[Int(k)]
    let first = Int(node.a)
    let count = Int(node.b) - first
    // (Reserving, rather than `Array(unsafeUninitializedCapacity:)`, allocates through code
    // specialized for `Value`, without looking up the array's type at run time.)
    var fields: [Value] = []
    fields.reserveCapacity(count)
    if count > 0, node.distinct {
      // Records almost always arrive with every field once, in schema order: read them so, and
      // if this one does not, read it again from its `{` the general way.
      let start = i
      let errorCount = errors.count
      if inOrder(first, count, into: &fields) { return .record(fields) }
      i = start
      errors.removeSubrange(errorCount...)
      fields.removeAll(keepingCapacity: true)
    }
    for _ in 0..<count { fields.append(.missing) }
    // Which fields came: a bit each for the first 64, a flag each beyond.
    var seen: UInt64 = 0
    var seenBeyond = [Bool](repeating: false, count: Swift.max(count - 64, 0))
    // Otherwise fields still mostly come in schema order: try the next one first.
    var expected = node.distinct ? 0 : count
    skipSpace()
    if peek == UInt8(ascii: "}") {
      i += 1
    } else {
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { return fail("expected a key in quotes") }
        let keyStart = i
        var found = -1
        if expected < count, plan.fields[first + expected].plain, keyEquals(plan.fields[first + expected].name) {
          // The key is the expected field's name, closing quote included: no need to look for its end.
          found = expected
        } else if let raw = plainString() {
          for f in 0..<count where same(plan.fields[first + f].name, raw) {
            found = f
            break
          }
        } else {
          // A key with escapes: decode it, then compare.
          i = keyStart
          guard let key = string() else { return fail("invalid key") }
          found = (0..<count).first { plan.plan.layout.fieldNames[first + $0] == key } ?? -1
        }
        skipSpace()
        guard peek == UInt8(ascii: ":") else { return fail("expected `:` after a key") }
        i += 1
        if found >= 0 {
          push(.key(Int32(first + found)))
          fields[found] = value(plan.fields[first + found].node)
          if found < 64 { seen |= 1 << UInt64(found) } else { seenBeyond[found - 64] = true }
          pop()
          if node.distinct { expected = found + 1 }
        } else {
          // Facts may carry more than the rulebook reads.
          guard skipValue() else { return fail("invalid JSON value") }
        }
        skipSpace()
        if peek == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if peek == UInt8(ascii: "}") {
          i += 1
          break
        }
        return fail("expected `,` or `}` in an object")
      }
    }
    let all: UInt64 = count >= 64 ? .max : (1 << UInt64(count)) - 1
    if seen != all || seenBeyond.contains(false) {
      for f in 0..<count where f < 64 ? seen & (1 << UInt64(f)) == 0 : !seenBeyond[f - 64] {
        switch plan.nodes[Int(plan.fields[first + f].node)].kind {
        case .optional: fields[f] = .missing
        case .list: fields[f] = .list([])
        default:
          push(.key(Int32(first + f)))
          fields[f] = fail("required fact is missing (expected \(type(plan.fields[first + f].node).brief))")
          pop()
        }
      }
    }
    return .record(fields)
  }

  /// Reads the fields of a record (after its `{`, through its `}`) when each comes once, in schema
  /// order, under a key without escapes, and has no problem; false as soon as one does not. The
  /// caller then reads the record again the general way, which finds the same values and reports
  /// exactly what is wrong.
  private mutating func inOrder(_ first: Int, _ count: Int, into fields: inout [Value]) -> Bool {
    let errorCount = errors.count
    for f in 0..<count {
      let field = plan.fields[first + f]
      skipSpace()
      guard field.plain else { return false }
      if !startsWith(field.key) {
        guard keyEquals(field.name) else { return false }
        skipSpace()
        guard peek == UInt8(ascii: ":") else { return false }
        i += 1
      }
      skipSpace()
      // Plain scalars are read here as `value` reads them; anything else (null, escapes, a
      // problem) is left to the general way.
      let node = plan.nodes[Int(field.node)]
      switch node.kind {
      case .int, .decimal:
        guard let (n, whole) = number(), whole || node.kind == .decimal else { return false }
        fields.append(.number(n))
      case .text:
        guard let raw = plainString() else { return false }
        fields.append(.text(String(decoding: raw, as: UTF8.self)))
      case .enumeration:
        guard let raw = plainString(), let c = enumCase(node, raw) else { return false }
        fields.append(.enumCase(c))
      case .bool:
        if literal("true") {
          fields.append(.bool(true))
        } else if literal("false") {
          fields.append(.bool(false))
        } else {
          return false
        }
      default:
        push(.key(Int32(first + f)))
        let v = value(field.node)
        fields.append(v)
        pop()
        if errors.count != errorCount { return false }
      }
      skipSpace()
      let close = f + 1 < count ? UInt8(ascii: ",") : UInt8(ascii: "}")
      guard i < bytes.count, bytes[i] == close else { return false }
      i += 1
    }
    return true
  }

  /// The index of the case of enum node `node` spelled `raw`.
  @inline(__always)
  private func enumCase(_ node: Layout.Node, _ raw: UnsafeBufferPointer<UInt8>) -> Int? {
    for c in Int(node.a)..<Int(node.b) where same(plan.cases[c], raw) { return c - Int(node.a) }
    return nil
  }

  /// The items from `base` on, moved out of `items` into an array of their own.
  private mutating func takeItems(from base: Int) -> [Value] {
    var list: [Value] = []
    list.reserveCapacity(items.count - base)
    items.withUnsafeMutableBufferPointer { all in
      guard let p = all.baseAddress else { return }
      for k in base..<all.count {
        list.append((p + k).move())
        // The moved-from place holds nothing now: give it a value again before it is removed.
        (p + k).initialize(to: .missing)
      }
    }
    items.removeSubrange(base...)
    return list
  }

  private mutating func checked(_ m: Money, _ currency: String?) -> Value {
    if let currency, m.currency.code != currency { return fail("expected an amount in \(currency), found \(m)") }
    return .money(m)
  }

  private func type(_ k: Int32) -> ValueType { plan.plan.layout.types[Int(k)] }

  @inline(__always)
  private mutating func push(_ step: PathStep) {
    path[depth] = step
    depth += 1
  }

  @inline(__always)
  private mutating func pop() { depth -= 1 }

  // MARK: - Lexing

  @inline(__always)
  private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

  @inline(__always)
  private mutating func skipSpace() {
    while i < bytes.count {
      let b = bytes[i]
      guard b <= 0x20, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
      i += 1
    }
  }

  @inline(__always)
  private mutating func literal(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard i + n <= bytes.count else { return false }
    let w = word.utf8Start
    for k in 0..<n where bytes[i + k] != w[k] { return false }
    i += n
    return true
  }

  /// The bytes of the string at the cursor when it has no escapes (consumed); nil otherwise (not consumed).
  @inline(__always)
  private mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
    guard peek == UInt8(ascii: "\"") else { return nil }
    var j = i + 1
    while j < bytes.count {
      let b = bytes[j]
      if b == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j])
        i = j + 1
        return raw
      }
      if b == UInt8(ascii: "\\") { return nil }
      j += 1
    }
    return nil
  }

  /// Whether the plan's name equals `raw`, byte for byte.
  @inline(__always)
  private func same(_ name: Layout.Name, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = Int(name.count)
    guard n == raw.count, let a = plan.names.baseAddress, let b = raw.baseAddress else { return n == raw.count }
    return JSONFactsReader.equal(UnsafeRawPointer(a + Int(name.start)), UnsafeRawPointer(b), n)
  }

  /// Byte equality of two ranges of `n` bytes, compared a word at a time; a short tail is compared
  /// as one word that overlaps the previous one, so no byte outside either range is read.
  @inline(__always)
  private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    func same<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> Bool {
      a.loadUnaligned(fromByteOffset: at, as: T.self) == b.loadUnaligned(fromByteOffset: at, as: T.self)
    }
    if n >= 8 {
      var k = 0
      while k + 8 < n {
        if !same(k, UInt64.self) { return false }
        k += 8
      }
      return same(n - 8, UInt64.self)
    }
    if n >= 4 { return same(0, UInt32.self) && same(n - 4, UInt32.self) }
    if n >= 2 { return same(0, UInt16.self) && same(n - 2, UInt16.self) }
    return n == 0 || same(0, UInt8.self)
  }

  /// Whether the bytes at the cursor are `name`; consumes them if so.
  @inline(__always)
  private mutating func startsWith(_ name: Layout.Name) -> Bool {
    let n = Int(name.count)
    guard i + n <= bytes.count, same(name, UnsafeBufferPointer(rebasing: bytes[i..<(i + n)])) else { return false }
    i += n
    return true
  }

  /// Whether the string at the cursor equals `key` (no escapes); consumes it if so.
  @inline(__always)
  private mutating func keyEquals(_ key: Layout.Name) -> Bool {
    guard peek == UInt8(ascii: "\"") else { return false }
    let n = Int(key.count)
    let j = i + 1
    guard j + n < bytes.count, bytes[j + n] == UInt8(ascii: "\""),
      same(key, UnsafeBufferPointer(rebasing: bytes[j..<(j + n)]))
    else { return false }
    i = j + n + 1
    return true
  }

  /// An exact decimal from JSON number syntax (an exponent shifts the decimal point exactly), and
  /// whether it is whole.
  @inline(__always)
  private mutating func number() -> (Fixed, Bool)? {
    // Fast path: up to 18 digits with an optional fraction and no exponent, scaled once.
    let start = i
    let end = bytes.count
    var j = i
    var negative = false
    if j < end, bytes[j] == UInt8(ascii: "-") {
      negative = true
      j += 1
    }
    // Digits, then a point and more digits (wrapping is harmless: more than 18 digits go the slow way).
    var acc: UInt64 = 0
    let integerStart = j
    while j < end {
      let d = bytes[j] &- 0x30
      if d > 9 { break }
      acc = acc &* 10 &+ UInt64(d)
      j += 1
    }
    var digits = j - integerStart
    var fraction = -1
    if j < end, bytes[j] == UInt8(ascii: ".") {
      j += 1
      let fractionStart = j
      while j < end {
        let d = bytes[j] &- 0x30
        if d > 9 { break }
        acc = acc &* 10 &+ UInt64(d)
        j += 1
      }
      fraction = j - fractionStart
      digits += fraction
    }
    let next = j < end ? bytes[j] : 0
    if digits > 0, digits <= 18, fraction != 0, next != UInt8(ascii: "e"), next != UInt8(ascii: "E"), fraction <= Fixed.scale {
      i = j
      // At most 18 digits times at most 10¹²: far inside Int128.
      let units = Int128(acc) &* JSONFactsReader.powerOfTen(Fixed.scale - Swift.max(fraction, 0))
      // Whole when there are no fraction digits or they are all zeros (`30.0`).
      let whole = fraction < 0 || acc % UInt64(JSONFactsReader.powerOfTen(fraction)) == 0
      return (Fixed(units: negative ? -units : units), whole)
    }
    i = start
    return slowNumber().map { ($0, $0.isInteger) }
  }

  /// 10^k for 0 ≤ k ≤ 12 (the scale of `Fixed`; larger k are never asked for).
  @inline(__always)
  private static func powerOfTen(_ k: Int) -> Int128 {
    switch k {
    case 0: 1
    case 1: 10
    case 2: 100
    case 3: 1_000
    case 4: 10_000
    case 5: 100_000
    case 6: 1_000_000
    case 7: 10_000_000
    case 8: 100_000_000
    case 9: 1_000_000_000
    case 10: 10_000_000_000
    case 11: 100_000_000_000
    default: 1_000_000_000_000
    }
  }

  private mutating func slowNumber() -> Fixed? {
    var negative = false
    if peek == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    var units: Int128 = 0
    var digits = 0
    var fraction = 0
    var seenPoint = false
    while let c = peek {
      if c >= 0x30 && c <= 0x39 {
        let (m, o1) = units.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int128(c - 0x30))
        if o1 || o2 { return nil }
        units = a
        digits += 1
        if seenPoint { fraction += 1 }
        i += 1
      } else if c == UInt8(ascii: "."), !seenPoint {
        seenPoint = true
        i += 1
      } else {
        break
      }
    }
    guard digits > 0 else { return nil }
    var exponent = 0
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      i += 1
      var sign = 1
      if peek == UInt8(ascii: "-") { sign = -1; i += 1 } else if peek == UInt8(ascii: "+") { i += 1 }
      var e = 0
      while let c = peek, c >= 0x30 && c <= 0x39, e < 10_000 {
        e = e * 10 + Int(c - 0x30)
        i += 1
      }
      exponent = sign * e
    }
    // units × 10^(exponent − fraction) as a count of 10⁻¹² units.
    var shift = Fixed.scale + exponent - fraction
    while shift < 0 {
      guard units % 10 == 0 else { return nil }  // more decimal places than can be kept exactly
      units /= 10
      shift += 1
    }
    for _ in 0..<shift {
      let (m, o) = units.multipliedReportingOverflow(by: 10)
      if o { return nil }
      units = m
    }
    return Fixed(units: negative ? -units : units)
  }

  /// A JSON string, decoded.
  private mutating func string() -> String? {
    guard peek == UInt8(ascii: "\"") else { return nil }
    i += 1
    let start = i
    var plain = true
    while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
      if bytes[i] == UInt8(ascii: "\\") {
        plain = false
        i += 1
      }
      i += 1
    }
    guard i < bytes.count else { return nil }
    defer { i += 1 }
    let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
    if plain { return String(decoding: raw, as: UTF8.self) }
    return JSONFactsReader.unescape(raw)
  }

  static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var k = 0
    while k < raw.count {
      let c = raw[k]
      k += 1
      guard c == UInt8(ascii: "\\") else {
        out.append(c)
        continue
      }
      guard k < raw.count else { return nil }
      let e = raw[k]
      k += 1
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard let (scalar, used) = hexScalar(raw, k) else { return nil }
        k = used
        out.append(contentsOf: Array(String(scalar).utf8))
      default: out.append(e)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `\uXXXX`, joining a surrogate pair into one scalar.
  private static func hexScalar(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Unicode.Scalar, Int)? {
    func hex4(_ p: Int) -> UInt32? {
      guard p + 4 <= raw.count else { return nil }
      var v: UInt32 = 0
      for q in p..<(p + 4) {
        guard let h = Unicode.Scalar(raw[q]).hexValue else { return nil }
        v = v * 16 + h
      }
      return v
    }
    guard let hi = hex4(at) else { return nil }
    if hi >= 0xD800 && hi < 0xDC00, at + 10 <= raw.count, raw[at + 4] == UInt8(ascii: "\\"), raw[at + 5] == UInt8(ascii: "u"),
      let lo = hex4(at + 6), lo >= 0xDC00 && lo < 0xE000
    {
      return Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).map { ($0, at + 10) }
    }
    return Unicode.Scalar(hi).map { ($0, at + 4) }
  }

  /// Skips any JSON value; false when it is malformed.
  private mutating func skipValue() -> Bool {
    skipSpace()
    guard let c = peek else { return false }
    switch c {
    case UInt8(ascii: "\""): return string() != nil
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "\"") {
          guard string() != nil else { return false }
          continue
        }
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
        if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
          depth -= 1
          if depth == 0 {
            i += 1
            return true
          }
        }
        i += 1
      }
      return false
    default:
      if literal("true") || literal("false") || literal("null") { return true }
      return number() != nil || { () -> Bool in
        // A number too precise to keep still has to be skipped.
        while let d = peek, d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != UInt8(ascii: "]") { i += 1 }
        return true
      }()
    }
  }

  // MARK: - Errors

  private mutating func fail(_ message: String) -> Value {
    if errors.count < FactsReader.maximumErrors { errors.append(FactsError(path: pathText, message: message)) }
    return .missing
  }

  private mutating func mismatch(_ k: Int32) -> Value {
    let found: String
    switch peek {
    case UInt8(ascii: "\"")?:
      let start = i
      found = "\"" + (string() ?? "") + "\""
      if found.isEmpty { i = start }
    case UInt8(ascii: "{")?: found = "an object"
    case UInt8(ascii: "[")?: found = "a list"
    case UInt8(ascii: "t")?, UInt8(ascii: "f")?: found = "true/false"
    case nil: found = "the end of the line"
    default: found = number().map { $0.0.description } ?? "something that is not JSON"
    }
    _ = skipValue()
    return fail("expected \(type(k).brief), found \(found)")
  }

  private var pathText: String {
    var s = ""
    for step in UnsafeBufferPointer(start: path, count: depth) {
      switch step {
      case .key(let f):
        let k = plan.plan.layout.fieldNames[Int(f)]
        s += s.isEmpty ? k : "." + k
      case .index(let n): s += "[\(n)]"
      }
    }
    return s
  }
}
