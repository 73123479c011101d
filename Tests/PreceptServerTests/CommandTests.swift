import Foundation
import Testing

/// The command-line side of the service: refusals happen before anything listens.
@Suite struct CommandTests {
  @Test func withoutTokensOnlyLoopback() async throws {
    let r = try await runPrecept(["serve", "rulebooks", "--host", "0.0.0.0", "--port", "0"])
    #expect(r.status == 2)
    #expect(r.error.contains("without --tokens the server listens on loopback only"))
  }

  @Test func badOptionsAndFilesAreRefused() async throws {
    let dir = try temporaryDirectory()
    try "alice sha256:nothex\n".write(toFile: dir + "/tokens", atomically: true, encoding: .utf8)
    let tokens = try await runPrecept(["serve", "rulebooks", "--tokens", dir + "/tokens", "--port", "0", "--log", "sqlite:\(dir)/l.sqlite"])
    #expect(tokens.status == 2 && tokens.error.contains("/tokens:1:7:"), "\(tokens.error)")
    #expect(try await runPrecept(["serve", "rulebooks", "--log", "mysql://x"]).status == 2)
    #expect(try await runPrecept(["serve", "rulebooks", "--log-facts", "some"]).status == 2)
    // No rulebook there: refused before a log is created.
    #expect(try await runPrecept(["serve", dir, "--log", "sqlite:\(dir)/x.sqlite"]).status == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/x.sqlite"))
  }

  @Test func tokenPrintsATokenAndItsLine() async throws {
    let r = try await runPrecept(["token", "ops", "--admin"])
    let lines = r.output.split(separator: "\n")
    #expect(r.status == 0 && lines.count == 2)
    #expect(lines[0].hasPrefix("pcpt_") && lines[1].hasPrefix("ops sha256:") && lines[1].hasSuffix(" admin"))
    #expect(try await runPrecept(["token", "bad name"]).status == 2)
  }
}
