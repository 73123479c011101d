import Foundation
import GRDB
import Precept
import Testing
@testable import PreceptServer

/// Where a log lives, for tests that run against SQLite and PostgreSQL alike: open it, change it
/// by hand, read a value back.
protocol LogStore: Sendable {
  func open() async throws -> any DecisionLog
  /// Runs `sql` as is, as someone with access to the database could.
  func execute(_ sql: String) async throws
  /// Runs `sql` with the append-only triggers out of the way.
  func tamper(_ sql: String) async throws
  /// The first column of the first row of `sql`, as text.
  func value(_ sql: String) async throws -> String
  /// An SQL expression for these bytes as a blob.
  func bytes(_ bytes: [UInt8]) -> String
  /// The v1 schema exactly as v1 created it, with its migration recorded.
  var v1Schema: String { get }
  var location: LogLocation { get }
}

struct SQLiteStore: LogStore {
  let path: String

  static func fresh() throws -> SQLiteStore { SQLiteStore(path: try temporaryDirectory() + "/log.sqlite") }

  var location: LogLocation { .sqlite(path: path) }
  func open() async throws -> any DecisionLog { try SQLiteDecisionLog(path: path) }

  func execute(_ sql: String) async throws {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    try await queue.write { try $0.execute(sql: sql) }
  }

  func tamper(_ sql: String) async throws {
    try await execute("DROP TRIGGER IF EXISTS decisions_no_update; DROP TRIGGER IF EXISTS decisions_no_delete; " + sql)
  }

  func value(_ sql: String) async throws -> String {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try await queue.read { db in try String.fetchOne(db, sql: "SELECT CAST((\(sql)) AS TEXT)") ?? "NULL" }
  }

  func bytes(_ bytes: [UInt8]) -> String { "X'\(DeflatedLogChecks.hex(bytes))'" }

  var v1Schema: String {
    """
    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
    INSERT INTO grdb_migrations VALUES ('v1: decisions');
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
    """
  }
}

