import Precept

/// Turning Precept's places into the protocol's JSON.
enum LSP {
  static func position(_ p: (line: Int, character: Int)) -> JSON {
    .object([("line", .int(p.line)), ("character", .int(p.character))])
  }

  static func range(_ span: Span, _ index: LineIndex) -> JSON {
    .object([
      ("start", position(index.position(ofOffset: span.start.offset))),
      ("end", position(index.position(ofOffset: span.end.offset))),
    ])
  }

  static func range(_ start: Int, _ end: Int, _ index: LineIndex) -> JSON {
    .object([("start", position(index.position(ofOffset: start))), ("end", position(index.position(ofOffset: end)))])
  }

  static func location(_ span: Span, _ ws: Workspace) -> JSON {
    .object([("uri", .string(ws.uri(ofPath: span.file))), ("range", range(span, ws.index(forFile: span.file)))])
  }

  /// A diagnostic as `precept lint` reports it: code, range, message with its help, related notes.
  static func diagnostic(_ d: Diagnostic, _ index: LineIndex, _ ws: Workspace) -> JSON {
    let severity: Int
    switch d.severity {
    case .error: severity = 1
    case .warning: severity = 2
    case .note: severity = 3
    }
    let unplaced = d.notes.filter { $0.span == nil }.map { "note: " + $0.message }
    let message = ([d.message] + unplaced + d.help.map { "help: " + $0 }).joined(separator: "\n")
    var fields: [(String, JSON)] = [
      ("range", range(d.span, index)),
      ("severity", .int(severity)),
      ("code", .string(d.code.rawValue)),
      ("source", .string("precept")),
      ("message", .string(message)),
    ]
    let related = d.notes.compactMap { n -> JSON? in
      guard let s = n.span else { return nil }
      return .object([("location", location(s, ws)), ("message", .string(n.message))])
    }
    if !related.isEmpty { fields.append(("relatedInformation", .array(related))) }
    fields.append(("data", .object([("help", .array(d.help.map { .string($0) }))])))
    return .object(fields)
  }
}

extension Array where Element == Unicode.Scalar {
  var string: String { String(String.UnicodeScalarView(self)) }
}
