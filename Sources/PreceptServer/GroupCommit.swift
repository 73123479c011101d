import Synchronization

/// Appends to the log in groups: while one transaction is being made durable, the entries of
/// other requests wait and go into the next one together, so one fsync acknowledges many
/// decisions. Each caller resumes only once its own rows are durable.
final class GroupCommit: Sendable {
  private struct Waiting {
    var entries: [LogEntry]
    var continuation: CheckedContinuation<[LoggedDecision], any Error>
  }
  private struct State {
    var waiting: [Waiting] = []
    var writing = false
  }
  private let state = Mutex(State())
  let log: any DecisionLog
  /// Called with each group's size and the seconds its transaction took.
  let observe: @Sendable (Int, Double) -> Void

  init(_ log: any DecisionLog, observe: @escaping @Sendable (Int, Double) -> Void) {
    self.log = log
    self.observe = observe
  }

  /// Appends `entries` (in order, consecutively in the chain); returns their rows once durable.
  func append(_ entries: [LogEntry]) async throws -> [LoggedDecision] {
    if entries.isEmpty { return [] }
    return try await withCheckedThrowingContinuation { c in
      let start = state.withLock { s in
        s.waiting.append(Waiting(entries: entries, continuation: c))
        if s.writing { return false }
        s.writing = true
        return true
      }
      if start { Task { await self.drain() } }
    }
  }

  private func drain() async {
    while true {
      let group: [Waiting] = state.withLock { s in
        let g = s.waiting
        s.waiting = []
        if g.isEmpty { s.writing = false }
        return g
      }
      if group.isEmpty { return }
      let clock = ContinuousClock()
      let started = clock.now
      do {
        let rows = try await log.append(group.flatMap(\.entries))
        let d = started.duration(to: clock.now)
        observe(rows.count, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        var at = 0
        for w in group {
          w.continuation.resume(returning: Array(rows[at..<at + w.entries.count]))
          at += w.entries.count
        }
      } catch {
        for w in group { w.continuation.resume(throwing: error) }
      }
    }
  }
}
