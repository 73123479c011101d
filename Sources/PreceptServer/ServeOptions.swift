/// How `precept serve` was started.
public struct ServeOptions: Sendable {
  /// Rulebook files or directories.
  public var rulebooks: [String]
  /// The directory imports may not leave (nil: as `precept check` chooses it).
  public var root: String?
  public var host = "127.0.0.1"
  /// 0 asks the system for a free port (tests).
  public var port = 8080
  public var log: LogLocation = .sqlite(path: "precept-decisions.sqlite")
  public var logFacts: FactsLogging = .full
  /// The clients, from `--tokens`; nil: no authentication, loopback only.
  public var tokens: TokenTable?
  /// The largest `/v1/check` body, in bytes.
  public var maxBody = 1 << 20
  /// A waivers file (`--waivers`, docs/waivers.md), read again with the rulebooks on reload.
  public var waivers: String?

  public init(rulebooks: [String]) { self.rulebooks = rulebooks }

  /// Whether `host` is a loopback address (the only kind a server without tokens may listen on).
  public static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
  }
}
