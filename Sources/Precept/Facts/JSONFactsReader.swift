/// Reads one JSON document (a JSONL line) straight into values of a schema, without building a
/// tree first: keys and enum cases are compared as bytes, numbers are read exactly from their
/// digits, and a path string is only built when there is an error to report.
///
/// The JSON is strict (RFC 8259, `JSONSyntax`): invalid JSON, a key given twice and invalid UTF-8
/// refuse the line, and then only that is reported. Whether a written value fits its type, and
/// the words when it does not, come from the plan (`FactsPlan`), as for `FactsReader`.
///
/// For a stream, compile the schema once into a `Plan` and read every line with a `LineReader`:
/// reading a line then allocates only the values it returns.
public struct JSONFactsReader {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let plan: FactsPlan.Tables
  /// The plan's layout, borrowed in place (a copy would retain its every array on each line).
  private var layout: FactsPlan.Layout {
    @inline(__always) _read { yield plan.plan.layout }
  }
  private var i = 0
  /// The path to the value being read: a stack with room for the schema's deepest path, so
  /// stepping in and out of a value costs a store.
  private let path: UnsafeMutablePointer<PathStep>
  private var depth = 0
  /// 1 when the line is a flat record: its root is on the path but not in the text, so a value's
  /// nesting in the text is `depth - flatOffset`.
  private var flatOffset = 0
  private(set) var errors: [FactsError] = []
  /// The first reason the text is not JSON; once set, reading stops and only it is reported.
  private var syntax: (problem: JSONSyntax.Problem, at: Int)?
  /// Working storage kept from line to line by a `LineReader`, behind a pointer: a reader made
  /// for each line then neither copies nor releases it.
  private let scratch: UnsafeMutablePointer<Scratch>
  struct Scratch {
    /// The items of the lists being read, innermost last: a list's items are gathered here and
    /// moved into an array of their exact count when the list ends.
    var items: [Value] = []
    /// Keys of objects the schema does not describe, to find one given twice.
    var keys = JSONSyntax.KeyLog()
    /// Arrays of a line read before, given back (`LineReader.recycle`): a record or a document of
    /// the same count is read into one, overwriting its values in place rather than allocating.
    var spare: [[Value]] = []
  }
  private var items: [Value] {
    get { scratch.pointee.items }
    nonmutating _modify { yield &scratch.pointee.items }
  }
  private var keys: JSONSyntax.KeyLog {
    get { scratch.pointee.keys }
    nonmutating _modify { yield &scratch.pointee.keys }
  }
  private var spare: [[Value]] {
    get { scratch.pointee.spare }
    nonmutating _modify { yield &scratch.pointee.spare }
  }

  private enum PathStep {
    /// Field `field` (an index into the plan's fields).
    case key(Int32)
    case index(Int)
  }

  /// The compiled schema lines are read with.
  public typealias Plan = FactsPlan

  /// How a line relates to the schema's roots.
  public enum Shape: Sendable {
    /// The line is an object keyed by the roots (`{"applicant": {…}}`).
    case keyed
    /// For a schema of one root: a line whose first key is not that root is the root's value
    /// itself (a flat applicant record for a rulebook over `applicant`); otherwise it is keyed.
    case flatOrKeyed
  }

  /// Reads `line` against `plan`. For a schema with a single root, a line whose first key is not
  /// that root is the root's value itself.
  public static func read(_ line: UnsafeBufferPointer<UInt8>, plan: Plan) -> Result<[Value], FactsErrors> {
    withUnsafeTemporaryAllocation(of: Scratch.self, capacity: 1) { buffer in
      guard let scratch = buffer.baseAddress else { return .failure(FactsErrors(errors: [FactsError(path: "", message: "out of memory")])) }
      scratch.initialize(to: Scratch())
      defer { scratch.deinitialize(count: 1) }
      return read(line, plan: plan, shape: plan.layout.singleRoot ? .flatOrKeyed : .keyed, scratch: scratch)
    }
  }

  /// Reads lines against one plan, keeping its working storage from one line to the next. Not
  /// for sharing: one per thread.
  public final class LineReader {
    /// The plan lines are read with.
    public let plan: Plan
    /// Whether lines may be flat records of the single root.
    public let shape: Shape
    /// The working storage kept from line to line, behind a pointer: a class's stored `var`
    /// passed `inout` pays a dynamic exclusivity check on every line.
    private let scratch: UnsafeMutablePointer<Scratch>

    /// A reader of lines against `plan`; flat records are read when the schema has a single root.
    public convenience init(_ plan: Plan) {
      self.init(plan, shape: .flatOrKeyed)
    }

