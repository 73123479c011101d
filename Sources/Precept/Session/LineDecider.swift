#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decides JSON lines (`precept eval`) as `Session.decide` decides a facts file: the same
/// rulebooks apply (their roots present), at the same stage (asked, else the line's
/// `product.stage`), with the facts validated alike; a line that fits no rulebook, or does not fit
/// one that applies, gets one error object and no decisions. Keeps its working storage from line
/// to line; one per thread.
public final class LineDecider {
  let session: Session
  let asOf: CivilDate
  let stage: Stage?
  private let evaluators: [Evaluator]
  private let readers: [JSONFactsReader.LineReader]
  private let formats: [CompactDecisionFormat]
  /// Each root name as bytes, in `session.rootNames` order, and each rulebook's roots as a mask over them.
  private let rootBytes: [[UInt8]]
  private let rootMasks: [UInt64]
  /// Whether a line's shape (roots present, `product.stage`) must be read before its facts:
  /// not when every rulebook reads the same single root (other than `product`, or a stage was asked).
  private let scansShape: Bool
  /// Whether a keyed line may still carry a `product.stage` that no rulebook reads but that sets
  /// the stage, as it does for a facts file: every rulebook reads the same single root, not
  /// `product`, and no stage was asked. Lines that may hold a `product` key are then scanned too.
  private let stageBesideRoot: Bool
  private var values: [[Value]]
  /// The one rulebook's reader, evaluator and format, when there is one and lines need no shape
  /// read first: unmanaged (the arrays above keep them), so a line uses them without retaining
  /// and releasing each, atomically, as a strong reference loaded from a class would be.
  private let single: (reader: Unmanaged<JSONFactsReader.LineReader>, evaluator: Unmanaged<Evaluator>, format: Unmanaged<CompactDecisionFormat>)?
  private var applies: [Bool]
  private var keys = JSONSyntax.KeyLog()
  /// The id's path as key bytes, and for a flat record of the one root, the path without the root.
  private let idPath: [[UInt8]]?
  private let flatIDPath: [[UInt8]]?
  /// Decisions by outcome rank, then unusable lines (`tally`); behind a pointer, as the count
  /// is kept on every line and a class's stored `var` pays an exclusivity check per access.
  private let counts: UnsafeMutablePointer<Int>
  private static let countSlots = Outcome.allCases.count + 1

  /// A decider for `session`'s rulebooks, as of `asOf`, at `stage` (nil: each line's
  /// `product.stage`), writing lines as `output` asks.
  public init(_ session: Session, asOf: CivilDate, stage: Stage?, output: LineOutput = LineOutput()) {
    self.session = session
    self.asOf = asOf
    self.stage = stage
    idPath = output.id.map { $0.map { Array($0.utf8) } }
    if let path = output.id, path.count > 1, let root = session.sharedRoot, path[0] == root {
      flatIDPath = path.dropFirst().map { Array($0.utf8) }
    } else {
      flatIDPath = nil
    }
    counts = .allocate(capacity: Self.countSlots)
    counts.initialize(repeating: 0, count: Self.countSlots)
    evaluators = session.rulebooks.map { book in
      let e = Evaluator(book)
      e.waivers = session.waivers
      return e
    }
    let shape: JSONFactsReader.Shape = session.sharedRoot != nil ? .flatOrKeyed : .keyed
    readers = session.plans.map { JSONFactsReader.LineReader($0, shape: shape) }
    formats = session.rulebooks.map { CompactDecisionFormat($0, asOf: asOf, content: output.content) }
    rootBytes = session.rootNames.map { Array($0.utf8) }
    let names = session.rootNames
    rootMasks = session.rulebooks.map { book in
      book.roots.reduce(UInt64(0)) { mask, root in
        guard let k = names.firstIndex(of: root.name), k < 64 else { return mask | (1 << 63) }
        return mask | (1 << UInt64(k))
      }
    }
    scansShape = session.sharedRoot == nil || (stage == nil && session.sharedRoot == "product")
    stageBesideRoot = stage == nil && session.sharedRoot != nil && session.sharedRoot != "product"
    single =
      session.rulebooks.count == 1 && !scansShape
      ? (Unmanaged.passUnretained(readers[0]), Unmanaged.passUnretained(evaluators[0]), Unmanaged.passUnretained(formats[0])) : nil
    values = Array(repeating: [], count: session.rulebooks.count)
    applies = Array(repeating: false, count: session.rulebooks.count)
  }

  deinit { counts.deallocate() }

