import ArgumentParser
import Dispatch
import Foundation
import Precept

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Stream JSON Lines through rulebooks: one JSON decision per input line, in input order.",
    discussion: """
      Each input line is a JSON object: either keyed by the rulebook's fact roots ({"applicant": {…}}), \
      or — for a rulebook with a single root — that root's value itself (a flat applicant record). \
      Each output line is {"line", "rulebook", "as_of", "outcome", "results": [{"rule", "status", "message"?}]}; \
      a line that cannot be used gives {"line", "error"} and the stream goes on. With several rulebooks, \
      each input line gives one output line per rulebook. Memory stays constant however long the input.
      Exit status: 0 every line was decided, 2 unusable rulebooks or at least one unusable line.
      """
  )

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var rulebooks: [String]

  @Option(help: "JSON Lines file to read (default: standard input).")
  var input: String?

  @Option(name: .customLong("as-of"), help: "The evaluation date, YYYY-MM-DD (default: today, UTC).")
  var asOf: String?

  @Option(help: "Lifecycle stage; rules for other stages are not applicable.")
  var stage: String?

  @Option(help: "Worker threads; output order is kept.")
  var jobs: Int = 1

  @Option(help: "Directory that imports may not leave.")
  var root: String?

  func run() throws {
    let (books, date, stageValue) = try Failure.exitOnFailure { () throws -> ([CompiledRulebook], CivilDate, Stage?) in
      var date = Clock.today()
      if let text = asOf {
        guard case .success(let d) = CivilDate.parse(text) else { throw Failure.usage("--as-of `\(text)` is not a date; write YYYY-MM-DD") }
        date = d
      }
      var st: Stage?
      if let s = stage {
        guard let v = Stage(rawValue: s) else { throw Failure.usage("--stage `\(s)` is not a stage") }
        st = v
      }
      guard jobs >= 1, jobs <= 256 else { throw Failure.usage("--jobs must be between 1 and 256") }
      let books: [CompiledRulebook]
      do throws(LoadError) { books = try Rulebooks.load(paths: rulebooks, root: root).rulebooks } catch { throw Failure.load(error) }
      if books.isEmpty { throw Failure.usage("no rulebook with rules found in \(rulebooks.joined(separator: ", "))") }
      return (books, date, st)
    }
    let source: UnsafeMutablePointer<FILE>
    if let path = input {
      guard let f = fopen(path, "rb") else {
        Terminal.error("precept: cannot read \(path): no such file or it cannot be opened")
        throw ExitCode(2)
      }
      source = f
    } else {
      guard let f = fdopen(0, "rb") else { throw ExitCode(2) }
      source = f
    }
    defer { if input != nil { fclose(source) } }
    let stream = LineStream(source)
    let run = Run(
      books: books, plans: books.map { JSONFactsReader.Plan($0.roots) },
      formats: books.map { CompactDecisionFormat($0, asOf: date) }, asOf: date, stage: stageValue)
    var out = OutputBytes(capacity: 1 << 21)
    var lineNumber = 0
    var anyBad = false
    while let batch = stream.nextBatch(maxLines: 8192) {
      let bad = Self.evaluate(batch, firstLine: lineNumber + 1, run: run, jobs: jobs, into: &out)
      lineNumber += batch.lines.count
      anyBad = anyBad || bad
      out.withUnsafeBytes { Self.writeAll($0) }
      out.removeAll()
    }
    if anyBad { throw ExitCode(2) }
  }

  /// What every line of a run is decided with: the rulebooks, their compiled readers and output formats.
  struct Run: Sendable {
    let books: [CompiledRulebook]
    let plans: [JSONFactsReader.Plan]
    let formats: [CompactDecisionFormat]
    let asOf: CivilDate
    let stage: Stage?
  }

  /// Writes bytes straight to standard output with write(2), retrying short writes.
  static func writeAll(_ raw: UnsafeRawBufferPointer) {
    var done = 0
    while done < raw.count, let base = raw.baseAddress {
      let n = write(1, base + done, raw.count - done)
      if n <= 0 {
        if errno == EINTR { continue }
        return  // the reader went away (a closed pipe); nothing more can be written
      }
      done += n
    }
  }

  /// Decides the lines `range` of a batch, appending their output to `out`; true if any line was unusable.
  static func decide(_ batch: LineStream.Batch, _ range: Range<Int>, firstLine: Int, run: Run, into out: inout OutputBytes) -> Bool {
    let evaluators = run.books.map { Evaluator($0) }
    let readers = run.plans.map { JSONFactsReader.LineReader($0) }
    var bad = false
    for k in range {
      let line = UnsafeBufferPointer(rebasing: batch.bytes[batch.lines[k]])
      for b in evaluators.indices {
        let e = evaluators[b]
        switch readers[b].read(line) {
        case .success(let facts):
          e.run(facts, asOf: run.asOf, stage: run.stage)
          run.formats[b].append(e, line: firstLine + k, to: &out)
        case .failure(let problems):
          bad = true
          Evaluator.appendError(problems.errors.map(\.description).joined(separator: "; "), line: firstLine + k, to: &out)
        }
      }
    }
    return bad
  }

  /// Decides every line of a batch, split across `jobs` workers, and appends their output to `out`
  /// in input order; true if any line was unusable.
  static func evaluate(_ batch: LineStream.Batch, firstLine: Int, run: Run, jobs: Int, into out: inout OutputBytes) -> Bool {
    let n = batch.lines.count
    let workers = Swift.max(1, Swift.min(jobs, n / 256 + 1))
    if workers == 1 { return decide(batch, 0..<n, firstLine: firstLine, run: run, into: &out) }
    let results = UnsafeMutableBufferPointer<([UInt8], Bool)>.allocate(capacity: workers)
    results.initialize(repeating: ([], false))
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    // Each worker writes only its own slot of `results`.
    let shared = Shared(results: results)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      var own = OutputBytes(capacity: (n / workers + 1) * 256 * run.books.count)
      let bad = decide(batch, (n * w / workers)..<(n * (w + 1) / workers), firstLine: firstLine, run: run, into: &own)
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

/// Reads a stream in large blocks and hands out whole lines, so memory stays bounded. The lines of
/// a batch are read in place, in the stream's own buffer: no line is copied.
final class LineStream {
  /// Lines of the input, valid until the next call of `nextBatch`.
  struct Batch: @unchecked Sendable {
    /// The stream's buffer; the lines are ranges of it.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Each non-empty line's byte range within `bytes` (without its line break).
    var lines: [Range<Int>]
  }

  private let file: UnsafeMutablePointer<FILE>
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity = 1 << 22
  /// Bytes `start..<end` of `buffer` are read and not yet handed out.
  private var start = 0
  private var end = 0
  private var done = false
  private var lines: [Range<Int>] = []

  init(_ file: UnsafeMutablePointer<FILE>) {
    self.file = file
    buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  func nextBatch(maxLines: Int) -> Batch? {
    // What the last batch left (a line not yet complete) moves to the front.
    if start > 0 {
      if end > start { memmove(buffer, buffer + start, end - start) }
      end -= start
      start = 0
    }
    lines.removeAll(keepingCapacity: true)
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
        if last > start { lines.append(start..<last) }
        start = at + 1
        scanned = at + 1
      }
      if lines.count >= maxLines || done { break }
      if end == capacity {
        // The buffer is full: hand out the lines it holds, or make room for a line longer than it.
        if !lines.isEmpty { break }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
      }
      let n = fread(buffer + end, 1, Swift.min(capacity - end, 1 << 20), file)
      if n == 0 {
        done = true
        // A last line without a line break still counts.
        if start < end { lines.append(start..<end) }
        start = end
        break
      }
      end += n
    }
    if lines.isEmpty && done { return nil }
    return Batch(bytes: UnsafeBufferPointer(start: buffer, count: end), lines: lines)
  }
}

/// The result slots of one batch's workers: each worker writes only its own slot, and the slots
/// outlive them all.
private struct Shared: @unchecked Sendable {
  let results: UnsafeMutableBufferPointer<([UInt8], Bool)>
}