    /// A reader of lines of the given shape.
    public init(_ plan: Plan, shape: Shape) {
      self.plan = plan
      self.shape = plan.layout.singleRoot ? shape : .keyed
      scratch = .allocate(capacity: 1)
      scratch.initialize(to: Scratch())
    }

    deinit {
      scratch.deinitialize(count: 1)
      scratch.deallocate()
    }

    /// Reads `line` (as `JSONFactsReader.read(_:plan:)` does).
    public func read(_ line: UnsafeBufferPointer<UInt8>) -> Result<[Value], FactsErrors> {
      JSONFactsReader.read(line, plan: plan, shape: shape, scratch: scratch)
    }

    /// Gives back the values `read` returned, once the caller is done with them: the next line is
    /// read into their arrays (the document's and each root record's), its values written over
    /// the old ones in place. Arrays someone else still holds are copied on write as any array
    /// is, so giving back too early costs an allocation, never a value.
    public func recycle(_ values: consuming [Value]) {
      var values = values
      guard scratch.pointee.spare.count < 8 else { return }
      for r in values.indices {
        // Each record's array is moved out of the document (swapped, not copied and released).
        var root = Value.missing
        swap(&root, &values[r])
        guard case .record(let fields) = consume root else { continue }
        scratch.pointee.spare.append(fields)
      }
      scratch.pointee.spare.append(consume values)
    }
  }

  private static func read(
    _ line: UnsafeBufferPointer<UInt8>, plan: Plan, shape: Shape, scratch: UnsafeMutablePointer<Scratch>
  ) -> Result<[Value], FactsErrors> {
    plan.withTables { tables in
      withUnsafeTemporaryAllocation(of: PathStep.self, capacity: plan.layout.depth + 1) { path in
        guard let stack = path.baseAddress else { return .failure(FactsErrors(errors: [FactsError(path: "", message: "out of memory")])) }
        var r = JSONFactsReader(bytes: line, plan: tables, path: stack, scratch: scratch)
        if !r.keys.keys.isEmpty { r.keys.reset() }
        let values = r.document(shape)
        // Every list ends by taking its items back off, unless the text was not JSON.
        if !r.items.isEmpty { r.items.removeAll(keepingCapacity: true) }
        if let s = r.syntax { return .failure(FactsErrors(errors: [JSONFactsReader.syntaxError(s.problem, at: s.at)])) }
        if r.errors.isEmpty, let values { return .success(values) }
        return .failure(FactsErrors(errors: r.errors))
      }
    }
  }

  /// The error a line gets when it is not JSON: where (a byte offset, from 1) and why.
  static func syntaxError(_ p: JSONSyntax.Problem, at offset: Int) -> FactsError {
    FactsError(path: "", message: "not valid JSON at byte \(offset + 1): \(p.message)")
  }

  /// Reads `line` against `schema` (compiling the schema each time: for many lines, use a `Plan`).
  public static func read(_ line: UnsafeBufferPointer<UInt8>, schema: [Field]) -> Result<[Value], FactsErrors> {
    read(line, plan: Plan(schema))
  }

  /// Reads one JSON line, given as bytes, against `schema`.
  public static func read(_ line: [UInt8], schema: [Field]) -> Result<[Value], FactsErrors> {
    line.withUnsafeBufferPointer { read($0, schema: schema) }
  }

  private init(bytes: UnsafeBufferPointer<UInt8>, plan: FactsPlan.Tables, path: UnsafeMutablePointer<PathStep>, scratch: UnsafeMutablePointer<Scratch>) {
    self.bytes = bytes
    self.plan = plan
    self.path = path
    self.scratch = scratch
  }

  private mutating func document(_ shape: Shape) -> [Value]? {
    skipSpace()
    guard peek == UInt8(ascii: "{") else {
      if i < bytes.count, JSONSyntax.skipValue(bytes, &i, level: 0, keys: &keys) == nil {
        skipSpace()
        if i == bytes.count {
          _ = fail("a line must be a JSON object (a mapping of fact names to values)")
          return nil
        }
        return syntaxFailure(.trailingText)
      }
      i = 0
      skipSpace()
      return syntaxFailure(i < bytes.count ? .expectedValue(found: JSONSyntax.found(bytes, i)) : .expectedValue(found: "an empty line"))
    }
    let rootRecord = plan.nodes[Int(layout.rootRecord)]
    let start = i
    let flat = shape == .flatOrKeyed && !hasKey(plan.fields[Int(rootRecord.a)].name)
    i = start
    let v: Value
    if flat {
      flatOffset = 1
      push(.key(rootRecord.a))
      v = value(plan.fields[Int(rootRecord.a)].node)
      pop()
    } else {
      v = value(layout.rootRecord)
    }
    guard syntax == nil else { return nil }
    skipSpace()
    if i < bytes.count { return syntaxFailure(.trailingText) }
    if flat {
      var document = reused(1)
      document[0] = v
      return document
    }
    guard case .record(let fields) = v else { return nil }
    return fields
  }

