import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The decision log in PostgreSQL (postgres-nio), for servers that share one log: the same schema
/// as SQLite, created by versioned migrations; appends take a transaction-scoped advisory lock, so
/// several servers append one at a time and the chain never forks. A commit is durable when it
/// returns (PostgreSQL's default `synchronous_commit`). Triggers refuse UPDATE and DELETE. From
/// schema v2, `results` is stored deflated in `results_deflated`, as in SQLite.
final class PostgresDecisionLog: DecisionLog {
  private let client: PostgresClient
  private let runner: Task<Void, Never>
  private let logger: Logger
  /// The advisory lock key that serialises appends (and migrations) across servers.
  static let lockKey: Int64 = 0x5052_4543_4550_5401  // "PRECEPT" and 1

  private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
    self.client = client
    self.runner = runner
    self.logger = logger
  }

  /// Connects to `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (the password may also come from
  /// PGPASSWORD) and brings the schema up to date.
  static func open(url: String) async throws -> any DecisionLog {
    guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty, let user = parts.user, !user.isEmpty else {
      throw LogError("--log `\(url)` is not postgres://USER@HOST:PORT/DB")
    }
    let database = String(parts.path.drop { $0 == "/" })
    let password = parts.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
    var config = PostgresClient.Configuration(host: host, port: parts.port ?? 5432, username: user, password: password,
                                              database: database.isEmpty ? user : database, tls: .disable)
    config.options.maximumConnections = 8
    var logger = Logger(label: "precept.log.postgres")
    logger.logLevel = .critical
    let client = PostgresClient(configuration: config, backgroundLogger: logger)
    let runner = Task { await client.run() }
    let log = PostgresDecisionLog(client: client, runner: runner, logger: logger)
    do {
      try await log.migrate()
    } catch {
      runner.cancel()
      throw LogError("cannot open the decision log \(Self.redacted(url)): \(String(reflecting: error))")
    }
    return log
  }

  /// The URL without its password, for messages.
  static func redacted(_ url: String) -> String {
    guard var parts = URLComponents(string: url), parts.password != nil else { return url }
    parts.password = "***"
    return parts.string ?? url
  }

  /// Versioned schema changes, applied in order under the advisory lock.
  static let migrations: [(version: Int, name: String, sql: [String])] = [
    (1, "decisions", [
      """
      CREATE TABLE decisions (
        seq BIGSERIAL PRIMARY KEY,
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
        hash TEXT NOT NULL)
      """,
      "CREATE INDEX decisions_received_at ON decisions(received_at)",
      "CREATE INDEX decisions_client ON decisions(client, id)",
      """
      CREATE FUNCTION precept_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the decision log is append-only'; END $$
      """,
      "CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION precept_decisions_append_only()",
    ]),
    // Rows from here on keep `results` deflated (its text column ''); older rows keep their text.
    // The row trigger covers the new column as it does the others.
    (2, "results deflated", [
      "ALTER TABLE decisions ADD COLUMN results_deflated BYTEA",
    ]),
  ]

  private func migrate() async throws {
    try await client.withTransaction(logger: logger) { c in
      _ = try await c.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
      _ = try await c.query(
        "CREATE TABLE IF NOT EXISTS precept_schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        logger: logger)
      var applied = Set<Int>()
      for try await version in try await c.query("SELECT version FROM precept_schema_migrations", logger: logger).decode(Int.self) {
        applied.insert(version)
      }
      for m in Self.migrations where !applied.contains(m.version) {
        for statement in m.sql { _ = try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        _ = try await c.query("INSERT INTO precept_schema_migrations (version, name) VALUES (\(m.version), \(m.name))", logger: logger)
      }
    }
  }

  static let columns = "id, received_at, as_of, stage, client, rulebooks, facts_digest, facts, outcome, by_owner, results, results_deflated, prev_hash, hash"

  func append(_ entries: [LogEntry]) async throws -> [LoggedDecision] {
    let logger = self.logger
    let stored = try entries.map { try $0.storedResults() }
    return try await client.withTransaction(logger: logger) { c in
      // Held to the end of the transaction: one appender at a time over every server.
      _ = try await c.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
      var prev = LoggedDecision.genesis
      var lastID: ULID?
      for try await (id, hash) in try await c.query("SELECT id, hash FROM decisions ORDER BY seq DESC LIMIT 1", logger: logger)
        .decode((String, String).self)
      {
        prev = hash
        lastID = ULID(id)
      }
      let now = Timestamp.now()
      var rows: [LoggedDecision] = []
      for (entry, results) in zip(entries, stored) {
        let id = ULID.next(after: lastID, now: now)
        let r = LoggedDecision(entry: entry, id: id.description, receivedAt: Timestamp.text(entry.receivedAt), prevHash: prev)
        let bytes = results.deflated.map { ByteBuffer(bytes: $0) }
        _ = try await c.query("""
          INSERT INTO decisions (\(unescaped: Self.columns))
          VALUES (\(r.id), \(r.receivedAt), \(r.asOf), \(r.stage), \(r.client), \(r.rulebooks), \(r.factsDigest), \(r.facts), \(r.outcome),
                  \(r.byOwner), \(results.text), \(bytes), \(r.prevHash), \(r.hash))
          """, logger: logger)
        rows.append(r)
        prev = r.hash
        lastID = id
      }
      return rows
    }
  }

  private func fetch(_ query: PostgresQuery) async throws -> [(Int64, LoggedDecision)] {
    let logger = self.logger
    return try await client.withConnection { c in
      var out: [(Int64, LoggedDecision)] = []
      for try await row in try await c.query(query, logger: logger) {
        let r = row.makeRandomAccess()
        out.append((try r["seq"].decode(Int64.self), LoggedDecision(
          id: try r["id"].decode(String.self), receivedAt: try r["received_at"].decode(String.self), asOf: try r["as_of"].decode(String.self),
          stage: try r["stage"].decode(String?.self), client: try r["client"].decode(String.self), rulebooks: try r["rulebooks"].decode(String.self),
          factsDigest: try r["facts_digest"].decode(String?.self), facts: try r["facts"].decode(String?.self), outcome: try r["outcome"].decode(String.self),
          byOwner: try r["by_owner"].decode(String.self),
          results: LoggedDecision.storedResults(
            text: try r["results"].decode(String.self),
            deflated: try r["results_deflated"].decode(ByteBuffer?.self).map { Array($0.readableBytesView) }),
          prevHash: try r["prev_hash"].decode(String.self),
          hash: try r["hash"].decode(String.self))))
      }
      return out
    }
  }

  func decision(id: String) async throws -> LoggedDecision? {
    try await fetch("SELECT seq, \(unescaped: Self.columns) FROM decisions WHERE id = \(id)").first?.1
  }

  func decisions(_ q: LogQuery) async throws -> [LoggedDecision] {
    var binds = PostgresBindings()
    var conditions: [String] = []
    func add(_ sql: String, _ value: String) {
      binds.append(value)
      conditions.append(sql.replacingOccurrences(of: "?", with: "$\(binds.count)"))
    }
    if let r = q.rulebook { add("rulebooks::jsonb @> jsonb_build_array(jsonb_build_object('id', ?::text))", r) }
    if let o = q.outcome { add("outcome = ?", o) }
    if let s = q.since { add("received_at >= ?", s) }
    if let u = q.until { add("received_at <= ?", u) }
    if let c = q.client { add("client = ?", c) }
    if let b = q.before { add("id < ?", b) }
    let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    let sql = "SELECT seq, \(Self.columns) FROM decisions\(whereClause) ORDER BY id DESC LIMIT \(max(0, q.limit))"
    return try await fetch(PostgresQuery(unsafeSQL: sql, binds: binds)).map(\.1)
  }

  func chain(after: Int64, limit: Int) async throws -> [(position: Int64, row: LoggedDecision)] {
    try await fetch("SELECT seq, \(unescaped: Self.columns) FROM decisions WHERE seq > \(after) ORDER BY seq LIMIT \(limit)")
      .map { (position: $0.0, row: $0.1) }
  }

  func head() async throws -> LoggedDecision? {
    try await fetch("SELECT seq, \(unescaped: Self.columns) FROM decisions ORDER BY seq DESC LIMIT 1").first?.1
  }

  func close() async throws {
    runner.cancel()
    _ = await runner.value
  }
}
