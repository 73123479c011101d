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
      --stage or else the line's product.stage; a rulebook the line does not fit gives nothing. \
      --output violations lists only violated rules (with their message) and unknown ones (with the reason): \
      {"line", "rulebook", "outcome", "results": [{"rule", "status", "message" | "reason"}]}; --output outcome \
      gives {"line", "rulebook", "outcome"}. --id customer.id adds "id" after "line" on every output line, \
      error lines included: the field's JSON value as the line gives it, or null. When every \
      rulebook reads the same single root, a line may also be that root's value itself (a flat applicant record). \
      A line that no rulebook applies to, that is not strict JSON, that is longer than 16 MiB, or whose facts do \
      not fit, gives one {"line", "error"} and the stream goes on. Lines are numbered from 1, blank lines \
      included (they give nothing). Memory stays bounded however long the input. On SIGINT or SIGTERM the \
      lines already decided are written whole, then precept stops.
      While standard error is a terminal (and standard output is not), a progress line shows lines read, \
      bytes, lines per second and, for a file, the percentage and time left; at the end a summary (lines, \
      decisions by outcome, error lines, rate) is written on standard error when it is a terminal, or with \
      --summary. Pipes and CI logs get neither unless asked; --quiet turns both off.
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

  @Option(help: "A waivers file: violated rules it covers on a line's facts are `waived` (docs/waivers.md).")
  var waivers: String?

  @Option(help: "Worker threads (default: one per core, at most 256); the output is that of one job, in input order.")
  var jobs: Int?

  @Option(help: "What each decision line carries: full (every rule's status), violations (only violated and unknown rules, with message or reason) or outcome.")
  var output: DecisionLineContent = .full

  @Option(help: "A field, as a dotted path (customer.id), whose JSON value every output line carries as \"id\" (null when the line has none).")
  var id: String?

  @Flag(help: "Neither the progress line nor the summary on standard error.")
  var quiet = false

  @Flag(help: "The summary on standard error even when it is not a terminal (for CI logs).")
  var summary = false

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  /// The longest line read; a longer one is an error line and is skipped.
  static let maximumLine = SourceFile.maximumSize

  func run() throws {
    let (session, date, stageValue, lineOutput) = try Failure.exitOnFailure { () throws -> (Session, CivilDate, Stage?, LineOutput) in
      let date = try AsOf.parse(asOf)
      let st = try StageOption.parse(stage)
      if let jobs, !(1...256).contains(jobs) { throw Failure.usage("--jobs must be between 1 and 256") }
      if quiet, summary { throw Failure.usage("--quiet and --summary contradict each other: choose one") }
      var lineOutput = LineOutput(content: output)
      if let id {
        guard let path = LineOutput.path(id) else { throw Failure.usage("--id \(id): give a field as keys joined by dots, such as customer.id") }
        lineOutput.id = path
      }
      let waiverFile = try WaiverOption.load(waivers)
      do throws(LoadError) {
        // Nothing here shows lint warnings, so they are not looked for (errors are).
        let session = try Session(paths: rulebooks, root: root, waivers: waiverFile?.waivers ?? [], warnings: false)
        WaiverOption.warnUnmatched(waiverFile, session.rulebooks, asOf: date)
        return (session, date, st, lineOutput)
      } catch {
        throw Failure.load(error)
      }
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
    let workers = Workers(jobs ?? Self.cores) { LineDecider(session, asOf: date, stage: stageValue, output: lineOutput) }
    defer { workers.stop() }
    var display = EvalDisplay(quiet: quiet, summary: summary, inputSize: stream.size)
    // Output is written in blocks of about `flushAt` bytes (one job), or a batch at a time (each
    // worker's buffer in turn), so the buffers stay bounded.
    var out = OutputBytes(capacity: Self.flushAt + (1 << 16))
    var anyBad = false
    var lines = 0
    while !Interruption.requested, let batch = stream.nextBatch(maxLines: 8192) {
      anyBad = Self.evaluate(batch, workers: workers, into: &out) || anyBad
      Self.flush(&out)
      lines += batch.lines.count
      display.update(lines: lines, bytes: stream.bytesRead)
    }
    var tally = StreamTally()
    tally.lines = lines
    tally.bytes = stream.bytesRead
    for w in workers.all { tally.add(w.decider.tally) }
    display.finish(tally, interrupted: Interruption.requested)
    if let signal = stream.readError {
      Terminal.error("precept: cannot read \(input ?? "standard input"): \(signal)")
      throw ExitCode(2)
    }
    if Interruption.requested { throw ExitCode(128 + Interruption.signal) }
    if anyBad { throw ExitCode(2) }
  }

  /// The default number of jobs: the active processors (Foundation's count), at most 256.
  static var cores: Int { Swift.min(256, Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)) }

  /// Output is written once this many bytes are waiting.
  static let flushAt = 1 << 20

  /// Writes `out` to standard output and empties it.
  static func flush(_ out: inout OutputBytes) {
    out.withUnsafeBytes { Terminal.write(bytes: $0) }
    out.removeAll()
  }

  /// Decides the lines `range` of a batch with `decider`, appending their output to `out` and
  /// writing it out whenever `flushAt` bytes are waiting; true if any line was unusable.
  static func decide(_ batch: LineStream.Batch, _ range: Range<Int>, decider: LineDecider, into out: inout OutputBytes, flushAt: Int = .max) -> Bool {
    var bad = false
    for k in range {
      if out.count >= flushAt { flush(&out) }
      let line = batch.lines[k]
      let number = batch.firstNumber + k
      switch line.kind {
      case .blank: continue
      case .tooLong:
        bad = true
        decider.refuse("the line is longer than \(maximumLine) bytes; it was skipped", number: number, into: &out)
      case .text:
        if !decider.decide(UnsafeBufferPointer(rebasing: batch.bytes[line.range]), number: number, into: &out) { bad = true }
      }
    }
    return bad
  }

  /// Decides every line of a batch and writes the output in input order; true if any line was
  /// unusable. With one worker the lines go into `out`, written whenever `flushAt` bytes wait;
  /// with more, the batch is cut into one run of lines per worker, each worker decides its run
  /// into its own buffer (kept from batch to batch, so no memory is taken or touched afresh), and
  /// the buffers are written one after another: no lock or copy per line.
  static func evaluate(_ batch: LineStream.Batch, workers: Workers, into out: inout OutputBytes) -> Bool {
    let n = batch.lines.count
    let count = Swift.max(1, Swift.min(workers.all.count, n / 256 + 1))
    if count == 1 { return decide(batch, 0..<n, decider: workers.all[0].decider, into: &out, flushAt: flushAt) }
    flush(&out)
    workers.run(batch, runs: count)
    var bad = false
    for worker in workers.all.prefix(count) {
      flush(&worker.out)
      bad = bad || worker.bad
    }
    return bad
  }
}

