import Foundation
import Precept
import PreceptServer
import Testing

/// A PostgreSQL server for the log tests: `PRECEPT_TEST_POSTGRES=postgres://USER@HOST:PORT/DB`
/// naming an empty database (`.ci/serve-postgres` starts a throwaway cluster and sets it).
let postgresURL = ProcessInfo.processInfo.environment["PRECEPT_TEST_POSTGRES"]

/// Runs SQL with psql, as someone with access to the database could.
func psql(_ url: String, _ sql: String) async throws {
  try await offPool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw LogError("psql failed: \(sql)") }
  }
}

/// The decision log in PostgreSQL: the same chain, shared by several servers.
@Suite(.serialized, .enabled(if: postgresURL != nil, "set PRECEPT_TEST_POSTGRES (see .ci/serve-postgres)"))
struct PostgresLogTests {
  @Test func serversSharingOneLogKeepOneChainAndTamperingIsNamed() async throws {
    let url = try #require(postgresURL)
    // Two servers over one database, appending at once.
    let a = try await openDecisionLog(.postgres(url: url))
    let b = try await openDecisionLog(.postgres(url: url))
    let before = try await a.verify().rows
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (n, log) in [a, b].enumerated() {
        for k in 0..<4 {
          group.addTask { for j in 0..<10 { _ = try await log.append([LogTests.entry(n * 1000 + k * 10 + j), LogTests.entry(j)]) } }
        }
      }
      try await group.waitForAll()
    }
    let whole = try await a.verify()
    #expect(whole.problem == nil, "\(whole.problem ?? "")")
    #expect(whole.rows == before + 160)

    // The service over PostgreSQL: check, fetch, filter.
    let server = try await Harness.start(log: .postgres(url: url))
    let r = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan)
    #expect(r.status == 200)
    let id = r.object["decision_id"] as? String ?? ""
    #expect(try await server.get("/v1/decisions/\(id)").object["outcome"] as? String == "block")
    #expect((try await server.get("/v1/decisions?rulebook=cn.consumer-credit").object["decisions"] as? [Any])?.count == 1)
    #expect((try await server.get("/v1/decisions?outcome=block&limit=1000").object["decisions"] as? [Any])?.count == 1)
    await server.stop()
    let head = try #require(try await a.head())
    #expect(head.id == id)
    let cli = try await runPrecept(["log", "verify", "--log", url, "--head", "\(head.id):\(head.hash)"])
    #expect(cli.status == 0, "\(cli.error)")

    // The triggers refuse changes; someone who drops them is still found out.
    await #expect(throws: (any Error).self) { try await psql(url, "UPDATE decisions SET outcome = 'pass' WHERE id = '\(id)'") }
    let rows = try await a.chain(after: 0, limit: 10)
    try await psql(url, "ALTER TABLE decisions DISABLE TRIGGER decisions_append_only; UPDATE decisions SET outcome = 'block' WHERE id = '\(rows[3].row.id)'")
    #expect(try await a.verify().problem?.contains("row \(rows[3].row.id) was changed") == true)
    try await psql(url, "UPDATE decisions SET outcome = '\(rows[3].row.outcome)' WHERE id = '\(rows[3].row.id)'; DELETE FROM decisions WHERE id = '\(rows[5].row.id)'")
    #expect(try await a.verify().problem?.contains("breaks at row \(rows[6].row.id)") == true)
    #expect(try await runPrecept(["log", "verify", "--log", url]).status == 1)
    try await a.close()
    try await b.close()
  }
}