/// The decision log's `results` deflated (schema v2): the same rows read back, the same chain,
/// v1 logs carried over, and a changed blob named like any changed column.
enum DeflatedLogChecks {
  /// An entry whose `results` is the size of a real one (seven rulebooks, 40 rules each), with
  /// messages outside ASCII.
  static func entry(_ k: Int) -> LogEntry {
    var e = LogTests.entry(k)
    e.results = "[" + (0..<7).map { b in
      "{\"as_of\":\"2026-11-23\",\"outcome\":\"block\",\"results\":[" + (0..<40).map { r in
        r % 9 == 0
          ? "{\"message\":\"年化利率 \(k) 超过 24% 上限\",\"rule\":\"book-\(b).rule-\(r)\",\"status\":\"violated\"}"
          : "{\"rule\":\"book-\(b).rule-\(r)\",\"status\":\"satisfied\"}"
      }.joined(separator: ",") + "],\"rulebook\":\"book-\(b)\"}"
    }.joined(separator: ",") + "]"
    return e
  }

  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
  static func literal(_ s: String?) -> String { s.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL" }

  static func roundTrip(_ store: some LogStore) async throws {
    let log = try await store.open()
    var rows: [LoggedDecision] = []
    for k in 0..<3 { rows += try await log.append([entry(k), entry(k + 10)]) }
    rows += try await log.append([LogTests.entry(99)])  // results `[]`
    for row in rows {
      let read = try #require(try await log.decision(id: row.id))
      #expect(read == row)
      #expect(try await store.value("SELECT results FROM decisions WHERE id = '\(row.id)'") == "")
      let stored = Int(try await store.value("SELECT length(results_deflated) FROM decisions WHERE id = '\(row.id)'")) ?? -1
      #expect(stored > 0)
      if row.results.utf8.count > 100 { #expect(stored * 4 < row.results.utf8.count, "\(stored) of \(row.results.utf8.count) bytes") }
    }
    #expect(try await log.chain(after: 0, limit: 100).map(\.row) == rows)
    #expect(try await log.head() == rows.last)
    var query = LogQuery()
    query.client = "c1"
    #expect(try await log.decisions(query) == Array(rows.filter { $0.client == "c1" }.reversed()))
    let report = try await log.verify(head: (rows[6].id, rows[6].hash))
    #expect(report.problem == nil && report.rows == 7, "\(report.problem ?? "")")
    try await log.close()
    let cli = try await runPrecept(["log", "verify", "--log", store.location.description])
    #expect(cli.status == 0 && cli.output.contains("7 rows"), "\(cli.error)")
  }

  static func aV1LogMigrates(_ store: some LogStore) async throws {
    // Rows as v1 wrote them: `results` as text, in a table without `results_deflated`.
    var old: [LoggedDecision] = []
    var previous = LoggedDecision.genesis
    var lastID: ULID?
    for k in 0..<4 {
      let id = ULID.next(after: lastID, now: 1_790_000_000_000 + UInt64(k))
      let row = LoggedDecision(entry: k == 3 ? LogTests.entry(k) : entry(k), id: id.description, receivedAt: Timestamp.text(1_790_000_000_000 + UInt64(k)), prevHash: previous)
      old.append(row)
      previous = row.hash
      lastID = id
    }
    let inserts = old.map { r in
      "INSERT INTO decisions (id, received_at, as_of, stage, client, rulebooks, facts_digest, facts, outcome, by_owner, results, prev_hash, hash) VALUES ("
        + [r.id, r.receivedAt, r.asOf, r.stage, r.client, r.rulebooks, r.factsDigest, r.facts, r.outcome, r.byOwner, r.results, r.prevHash, r.hash]
        .map(literal).joined(separator: ", ") + ");"
    }
    try await store.execute(store.v1Schema + "\n" + inserts.joined(separator: "\n"))

    let log = try await store.open()
    #expect(try await log.chain(after: 0, limit: 100).map(\.row) == old)
    #expect(try await log.verify(head: (old[3].id, old[3].hash)).problem == nil)
    let new = try await log.append([entry(20), entry(21)]) + (try await log.append([entry(22)]))
    #expect(new[0].prevHash == old[3].hash)
    #expect(try await log.chain(after: 0, limit: 100).map(\.row) == old + new)
    let report = try await log.verify(head: (new[2].id, new[2].hash))
    #expect(report.problem == nil && report.rows == 7, "\(report.problem ?? "")")
    // The old rows keep their text; the new ones are deflated.
    #expect(try await store.value("SELECT count(*) FROM decisions WHERE results_deflated IS NULL AND results <> ''") == "4")
    #expect(try await store.value("SELECT count(*) FROM decisions WHERE results_deflated IS NOT NULL AND results = ''") == "3")
    try await log.close()
    // Opening again migrates nothing twice.
    let again = try await store.open()
    #expect(try await again.verify().rows == 7)
    try await again.close()
    // The append-only triggers still cover the table, its new column included.
    await #expect(throws: (any Error).self) { try await store.execute("UPDATE decisions SET results_deflated = NULL WHERE id = '\(new[0].id)'") }
    await #expect(throws: (any Error).self) { try await store.execute("UPDATE decisions SET results = 'x' WHERE id = '\(old[0].id)'") }
    await #expect(throws: (any Error).self) { try await store.execute("DELETE FROM decisions WHERE id = '\(new[2].id)'") }
    #expect(try await store.value("SELECT count(*) FROM decisions") == "7")
  }

  /// A changed blob is a changed row: `log verify` names it, reading it neither throws nor traps,
  /// and `GET /v1/decisions/{id}` still answers.
  static func aChangedBlobIsNamed(_ store: some LogStore) async throws {
    let log = try await store.open()
    var rows: [LoggedDecision] = []
    for k in 0..<5 { rows += try await log.append([entry(k)]) }
    try await log.close()
    // Another row's results, validly deflated.
    let other = try Zlib.deflate(Array(rows[4].results.utf8))
    let cases: [(row: Int, set: String, reads: String)] = [
      (1, "results_deflated = \(store.bytes(other))", rows[4].results),
      (2, "results_deflated = \(store.bytes(Array("not deflated at all".utf8)))", ""),
      (3, "results = \(literal(rows[3].results))", ""),  // text beside the blob
    ]
    for c in cases {
      let id = rows[c.row].id
      try await store.tamper("UPDATE decisions SET \(c.set) WHERE id = '\(id)'")
      let log = try await store.open()
      #expect(try await log.decision(id: id)?.results == c.reads)
      let report = try await log.verify()
      #expect(report.problem?.contains("row \(id) was changed") == true, "\(report.problem ?? "none")")
      #expect(try await log.chain(after: 0, limit: 100).count == 5)
      try await log.close()
      let cli = try await runPrecept(["log", "verify", "--log", store.location.description])
      #expect(cli.status == 1 && cli.error.contains(id), "\(cli.error)")
      let server = try await Harness.start(log: store.location)
      let reply = try await server.get("/v1/decisions/\(id)")
      #expect(reply.status == 200 && reply.object["id"] as? String == id, "\(reply.text)")
      if c.reads.isEmpty { #expect(reply.object["results"] as? String == "") }
      await server.stop()
      // Put it back, so the next case is the first row changed.
      try await store.tamper(
        "UPDATE decisions SET results = '', results_deflated = \(store.bytes(try Zlib.deflate(Array(rows[c.row].results.utf8)))) WHERE id = '\(id)'")
      let restored = try await store.open()
      #expect(try await restored.verify().problem == nil)
      try await restored.close()
    }
  }
}

extension LogTests {
  @Test func deflatedRowsReadBackAndVerify() async throws { try await DeflatedLogChecks.roundTrip(try SQLiteStore.fresh()) }
  @Test func aV1LogMigratesAndTakesDeflatedRows() async throws { try await DeflatedLogChecks.aV1LogMigrates(try SQLiteStore.fresh()) }
  @Test func aChangedDeflatedBlobIsNamed() async throws { try await DeflatedLogChecks.aChangedBlobIsNamed(try SQLiteStore.fresh()) }

  @Test func aDeflatedColumnHoldingTextOrANumberReadsAsChanged() async throws {
    let store = try SQLiteStore.fresh()
    let log = try await store.open()
    let rows = try await log.append([DeflatedLogChecks.entry(0), DeflatedLogChecks.entry(1)])
    try await log.close()
    try await store.tamper("""
      UPDATE decisions SET results_deflated = 42 WHERE id = '\(rows[0].id)';
      UPDATE decisions SET results_deflated = 'text' WHERE id = '\(rows[1].id)'
      """)
    let again = try await store.open()
    #expect(try await again.decision(id: rows[0].id)?.results == "")
    #expect(try await again.decision(id: rows[1].id)?.results == "")
    #expect(try await again.verify().problem?.contains("row \(rows[0].id) was changed") == true)
    try await again.close()
  }

  /// A text column changed by hand to a number or a blob reads as that value (never stops
  /// the process, as GRDB's typed reads would) and the row is named as changed.
  @Test func textColumnsHoldingOtherTypesReadAsChanged() async throws {
    for change in ["outcome = 5", "client = x'ff00'", "stage = 7", "hash = 1.5"] {
      let store = try SQLiteStore.fresh()
      let log = try await store.open()
      let rows = try await log.append([DeflatedLogChecks.entry(0), DeflatedLogChecks.entry(1)])
      try await log.close()
      try await store.tamper("UPDATE decisions SET \(change) WHERE id = '\(rows[0].id)'")
      let again = try await store.open()
      #expect(try await again.decision(id: rows[0].id) != nil, "\(change)")
      #expect(try await again.verify().problem?.contains("row \(rows[0].id)") == true, "\(change)")
      try await again.close()
    }
  }
}

/// A database of its own on the test server (`PRECEPT_TEST_POSTGRES`), so each test starts empty.
struct PostgresStore: LogStore {
  let url: String

  static func fresh() async throws -> PostgresStore {
    let base = try #require(postgresURL)
    var parts = try #require(URLComponents(string: base))
    let name = "precept_deflate_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    try await psql(base, "CREATE DATABASE \(name)")
    parts.path = "/" + name
    return PostgresStore(url: try #require(parts.string))
  }

  func drop() async {
    guard let base = postgresURL, let name = URLComponents(string: url)?.path.dropFirst() else { return }
    try? await psql(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  var location: LogLocation { .postgres(url: url) }
  func open() async throws -> any DecisionLog { try await openDecisionLog(location) }
  func execute(_ sql: String) async throws { try await psql(url, sql) }

  func tamper(_ sql: String) async throws {
    try await psql(url, "ALTER TABLE decisions DISABLE TRIGGER decisions_append_only; \(sql); ALTER TABLE decisions ENABLE TRIGGER decisions_append_only")
  }

  func value(_ sql: String) async throws -> String {
    let url = self.url
    return try await offPool {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t", "-P", "null=NULL", "-c", sql]
      let out = Pipe()
      p.standardOutput = out
      try p.run()
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      guard p.terminationStatus == 0 else { throw LogError("psql failed: \(sql)") }
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
  }

  func bytes(_ bytes: [UInt8]) -> String { "'\\x\(DeflatedLogChecks.hex(bytes))'::bytea" }

  var v1Schema: String {
    """
    CREATE TABLE precept_schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
    INSERT INTO precept_schema_migrations (version, name) VALUES (1, 'decisions');
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
      hash TEXT NOT NULL);
    CREATE INDEX decisions_received_at ON decisions(received_at);
    CREATE INDEX decisions_client ON decisions(client, id);
    CREATE FUNCTION precept_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the decision log is append-only'; END $$;
    CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION precept_decisions_append_only();
    """
  }
}

extension PostgresLogTests {
  /// Runs `check` on a database of its own, dropped after.
  static func onFreshDatabase(_ check: (PostgresStore) async throws -> Void) async throws {
    let store = try await PostgresStore.fresh()
    do { try await check(store) } catch {
      await store.drop()
      throw error
    }
    await store.drop()
  }

  @Test func deflatedRowsReadBackAndVerify() async throws { try await Self.onFreshDatabase { try await DeflatedLogChecks.roundTrip($0) } }
  @Test func aV1LogMigratesAndTakesDeflatedRows() async throws { try await Self.onFreshDatabase { try await DeflatedLogChecks.aV1LogMigrates($0) } }
  @Test func aChangedDeflatedBlobIsNamed() async throws { try await Self.onFreshDatabase { try await DeflatedLogChecks.aChangedBlobIsNamed($0) } }
}