  /// The decisions made and the lines refused so far (lines and bytes are the reader's to count).
  public var tally: StreamTally {
    var t = StreamTally()
    for k in 0..<Outcome.allCases.count { t.decisions[k] = counts[k] }
    t.errors = counts[Self.countSlots - 1]
    return t
  }

  /// Appends the error line of line `number`, refused before it was read (`message` says why).
  public func refuse(_ message: String, number: Int, into out: inout OutputBytes) {
    CompactDecisionFormat.appendError(message, line: number, id: idPath == nil ? nil : Self.null, to: &out)
    counts[Self.countSlots - 1] += 1
  }

  /// Appends an error line and counts it; false, for `decide` to return.
  private func fail(_ message: String, number: Int, id: UnsafeRawBufferPointer?, into out: inout OutputBytes) -> Bool {
    CompactDecisionFormat.appendError(message, line: number, id: id, to: &out)
    counts[Self.countSlots - 1] += 1
    return false
  }

  /// Decides the facts `reader` gave with its rulebook's evaluator, appends the decision line and
  /// counts its outcome, then gives the facts back to the reader for the next line to be read
  /// into: they move from reader to evaluator and back, never copied.
  @inline(__always)
  private func decide(
    _ facts: consuming [Value], reader: JSONFactsReader.LineReader, evaluator e: Evaluator, format: CompactDecisionFormat,
    number: Int, id: UnsafeRawBufferPointer?, stage: Stage?, into out: inout OutputBytes
  ) {
    e.run(facts, asOf: asOf, stage: stage)
    counts[format.appendLine(e, line: number, id: id, stage: stage, to: &out)] += 1
    reader.recycle(e.takeFacts())
  }

  /// Decides line number `number` and appends its output lines to `out`; false when the line
  /// could not be used (its error object is appended instead).
  public func decide(_ line: UnsafeBufferPointer<UInt8>, number: Int, into out: inout OutputBytes) -> Bool {
    let id = idPath == nil ? nil : idText(line)
    let scans = scansShape || (stageBesideRoot && Self.mayHoldProductKey(line))
    if let only = single, !scans {
      // One rulebook whose single root every line has (keyed or flat): read, decide, write.
      return only.reader._withUnsafeGuaranteedRef { reader in
        only.evaluator._withUnsafeGuaranteedRef { evaluator in
          only.format._withUnsafeGuaranteedRef { format in
            decide(line, number: number, id: id, reader: reader, evaluator: evaluator, format: format, into: &out)
          }
        }
      }
    }
    var lineStage = stage
    if scans {
      switch scan(line) {
      case .failure(let e):
        return fail(e.description, number: number, id: id, into: &out)
      case .success(let shape):
        if stage == nil { lineStage = shape.stage }
        var any = false
        for b in applies.indices {
          applies[b] = session.sharedRoot != nil || rootMasks[b] & ~shape.present == 0
          any = any || applies[b]
        }
        if !any { return fail(session.noRulebookApplies(keys: shape.keys).description, number: number, id: id, into: &out) }
      }
    } else {
      for b in applies.indices { applies[b] = true }
    }
    var errors: [FactsError] = []
    for b in readers.indices where applies[b] {
      switch readers[b].read(line) {
      case .success(let v): values[b] = v
      case .failure(let e): errors += e.errors
      }
    }
    if !errors.isEmpty { return fail(Session.distinct(errors).map(\.description).joined(separator: "; "), number: number, id: id, into: &out) }
    for b in evaluators.indices where applies[b] {
      var facts: [Value] = []
      swap(&facts, &values[b])
      decide(facts, reader: readers[b], evaluator: evaluators[b], format: formats[b], number: number, id: id, stage: lineStage, into: &out)
    }
    return true
  }

  /// Reads and decides a line with the one rulebook's reader, evaluator and format.
  @inline(__always)
  private func decide(
    _ line: UnsafeBufferPointer<UInt8>, number: Int, id: UnsafeRawBufferPointer?, reader: JSONFactsReader.LineReader, evaluator: Evaluator,
    format: CompactDecisionFormat, into out: inout OutputBytes
  ) -> Bool {
    switch reader.read(line) {
    case .success(let values):
      decide(values, reader: reader, evaluator: evaluator, format: format, number: number, id: id, stage: stage, into: &out)
      return true
    case .failure(let e):
      return fail(e.errors.map(\.description).joined(separator: "; "), number: number, id: id, into: &out)
    }
  }

