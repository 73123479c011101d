import ArgumentParser
import Dispatch
import Foundation
import PreceptServer
import Synchronization

struct LogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Check the decision log of `precept serve`.",
    subcommands: [LogVerifyCommand.self, LogHeadCommand.self]
  )
}

/// `--log` for the log commands: an existing log (they never create one).
struct LogOption: ParsableArguments {
  @Option(help: "The decision log: sqlite:PATH or postgres://USER@HOST:PORT/DB.")
  var log: String

  func open() async throws -> any DecisionLog {
    let location: LogLocation
    switch LogLocation.parse(log) {
    case .success(let l): location = l
    case .failure(let e): throw LogError(e.description)
    }
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
      throw LogError("no decision log at \(path)")
    }
    return try await openDecisionLog(location)
  }
}

/// Runs `body` on a task and waits for it (the commands are synchronous).
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  let result = Mutex<Result<T, any Error>?>(nil)
  let done = DispatchSemaphore(value: 0)
  Task {
    do { let v = try await body(); result.withLock { $0 = .success(v) } } catch { result.withLock { $0 = .failure(error) } }
    done.signal()
  }
  done.wait()
  guard let r = result.withLock({ $0 }) else { throw LogError("the task ended without a result") }
  return try r.get()
}

struct LogVerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Walk the log's hash chain; name the first row that was changed or removed.",
    discussion: "Exit status: 0 the chain is whole (and reaches --head), 1 it is broken, 2 the log cannot be read."
  )

  @OptionGroup var options: LogOption

  @Option(help: "A head recorded earlier with `precept log head` (ID:HASH): the chain must still reach it.")
  var head: String?

  func run() throws {
    var expected: (id: String, hash: String)?
    if let h = head {
      let parts = h.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, parts[1].count == 64 else {
        Terminal.error("precept: --head must be ID:HASH as `precept log head` prints it")
        throw ExitCode(2)
      }
      expected = (parts[0], parts[1])
    }
    let options = self.options
    let want = expected
    let report: ChainReport
    do {
      report = try waitFor {
        let log = try await options.open()
        defer { Task { try? await log.close() } }
        return try await log.verify(head: want)
      }
    } catch {
      Terminal.error("precept: cannot read the log: \(error)")
      throw ExitCode(2)
    }
    if let problem = report.problem {
      Terminal.error("precept: log verify: \(problem)")
      throw ExitCode(1)
    }
    let head = report.head.map { " ending at \($0.id):\($0.hash)" } ?? ""
    Terminal.write("log verified: \(report.rows) row\(report.rows == 1 ? "" : "s")\(head)\n")
  }
}

struct LogHeadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "head",
    abstract: "Print the newest row's id and hash (ID:HASH), to record elsewhere for `log verify --head`."
  )

  @OptionGroup var options: LogOption

  func run() throws {
    let options = self.options
    let head: String?
    do {
      head = try waitFor {
        let log = try await options.open()
        defer { Task { try? await log.close() } }
        return try await log.head().map { "\($0.id):\($0.hash)" }
      }
    } catch {
      Terminal.error("precept: cannot read the log: \(error)")
      throw ExitCode(2)
    }
    guard let head else {
      Terminal.error("precept: the log is empty")
      throw ExitCode(2)
    }
    Terminal.write(head + "\n")
  }
}
