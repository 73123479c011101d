/// The text of one expression and where each of its characters sits in the file.
///
/// An expression lives inside a YAML scalar, so its characters are not always contiguous in
/// the file (quotes, escapes, block-scalar indentation). `offsets[i]` is the file offset of the
/// expression's i-th scalar; one extra entry marks the end.
public struct ExprSource: Sendable {
  /// The file the expression is written in.
  public let file: SourceFile
  /// The expression's text, decoded.
  public let text: [Unicode.Scalar]
  /// The file offset of each scalar of `text`, plus one for the end.
  public let offsets: [Int]

  /// An expression's text with the file offsets of its scalars.
  public init(file: SourceFile, text: [Unicode.Scalar], offsets: [Int]) {
    self.file = file
    self.text = text
    if offsets.count == text.count + 1 {
      self.offsets = offsets
    } else {
      // Defensive: a mapping of the wrong length would misplace every error; fall back to the start.
      let base = offsets.first ?? 0
      self.offsets = (0...text.count).map { base + $0 }
    }
  }

  /// An expression that is the whole of a file (tests, the command line).
  public init(file: SourceFile) {
    self.init(file: file, text: file.scalars, offsets: Array(0...file.scalars.count))
  }

  /// A standalone expression, as if it were a one-line file named `path`.
  public init(_ text: String, path: String = "<expr>") {
    self.init(file: SourceFile(path: path, text: text))
  }

  /// The file span of local offsets `start..<end`.
  public func span(_ start: Int, _ end: Int) -> Span {
    let a = Swift.max(0, Swift.min(start, text.count))
    let b = Swift.max(a, Swift.min(end, text.count))
    let from = offsets[a]
    let to = b > a ? offsets[b - 1] + 1 : from
    return file.span(from, to)
  }

  /// A sub-range of this source, e.g. the inside of a `{placeholder}`.
  public func slice(_ start: Int, _ end: Int) -> ExprSource {
    let a = Swift.max(0, Swift.min(start, text.count))
    let b = Swift.max(a, Swift.min(end, text.count))
    return ExprSource(file: file, text: Array(text[a..<b]), offsets: Array(offsets[a...b]))
  }

  /// The expression's text.
  public var string: String {
    String(scalars: text)
  }
}