  private static let nullText: StaticString = "null"
  /// `null`, for the id of a line that has none.
  private static var null: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nullText.utf8Start, count: nullText.utf8CodeUnitCount) }

  /// The JSON text of the line's id, as written, or `null` when the line has none (or cannot be
  /// read as far as it). A flat record of the one root finds a path that starts with the root
  /// without it (`applicant.id` is the flat record's `id`), as its facts are read.
  private func idText(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeRawBufferPointer {
    guard var path = idPath else { return Self.null }
    var keys = JSONSyntax.KeyLog()
    swap(&keys, &self.keys)
    defer { swap(&keys, &self.keys) }
    keys.reset()
    var i = 0
    JSONSyntax.skipSpace(b, &i)
    guard i < b.count, b[i] == UInt8(ascii: "{") else { return Self.null }
    if let flat = flatIDPath, let root = path.first {
      // Keyed when its first key is the root, as for its facts.
      var j = i + 1
      JSONSyntax.skipSpace(b, &j)
      if j < b.count, b[j] == UInt8(ascii: "\""), case .success(let first) = JSONSyntax.string(b, &j), !Self.key(b, first, is: root) { path = flat }
    }
    guard let range = Self.find(path[...], in: b, at: &i, level: 0, keys: &keys) else { return Self.null }
    return UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[range]))
  }

  /// Where the value at `path` inside the object at `i` lies, checked as JSON; nil when it is not there.
  private static func find(
    _ path: ArraySlice<[UInt8]>, in b: UnsafeBufferPointer<UInt8>, at i: inout Int, level: Int, keys: inout JSONSyntax.KeyLog
  ) -> Range<Int>? {
    guard let want = path.first else { return nil }
    var found: Range<Int>?
    _ = JSONSyntax.members(b, &i, level: level, keys: &keys) { token, _, i, keys in
      guard key(b, token, is: want) else { return JSONSyntax.skipValue(b, &i, level: level + 1, keys: &keys) == nil }
      let start = i
      if path.count == 1 {
        if JSONSyntax.skipValue(b, &i, level: level + 1, keys: &keys) == nil { found = start..<i }
      } else if i < b.count, b[i] == UInt8(ascii: "{") {
        found = find(path.dropFirst(), in: b, at: &i, level: level + 1, keys: &keys)
      }
      return false
    }
    return found
  }

  /// Whether a scanned key is `name`.
  private static func key(_ b: UnsafeBufferPointer<UInt8>, _ token: JSONSyntax.StringToken, is name: [UInt8]) -> Bool {
    if token.escaped { return Array(JSONSyntax.decode(b, token).utf8) == name }
    return token.content.count == name.count && b[token.content].elementsEqual(name)
  }

  /// What a line's top level holds: which roots (a mask over `session.rootNames`), its keys
  /// (for the error when no rulebook applies), and its `product.stage`.
  private struct Shape {
    var present: UInt64 = 0
    var keys: [String] = []
    var stage: Stage?
  }

  /// Reads a line's top level: strict JSON throughout, as the facts readers read it.
  private func scan(_ b: UnsafeBufferPointer<UInt8>) -> Result<Shape, FactsError> {
    var keys = JSONSyntax.KeyLog()
    swap(&keys, &self.keys)
    defer { swap(&keys, &self.keys) }
    keys.reset()
    var i = 0
    var shape = Shape()
    JSONSyntax.skipSpace(b, &i)
    guard i < b.count else { return .failure(JSONFactsReader.syntaxError(.expectedValue(found: "an empty line"), at: i)) }
    guard b[i] == UInt8(ascii: "{") else {
      if JSONSyntax.skipValue(b, &i, level: 0, keys: &keys) == nil {
        JSONSyntax.skipSpace(b, &i)
        if i == b.count { return .failure(FactsError(path: "", message: "a line must be a JSON object (a mapping of fact names to values)")) }
        return .failure(JSONFactsReader.syntaxError(.trailingText, at: i))
      }
      return .failure(JSONFactsReader.syntaxError(.expectedValue(found: JSONSyntax.found(b, 0)), at: 0))
    }
    // A flat product record (for rulebooks over `product` alone) has its stage at the top.
    var stageAtTop: Bool?
    var failure: FactsError?
    let problem = JSONSyntax.members(b, &i, level: 0, keys: &keys) { token, _, i, keys in
      let key = JSONSyntax.decode(b, token)
      let atTop = stageAtTop ?? (session.sharedRoot == "product" && key != "product")
      stageAtTop = atTop
      shape.keys.append(key)
      if let k = session.rootNames.firstIndex(of: key), k < 64 { shape.present |= 1 << UInt64(k) }
      // A stage asked for is the stage: the line's own is then not read (as for a facts file).
      if atTop, key == "stage", stage == nil {
        return read(stageValue(b, &i, level: 1, keys: &keys), into: &shape.stage, failure: &failure)
      }
      // In a flat record of another root, `product` is one of that root's fields.
      let keyed = session.sharedRoot == nil || session.sharedRoot == "product" || shape.keys.first == session.sharedRoot
      if key == "product", !atTop, keyed, stage == nil, i < b.count, b[i] == UInt8(ascii: "{") {
        return read(productStage(b, &i, keys: &keys), into: &shape.stage, failure: &failure)
      }
      if let p = JSONSyntax.skipValue(b, &i, level: 1, keys: &keys) {
        failure = JSONFactsReader.syntaxError(p, at: i)
        return false
      }
      return true
    }
    if let (p, at) = problem { return .failure(JSONFactsReader.syntaxError(p, at: at)) }
    if let failure { return .failure(failure) }
    JSONSyntax.skipSpace(b, &i)
    if i < b.count { return .failure(JSONFactsReader.syntaxError(.trailingText, at: i)) }
    return .success(shape)
  }

  private static let productKey = Array(#"product""#.utf8)

  /// Whether `b` may have a key `product`: it holds `"product"`, or a `\u` escape that could spell
  /// it. It jumps from `p` to `p` and from `\` to `\` with the C library's `memchr` (vectorised):
  /// a byte-by-byte loop had cost a third of a workload-A line.
  private static func mayHoldProductKey(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = b.baseAddress, b.count >= 9 else { return false }
    let end = base + b.count
    func next(_ byte: UInt8, from p: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
      guard p < end, let found = memchr(p, Int32(byte), end - p) else { return nil }
      return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
    }
    var p = base
    while let q = next(UInt8(ascii: "\\"), from: p) {
      if q + 1 < end, q[1] == UInt8(ascii: "u") { return true }
      p = q + 1
    }
    p = base + 1
    while let q = next(UInt8(ascii: "p"), from: p) {
      if q[-1] == UInt8(ascii: "\""), end - q >= productKey.count, memcmp(q, productKey, productKey.count) == 0 { return true }
      p = q + 1
    }
    return false
  }

  /// Keeps a stage read, or the reason it could not be; false when it could not.
  private func read(_ r: Result<Stage?, FactsError>, into stage: inout Stage?, failure: inout FactsError?) -> Bool {
    switch r {
    case .success(let s):
      stage = s
      return true
    case .failure(let e):
      failure = e
      return false
    }
  }

  /// The `stage` of the product object at `i` (its `{`), checking the whole object.
  private func productStage(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, keys: inout JSONSyntax.KeyLog) -> Result<Stage?, FactsError> {
    var stage: Stage?
    var failure: FactsError?
    let problem = JSONSyntax.members(b, &i, level: 1, keys: &keys) { token, _, i, keys in
      if JSONSyntax.decode(b, token) == "stage" { return read(stageValue(b, &i, level: 2, keys: &keys), into: &stage, failure: &failure) }
      if let p = JSONSyntax.skipValue(b, &i, level: 2, keys: &keys) {
        failure = JSONFactsReader.syntaxError(p, at: i)
        return false
      }
      return true
    }
    if let (p, at) = problem { return .failure(JSONFactsReader.syntaxError(p, at: at)) }
    if let failure { return .failure(failure) }
    return .success(stage)
  }

  /// A stage written at `i`: a stage name, or null for none.
  private func stageValue(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, level: Int, keys: inout JSONSyntax.KeyLog) -> Result<Stage?, FactsError> {
    let start = i
    if i < b.count, b[i] == UInt8(ascii: "\"") {
      switch JSONSyntax.string(b, &i) {
      case .failure(let p): return .failure(JSONFactsReader.syntaxError(p, at: start))
      case .success(let t): return FactsPlan.stage(JSONSyntax.decode(b, t)).map { $0 }
      }
    }
    if JSONSyntax.literal(b, &i, "null"), i == b.count || JSONSyntax.isDelimiter(b[i]) { return .success(nil) }
    i = start
    if let p = JSONSyntax.skipValue(b, &i, level: level, keys: &keys) { return .failure(JSONFactsReader.syntaxError(p, at: i)) }
    guard b[start] == UInt8(ascii: "{") || b[start] == UInt8(ascii: "[") else {
      // A number or a bool, named as written (as a YAML scalar would be).
      return FactsPlan.stage(String(decoding: b[start..<i], as: UTF8.self)).map { $0 }
    }
    let found = b[start] == UInt8(ascii: "{") ? "a mapping" : "a list"
    return .failure(FactsError(path: "product.stage", message: "expected a stage name, found \(found)"))
  }
}
