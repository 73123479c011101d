import ArgumentParser
import Dispatch
import Foundation
import Logging
import Precept
import PreceptServer
import Synchronization

struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve decisions over HTTP, each recorded in a tamper-evident decision log.",
    discussion: """
      Routes: POST /v1/check, POST /v1/eval, GET /v1/decisions, GET /v1/decisions/{id}, GET /v1/rulebooks, \
      POST /v1/admin/reload, GET /healthz, /readyz, /metrics, /openapi.yaml (see docs/serve.md). Without --tokens \
      the server listens on loopback only and asks for no token. SIGTERM or SIGINT drains requests in flight and \
      closes the log; SIGHUP reloads the rulebooks and the waivers file (the old ones stay if the new have errors).
      Exit status: 0 after a clean shutdown, 2 unusable rulebooks, log, tokens file or options.
      """
  )

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var rulebooks: [String]

  @Option(help: "Address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on (0: any free port, printed at start).")
  var port = 8080

  @Option(help: "The decision log: sqlite:PATH or postgres://USER@HOST:PORT/DB.")
  var log = "sqlite:precept-decisions.sqlite"

  @Option(name: .customLong("log-facts"), help: "What the log keeps of the facts: full (as received), digest (their SHA-256) or none.")
  var logFacts = "full"

  @Option(help: "Clients allowed, one per line: NAME sha256:HEX [admin] (see `precept token`).")
  var tokens: String?

  @Option(help: "Directory that imports may not leave (default: as for `precept check`).")
  var root: String?

  @Option(name: .customLong("max-body"), help: "Largest /v1/check body, in bytes.")
  var maxBody = 1 << 20

  @Option(help: "A waivers file: violated rules it covers on a request's facts are `waived` (docs/waivers.md); read again on reload.")
  var waivers: String?

  func run() throws {
    var options = ServeOptions(rulebooks: rulebooks)
    let location = try Failure.exitOnFailure { () throws -> LogLocation in
      guard (0...65535).contains(port) else { throw Failure.usage("--port must be from 0 to 65535") }
      guard maxBody >= 1 else { throw Failure.usage("--max-body must be at least 1 byte") }
      guard let facts = FactsLogging(rawValue: logFacts) else { throw Failure.usage("--log-facts must be full, digest or none, not `\(logFacts)`") }
      options.logFacts = facts
      switch LogLocation.parse(log) {
      case .success(let l): return l
      case .failure(let e): throw Failure.usage(e.description)
      }
    }
    options.log = location
    options.host = host
    options.port = port
    options.root = root
    options.maxBody = maxBody
    options.waivers = waivers
    if let path = tokens {
      options.tokens = try Failure.exitOnFailure { () throws -> TokenTable in
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
          throw Failure.usage("cannot read the tokens file \(path)")
        }
        switch TokenTable.parse(text, path: path) {
        case .success(let t): return t
        case .failure(let e): throw Failure.usage(e.description)
        }
      }
    } else if !ServeOptions.isLoopback(host) {
      Terminal.error("precept: without --tokens the server listens on loopback only (127.0.0.1 or ::1), not \(host); give --tokens FILE to serve other hosts")
      throw ExitCode(2)
    }
    try Failure.exitOnFailure { try Self.serve(options) }
  }

  /// Loads the rulebooks, opens the log and serves until a shutdown signal. The rulebooks come
  /// first: unusable ones stop the start before a log is created.
  static func serve(_ options: ServeOptions) throws {
    var logger = Logger(label: "precept.serve")
    logger.logLevel = .notice
    let session: Session
    do throws(LoadError) { session = try DecisionService.load(options) } catch { throw Failure.load(error) }
    let outcome = Mutex<(any Error)?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        let log = try await openDecisionLog(options.log)
        let service = DecisionService(options: options, log: log, session: session)
        let books = service.session.rulebooks.map { "\($0.id) \($0.version ?? "")" }.joined(separator: ", ")
        try await DecisionServer.run(service, logger: logger) { port in
          var lines = ["precept serve: listening on http://\(options.host):\(port)", "  rulebooks: \(books)", "  log: \(options.log) (facts: \(options.logFacts.rawValue))"]
          if let path = options.waivers { lines.append("  waivers: \(session.waivers.count) from \(path)") }
          lines.append(options.tokens == nil
            ? "  no --tokens: loopback only, requests need no token"
            : "  clients: \(options.tokens?.clients.map(\.name).joined(separator: ", ") ?? "")")
          Terminal.error(lines.joined(separator: "\n"))
        }
      } catch {
        outcome.withLock { $0 = error }
      }
      done.signal()
    }
    done.wait()
    if let error = outcome.withLock({ $0 }) {
      if let f = error as? Failure { throw f }
      throw Failure.usage("serve: \(error)")
    }
  }
}
