import Precept

/// `/v1/eval`: JSON Lines decided as they arrive, exactly as `precept eval` decides them, each
/// decided line logged (one row covering every rulebook that applied) before its output is given,
/// and each output line marked with its row's `decision_id`. Holds at most one line and one chunk.
final class EvalStream {
  /// The longest input line, as for `precept eval`: a longer one is an error line and is skipped.
  static let maximumLine = 16 << 20

  private let service: DecisionService
  private let session: Session
  private let decider: LineDecider
  private let stage: Stage?
  private let asOf: CivilDate
  private let client: Client
  private var pending: [UInt8] = []
  /// The number of the next line (from 1, blank lines counted).
  private var next = 1
  /// Inside a line already reported as too long: dropped up to its line break.
  private var skipping = false
  /// Lines that could not be used (the response still is 200: the stream goes on, as `eval`'s does).
  private(set) var unusable = 0

  init(service: DecisionService, asOf: CivilDate, stage: Stage?, client: Client) {
    self.service = service
    session = service.session
    decider = LineDecider(session, asOf: asOf, stage: stage)
    self.stage = stage
    self.asOf = asOf
    self.client = client
  }

  /// Takes the next bytes of the body; returns the output of every line they complete.
  func feed(_ bytes: some Collection<UInt8>) async throws(APIError) -> [UInt8] {
    var lines: [(number: Int, bytes: ArraySlice<UInt8>?)] = []
    for byte in bytes {
      if byte == 0x0A {
        if skipping {
          skipping = false
        } else {
          lines.append((next, pending[...]))
          pending.removeAll(keepingCapacity: true)
        }
        next += 1
        continue
      }
      if skipping { continue }
      pending.append(byte)
      if pending.count > Self.maximumLine {
        lines.append((next, nil))
        pending = []
        skipping = true
      }
    }
    return try await decide(lines)
  }

  /// The end of the body: a last line without a line break still counts.
  func finish() async throws(APIError) -> [UInt8] {
    guard !pending.isEmpty, !skipping else { return [] }
    let last = pending[...]
    pending = []
    return try await decide([(next, last)])
  }

  private func decide(_ lines: [(number: Int, bytes: ArraySlice<UInt8>?)]) async throws(APIError) -> [UInt8] {
    if lines.isEmpty { return [] }
    // Each line's output (error lines are given as they are), and the entries of decided lines.
    var outputs: [(lines: [ArraySlice<UInt8>], logged: Int?)] = []
    var entries: [LogEntry] = []
    var out = OutputBytes(capacity: 1 << 16)
    let received = Timestamp.now()
    for (number, raw) in lines {
      guard var line = raw else {
        unusable += 1
        CompactDecisionFormat.appendError("the line is longer than \(Self.maximumLine) bytes; it was skipped", line: number, to: &out)
        outputs.append(([out.withUnsafeBytes { Array($0)[...] }], nil))
        out.removeAll()
        continue
      }
      if line.last == 0x0D { line = line.dropLast() }
      // A byte-order mark before the first line is not part of it (as for `precept eval`).
      if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      let ok = line.withUnsafeBufferPointer { decider.decide($0, number: number, into: &out) }
      let produced = out.withUnsafeBytes { Array($0) }
      out.removeAll()
      let parts = produced.split(separator: 0x0A, omittingEmptySubsequences: true)
      guard ok else {
        unusable += 1
        outputs.append((parts, nil))
        continue
      }
      entries.append(try entry(line: line, decisions: parts, received: received))
      outputs.append((parts, entries.count - 1))
    }
    let rows = try await service.durably(entries)
    var result: [UInt8] = []
    for (parts, logged) in outputs {
      for part in parts {
        if let k = logged, part.first == UInt8(ascii: "{") {
          result += Array(#"{"decision_id":""#.utf8) + Array(rows[k].id.utf8) + Array(#"","#.utf8) + part.dropFirst()
        } else {
          result += part
        }
        result.append(0x0A)
      }
    }
    return result
  }

  /// The log entry of a decided line: its decisions in compact form, its facts and their digest.
  private func entry(line: ArraySlice<UInt8>, decisions: [ArraySlice<UInt8>], received: UInt64) throws(APIError) -> LogEntry {
    guard let text = String(validating: line, as: UTF8.self),
      case .success(let facts) = FactsDocument.parse(path: "line.json", text: text)
    else { throw APIError(500, "a decided line could not be read again for the log") }
    var compact: [CompactDecision] = []
    for d in decisions {
      guard let t = String(validating: d, as: UTF8.self), case .success(let doc) = FactsDocument.parse(path: "out.json", text: t),
        let id = doc.root.text(at: ["rulebook"]), let book = session.rulebooks.first(where: { $0.id == id }),
        let c = CompactDecision(line: CanonicalJSON.json(doc.root), book: book)
      else { throw APIError(500, "a decision line could not be read again for the log") }
      compact.append(c)
      service.metrics.decision(rulebook: c.rulebook, outcome: c.outcome)
    }
    // The stage the rules were judged at: asked, else the line's `product.stage` (or a flat product record's `stage`).
    var lineStage = stage?.rawValue
    if lineStage == nil {
      lineStage = facts.root.text(at: ["product", "stage"])
      if lineStage == nil, session.sharedRoot == "product", !facts.keys.contains("product") { lineStage = facts.root.text(at: ["stage"]) }
    }
    let logging = service.options.logFacts
    return LogEntry(
      decisions: compact, receivedAt: received, asOf: asOf.description, stage: lineStage, client: client.name,
      factsDigest: logging == .none ? nil : DecisionService.digest(facts.root), facts: logging == .full ? text : nil)
  }
}
