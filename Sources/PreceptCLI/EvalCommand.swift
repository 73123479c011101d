import ArgumentParser
import Dispatch
import Foundation
import Precept

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Stream JSON Lines through rulebooks: one JSON decision per input line, in input order.",
    discussion: """
      Each input line is a JSON object keyed by fact roots ({"product": {…}}, {"applicant": {…}, "product": {…}}), \
      decided as `precept check` decides a facts file: every rulebook whose roots the line has gives one output \
      line {"line", "rulebook", "as_of", "outcome", "results": [{"rule", "status", "message"?}]}, at the stage \
      --stage or else the line's product.stage; a rulebook the line does not fit gives nothing. When every \
      rulebook reads the same single root, a line may also be that root's value itself (a flat applicant record). \
      A line that no rulebook applies to, that is not strict JSON, that is longer than 16 MiB, or whose facts do \
      not fit, gives one {"line", "error"} and the stream goes on. Lines are numbered from 1, blank lines \
      included (they give nothing). Memory stays bounded however long the input. On SIGINT or SIGTERM the \
      lines already decided are written whole, then precept stops.
      Exit status: 0 every line was decided, 2 unusable rulebooks or at least one unusable line \
      (130/143 when interrupted).
      """
  )

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var rulebooks: [String]

  @Option(help: "JSON Lines file to read (default: standard input).")
  var input: String?

  @Option(name: .customLong("as-of"), help: "The evaluation date, YYYY-MM-DD (default: today, UTC).")
  var asOf: String?

  @Option(help: "Lifecycle stage; rules for other stages are not applicable (default: each line's product.stage).")
  var stage: String?

  @Option(help: "Worker threads; output order is kept.")
  var jobs: Int = 1

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  /// The longest line read; a longer one is an error line and is skipped.
  static let maximumLine = SourceFile.maximumSize

  func run() throws {
    let (session, date, stageValue) = try Failure.exitOnFailure { () throws -> (Session, CivilDate, Stage?) in
      let date = try AsOf.parse(asOf)
      let st = try StageOption.parse(stage)
      guard jobs >= 1, jobs <= 256 else { throw Failure.usage("--jobs must be between 1 and 256") }
      do throws(LoadError) { return (try Session(paths: rulebooks, root: root), date, st) } catch { throw Failure.load(error) }
    }
    let fd: Int32
    if let path = input {
      fd = open(path, O_RDONLY)
      guard fd >= 0 else {
        Terminal.error("precept: cannot read \(path): \(String(cString: strerror(errno)))")
        throw ExitCode(2)
      }
    } else {
      fd = 0
    }
    defer { if input != nil { close(fd) } }
    Interruption.install()
    let stream = LineStream(fd, maximumLine: Self.maximumLine)
    let deciders = Deciders((0..<jobs).map { _ in LineDecider(session, asOf: date, stage: stageValue) })
    var out = OutputBytes(capacity: 1 << 21)
    var anyBad = false
    while !Interruption.requested, let batch = stream.nextBatch(maxLines: 8192) {
      anyBad = Self.evaluate(batch, deciders: deciders, into: &out) || anyBad
      out.withUnsafeBytes { Terminal.write(bytes: $0) }
      out.removeAll()
    }
    if let signal = stream.readError {
      Terminal.error("precept: cannot read \(input ?? "standard input"): \(signal)")
      throw ExitCode(2)
    }
    if Interruption.requested { throw ExitCode(128 + Interruption.signal) }
    if anyBad { throw ExitCode(2) }
  }

  /// Decides the lines `range` of a batch with `decider`, appending their output to `out`; true if any line was unusable.
  static func decide(_ batch: LineStream.Batch, _ range: Range<Int>, decider: LineDecider, into out: inout OutputBytes) -> Bool {
    var bad = false
    for k in range {
      let line = batch.lines[k]
      let number = batch.firstNumber + k
      switch line.kind {
      case .blank: continue
      case .tooLong:
        bad = true
        CompactDecisionFormat.appendError("the line is longer than \(maximumLine) bytes; it was skipped", line: number, to: &out)
      case .text:
        if !decider.decide(UnsafeBufferPointer(rebasing: batch.bytes[line.range]), number: number, into: &out) { bad = true }
      }
    }
    return bad
  }

  /// Decides every line of a batch, split across the workers, and appends their output to `out`
  /// in input order; true if any line was unusable.
  static func evaluate(_ batch: LineStream.Batch, deciders: Deciders, into out: inout OutputBytes) -> Bool {
    let n = batch.lines.count
    let workers = Swift.max(1, Swift.min(deciders.all.count, n / 256 + 1))
    if workers == 1 { return decide(batch, 0..<n, decider: deciders.all[0], into: &out) }
    let results = UnsafeMutableBufferPointer<([UInt8], Bool)>.allocate(capacity: workers)
    results.initialize(repeating: ([], false))
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    // Each worker writes only its own slot of `results`, with its own decider.
    let shared = Shared(results: results)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      var own = OutputBytes(capacity: (n / workers + 1) * 256)
      let bad = decide(batch, (n * w / workers)..<(n * (w + 1) / workers), decider: deciders.all[w], into: &own)
      shared.results[w] = (own.withUnsafeBytes { Array($0) }, bad)
    }
    var bad = false
    for r in results {
      r.0.withUnsafeBytes { out.append($0) }
      bad = bad || r.1
    }
    return bad
  }
}

/// One line decider per worker; worker `w` uses only `all[w]`.
final class Deciders: @unchecked Sendable {
  let all: [LineDecider]
  init(_ all: [LineDecider]) { self.all = all }
}

