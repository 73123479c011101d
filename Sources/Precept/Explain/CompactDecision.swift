/// The streaming form of a decision (`precept eval`): one line of JSON per input line, written
/// straight into a byte buffer. It carries the rulebook, date, outcome and each rule's status,
/// with the message of every violated or unknown rule; no traces, so it stays fast at volume.
extension Evaluator {
  /// Appends the last `run`'s decision as one JSON line (with its newline).
  public func appendCompactDecision(to out: inout [UInt8], line: Int, asOf: CivilDate) {
    out.append(contentsOf: #"{"line":"#.utf8)
    appendInt(line, to: &out)
    if headerDate != asOf {
      var h = Array(#","rulebook":"#.utf8)
      JSON.escape(book.id, into: &h)
      h += Array(#","as_of":""#.utf8) + Array(asOf.description.utf8) + Array(#"","outcome":""#.utf8)
      header = h
      headerDate = asOf
    }
    out.append(contentsOf: header)
    var outcome = Outcome.pass
    for (k, status) in statuses.enumerated() {
      switch status {
      case .violated: outcome = Swift.max(outcome, Outcome(plan[k].severity))
      case .unknown: outcome = Swift.max(outcome, Outcome(plan[k].severity), .review)
      default: break
      }
    }
    out.append(contentsOf: outcome.rawValue.utf8)
    out.append(contentsOf: #"","results":["#.utf8)
    for (k, status) in statuses.enumerated() {
      if k > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: resultPrefixes[k])
      out.append(contentsOf: Evaluator.statusBytes[Int(status.index)])
      out.append(UInt8(ascii: "\""))
      if status == .violated {
        if let fixed = fixedMessages[k] {
          out.append(contentsOf: fixed)
        } else if let m = formatMessage(book.rules[k]) {
          out.append(contentsOf: #","message":"#.utf8)
          appendString(m, to: &out)
        }
      }
      out.append(UInt8(ascii: "}"))
    }
    out.append(contentsOf: "]}\n".utf8)
  }

  static let statusBytes: [[UInt8]] = RuleStatus.allCases.map { Array($0.rawValue.utf8) }

  /// Appends `{"line":N,"error":"…"}` for an input line that could not be used.
  public static func appendError(_ message: String, line: Int, to out: inout [UInt8]) {
    out.append(contentsOf: #"{"line":"#.utf8)
    appendInt(line, to: &out)
    out.append(contentsOf: #","error":"#.utf8)
    appendString(message, to: &out)
    out.append(contentsOf: "}\n".utf8)
  }
}

private func appendInt(_ n: Int, to out: inout [UInt8]) {
  if n < 0 {
    out.append(UInt8(ascii: "-"))
    appendInt(-n, to: &out)
    return
  }
  if n >= 10 { appendInt(n / 10, to: &out) }
  out.append(UInt8(ascii: "0") + UInt8(n % 10))
}

private func appendString(_ s: String, to out: inout [UInt8]) { JSON.escape(s, into: &out) }
