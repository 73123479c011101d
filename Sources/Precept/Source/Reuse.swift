#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How far a piece of text moved between two versions of its file: by whole lines and scalars,
/// its columns unchanged (the text itself, and what precedes it on its first line, are the same).
/// An editor's re-check moves what it read last time by this instead of reading it again.
public struct Shift: Sendable, Hashable {
  /// Lines moved down (negative: up).
  public var lines: Int
  /// Scalars moved forward (negative: back).
  public var offset: Int

  /// The move from `old` to `new`, two places of the same text.
  public init(from old: Position, to new: Position) {
    lines = new.line - old.line
    offset = new.offset - old.offset
  }

  /// Whether nothing moved.
  public var isZero: Bool { lines == 0 && offset == 0 }

  /// `span` moved.
  public func apply(_ span: Span) -> Span {
    var s = span
    s.start.line += lines
    s.start.offset += offset
    s.end.line += lines
    s.end.offset += offset
    return s
  }
}

extension Diagnostic {
  /// The diagnostic with `f` applied to its span and to its notes' spans.
  func mapSpans(_ f: (Span) -> Span) -> Diagnostic {
    var d = self
    d.span = f(span)
    d.notes = notes.map { n in Note(n.message, at: n.span.map(f)) }
    return d
  }
}

/// A piece of a file's text as a key — the text of a rule, whose reading and checking depend on
/// nothing else — hashed once over its scalars. (A `String` key would be hashed and compared
/// under Unicode normalization, which costs more than reading most rules again.)
public struct TextKey: Hashable, Sendable {
  /// The file's path, as diagnostics name it.
  public let path: String
  /// The column the text starts at (the same text elsewhere on its line is indented otherwise).
  public let column: Int
  let scalars: ArraySlice<Unicode.Scalar>
  private let hash: Int

  /// The text `span` covers in `file`, or nil when the span is not inside the file.
  public init?(_ span: Span, in file: SourceFile) {
    guard span.file == file.path, 0 <= span.start.offset, span.start.offset <= span.end.offset, span.end.offset <= file.scalars.count
    else { return nil }
    path = file.path
    column = span.start.column
    scalars = file.scalars[span.start.offset..<span.end.offset]
    var h = Hasher()
    h.combine(column)
    h.combine(scalars.count)
    scalars.withUnsafeBytes { h.combine(bytes: $0) }
    hash = h.finalize()
  }

  public static func == (a: TextKey, b: TextKey) -> Bool {
    a.hash == b.hash && a.column == b.column && a.scalars.count == b.scalars.count && a.path == b.path
      && a.scalars.withUnsafeBytes { x in
        b.scalars.withUnsafeBytes { y in
          guard let p = x.baseAddress, let q = y.baseAddress else { return x.count == y.count }
          return memcmp(p, q, x.count) == 0
        }
      }
  }

  public func hash(into h: inout Hasher) { h.combine(hash) }
}
