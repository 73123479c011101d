import Precept

/// Where the decision log lives: `sqlite:PATH` (embedded, the default) or `postgres://USER@HOST:PORT/DB`.
public enum LogLocation: Sendable, Equatable, CustomStringConvertible {
  case sqlite(path: String)
  case postgres(url: String)

  /// Reads `--log`; nil with the reason when it is neither form.
  public static func parse(_ text: String) -> Result<LogLocation, LogError> {
    if text.hasPrefix("sqlite:") {
      let path = String(text.dropFirst("sqlite:".count))
      guard !path.isEmpty else { return .failure(LogError("--log sqlite: needs a path, e.g. sqlite:precept-decisions.sqlite")) }
      return .success(.sqlite(path: path))
    }
    if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .success(.postgres(url: text)) }
    return .failure(LogError("--log `\(text)` is neither sqlite:PATH nor postgres://USER@HOST:PORT/DB"))
  }

  public var description: String {
    switch self {
    case .sqlite(let p): "sqlite:\(p)"
    case .postgres(let u): u
    }
  }
}

/// A problem with the decision log, in words.
public struct LogError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// How much of the facts the log keeps: as received, only their digest, or neither.
public enum FactsLogging: String, Sendable, CaseIterable {
  case full, digest, none
}

/// A page of `GET /v1/decisions`: filters, newest first, before a cursor.
public struct LogQuery: Sendable {
  public var rulebook: String?
  public var outcome: String?
  /// Inclusive bounds on `received_at`, as the log writes it.
  public var since: String?
  public var until: String?
  /// Only this client's decisions (nil: every client's).
  public var client: String?
  /// Only ids before this one.
  public var before: String?
  public var limit: Int = 50

  public init() {}
}

/// The append-only decision log: one row per decided request or line, each chained to the one
/// before by its hash. Appends are durable when they return.
public protocol DecisionLog: Sendable {
  /// Appends the entries in order, in one transaction; returns the rows once they are durable.
  func append(_ entries: [LogEntry]) async throws -> [LoggedDecision]
  /// The row with this id, if any.
  func decision(id: String) async throws -> LoggedDecision?
  /// Rows matching `query`, newest first, at most `query.limit`.
  func decisions(_ query: LogQuery) async throws -> [LoggedDecision]
  /// Rows in chain order, after position `after` (0 for the start), at most `limit`, with their positions.
  func chain(after: Int64, limit: Int) async throws -> [(position: Int64, row: LoggedDecision)]
  /// The newest row, if any.
  func head() async throws -> LoggedDecision?
  /// Closes the log; later calls fail.
  func close() async throws
}

/// What `precept log verify` found.
public struct ChainReport: Sendable {
  /// Rows checked.
  public var rows: Int
  /// The newest row's id and hash.
  public var head: (id: String, hash: String)?
  /// The first problem, naming the row; nil when the chain is whole.
  public var problem: String?
}

extension DecisionLog {
  /// Walks the chain from the start: each row's hash must be the hash of its content after the
  /// previous row's hash, and its `prev_hash` that hash; ids must increase. With `head`, the chain
  /// must still reach that row with that hash (rows removed from the end leave a valid shorter chain).
  public func verify(head expected: (id: String, hash: String)? = nil) async throws -> ChainReport {
    var report = ChainReport(rows: 0, head: nil, problem: nil)
    var previous = LoggedDecision.genesis
    var previousID: String?
    var position: Int64 = 0
    var reached = false
    while true {
      let page = try await chain(after: position, limit: 2000)
      if page.isEmpty { break }
      for (p, row) in page {
        position = p
        if row.computedHash() != row.hash {
          report.problem = "row \(row.id) was changed: its content no longer gives its hash \(row.hash)"
          return report
        }
        if row.prevHash != previous {
          let before = previousID.map { "the row before it, \($0)" } ?? "the start of the log"
          report.problem = "the chain breaks at row \(row.id): its prev_hash is not the hash of \(before); a row was removed there, or \(previousID ?? "it") was changed"
          return report
        }
        if let last = previousID, row.id <= last {
          report.problem = "row \(row.id) is out of order: its id is not after \(last)'s"
          return report
        }
        if let e = expected, row.id == e.id {
          guard row.hash == e.hash else {
            report.problem = "row \(row.id) has hash \(row.hash), not the recorded \(e.hash): the log was rewritten"
            return report
          }
          reached = true
        }
        previous = row.hash
        previousID = row.id
        report.rows += 1
        report.head = (row.id, row.hash)
      }
    }
    if let e = expected, !reached {
      report.problem = "the chain no longer reaches the recorded head \(e.id): rows were removed from the end of the log (it ends at \(previousID ?? "nothing"))"
    }
    return report
  }
}

/// Opens the log at `location`, creating its schema on first use.
public func openDecisionLog(_ location: LogLocation) async throws -> any DecisionLog {
  switch location {
  case .sqlite(let path): return try SQLiteDecisionLog(path: path)
  case .postgres(let url): return try await PostgresDecisionLog.open(url: url)
  }
}
