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
    var lineNumber = 0
    var anyBad = false
    while let batch = stream.nextBatch(maxLines: 8192) {
      let output = Self.evaluate(batch, firstLine: lineNumber + 1, books: books, asOf: date, stage: stageValue, jobs: jobs)
      lineNumber += batch.lines.count
      anyBad = anyBad || output.bad
      Self.writeAll(output.bytes)
    }
    if anyBad { throw ExitCode(2) }
  }

  /// Writes bytes straight to standard output with write(2), retrying short writes.
  static func writeAll(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
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
  }

  /// Decides every line of a batch, split across `jobs` workers, and joins their output in order.
  static func evaluate(
    _ batch: LineStream.Batch, firstLine: Int, books: [CompiledRulebook], asOf: CivilDate, stage: Stage?, jobs: Int
  ) -> (bytes: [UInt8], bad: Bool) {
    let n = batch.lines.count
    let workers = Swift.max(1, Swift.min(jobs, n / 256 + 1))
    let results = UnsafeMutableBufferPointer<([UInt8], Bool)>.allocate(capacity: workers)
    results.initialize(repeating: ([], false))
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    let plans = books.map { JSONFactsReader.Plan($0.roots) }
    batch.bytes.withUnsafeBufferPointer { all in
      // Each worker reads its own lines and writes only its own slot of `results`.
      let shared = Shared(all: all, results: results)
      let work = { @Sendable (w: Int) in
        let all = shared.all
        let results = shared.results
        let lo = n * w / workers
        let hi = n * (w + 1) / workers
        let evaluators = books.map { Evaluator($0) }
        var out: [UInt8] = []
        out.reserveCapacity((hi - lo) * 160 * books.count)
        var bad = false
        for k in lo..<hi {
          let range = batch.lines[k]
          let line = UnsafeBufferPointer(rebasing: all[range])
          for (e, plan) in zip(evaluators, plans) {
            switch JSONFactsReader.read(line, plan: plan) {
            case .success(let facts):
              e.run(facts, asOf: asOf, stage: stage)
              e.appendCompactDecision(to: &out, line: firstLine + k, asOf: asOf)
            case .failure(let problems):
              bad = true
              Evaluator.appendError(problems.errors.map(\.description).joined(separator: "; "), line: firstLine + k, to: &out)
            }
          }
        }
        results[w] = (out, bad)
      }
      if workers == 1 {
        work(0)
      } else {
        DispatchQueue.concurrentPerform(iterations: workers, execute: work)
      }
    }
    var bytes: [UInt8] = []
    var bad = false
    for r in results {
      bytes += r.0
      bad = bad || r.1
    }
    return (bytes, bad)
  }
}

/// Reads a stream in large blocks and hands out whole lines, so memory stays bounded.
final class LineStream {
  struct Batch {
    var bytes: [UInt8]
    /// Each non-empty line's byte range within `bytes` (without its line break).
    var lines: [Range<Int>]
  }

  private let file: UnsafeMutablePointer<FILE>
  private var carry: [UInt8] = []
  private var done = false

  init(_ file: UnsafeMutablePointer<FILE>) { self.file = file }

  func nextBatch(maxLines: Int) -> Batch? {
    var bytes = carry
    carry = []
    var lines: [Range<Int>] = []
    var lineStart = 0
    var scanned = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while lines.count < maxLines {
      // Split what we have into lines (memchr finds each break at memory speed).
      bytes.withUnsafeBufferPointer { buf in
        guard let base = buf.baseAddress else { return }
        while scanned < buf.count, lines.count < maxLines {
          guard let hit = memchr(base + scanned, 0x0A, buf.count - scanned) else {
            scanned = buf.count
            break
          }
          let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          var end = at
          if end > lineStart, buf[end - 1] == 0x0D { end -= 1 }
          if end > lineStart { lines.append(lineStart..<end) }
          lineStart = at + 1
          scanned = at + 1
        }
      }
      if lines.count >= maxLines || done { break }
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      if n == 0 {
        done = true
        // A last line without a line break still counts.
        if lineStart < bytes.count { lines.append(lineStart..<bytes.count) }
        lineStart = bytes.count
        scanned = bytes.count
        break
      }
      bytes.append(contentsOf: chunk[0..<n])
    }
    carry = Array(bytes[lineStart...])
    if lines.isEmpty && done { return nil }
    bytes.removeSubrange(lineStart...)
    return Batch(bytes: bytes, lines: lines)
  }
}

/// Buffers handed to the workers of one batch: each worker reads its own lines and writes only
/// its own result slot, and the batch outlives them all.
private struct Shared: @unchecked Sendable {
  let all: UnsafeBufferPointer<UInt8>
  let results: UnsafeMutableBufferPointer<([UInt8], Bool)>
}
