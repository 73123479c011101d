import Foundation
import GRDB
import Precept
import PreceptServer
import Testing

/// The decision log: a hash chain that names the first row changed or removed.
@Suite(.serialized) struct LogTests {
  static func entry(_ k: Int) -> LogEntry {
    LogEntry(decisions: [], receivedAt: 1_790_000_000_000 + UInt64(k), asOf: "2026-11-23", stage: nil, client: "c\(k % 2)",
             factsDigest: "sha256:" + SHA256.hex(Array("\(k)".utf8)), facts: "{\"n\": \(k)}")
  }

  /// A log of `n` rows in a new file.
  static func filled(_ n: Int) async throws -> (path: String, rows: [LoggedDecision]) {
    let path = try temporaryDirectory() + "/log.sqlite"
    let log = try SQLiteDecisionLog(path: path)
    var rows: [LoggedDecision] = []
    for k in 0..<n { rows += try await log.append([entry(k)]) }
    try await log.close()
    return (path, rows)
  }

  /// Changes the file as someone with write access could (the append-only triggers dropped first).
  static func tamper(_ path: String, _ sql: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "DROP TRIGGER IF EXISTS decisions_no_update; DROP TRIGGER IF EXISTS decisions_no_delete")
      try db.execute(sql: sql)
    }
    try queue.close()
  }

  @Test func aWholeChainVerifies() async throws {
    let (path, rows) = try await Self.filled(5)
    let log = try SQLiteDecisionLog(path: path)
    let report = try await log.verify(head: (rows[4].id, rows[4].hash))
    #expect(report.problem == nil && report.rows == 5)
    #expect(rows[1].prevHash == rows[0].hash)
    #expect(rows.map(\.id) == rows.map(\.id).sorted())
    let cli = try await runPrecept(["log", "verify", "--log", "sqlite:" + path])
    #expect(cli.status == 0 && cli.output.contains("5 rows"), "\(cli.error)")
    let head = try await runPrecept(["log", "head", "--log", "sqlite:" + path])
    #expect(head.output == "\(rows[4].id):\(rows[4].hash)\n")
    #expect(try await runPrecept(["log", "verify", "--log", "sqlite:" + path, "--head", "\(rows[4].id):\(rows[4].hash)"]).status == 0)
  }

  /// A new log takes 16 KiB pages (rows of about 2.7 KB share them); a log made with SQLite's
  /// default 4 KiB pages keeps them, and still opens, appends and verifies.
  @Test func pageSizeOfNewAndExistingLogs() async throws {
    func pageSize(_ path: String) throws -> Int? {
      let queue = try DatabaseQueue(path: path)
      defer { try? queue.close() }
      return try queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
    }
    let (path, _) = try await Self.filled(2)
    #expect(try pageSize(path) == 16384)
    let old = try temporaryDirectory() + "/old.sqlite"
    let queue = try DatabaseQueue(path: old)
    try await queue.write { try $0.execute(sql: "CREATE TABLE unrelated (x INTEGER)") }
    try queue.close()
    #expect(try pageSize(old) == 4096)
    let log = try SQLiteDecisionLog(path: old)
    _ = try await log.append([Self.entry(0)])
    _ = try await log.append([Self.entry(1)])
    #expect(try await log.verify().problem == nil)
    try await log.close()
    #expect(try pageSize(old) == 4096)
  }

  @Test func theLogRefusesUpdatesAndDeletes() async throws {
    let (path, _) = try await Self.filled(2)
    let queue = try DatabaseQueue(path: path)
    #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE decisions SET outcome = 'pass'") } }
    #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM decisions") } }
    try queue.close()
  }

  @Test func aChangedRowIsNamed() async throws {
    let (path, rows) = try await Self.filled(5)
    try Self.tamper(path, "UPDATE decisions SET outcome = 'block' WHERE id = '\(rows[2].id)'")
    let report = try await SQLiteDecisionLog(path: path).verify()
    #expect(report.problem?.contains("row \(rows[2].id) was changed") == true, "\(report.problem ?? "none")")
    let cli = try await runPrecept(["log", "verify", "--log", "sqlite:" + path])
    #expect(cli.status == 1 && cli.error.contains(rows[2].id))
  }

  @Test func aChangedRowWithItsHashRecomputedBreaksTheNextLink() async throws {
    let (path, rows) = try await Self.filled(4)
    var forged = rows[1]
    forged.outcome = "block"
    forged.hash = forged.computedHash()
    try Self.tamper(path, "UPDATE decisions SET outcome = 'block', hash = '\(forged.hash)' WHERE id = '\(rows[1].id)'")
    let report = try await SQLiteDecisionLog(path: path).verify()
    #expect(report.problem?.contains("breaks at row \(rows[2].id)") == true, "\(report.problem ?? "none")")
  }

  @Test func aRemovedRowIsNamed() async throws {
    let (path, rows) = try await Self.filled(5)
    try Self.tamper(path, "DELETE FROM decisions WHERE id = '\(rows[2].id)'")
    let report = try await SQLiteDecisionLog(path: path).verify()
    #expect(report.problem?.contains("breaks at row \(rows[3].id)") == true, "\(report.problem ?? "none")")
    #expect(report.problem?.contains(rows[1].id) == true)
    #expect(try await runPrecept(["log", "verify", "--log", "sqlite:" + path]).status == 1)
  }

  @Test func removingTheNewestRowsIsCaughtByTheRecordedHead() async throws {
    let (path, rows) = try await Self.filled(5)
    try Self.tamper(path, "DELETE FROM decisions WHERE id >= '\(rows[3].id)'")
    let log = try SQLiteDecisionLog(path: path)
    #expect(try await log.verify().problem == nil)  // a shorter chain is still a chain
    let report = try await log.verify(head: (rows[4].id, rows[4].hash))
    #expect(report.problem?.contains("no longer reaches the recorded head \(rows[4].id)") == true)
    let cli = try await runPrecept(["log", "verify", "--log", "sqlite:" + path, "--head", "\(rows[4].id):\(rows[4].hash)"])
    #expect(cli.status == 1)
    #expect(try await runPrecept(["log", "verify", "--log", "sqlite:" + path + ".missing"]).status == 2)
  }

  @Test func concurrentAppendsKeepOneChain() async throws {
    let path = try temporaryDirectory() + "/log.sqlite"
    let log = try SQLiteDecisionLog(path: path)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for k in 0..<8 { group.addTask { for j in 0..<10 { _ = try await log.append([Self.entry(k * 10 + j), Self.entry(k * 10 + j + 100)]) } } }
      try await group.waitForAll()
    }
    let report = try await log.verify()
    #expect(report.problem == nil && report.rows == 160)
  }

  @Test func ulidsReadBackAndOrder() {
    let a = ULID.next(after: nil, now: 1_469_918_176_385)
    #expect(a.description.hasPrefix("01ARYZ6S41"))
    #expect(ULID(a.description) == a)
    #expect(ULID(a.description.lowercased()) == a)
    let b = ULID.next(after: a, now: 1_469_918_176_385)
    let c = ULID.next(after: b, now: 1_000)
    #expect(a < b && b < c && b.description < c.description)
    #expect(ULID("8ZZZZZZZZZZZZZZZZZZZZZZZZZ") == nil)
    #expect(ULID("01ARYZ6S41") == nil)
  }
}
