/// The streaming form of a decision (`precept eval`): one line of JSON per input line, written
/// straight into a byte buffer. It carries the rulebook, outcome and, as the line's content asks,
/// each rule's status or only the rules that failed; no traces, so it stays fast at volume.
///
/// Everything about a line that depends only on the rulebook, the date and the content is
/// prepared once, as bytes (`CompactDecisionFormat`): each rule's result for each status is one
/// copy (empty when the content leaves that result out), and a line is the line number, a few
/// copies, and the messages and reasons written per line.
extension CompactDecisionFormat {
  /// Appends the last `run` of `evaluator` as one JSON line (with its newline).
  public func append(_ evaluator: Evaluator, line: Int, stage: Stage? = nil, to out: inout [UInt8]) {
    var bytes = OutputBytes()
    append(evaluator, line: line, stage: stage, to: &bytes)
    bytes.withUnsafeBytes { out.append(contentsOf: $0) }
  }

  /// Appends `{"line":N,"error":"…"}` for an input line that could not be used.
  public static func appendError(_ message: String, line: Int, to out: inout [UInt8]) {
    var bytes = OutputBytes()
    appendError(message, line: line, to: &bytes)
    bytes.withUnsafeBytes { out.append(contentsOf: $0) }
  }

  /// Appends `{"line":N,"error":"…"}` for an input line that could not be used, with
  /// `"id":…` after the line number when `id` (the JSON text of the line's id) is given.
  public static func appendError(_ message: String, line: Int, id: UnsafeRawBufferPointer? = nil, to out: inout OutputBytes) {
    out.append(#"{"line":"#)
    out.appendInt(line)
    if let id { appendID(id, to: &out) }
    out.append(#","error":"#)
    out.appendEscaped(message)
    out.append("}\n")
  }

  static func appendID(_ id: UnsafeRawBufferPointer, to out: inout OutputBytes) {
    out.append(#","id":"#)
    out.append(id)
  }
}

/// What each streamed decision line carries (`precept eval --output`).
public enum DecisionLineContent: String, Sendable, CaseIterable {
  /// `{"line", "rulebook", "as_of", "outcome", "results"}`: every rule's status, and the message of
  /// each violated rule.
  case full
  /// `{"line", "rulebook", "outcome", "results"}`: only the violated rules (with their message)
  /// and the unknown ones (with the reason).
  case violations
  /// `{"line", "rulebook", "outcome"}`.
  case outcome
}

/// The fixed parts of a rulebook's streamed decision lines for one evaluation date and content,
/// as bytes. Immutable; prepare once per rulebook and date, share across threads.
public final class CompactDecisionFormat: Sendable {
  private let statusCount = RuleStatus.allCases.count

  /// What the lines carry.
  public let content: DecisionLineContent
  /// `,"rulebook":"…","as_of":"…","outcome":"` (no `as_of` but in full lines).
  private let header: [UInt8]
  /// For each outcome (by rank): `pass","results":` (the list's `[` is written over its first
  /// result's comma), or `pass"}` and the line break when the lines list no results.
  private let outcomes: [[UInt8]]
  /// Whether the lines list results (all but `outcome` lines).
  private let listsResults: Bool
  /// For rule k and status s, at `results[starts[k × statusCount + s]..<starts[k × statusCount + s + 1]]`:
  /// `,{"rule":"ID","status":"S"` and, unless something is written per line, the fixed message and
  /// `}`; nothing for a result the lines leave out.
  private let results: [UInt8]
  private let starts: [Int]
  /// For rule k and status s, what is written per line after its bytes (`Tail`).
  private let tails: [UInt8]
  /// For rule k and status s, the rank of the outcome it asks for (`pass` is 0).
  private let ranks: [UInt8]
  /// For each rule whose message has placeholders, its run of `pieces`; nil for the others.
  private let messages: [Range<Int>?]
  /// Every message's pieces, one run per message, and the escaped text and the placeholder types
  /// they point into: plain data, so writing a message retains nothing.
  private let pieces: [Piece]
  private let messageText: [UInt8]
  private let types: [ValueType]
  /// The most bytes a line takes besides its line number, its id and what is written per line.
  private let fixedBound: Int

  /// What a result has written after its fixed bytes on each line.
  private enum Tail {
    static let none: UInt8 = 0
    /// The message, from its pieces (it has placeholders).
    static let message: UInt8 = 1
    /// The reason the rule is unknown.
    static let reason: UInt8 = 2
  }

  /// A run of escaped message text (of `messageText`), or a placeholder's node and type (an
  /// index of `types`), and whether a number is written in its canonical form, as for any type
  /// but percent.
  private enum Piece: Sendable {
    case text(Range<Int>)
    case value(Int, type: Int, canonical: Bool)
  }

  /// Prepares the lines of `book` evaluated as of `asOf`, carrying `content`.
  public init(_ book: CompiledRulebook, asOf: CivilDate, content: DecisionLineContent = .full) {
    self.content = content
    var h = Array(#","rulebook":"#.utf8)
    JSON.escape(book.id, into: &h)
    if content == .full { h += Array(#","as_of":""#.utf8) + Array(asOf.description.utf8) + [UInt8(ascii: "\"")] }
    h += Array(#","outcome":""#.utf8)
    header = h
    listsResults = content != .outcome
    let tail = Array((listsResults ? #"","results":"# : "\"}\n").utf8)
    let outcomes = Outcome.allCases.map { Array($0.rawValue.utf8) + tail }
    self.outcomes = outcomes
    var results: [UInt8] = []
    var starts: [Int] = []
    var tails: [UInt8] = []
    var ranks: [UInt8] = []
    var messages: [Range<Int>?] = []
    var pieces: [Piece] = []
    var messageText: [UInt8] = []
    var types: [ValueType] = []
    var bound = 0
    func rank(_ o: Outcome) -> UInt8 { UInt8(Outcome.allCases.firstIndex(of: o) ?? 0) }
    for rule in book.rules {
      let placeholders = rule.message.contains { if case .value = $0 { true } else { false } }
      let first = pieces.count
      if placeholders {
        for piece in rule.message {
          switch piece {
          case .text(let s):
            var escaped: [UInt8] = []
            JSON.escape(s, into: &escaped)
            let start = messageText.count
            messageText += escaped.dropFirst().dropLast()
            pieces.append(.text(start..<messageText.count))
          case .value(let n, let t):
            pieces.append(.value(n, type: types.count, canonical: t != .percent))
            types.append(t)
          }
        }
      }
      messages.append(placeholders ? first..<pieces.count : nil)
      var longest = 0
      for status in RuleStatus.allCases {
        starts.append(results.count)
        ranks.append(rank(Outcome(status, severity: rule.severity)))
        let listed = switch content {
        case .full: true
        case .violations: status == .violated || status == .unknown
        case .outcome: false
        }
        guard listed else {
          tails.append(Tail.none)
          continue
        }
        let before = results.count
        results += Array(#",{"rule":"#.utf8)
        JSON.escape(rule.id, into: &results)
        results += Array(#","status":""#.utf8) + Array(status.rawValue.utf8) + [UInt8(ascii: "\"")]
        let tail = status == .violated && placeholders ? Tail.message : status == .unknown && content == .violations ? Tail.reason : Tail.none
        if status == .violated, !placeholders {
          // A message without placeholders (or the title) is the same on every line.
          let text = rule.message.isEmpty ? rule.title : rule.message.map { if case .text(let t) = $0 { t } else { "" } }.joined()
          if let text {
            results += Array(#","message":"#.utf8)
            JSON.escape(text, into: &results)
          }
        }
        if tail == Tail.none { results.append(UInt8(ascii: "}")) }
        tails.append(tail)
        longest = Swift.max(longest, results.count - before)
      }
      // A message or reason written per line adds `,"message":"` and `"}` around its text.
      bound += longest + 16
    }
    starts.append(results.count)
    self.results = results
    self.starts = starts
    self.tails = tails
    self.ranks = ranks
    self.messages = messages
    self.pieces = pieces
    self.messageText = messageText
    self.types = types
    fixedBound = bound + h.count + (outcomes.map(\.count).max() ?? 0) + 32
  }

  /// Appends `e`'s last decision as line `line` (with its newline).
  public func append(_ e: Evaluator, line: Int, stage: Stage? = nil, to out: inout OutputBytes) {
    _ = appendLine(e, line: line, id: nil, stage: stage, to: &out)
  }

  /// Appends `e`'s last decision (of a run at `stage`) as line `line`, with `"id":…` after the
  /// line number when `id` (the JSON text of the line's id) is given; returns the outcome's rank.
  func appendLine(_ e: Evaluator, line: Int, id: UnsafeRawBufferPointer?, stage: Stage?, to out: inout OutputBytes) -> Int {
    // The reasons of unknown rules replay them, so they come before any message reads a value.
    let reasons = content == .violations && e.hasUnknown ? unknownReasons(e, stage: stage) : nil
    out.reserve(fixedBound + 20 + (id?.count ?? 0))
    out.append(#"{"line":"#)
    out.appendInt(line)
    if let id { Self.appendID(id, to: &out) }
    header.withUnsafeBytes { out.appendUnchecked($0) }
    var outcome: UInt8 = 0
    e.statuses.withUnsafeBufferPointer { statuses in
      ranks.withUnsafeBufferPointer { ranks in
        for (k, status) in statuses.enumerated() {
          outcome = Swift.max(outcome, ranks[k &* statusCount &+ Int(status.index)])
        }
        outcomes[Int(outcome)].withUnsafeBytes { out.appendUnchecked($0) }
      }
      guard listsResults else { return }
      let open = out.count
      results.withUnsafeBytes { results in
        starts.withUnsafeBufferPointer { starts in
          tails.withUnsafeBufferPointer { tails in
            for (k, status) in statuses.enumerated() {
              let s = k &* statusCount &+ Int(status.index)
              // A rule the line leaves out (a passed one, for `violations`) writes nothing: no call.
              if starts[s] != starts[s + 1] { out.appendUnchecked(UnsafeRawBufferPointer(rebasing: results[starts[s]..<starts[s + 1]])) }
              if tails[s] != Tail.none {
                if tails[s] == Tail.message, let run = messages[k] {
                  appendMessage(run, e, to: &out)
                } else {
                  out.append(#","reason":"#)
                  out.appendEscaped(reasons?[k] ?? "")
                  out.append("}")
                }
                out.reserve(fixedBound)
              }
            }
          }
        }
      }
      // Every result starts with a comma: the first one's becomes the list's `[`.
      if out.count == open {
        out.appendUnchecked("[]}\n")
      } else {
        out.store(UInt8(ascii: "["), at: open)
        out.appendUnchecked("]}\n")
      }
    }
    return Int(outcome)
  }

  /// The reason of each unknown rule of `e`'s last run, as its decision gives it. Finding the
  /// missing facts replays rules one at a time; the run is made again afterwards, so messages
  /// read what the rules computed (the same values: evaluation is deterministic).
  private func unknownReasons(_ e: Evaluator, stage: Stage?) -> [Int: String] {
    var reasons: [Int: String] = [:]
    var replayed = false
    for (k, status) in e.statuses.enumerated() where status == .unknown {
      reasons[k] = e.unknownReason(k, replayed: &replayed).reason
    }
    if replayed { e.run(e.facts, asOf: e.today, stage: stage) }
    return reasons
  }

  /// `,"message":"…"}` for a message with placeholders, each placeholder formatted as in a decision.
  private func appendMessage(_ run: Range<Int>, _ e: Evaluator, to out: inout OutputBytes) {
    out.append(#","message":""#)
    pieces.withUnsafeBufferPointer { pieces in
      messageText.withUnsafeBytes { text in
        for k in run {
          switch pieces[k] {
          case .text(let bytes): out.append(UnsafeRawBufferPointer(rebasing: text[bytes]))
          case .value(let n, let type, let canonical):
            let v = e.value(ofPlaceholder: n)
            if canonical, case .number(let x) = v, out.appendCanonical(x) { continue }
            appendFormatted(v, type: type, to: &out)
          }
        }
      }
    }
    out.append("\"}")
  }

  /// A placeholder's value as its type formats it (out of line: the types are read only here).
  @inline(never)
  private func appendFormatted(_ v: Value, type: Int, to out: inout OutputBytes) {
    out.appendEscapedContent(v.formatted(as: types[type]))
  }
}
