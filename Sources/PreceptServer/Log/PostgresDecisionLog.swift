/// The decision log in PostgreSQL (see `PostgresDecisionLog.open`).
enum PostgresDecisionLog {
  static func open(url: String) async throws -> any DecisionLog {
    throw LogError("this build of precept has no PostgreSQL log yet; use --log sqlite:PATH")
  }
}
