import Hummingbird
import Logging
import Precept
import ServiceLifecycle
import UnixSignals

/// `precept serve`: the HTTP server, the log and the signals, run as one service group. SIGTERM
/// (or SIGINT) drains: readiness fails, the listener closes, requests in flight finish, then the
/// log is closed. SIGHUP reloads the rulebooks, keeping the old ones when the new have errors.
public enum DecisionServer {
  /// Runs until a shutdown signal (or until the calling task is cancelled). `onReady` is called
  /// with the port once the server listens. `signals: false` installs no signal handlers (tests).
  public static func run(_ service: DecisionService, signals: Bool = true, logger: Logger,
                         onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let options = service.options
    let app = Application(
      responder: Routes(service: service),
      configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
      onServerRunning: { channel in await onReady(channel.localAddress?.port ?? options.port) },
      logger: logger)
    // Shut down in reverse order: stop reloading and fail readiness, drain the server, close the log.
    let group = ServiceGroup(configuration: .init(
      services: [
        .init(service: LogCloser(log: service.log, logger: logger)),
        .init(service: app),
        .init(service: Reloader(service: service, signals: signals, logger: logger)),
      ],
      gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [],
      logger: logger))
    try await group.run()
  }
}

/// Closes the log once everything before it has stopped.
struct LogCloser: Service {
  let log: any DecisionLog
  let logger: Logger
  func run() async throws {
    try? await gracefulShutdown()
    try await log.close()
    logger.info("decision log closed")
  }
}

/// Reloads the rulebooks on SIGHUP until shutdown begins, then marks the service as draining.
struct Reloader: Service {
  let service: DecisionService
  let signals: Bool
  let logger: Logger
  func run() async throws {
    if signals {
      for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
        switch service.reload() {
        case .success(let s):
          logger.notice("rulebooks reloaded: \(s.rulebooks.map { "\($0.id) \($0.version ?? "") \($0.digest)" }.joined(separator: ", "))")
        case .failure(let e):
          let errors = e.diagnostics.filter { $0.severity == .error }.map { "\($0.span.file):\($0.span.start.line):\($0.span.start.column): \($0.message)" }
          logger.error("reload failed, the rulebooks in use stay: \((e.unreadable.map { "cannot read \($0.path): \($0.reason)" } + errors).joined(separator: "; "))")
        }
      }
    } else {
      try? await gracefulShutdown()
    }
    service.startDraining()
  }
}
