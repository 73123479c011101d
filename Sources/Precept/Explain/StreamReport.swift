/// What a stream of lines came to (`precept eval`): lines and bytes read, decisions by outcome,
/// lines that could not be used.
public struct StreamTally: Sendable, Hashable {
  /// Input lines read, blank ones included.
  public var lines = 0
  public var bytes = 0
  /// Decisions by outcome, in `Outcome.allCases` order (a line gives one per rulebook it fits).
  public var decisions = [Int](repeating: 0, count: Outcome.allCases.count)
  /// Lines that gave an error line instead of decisions.
  public var errors = 0

  public init() {}

  /// Every decision, whatever its outcome.
  public var decided: Int { decisions.reduce(0, +) }

  /// The decisions and errors of `other` (another worker's) added to these.
  public mutating func add(_ other: StreamTally) {
    lines += other.lines
    bytes += other.bytes
    for k in decisions.indices { decisions[k] += other.decisions[k] }
    errors += other.errors
  }
}

/// The progress line and the closing summary `precept eval` writes on standard error.
public enum StreamReport {
  /// `precept eval: 1,234,567 lines, 45.6 MB read, 480,000 lines/s, 37%, 0:12 left`: the
  /// percentage and time left only when the input's size is known (`totalBytes`).
  public static func progress(_ t: StreamTally, seconds: Double, totalBytes: Int?) -> String {
    var text = "precept eval: \(grouped(t.lines)) lines, \(size(t.bytes)) read, \(grouped(rate(t.lines, seconds))) lines/s"
    if let total = totalBytes, total > 0 {
      let done = Swift.min(t.bytes, total)
      text += ", \(done * 100 / total)%"
      if done > 0, seconds > 0 {
        let left = Double(total - done) / (Double(done) / seconds)
        text += ", \(duration(left)) left"
      }
    }
    return text
  }

  /// Two lines: what was read and how fast, then the decisions by outcome and the error lines.
  ///
  ///     precept eval: 100,000 lines (34.2 MB) in 0.21 s, 476,190 lines/s
  ///     precept eval: 100,000 decisions: 71,234 pass, 20,111 review, 8,655 block; no error lines
  public static func summary(_ t: StreamTally, seconds: Double, interrupted: Bool = false) -> String {
    var first = "precept eval: \(count(t.lines, "line")) (\(size(t.bytes))) in \(duration(seconds)), \(grouped(rate(t.lines, seconds))) lines/s"
    if interrupted { first += " (interrupted)" }
    let outcomes = zip(Outcome.allCases, t.decisions).filter { $0.1 > 0 }.map { "\(grouped($0.1)) \($0.0.rawValue)" }
    var second = "precept eval: \(count(t.decided, "decision"))"
    if !outcomes.isEmpty { second += ": " + outcomes.joined(separator: ", ") }
    second += "; " + (t.errors == 0 ? "no error lines" : count(t.errors, "error line"))
    return first + "\n" + second + "\n"
  }

  static func rate(_ n: Int, _ seconds: Double) -> Int {
    seconds > 0 ? Int((Double(n) / seconds).rounded()) : 0
  }

  static func count(_ n: Int, _ noun: String) -> String {
    "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
  }

  /// `1,234,567`.
  static func grouped(_ n: Int) -> String {
    let digits = Array(String(n.magnitude))
    var out = n < 0 ? "-" : ""
    for (k, d) in digits.enumerated() {
      if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
      out.append(d)
    }
    return out
  }

  /// Bytes in SI units with one decimal: `512 B`, `12.3 kB`, `45.6 MB`, `1.2 GB`.
  static func size(_ bytes: Int) -> String {
    if bytes < 1000 { return "\(bytes) B" }
    for (unit, scale) in [("kB", 1e3), ("MB", 1e6), ("GB", 1e9)] where Double(bytes) < scale * 999.95 {
      return oneDecimal(Double(bytes) / scale) + " " + unit
    }
    return oneDecimal(Double(bytes) / 1e12) + " TB"
  }

  /// Seconds as `0.21 s` (under 10), `12.3 s` (under a minute), else `2:05` or `1:02:05`.
  static func duration(_ seconds: Double) -> String {
    let s = Swift.max(0, seconds.isFinite ? seconds : 0)
    if s < 9.995 {
      let hundredths = Int((s * 100).rounded())
      return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) s"
    }
    if s < 59.95 { return oneDecimal(s) + " s" }
    let whole = Int(s.rounded())
    let (h, m, sec) = (whole / 3600, whole / 60 % 60, whole % 60)
    let mmss = (h > 0 && m < 10 ? "0" : "") + "\(m):" + (sec < 10 ? "0" : "") + "\(sec)"
    return h > 0 ? "\(h):" + mmss : mmss
  }

  static func oneDecimal(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }
}
