/// The streaming form of a decision (`precept eval`): one line of JSON per input line, written
/// straight into a byte buffer. It carries the rulebook, date, outcome and each rule's status,
/// with the message of every violated or unknown rule; no traces, so it stays fast at volume.
///
/// Everything about a line that depends only on the rulebook and the date is prepared once, as
/// bytes (`CompactDecisionFormat`): each rule's result for each status is one copy, and a line is
/// the line number, a few copies, and the messages that have placeholders.
extension CompactDecisionFormat {
  /// Appends the last `run` of `evaluator` as one JSON line (with its newline).
  public func append(_ evaluator: Evaluator, line: Int, to out: inout [UInt8]) {
    var bytes = OutputBytes()
    append(evaluator, line: line, to: &bytes)
    bytes.withUnsafeBytes { out.append(contentsOf: $0) }
  }

  /// Appends `{"line":N,"error":"…"}` for an input line that could not be used.
  public static func appendError(_ message: String, line: Int, to out: inout [UInt8]) {
    var bytes = OutputBytes()
    appendError(message, line: line, to: &bytes)
    bytes.withUnsafeBytes { out.append(contentsOf: $0) }
  }

  /// Appends `{"line":N,"error":"…"}` for an input line that could not be used.
  public static func appendError(_ message: String, line: Int, to out: inout OutputBytes) {
    out.append(#"{"line":"#)
    out.appendInt(line)
    out.append(#","error":"#)
    out.appendEscaped(message)
    out.append("}\n")
  }
}

/// The fixed parts of a rulebook's streamed decision lines for one evaluation date, as bytes.
/// Immutable; prepare once per rulebook and date, share across threads.
public final class CompactDecisionFormat: Sendable {
  private let statusCount = RuleStatus.allCases.count

  /// `,"rulebook":"…","as_of":"…","outcome":"`.
  private let header: [UInt8]
  /// For each outcome (by rank): `pass","results":[` and so on.
  private let outcomes: [[UInt8]]
  /// For rule k and status s, at `results[starts[k × statusCount + s]..<starts[k × statusCount + s + 1]]`:
  /// `,{"rule":"ID","status":"S"` and, unless the message is written per line, the fixed message and `}`.
  private let results: [UInt8]
  private let starts: [Int]
  /// For rule k and status s, the rank of the outcome it asks for (`pass` is 0).
  private let ranks: [UInt8]
  /// For each rule whose message has placeholders, its pieces; nil for the others.
  private let messages: [[Piece]?]
  /// The most bytes a line takes besides its line number and the messages written per line.
  private let fixedBound: Int

  /// A run of escaped message text, or a placeholder's node and type (and whether a number is
  /// written in its canonical form, as for any type but percent).
  private enum Piece: Sendable {
    case text([UInt8])
    case value(Int, ValueType, canonical: Bool)
  }

  /// Prepares the lines of `book` evaluated as of `asOf`.
  public init(_ book: CompiledRulebook, asOf: CivilDate) {
    var h = Array(#","rulebook":"#.utf8)
    JSON.escape(book.id, into: &h)
    h += Array(#","as_of":""#.utf8) + Array(asOf.description.utf8) + Array(#"","outcome":""#.utf8)
    header = h
    let outcomes = Outcome.allCases.map { Array($0.rawValue.utf8) + Array(#"","results":["#.utf8) }
    self.outcomes = outcomes
    var results: [UInt8] = []
    var starts: [Int] = []
    var ranks: [UInt8] = []
    var messages: [[Piece]?] = []
    var bound = 0
    func rank(_ o: Outcome) -> UInt8 { UInt8(Outcome.allCases.firstIndex(of: o) ?? 0) }
    for (k, rule) in book.rules.enumerated() {
      let placeholders = rule.message.contains { if case .value = $0 { true } else { false } }
      var pieces: [Piece] = []
      if placeholders {
        for piece in rule.message {
          switch piece {
          case .text(let s):
            var escaped: [UInt8] = []
            JSON.escape(s, into: &escaped)
            pieces.append(.text(Array(escaped.dropFirst().dropLast())))
          case .value(let n, let t): pieces.append(.value(n, t, canonical: t != .percent))
          }
        }
      }
      messages.append(placeholders ? pieces : nil)
      var longest = 0
      for status in RuleStatus.allCases {
        starts.append(results.count)
        let before = results.count
        if k > 0 { results.append(UInt8(ascii: ",")) }
        results += Array(#"{"rule":"#.utf8)
        JSON.escape(rule.id, into: &results)
        results += Array(#","status":""#.utf8) + Array(status.rawValue.utf8) + [UInt8(ascii: "\"")]
        if status == .violated, !placeholders {
          // A message without placeholders (or the title) is the same on every line.
          let text = rule.message.isEmpty ? rule.title : rule.message.map { if case .text(let t) = $0 { t } else { "" } }.joined()
          if let text {
            results += Array(#","message":"#.utf8)
            JSON.escape(text, into: &results)
          }
        }
        if status != .violated || !placeholders { results.append(UInt8(ascii: "}")) }
        longest = Swift.max(longest, results.count - before)
        ranks.append(rank(Outcome(status, severity: rule.severity)))
      }
      // A message written per line adds `,"message":"` and `"}` around its text.
      bound += longest + 16
    }
    starts.append(results.count)
    self.results = results
    self.starts = starts
    self.ranks = ranks
    self.messages = messages
    fixedBound = bound + h.count + (outcomes.map(\.count).max() ?? 0) + 32
  }

  /// Appends `e`'s last decision as line `line` (with its newline).
  public func append(_ e: Evaluator, line: Int, to out: inout OutputBytes) {
    out.reserve(fixedBound + 20)
    out.append(#"{"line":"#)
    out.appendInt(line)
    header.withUnsafeBytes { out.appendUnchecked($0) }
    e.statuses.withUnsafeBufferPointer { statuses in
      ranks.withUnsafeBufferPointer { ranks in
        var outcome: UInt8 = 0
        for (k, status) in statuses.enumerated() {
          outcome = Swift.max(outcome, ranks[k &* statusCount &+ Int(status.index)])
        }
        outcomes[Int(outcome)].withUnsafeBytes { out.appendUnchecked($0) }
      }
      results.withUnsafeBytes { results in
        starts.withUnsafeBufferPointer { starts in
          for (k, status) in statuses.enumerated() {
            let s = k &* statusCount &+ Int(status.index)
            out.appendUnchecked(UnsafeRawBufferPointer(rebasing: results[starts[s]..<starts[s + 1]]))
            if status == .violated, let pieces = messages[k] {
              appendMessage(pieces, e, to: &out)
              out.reserve(fixedBound)
            }
          }
        }
      }
    }
    out.appendUnchecked("]}\n")
  }

  /// `,"message":"…"}` for a message with placeholders, each placeholder formatted as in a decision.
  private func appendMessage(_ pieces: [Piece], _ e: Evaluator, to out: inout OutputBytes) {
    out.append(#","message":""#)
    for piece in pieces {
      switch piece {
      case .text(let bytes): bytes.withUnsafeBytes { out.append($0) }
      case .value(let n, let type, let canonical):
        let v = e.value(ofPlaceholder: n)
        if canonical, case .number(let x) = v, out.appendCanonical(x) { continue }
        out.appendEscapedContent(v.formatted(as: type))
      }
    }
    out.append("\"}")
  }
}

/// A growable byte buffer for output that is written in large blocks: an append is a capacity
/// check and a copy. Not copyable, so its storage has exactly one owner.
public struct OutputBytes: ~Copyable {
  private var base: UnsafeMutableRawPointer
  /// The bytes written so far.
  public private(set) var count = 0
  private var capacity: Int

  /// An empty buffer with room for `capacity` bytes before it grows.
  public init(capacity: Int = 4096) {
    self.capacity = Swift.max(capacity, 64)
    base = .allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// Forgets the bytes written, keeping the storage.
  public mutating func removeAll() { count = 0 }

  /// The bytes written, valid while `body` runs.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: base, count: count))
  }

  /// Makes room for `n` more bytes.
  @inline(__always)
  mutating func reserve(_ n: Int) {
    if capacity - count < n { grow(n) }
  }

  private mutating func grow(_ n: Int) {
    let bigger = Swift.max(capacity * 2, count + n)
    let fresh = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
    fresh.copyMemory(from: base, byteCount: count)
    base.deallocate()
    base = fresh
    capacity = bigger
  }

  /// Appends `bytes`.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    reserve(bytes.count)
    appendUnchecked(bytes)
  }

  /// Appends `bytes`, for which there is room already.
  @inline(__always)
  mutating func appendUnchecked(_ bytes: UnsafeRawBufferPointer) {
    guard let from = bytes.baseAddress else { return }
    (base + count).copyMemory(from: from, byteCount: bytes.count)
    count &+= bytes.count
  }

  mutating func append(_ text: StaticString) {
    reserve(text.utf8CodeUnitCount)
    appendUnchecked(text)
  }

  @inline(__always)
  mutating func appendUnchecked(_ text: StaticString) {
    (base + count).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
    count &+= text.utf8CodeUnitCount
  }

  /// Appends `n` in decimal.
  mutating func appendInt(_ n: Int) {
    reserve(20)
    var magnitude = n.magnitude
    if n < 0 {
      base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count, as: UInt8.self)
      count += 1
    }
    var digits = 1
    var limit: UInt = 10
    while magnitude >= limit, digits < 20 {
      digits += 1
      let (next, overflow) = limit.multipliedReportingOverflow(by: 10)
      if overflow { break }
      limit = next
    }
    var at = count + digits
    repeat {
      at -= 1
      base.storeBytes(of: UInt8(ascii: "0") + UInt8(magnitude % 10), toByteOffset: at, as: UInt8.self)
      magnitude /= 10
    } while at > count
    count += digits
  }

  /// Appends `x` as `Fixed.description` writes it (no trailing zeros, no exponent), when its
  /// magnitude fits in 64 bits; false (and nothing appended) otherwise.
  mutating func appendCanonical(_ x: Fixed) -> Bool {
    guard let magnitude = UInt64(exactly: x.units.magnitude) else { return false }
    let perWhole: UInt64 = 1_000_000_000_000
    let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: perWhole)
    reserve(1 + 20 + 1 + 12)
    if x.units < 0 {
      base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count, as: UInt8.self)
      count += 1
    }
    appendInt(Int(whole))
    if fraction != 0 {
      var digits = 12
      var f = fraction
      while f % 10 == 0 {
        f /= 10
        digits -= 1
      }
      base.storeBytes(of: UInt8(ascii: "."), toByteOffset: count, as: UInt8.self)
      var at = count + digits
      repeat {
        base.storeBytes(of: UInt8(ascii: "0") + UInt8(f % 10), toByteOffset: at, as: UInt8.self)
        f /= 10
        at -= 1
      } while at > count
      count += digits + 1
    }
    return true
  }

  /// Appends `s` as a JSON string literal, quotes included.
  mutating func appendEscaped(_ s: String) {
    append("\"")
    appendEscapedContent(s)
    append("\"")
  }

  /// Appends `s` escaped for a JSON string, without quotes (as `JSON.escape` writes it).
  mutating func appendEscapedContent(_ s: String) {
    var text = s
    let plain = text.withUTF8 { utf8 in
      if utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return false }
      append(UnsafeRawBufferPointer(utf8))
      return true
    }
    if plain { return }
    var escaped: [UInt8] = []
    JSON.escape(s, into: &escaped)
    escaped.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0.dropFirst().dropLast())) }
  }
}