  /// An array of `count` values to read into: a recycled one of that count (its old values are
  /// written over), or a new one of `missing`.
  @inline(__always)
  private mutating func reused(_ count: Int) -> [Value] {
    if let last = spare.indices.last {
      if spare[last].count == count { return spare.removeLast() }
      if let k = spare.firstIndex(where: { $0.count == count }) { return spare.remove(at: k) }
    }
    return [Value](repeating: .missing, count: count)
  }

  /// Whether the top-level object's first key is `key` (followed by its `:`).
  private mutating func hasKey(_ key: FactsPlan.Layout.Name) -> Bool {
    i += 1
    skipSpace()
    guard peek == UInt8(ascii: "\""), keyEquals(key) else { return false }
    skipSpace()
    return peek == UInt8(ascii: ":")
  }

  // MARK: - Values by type

  private mutating func value(_ k: Int32) -> Value {
    skipSpace()
    guard let c = peek else { return syntaxFailure(.expectedValue(found: "the end of the line")) }
    let node = plan.nodes[Int(k)]
    switch c {
    case UInt8(ascii: "{"):
      if node.kind == .record { return record(k) }
      if node.kind == .optional, plan.nodes[Int(node.a)].kind == .record { return record(node.a) }
      if node.kind == .money || (node.kind == .optional && plan.nodes[Int(node.a)].kind == .money) {
        let m = node.kind == .money ? k : node.a
        let before = errors.count
        let v = record(layout.moneyRecord)
        guard syntax == nil else { return .missing }
        if errors.count != before { return .missing }
        guard case .record(let f) = v else { return .missing }
        return accept(layout.moneyMapping(m, f))
      }
      return skipped(k, found: "a mapping")
    case UInt8(ascii: "["):
      if node.kind == .list { return list(node.a) }
      if node.kind == .optional, plan.nodes[Int(node.a)].kind == .list { return list(plan.nodes[Int(node.a)].a) }
      return skipped(k, found: "a list")
    case UInt8(ascii: "\""):
      if node.kind == .text, let raw = plainString() { return .text(String(decoding: raw, as: UTF8.self)) }
      let start = i
      if node.kind == .enumeration, let raw = plainString() {
        if let e = enumCase(node, raw) { return .enumCase(e) }
        i = start
      }
      switch JSONSyntax.string(bytes, &i) {
      case .failure(let p): return syntaxFailure(p, at: start)
      case .success(let token):
        if token.escaped {
          var s = JSONSyntax.decode(bytes, token)
          return s.withUTF8 { accept(layout.text(k, $0)) }
        }
        return accept(layout.text(k, UnsafeBufferPointer(rebasing: bytes[token.content])))
      }
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      let start = i
      if literal("true") || literal("false") || literal("null"), i == bytes.count || JSONSyntax.isDelimiter(bytes[i]) {
        switch bytes[start] {
        case UInt8(ascii: "t"): return accept(layout.bool(k, true))
        case UInt8(ascii: "f"): return accept(layout.bool(k, false))
        default: return accept(layout.null(k))
        }
      }
      return syntaxFailure(.expectedValue(found: JSONSyntax.found(bytes, start)), at: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let numberStart = i
      if let (n, _) = fastNumber() {
        let raw = UnsafeBufferPointer(rebasing: bytes[numberStart..<i])
        switch node.kind {
        case .int, .decimal, .percent: return accept(layout.number(k, n, raw: raw))
        default: return accept(layout.number(k, .success(n), raw: raw))
        }
      }
      let start = i
      switch JSONSyntax.number(bytes, &i) {
      case .failure(let p): return syntaxFailure(p, at: start)
      case .success(let range):
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        return accept(layout.number(k, FactNumber.value(bytes, range), raw: raw))
      }
    default:
      return syntaxFailure(.expectedValue(found: JSONSyntax.found(bytes, i)))
    }
  }

  /// A list's items (after nothing: the cursor is at its `[`).
  private mutating func list(_ element: Int32) -> Value {
    i += 1
    skipSpace()
    if peek == UInt8(ascii: "]") {
      i += 1
      return .list([])
    }
    let base = items.count
    while true {
      push(.index(items.count - base))
      let item = value(element)
      items.append(item)
      pop()
      if syntax != nil {
        items.removeSubrange(base...)
        return .missing
      }
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
      return syntaxFailure(.expectedCommaOrBracket)
    }
  }

  /// A value of the wrong shape: checked as JSON, skipped, and reported.
  private mutating func skipped(_ k: Int32, found: String) -> Value {
    if plan.nodes[Int(k)].kind == .skip || (plan.nodes[Int(k)].kind == .optional && plan.nodes[Int(plan.nodes[Int(k)].a)].kind == .skip) {
      return skipValue()
    }
    let start = i
    if let p = JSONSyntax.skipValue(bytes, &i, level: depth - flatOffset, keys: &keys) { return syntaxFailure(p, at: Swift.max(i, start)) }
    return accept(layout.mismatch(k, found: found))
  }

  private mutating func skipValue() -> Value {
    if let p = JSONSyntax.skipValue(bytes, &i, level: depth - flatOffset, keys: &keys) { return syntaxFailure(p) }
    return .missing
  }

  @inline(__always)
  private mutating func accept(_ a: Accepted) -> Value {
    switch a {
    case .value(let v): return v
    case .refused(let message): return fail(message)
    }
  }

  private mutating func record(_ k: Int32) -> Value {
    i += 1
    let node = plan.nodes[Int(k)]
    let first = Int(node.a)
    let count = Int(node.b) - first
    var fields = reused(count)
    if count > 0, node.distinct {
      // Records almost always arrive with every field once, in schema order: read them so, and
      // if this one does not, read it again from its `{` the general way.
      let start = i
      let errorCount = errors.count
      if inOrder(first, count, into: &fields) { return .record(fields) }
      // Text that is not JSON is not JSON however it is read again.
      if syntax != nil { return .missing }
      i = start
      errors.removeSubrange(errorCount...)
    }
    // Which fields came: a flag each. (Every field is written below, read or absent, so no value
    // of a recycled array or of the in-order attempt survives.)
    var seen = [Bool](repeating: false, count: count)
    // Otherwise fields still mostly come in schema order: try the next one first.
    var expected = node.distinct ? 0 : count
    let level = depth - flatOffset
    skipSpace()
    if peek == UInt8(ascii: "}") {
      i += 1
    } else {
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { return syntaxFailure(.expectedKey) }
        let keyStart = i
        var found = -1
        var token: JSONSyntax.StringToken?
        if expected < count, plan.fields[first + expected].plain, keyEquals(plan.fields[first + expected].name) {
          // The key is the expected field's name, closing quote included: no need to look for its end.
          found = expected
        } else {
          switch JSONSyntax.string(bytes, &i) {
          case .failure(let p): return syntaxFailure(p, at: keyStart)
          case .success(let t):
            token = t
            if t.escaped {
              let key = JSONSyntax.decode(bytes, t)
              found = (0..<count).first { layout.fieldNames[first + $0] == key } ?? -1
            } else {
              let raw = UnsafeBufferPointer(rebasing: bytes[t.content])
              for f in 0..<count where same(plan.fields[first + f].name, raw) {
                found = f
                break
              }
            }
          }
        }
        skipSpace()
        guard peek == UInt8(ascii: ":") else { return syntaxFailure(.expectedColon) }
        i += 1
        if found >= 0 {
          if seen[found] { return syntaxFailure(.duplicateKey(layout.fieldNames[first + found]), at: keyStart) }
          seen[found] = true
          push(.key(Int32(first + found)))
          fields[found] = value(plan.fields[first + found].node)
          pop()
          if syntax != nil { return .missing }
          if node.distinct { expected = found + 1 }
        } else {
          // Facts may carry more than the rulebook reads; a key still comes once.
          if let t = token, !keys.add(bytes, t, level: level) {
            return syntaxFailure(.duplicateKey(JSONSyntax.decode(bytes, t)), at: keyStart)
          }
          if let p = JSONSyntax.skipValue(bytes, &i, level: level + 1, keys: &keys) { return syntaxFailure(p) }
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
        return syntaxFailure(.expectedCommaOrBrace)
      }
    }
    keys.close(level: level)
    for f in 0..<count where !seen[f] {
      push(.key(Int32(first + f)))
      fields[f] = accept(layout.absent(plan.fields[first + f].node))
      pop()
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
        guard let (n, whole) = fastNumber(), node.kind == .decimal || whole || n.isInteger else { return false }
        fields[f] = .number(n)
      case .text:
        guard let raw = plainString() else { return false }
        fields[f] = .text(String(decoding: raw, as: UTF8.self))
      case .enumeration:
        guard let raw = plainString(), let c = enumCase(node, raw) else { return false }
        fields[f] = .enumCase(c)
      case .bool:
        if literal("true") {
          fields[f] = .bool(true)
        } else if literal("false") {
          fields[f] = .bool(false)
        } else {
          return false
        }
      default:
        push(.key(Int32(first + f)))
        let v = value(field.node)
        fields[f] = v
        pop()
        if errors.count != errorCount || syntax != nil { return false }
      }
      skipSpace()
      let close = f + 1 < count ? UInt8(ascii: ",") : UInt8(ascii: "}")
      guard i < bytes.count, bytes[i] == close else { return false }
      i += 1
    }
    return true
  }

