import Dispatch
import Foundation
import Precept

/// What `precept eval` shows on standard error besides warnings: a progress line while a long run
/// goes on, and a summary at the end. The progress line needs standard error to be a terminal and
/// standard output not to be one (there the decisions themselves show progress); it first shows
/// after a second and is redrawn at most four times a second. The summary shows on a terminal, or
/// anywhere with `--summary`: scripts reading standard error and CI logs get nothing they did not
/// ask for. `--quiet` turns both off.
struct EvalDisplay {
  private let showsProgress: Bool
  private let showsSummary: Bool
  private let inputSize: Int?
  private let start = DispatchTime.now().uptimeNanoseconds
  private var nextDraw: UInt64
  /// The length of the progress line on screen (0: none).
  private var drawn = 0

  static let firstDraw: UInt64 = 1_000_000_000
  static let redraw: UInt64 = 250_000_000

  init(quiet: Bool, summary: Bool, inputSize: Int?) {
    let terminal = isatty(2) == 1
    showsProgress = !quiet && terminal && isatty(1) == 0
    showsSummary = !quiet && (terminal || summary)
    self.inputSize = inputSize
    nextDraw = start + Self.firstDraw
  }

  private var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

  /// After each batch: redraws the progress line when it is due.
  mutating func update(lines: Int, bytes: Int) {
    guard showsProgress else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now >= nextDraw else { return }
    nextDraw = now + Self.redraw
    var t = StreamTally()
    t.lines = lines
    t.bytes = bytes
    let text = StreamReport.progress(t, seconds: seconds, totalBytes: inputSize)
    // Spaces over what is left of a longer line drawn before, then back to its start.
    let width = text.count
    Terminal.status("\r" + text + String(repeating: " ", count: Swift.max(0, drawn - width)))
    drawn = width
  }

  /// At the end: clears the progress line and writes the summary, if they show.
  mutating func finish(_ tally: StreamTally, interrupted: Bool) {
    if drawn > 0 {
      Terminal.status("\r" + String(repeating: " ", count: drawn) + "\r")
      drawn = 0
    }
    if showsSummary { Terminal.error(StreamReport.summary(tally, seconds: seconds, interrupted: interrupted)) }
  }
}
