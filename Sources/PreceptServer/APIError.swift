import Precept

/// A request that cannot be answered with a decision: the HTTP status and every problem, each a
/// JSON object with at least a `message` (and `line`/`column` where the body has a place).
public struct APIError: Error, Sendable {
  public var status: Int
  public var errors: [JSON]

  public init(_ status: Int, _ message: String) {
    self.status = status
    errors = [.object([("message", .string(message))])]
  }

  public init(_ status: Int, errors: [JSON]) {
    self.status = status
    self.errors = errors
  }

  /// `{"errors": [...]}`.
  public var body: String { JSON.object([("errors", .array(errors))]).serialized() }

  /// A body that could not be parsed: each diagnostic with its code, line and column.
  static func unreadable(_ e: LoadError) -> APIError {
    let errors = e.diagnostics.filter { $0.severity == .error }.map { d -> JSON in
      .object([
        ("message", .string("\(d.span.file):\(d.span.start.line):\(d.span.start.column): error[\(d.code.rawValue)]: \(d.message)")),
        ("code", .string(d.code.rawValue)), ("line", .int(d.span.start.line)), ("column", .int(d.span.start.column)),
        ("help", .array(d.help.map { .string($0) })),
      ])
    }
    return APIError(400, errors: errors.isEmpty ? [.object([("message", .string("the body could not be read as facts"))])] : errors)
  }

  /// Facts that do not fit: each error as the CLI prints it (`body.yaml:3:5: product.min_age: …`),
  /// with its path and place; 422 when no rulebook applies, 400 otherwise.
  static func facts(_ e: FactsErrors, file: String) -> APIError {
    let errors = e.errors.map { f -> JSON in
      let place = f.span.map { ":\($0.start.line):\($0.start.column)" } ?? ""
      var fields: [(String, JSON)] = [
        ("message", .string("\(file)\(place): \(f.code.map { "error[\($0.rawValue)]: " } ?? "")\(f.description)")),
        ("path", .string(f.path)),
      ]
      if let c = f.code { fields.append(("code", .string(c.rawValue))) }
      if let s = f.span { fields += [("line", .int(s.start.line)), ("column", .int(s.start.column))] }
      return .object(fields)
    }
    let none = e.errors.contains { $0.code == .noRulebookApplies }
    return APIError(none ? 422 : 400, errors: errors)
  }
}
