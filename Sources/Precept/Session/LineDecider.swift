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
  /// The one rulebook, when there is one and lines need no shape read first.
  private let single: Int?
  private var applies: [Bool]
  private var keys = JSONSyntax.KeyLog()

  /// A decider for `session`'s rulebooks, as of `asOf`, at `stage` (nil: each line's `product.stage`).
  public init(_ session: Session, asOf: CivilDate, stage: Stage?) {
    self.session = session
    self.asOf = asOf
    self.stage = stage
    evaluators = session.rulebooks.map { Evaluator($0) }
    let shape: JSONFactsReader.Shape = session.sharedRoot != nil ? .flatOrKeyed : .keyed
    readers = session.plans.map { JSONFactsReader.LineReader($0, shape: shape) }
    formats = session.rulebooks.map { CompactDecisionFormat($0, asOf: asOf) }
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
    single = session.rulebooks.count == 1 && !scansShape ? 0 : nil
    values = Array(repeating: [], count: session.rulebooks.count)
    applies = Array(repeating: false, count: session.rulebooks.count)
  }

  /// Decides line number `number` and appends its output lines to `out`; false when the line
  /// could not be used (its error object is appended instead).
  public func decide(_ line: UnsafeBufferPointer<UInt8>, number: Int, into out: inout OutputBytes) -> Bool {
    let scans = scansShape || (stageBesideRoot && Self.mayHoldProductKey(line))
    if let only = single, !scans {
      // One rulebook whose single root every line has (keyed or flat): read, decide, write.
      switch readers[only].read(line) {
      case .success(let values):
        evaluators[only].run(values, asOf: asOf, stage: stage)
        formats[only].append(evaluators[only], line: number, to: &out)
        return true
      case .failure(let e):
        CompactDecisionFormat.appendError(e.errors.map(\.description).joined(separator: "; "), line: number, to: &out)
        return false
      }
    }
    var lineStage = stage
    if scans {
      switch scan(line) {
      case .failure(let e):
        CompactDecisionFormat.appendError(e.description, line: number, to: &out)
        return false
      case .success(let shape):
        if stage == nil { lineStage = shape.stage }
        var any = false
        for b in applies.indices {
          applies[b] = session.sharedRoot != nil || rootMasks[b] & ~shape.present == 0
          any = any || applies[b]
        }
        if !any {
          CompactDecisionFormat.appendError(session.noRulebookApplies(keys: shape.keys).description, line: number, to: &out)
          return false
        }
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
    if !errors.isEmpty {
      CompactDecisionFormat.appendError(Session.distinct(errors).map(\.description).joined(separator: "; "), line: number, to: &out)
      return false
    }
    for b in evaluators.indices where applies[b] {
      evaluators[b].run(values[b], asOf: asOf, stage: lineStage)
      formats[b].append(evaluators[b], line: number, to: &out)
    }
    return true
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
