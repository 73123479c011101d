import Foundation
import GRDB
import Precept

/// The decision log in an SQLite file (GRDB): WAL with `synchronous=FULL`, so a commit is on disk
/// when it returns; writes begin IMMEDIATE, so processes sharing the file append one at a time and
/// the chain never forks. Triggers refuse UPDATE and DELETE. From schema v2, `results` is stored
/// deflated in `results_deflated` (`Zlib`); rows read back with their logical text either way.
public final class SQLiteDecisionLog: DecisionLog {
  let pool: DatabasePool

  public init(path: String) throws {
    var config = Configuration()
    config.busyMode = .timeout(10)
    // A new log gets 16 KiB pages: a row (about 2.7 KB) then shares its page with five others
    // instead of taking a 4 KiB page alone. SQLite fixes the page size when it writes the first
    // page, so an existing log keeps its own. The WAL is checkpointed every 256 pages (4 MiB, as
    // SQLite's default 1,000 pages of 4 KiB), not every 1,000 of the larger pages.
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA wal_autocheckpoint = 256") }
    do {
      pool = try DatabasePool(path: path, configuration: config)
      // On the pool's one writer connection, after GRDB's own setup (which sets NORMAL for WAL):
      // a commit then syncs the WAL before it returns.
      try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
      try Self.migrator.migrate(pool)
    } catch {
      throw LogError("cannot open the decision log sqlite:\(path): \(error)")
    }
  }

  /// Versioned schema changes, applied in order on open.
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1: decisions") { db in
      try db.execute(sql: """
        CREATE TABLE decisions (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          received_at TEXT NOT NULL,
          as_of TEXT NOT NULL,
          stage TEXT,
          client TEXT NOT NULL,
          rulebooks TEXT NOT NULL,
          facts_digest TEXT,
          facts TEXT,
          outcome TEXT NOT NULL,
          by_owner TEXT NOT NULL,
          results TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE INDEX decisions_received_at ON decisions(received_at);
        CREATE INDEX decisions_client ON decisions(client, id);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
          BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
          BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
        """)
    }
    // Rows from here on keep `results` deflated (its text column ''); older rows keep their text.
    // ADD COLUMN keeps the table's triggers.
    m.registerMigration("v2: results deflated") { db in
      try db.execute(sql: "ALTER TABLE decisions ADD COLUMN results_deflated BLOB")
    }
    return m
  }

  static let columns = "id, received_at, as_of, stage, client, rulebooks, facts_digest, facts, outcome, by_owner, results, results_deflated, prev_hash, hash"

  public func append(_ entries: [LogEntry]) async throws -> [LoggedDecision] {
    let stored = try entries.map { try $0.storedResults() }
    return try await pool.writeWithoutTransaction { db in
      var rows: [LoggedDecision] = []
      try db.inTransaction(.immediate) {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM decisions ORDER BY seq DESC LIMIT 1")
        var prev: String = last?["hash"] ?? LoggedDecision.genesis
        var lastID = (last?["id"] as String?).flatMap(ULID.init)
        let now = Timestamp.now()
        for (entry, results) in zip(entries, stored) {
          let id = ULID.next(after: lastID, now: now)
          let row = LoggedDecision(entry: entry, id: id.description, receivedAt: Timestamp.text(entry.receivedAt), prevHash: prev)
          try db.execute(
            sql: "INSERT INTO decisions (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [row.id, row.receivedAt, row.asOf, row.stage, row.client, row.rulebooks, row.factsDigest, row.facts,
                        row.outcome, row.byOwner, results.text, results.deflated.map { Data($0) }, row.prevHash, row.hash])
          rows.append(row)
          prev = row.hash
          lastID = id
        }
        return .commit
      }
      return rows
    }
  }

  static func decode(_ r: Row) -> LoggedDecision {
    LoggedDecision(
      id: text(r, "id") ?? "", receivedAt: text(r, "received_at") ?? "", asOf: text(r, "as_of") ?? "", stage: text(r, "stage"),
      client: text(r, "client") ?? "", rulebooks: text(r, "rulebooks") ?? "", factsDigest: text(r, "facts_digest"), facts: text(r, "facts"),
      outcome: text(r, "outcome") ?? "", byOwner: text(r, "by_owner") ?? "",
      results: LoggedDecision.storedResults(text: text(r, "results") ?? "", deflated: deflatedBytes(r["results_deflated"])),
      prevHash: text(r, "prev_hash") ?? "", hash: text(r, "hash") ?? "")
  }

  /// A text column, nil for NULL. SQLite keeps any type in any column, and a row changed by hand
  /// may hold a number or a blob where text was written: it reads as that value's text (a blob's
  /// bytes as UTF-8, repaired), which cannot give the row's hash unless it says the same thing.
  /// Reading a row never stops the process, whatever the file holds.
  static func text(_ r: Row, _ column: String) -> String? {
    let value: DatabaseValue = r[column]
    switch value.storage {
    case .null: return nil
    case .string(let s): return s
    case .int64(let i): return String(i)
    case .double(let d): return String(d)
    case .blob(let data): return String(decoding: data, as: UTF8.self)
    }
  }

  /// The `results_deflated` blob's bytes, nil for NULL. SQLite keeps any type in any column: a
  /// value that is not a blob (written by hand) reads as no bytes, which do not inflate.
  static func deflatedBytes(_ value: DatabaseValue) -> [UInt8]? {
    switch value.storage {
    case .null: nil
    case .blob(let data): Array(data)
    case .string, .int64, .double: []
    }
  }

  public func decision(id: String) async throws -> LoggedDecision? {
    try await pool.read { db in
      try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM decisions WHERE id = ?", arguments: [id]).map(Self.decode)
    }
  }

  public func decisions(_ q: LogQuery) async throws -> [LoggedDecision] {
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    if let r = q.rulebook {
      conditions.append("EXISTS (SELECT 1 FROM json_each(decisions.rulebooks) WHERE json_extract(value, '$.id') = ?)")
      arguments.append(r)
    }
    if let o = q.outcome { conditions.append("outcome = ?"); arguments.append(o) }
    if let s = q.since { conditions.append("received_at >= ?"); arguments.append(s) }
    if let u = q.until { conditions.append("received_at <= ?"); arguments.append(u) }
    if let c = q.client { conditions.append("client = ?"); arguments.append(c) }
    if let b = q.before { conditions.append("id < ?"); arguments.append(b) }
    let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    let sql = "SELECT \(Self.columns) FROM decisions\(whereClause) ORDER BY id DESC LIMIT \(max(0, q.limit))"
    let args = StatementArguments(arguments)
    return try await pool.read { db in try Row.fetchAll(db, sql: sql, arguments: args).map(Self.decode) }
  }

  public func chain(after: Int64, limit: Int) async throws -> [(position: Int64, row: LoggedDecision)] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT seq, \(Self.columns) FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit])
        .map { (position: $0["seq"], row: Self.decode($0)) }
    }
  }

  public func head() async throws -> LoggedDecision? {
    try await pool.read { db in
      try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM decisions ORDER BY seq DESC LIMIT 1").map(Self.decode)
    }
  }

  public func close() async throws {
    try pool.close()
  }
}
