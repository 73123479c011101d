import GRDB
import Testing
@testable import PreceptServer

/// The SQLite log's settings that make an acknowledged decision durable.
@Suite struct DurabilityTests {
  @Test func walWithFullSynchronousOnTheWriter() async throws {
    let log = try SQLiteDecisionLog(path: try temporaryDirectory() + "/log.sqlite")
    let (mode, synchronous) = try await log.pool.write { db in
      (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
    }
    #expect(mode == "wal")
    #expect(synchronous == 2)  // FULL
    let migrations = try await log.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
    #expect(migrations == ["v1: decisions", "v2: results deflated"])
    try await log.close()
  }
}
