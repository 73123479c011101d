/// A problem found in a rulebook or an input, with the place it was found.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
  /// How serious a diagnostic is.
  public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
      switch self {
      case .note: 0
      case .warning: 1
      case .error: 2
      }
    }
    /// Orders severities from `note` to `error`.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
  }

  /// A remark attached to a diagnostic, usually pointing at a second place ("first declared here").
  public struct Note: Sendable, Hashable, Codable {
    /// The remark.
    public var message: String
    /// The place it points at, if any.
    public var span: Span?
    /// A note, pointing at `span` if given.
    public init(_ message: String, at span: Span? = nil) {
      self.message = message
      self.span = span
    }
  }

  /// The stable code (`P0504`), explained in docs/diagnostics.md.
  public var code: DiagnosticCode
  /// Error, warning or note.
  public var severity: Severity
  /// Written for a compliance author, not a compiler engineer.
  public var message: String
  /// Where the problem is. Every diagnostic about a file has one.
  public var span: Span
  /// Remarks pointing at related places ("first declared here").
  public var notes: [Note]
  /// Concrete fixes: "did you mean `applicant.income`?".
  public var help: [String]

  /// A diagnostic with its code, place and message.
  public init(
    _ code: DiagnosticCode, _ span: Span, _ message: String,
    severity: Severity? = nil, notes: [Note] = [], help: [String] = []
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = Diagnostic.clipped(message)
    self.span = span
    self.notes = notes.map { Note(Diagnostic.clipped($0.message), at: $0.span) }
    self.help = help.map(Diagnostic.clipped)
  }

  /// The most characters a message, note or help line keeps. Diagnostics quote what the author
  /// wrote (a name, an expression), and a hostile file can make that megabytes long.
  public static let maximumTextLength = 1_000

  /// `text`, cut in the middle with `…` when longer than `maximumTextLength` characters.
  static func clipped(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard scalars.count > maximumTextLength else { return text }
    let half = maximumTextLength / 2
    var head = String.UnicodeScalarView()
    head.append(contentsOf: scalars.prefix(half))
    var tail = String.UnicodeScalarView()
    tail.append(contentsOf: scalars.suffix(half - 1))
    return String(head) + "…" + String(tail)
  }
}

extension Diagnostic {
  /// The order diagnostics are reported in: by file, then place, then code.
  public static func reportingOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
    if a.span.file != b.span.file { return a.span.file < b.span.file }
    if a.span.start.offset != b.span.start.offset { return a.span.start.offset < b.span.start.offset }
    if a.code != b.code { return a.code.rawValue < b.code.rawValue }
    return a.message < b.message
  }
}

extension Array where Element == Diagnostic {
  /// Whether any diagnostic is an error.
  public var hasErrors: Bool { contains { $0.severity == .error } }
}