/// What one worker of `--jobs` owns: its decider and its output buffer. During a batch, worker
/// `w` is touched only by the thread deciding run `w`; between batches, only by the main thread.
final class Worker: @unchecked Sendable {
  let decider: LineDecider
  var out = OutputBytes(capacity: 1 << 20)
  var bad = false
  init(_ decider: LineDecider) { self.decider = decider }

  /// Decides run `w` of `runs` equal runs of the batch's lines into `out`.
  func decide(_ batch: LineStream.Batch, run w: Int, of runs: Int) {
    let n = batch.lines.count
    out.removeAll()
    bad = EvalCommand.decide(batch, (n * w / runs)..<(n * (w + 1) / runs), decider: decider, into: &out)
  }
}

/// The workers of `--jobs`: the main thread is worker 0, and each other worker has a thread of its
/// own for the whole run, which waits for a batch, decides its run of it and says so. (A thread
/// pool that deals out runs as threads come free let the main thread take both runs of a batch
/// whenever the other thread woke late.) Each worker's decider and buffer are made on its own
/// thread, so they come from that thread's allocator arena: made together on one thread, the
/// workers' objects shared cache lines, and the writes every line makes to one (a buffer's
/// count, an evaluator's state) made the other's core load them again.
final class Workers: @unchecked Sendable {
  /// Every worker, set once they are all made; read by worker threads only after `go`.
  private(set) var all: [Worker] = []
  /// Signalled once per batch for worker `w` (index `w - 1`); `done` once per worker per batch
  /// (and once per worker when it is made).
  private let go: [DispatchSemaphore]
  private let done = DispatchSemaphore(value: 0)
  /// Set by the main thread before it signals `go`, read by the workers after they wait on it.
  private var batch: LineStream.Batch?
  private var runs = 0
  private var stopping = false
  /// Where each thread leaves the worker it made.
  private let made: UnsafeMutableBufferPointer<Worker?>

  /// `count` workers, each with a decider from `make`, called on the worker's own thread.
  init(_ count: Int, make: @escaping @Sendable () -> LineDecider) {
    let count = Swift.max(count, 1)
    go = (1..<count).map { _ in DispatchSemaphore(value: 0) }
    made = .allocate(capacity: count)
    made.initialize(repeating: nil)
    made[0] = Worker(make())
    for w in 1..<count {
      let thread = Thread { [self] in
        // SIGINT and SIGTERM go to the main thread, whose blocked read they must interrupt.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        made[w] = Worker(make())
        done.signal()
        serve(w)
      }
      thread.name = "precept-eval-\(w)"
      thread.start()
    }
    for _ in go { done.wait() }
    all = made.compactMap { $0 }
  }

  deinit {
    _ = made.deinitialize()
    made.deallocate()
  }

  private func serve(_ w: Int) {
    while true {
      go[w - 1].wait()
      if stopping { return }
      if w < runs, let batch { all[w].decide(batch, run: w, of: runs) }
      done.signal()
    }
  }

  /// Decides `batch` cut into `runs` runs (at most one per worker), run 0 on this thread; returns
  /// when every run is decided.
  func run(_ batch: LineStream.Batch, runs: Int) {
    self.batch = batch
    self.runs = runs
    for g in go { g.signal() }
    all[0].decide(batch, run: 0, of: runs)
    for _ in go { done.wait() }
    self.batch = nil
  }

  /// Ends the worker threads.
  func stop() {
    stopping = true
    for g in go { g.signal() }
  }
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

extension DecisionLineContent: ExpressibleByArgument {}