  /// The index of the case of enum node `node` spelled `raw`, compared in place.
  @inline(__always)
  private func enumCase(_ node: FactsPlan.Layout.Node, _ raw: UnsafeBufferPointer<UInt8>) -> Int? {
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
  private mutating func skipSpace() { JSONSyntax.skipSpace(bytes, &i) }

  @inline(__always)
  private mutating func literal(_ word: StaticString) -> Bool { JSONSyntax.literal(bytes, &i, word) }

  /// The bytes of the string at the cursor when it has no escapes, no control characters and
  /// only ASCII or well-formed UTF-8 (consumed); nil otherwise (not consumed: the general way
  /// decodes it or says what is wrong).
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
      // One test for `\\`, a control character (below 0x20) or a byte of a multi-byte character (0x80 up).
      if b == UInt8(ascii: "\\") || b &- 0x20 >= 0x60 {
        guard b >= 0x80, let n = JSONSyntax.utf8Length(bytes, j) else { return nil }
        j += n
        continue
      }
      j += 1
    }
    return nil
  }

  /// Whether the plan's name equals `raw`, byte for byte.
  @inline(__always)
  private func same(_ name: FactsPlan.Layout.Name, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
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
  private mutating func startsWith(_ name: FactsPlan.Layout.Name) -> Bool {
    let n = Int(name.count)
    guard i + n <= bytes.count, same(name, UnsafeBufferPointer(rebasing: bytes[i..<(i + n)])) else { return false }
    i += n
    return true
  }

  /// Whether the string at the cursor equals `key` (no escapes); consumes it if so.
  @inline(__always)
  private mutating func keyEquals(_ key: FactsPlan.Layout.Name) -> Bool {
    guard peek == UInt8(ascii: "\"") else { return false }
    let n = Int(key.count)
    let j = i + 1
    guard j + n < bytes.count, bytes[j + n] == UInt8(ascii: "\""),
      same(key, UnsafeBufferPointer(rebasing: bytes[j..<(j + n)]))
    else { return false }
    i = j + n + 1
    return true
  }

  /// A number of at most 18 digits with an optional fraction of at most 12 digits and no
  /// exponent, followed by a delimiter (consumed), exactly, and whether it was written without a
  /// point (so is whole: `12`, where `12.0` may be too); nil otherwise (not consumed: the general
  /// way reads it or says what is wrong).
  @inline(__always)
  private mutating func fastNumber() -> (value: Fixed, whole: Bool)? {
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
    let integerDigits = j - integerStart
    // No leading zeros (`09`), and at least one digit before a point.
    guard integerDigits == 1 || (integerDigits > 1 && bytes[integerStart] != UInt8(ascii: "0")) else { return nil }
    var digits = integerDigits
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
    guard digits <= 18, fraction != 0, fraction <= Fixed.scale, j == end || JSONSyntax.isDelimiter(bytes[j]) else { return nil }
    i = j
    // At most 18 digits times at most 10¹²: far inside Int128.
    let units = Int128(acc) &* JSONFactsReader.powerOfTen(Fixed.scale - Swift.max(fraction, 0))
    return (Fixed(units: negative ? -units : units), fraction < 0)
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

  // MARK: - Errors

  private mutating func fail(_ message: String) -> Value {
    if errors.count < FactsReader.maximumErrors { errors.append(FactsError(path: pathText, message: message)) }
    return .missing
  }

  private mutating func syntaxFailure(_ p: JSONSyntax.Problem, at offset: Int? = nil) -> Value {
    if syntax == nil { syntax = (p, offset ?? i) }
    return .missing
  }

  private mutating func syntaxFailure(_ p: JSONSyntax.Problem) -> [Value]? {
    _ = syntaxFailure(p, at: nil) as Value
    return nil
  }

  private var pathText: String {
    var s = ""
    for step in UnsafeBufferPointer(start: path, count: depth) {
      switch step {
      case .key(let f):
        let k = layout.fieldNames[Int(f)]
        s += s.isEmpty ? k : "." + k
      case .index(let n): s += "[\(n)]"
      }
    }
    return s
  }
}
