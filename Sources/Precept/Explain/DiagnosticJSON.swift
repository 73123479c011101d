/// Diagnostics as JSON (`precept lint --format json`) and as SARIF 2.1.0 (`--format sarif`).
public enum DiagnosticJSON {
  /// A JSON array of diagnostics, fields in a fixed order.
  public static func json(_ ds: [Diagnostic]) -> JSON {
    .array(ds.map { d in
      .object([
        ("code", .string(d.code.rawValue)),
        ("severity", .string(d.severity.rawValue)),
        ("message", .string(d.message)),
        ("file", .string(d.span.file)),
        ("line", .int(d.span.start.line)),
        ("column", .int(d.span.start.column)),
        ("end", .object([("line", .int(d.span.end.line)), ("column", .int(d.span.end.column))])),
        ("notes", .array(d.notes.map(note))),
        ("help", .array(d.help.map { .string($0) })),
      ])
    })
  }

  private static func note(_ n: Diagnostic.Note) -> JSON {
    var fields: [(String, JSON)] = [("message", .string(n.message))]
    if let s = n.span {
      fields += [("file", .string(s.file)), ("line", .int(s.start.line)), ("column", .int(s.start.column))]
    }
    return .object(fields)
  }

  /// A SARIF 2.1.0 log with one run, as code-scanning tools read it. Columns count Unicode code points.
  public static func sarif(_ ds: [Diagnostic], toolVersion: String) -> JSON {
    let codes = Array(Set(ds.map(\.code))).sorted { $0.rawValue < $1.rawValue }
    let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
    let rules: [JSON] = codes.map { c in
      .object([
        ("id", .string(c.rawValue)),
        ("name", .string(c.sarifName)),
        ("shortDescription", .object([("text", .string(c.title))])),
        ("defaultConfiguration", .object([("level", .string(level(c.defaultSeverity)))])),
      ])
    }
    let results: [JSON] = ds.map { d in
      var fields: [(String, JSON)] = [
        ("ruleId", .string(d.code.rawValue)),
        ("ruleIndex", .int(ruleIndex[d.code] ?? 0)),
        ("level", .string(level(d.severity))),
        ("message", .object([("text", .string(([d.message] + d.help.map { "help: " + $0 }).joined(separator: "\n")))])),
        ("locations", .array([.object([("physicalLocation", physical(d.span))])])),
      ]
      let related = d.notes.enumerated().compactMap { k, n -> JSON? in
        guard let s = n.span else { return nil }
        return .object([("id", .int(k + 1)), ("physicalLocation", physical(s)), ("message", .object([("text", .string(n.message))]))])
      }
      if !related.isEmpty { fields.append(("relatedLocations", .array(related))) }
      return .object(fields)
    }
    return .object([
      ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
      ("version", .string("2.1.0")),
      ("runs", .array([
        .object([
          ("tool", .object([("driver", .object([
            ("name", .string("precept")),
            ("version", .string(toolVersion)),
            ("rules", .array(rules)),
          ]))])),
          ("columnKind", .string("unicodeCodePoints")),
          ("results", .array(results)),
        ])
      ])),
    ])
  }

  private static func level(_ s: Diagnostic.Severity) -> String {
    switch s {
    case .error: "error"
    case .warning: "warning"
    case .note: "note"
    }
  }

  private static func physical(_ s: Span) -> JSON {
    .object([
      ("artifactLocation", .object([("uri", .string(uri(s.file)))])),
      ("region", .object([
        ("startLine", .int(s.start.line)), ("startColumn", .int(s.start.column)),
        ("endLine", .int(s.end.line)), ("endColumn", .int(s.end.column)),
      ])),
    ])
  }

  /// A relative URI reference: unreserved characters and `/` kept, the rest percent-encoded.
  static func uri(_ path: String) -> String {
    var out = ""
    for b in path.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = String(b, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" : "") + hex
      }
    }
    return out
  }
}

extension DiagnosticCode {
  /// `unknownField` → `UnknownField`, the SARIF rule name.
  var sarifName: String {
    let s = String(describing: self)
    return s.prefix(1).uppercased() + s.dropFirst()
  }
}