/// SIGINT and SIGTERM, noted rather than obeyed at once, so the lines already decided are written
/// whole before precept stops. (Installed without SA_RESTART, so a blocked read returns.)
enum Interruption {
  nonisolated(unsafe) private static var caught: sig_atomic_t = 0

  static var requested: Bool { caught != 0 }
  static var signal: Int32 { Int32(caught) }

  static func install() {
    for s in [SIGINT, SIGTERM] {
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { Interruption.caught = sig_atomic_t($0) }
      #else
        action.__sigaction_u.__sa_handler = { Interruption.caught = sig_atomic_t($0) }
      #endif
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0
      sigaction(s, &action, nil)
    }
  }
}

/// Reads a stream in large blocks and hands out whole lines, so memory stays bounded. The lines of
/// a batch are read in place, in the stream's own buffer: no line is copied.
final class LineStream {
  /// One input line.
  struct Line {
    enum Kind { case text, blank, tooLong }
    var range: Range<Int>
    var kind: Kind
  }

  /// Lines of the input, valid until the next call of `nextBatch`.
  struct Batch: @unchecked Sendable {
    /// The stream's buffer; the lines are ranges of it.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Every line, blank ones included, without its line break.
    var lines: [Line]
    /// The number of the first line (from 1).
    var firstNumber: Int
  }

  private let fd: Int32
  private let maximumLine: Int
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity = 1 << 22
  /// Bytes `start..<end` of `buffer` are read and not yet handed out.
  private var start = 0
  private var end = 0
  private var done = false
  /// Inside a line longer than the maximum: its bytes are dropped up to its line break.
  private var skipping = false
  private var lines: [Line] = []
  private var nextNumber = 1
  /// Why reading stopped early, if it did (not for an interruption).
  private(set) var readError: String?

  init(_ fd: Int32, maximumLine: Int) {
    self.fd = fd
    self.maximumLine = maximumLine
    buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  private func add(_ range: Range<Int>) {
    if skipping {
      skipping = false
      return  // the end of a line already reported as too long
    }
    var range = range
    // A UTF-8 byte-order mark before the first line (as some editors write) is not part of it,
    // as a facts file's is not; anywhere else it is text, and not JSON.
    if nextNumber == 1, lines.isEmpty, range.count >= 3, buffer[range.lowerBound] == 0xEF,
      buffer[range.lowerBound + 1] == 0xBB, buffer[range.lowerBound + 2] == 0xBF
    {
      range = (range.lowerBound + 3)..<range.upperBound
    }
    var blank = true
    for k in range where !(buffer[k] == 0x20 || buffer[k] == 0x09 || buffer[k] == 0x0D) {
      blank = false
      break
    }
    lines.append(Line(range: range, kind: blank ? .blank : .text))
  }

  func nextBatch(maxLines: Int) -> Batch? {
    // What the last batch left (a line not yet complete) moves to the front.
    if start > 0 {
      if end > start { memmove(buffer, buffer + start, end - start) }
      end -= start
      start = 0
    }
    lines.removeAll(keepingCapacity: true)
    let first = nextNumber
    var scanned = 0
    while lines.count < maxLines {
      // Split what we have into lines (memchr finds each break at memory speed).
      while scanned < end, lines.count < maxLines {
        guard let hit = memchr(buffer + scanned, 0x0A, end - scanned) else {
          scanned = end
          break
        }
        let at = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        var last = at
        if last > start, buffer[last - 1] == 0x0D { last -= 1 }
        add(start..<last)
        start = at + 1
        scanned = at + 1
      }
      if lines.count >= maxLines || done || Interruption.requested { break }
      if skipping {
        // The rest of a line already reported as too long: dropped as it is read.
        start = end
        scanned = end
        if end == capacity {
          if !lines.isEmpty { break }
          end = 0
          start = 0
          scanned = 0
        }
      } else if end - start > maximumLine {
        // A line longer than the maximum: reported once, its bytes dropped up to its break.
        lines.append(Line(range: start..<start, kind: .tooLong))
        skipping = true
        start = end
        scanned = end
        if !lines.isEmpty { break }
        continue
      }
      if end == capacity {
        // The buffer is full: hand out the lines it holds, or make room for a longer line.
        if !lines.isEmpty { break }
        if start > 0 {
          memmove(buffer, buffer + start, end - start)
          end -= start
          scanned -= start
          start = 0
        } else {
          let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
          bigger.update(from: buffer, count: end)
          buffer.deallocate()
          buffer = bigger
          capacity *= 2
        }
      }
      let n = read(fd, buffer + end, Swift.min(capacity - end, 1 << 20))
      if n < 0 {
        if errno == EINTR && !Interruption.requested { continue }
        if !Interruption.requested { readError = String(cString: strerror(errno)) }
        // Interrupted or failed: what is complete is decided; a partial last line is not.
        done = true
        start = end
        break
      }
      if n == 0 {
        done = true
        // A last line without a line break still counts.
        if start < end { add(start..<end) }
        start = end
        break
      }
      end += n
    }
    nextNumber = first + lines.count
    if lines.isEmpty && done { return nil }
    return Batch(bytes: UnsafeBufferPointer(start: buffer, count: end), lines: lines, firstNumber: first)
  }
}

/// The result slots of one batch's workers: each worker writes only its own slot, and the slots
/// outlive them all.
private struct Shared: @unchecked Sendable {
  let results: UnsafeMutableBufferPointer<([UInt8], Bool)>
}
